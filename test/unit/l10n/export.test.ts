import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './catalog';

describe('l10n/bundle.l10n.json', () => {
  it('is what scripts/l10nExport.mjs makes of the current sources', () => {
    // Run the real export script on a copy, so this checks exactly what `npm run l10n` writes.
    const copy = mkdtempSync(join(tmpdir(), 'sl-l10n-fresh-'));
    try {
      cpSync(join(ROOT, 'src'), join(copy, 'src'), { recursive: true });
      mkdirSync(join(copy, 'scripts'));
      cpSync(join(ROOT, 'scripts', 'l10nExport.mjs'), join(copy, 'scripts', 'l10nExport.mjs'));
      symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
      execFileSync(process.execPath, [join(copy, 'scripts', 'l10nExport.mjs')], { stdio: 'pipe', timeout: 120_000 });
      const fresh = JSON.parse(readFileSync(join(copy, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
      const committed = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
      const added = Object.keys(fresh).filter((k) => !(k in committed));
      const removed = Object.keys(committed).filter((k) => !(k in fresh));
      assert.deepEqual({ added, removed }, { added: [], removed: [] }, 'run `npm run l10n`, then translate: node scripts/l10nCheck.mjs');
      assert.deepEqual(committed, fresh);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
