// Refreshes l10n/bundle.l10n.json from the sources.
// @vscode/l10n-dev finds `l10n.t(...)` only when `l10n` is imported from 'vscode' or
// '@vscode/l10n'. Our pure modules import it from src/l10n.ts (one translator for the host and
// the CLI), so the export runs on a copy whose import lines name '@vscode/l10n' instead.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const copy = mkdtempSync(join(tmpdir(), 'sl-l10n-'));

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

try {
  cpSync(join(ROOT, 'src'), join(copy, 'src'), { recursive: true });
  for (const file of walk(join(copy, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const rewritten = text.replace(/from\s+['"](?:\.\.?\/)+(?:[\w/]*\/)?l10n['"]/g, "from '@vscode/l10n'");
    if (rewritten !== text) {
      writeFileSync(file, rewritten);
    }
  }
  execFileSync(join(ROOT, 'node_modules', '.bin', 'vscode-l10n-dev'), ['export', '-o', join(ROOT, 'l10n'), join(copy, 'src')], { stdio: 'inherit' });
} finally {
  rmSync(copy, { recursive: true, force: true });
}
