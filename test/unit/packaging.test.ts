import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');

/** The .vscodeignore allow-list as plain prefixes/suffixes: what may ship. */
const ALLOWED = [/^package\.json$/, /^package\.nls(\.[\w-]+)?\.json$/, /^readme\.md$/i, /^changelog\.md$/i, /^LICENSE(\.txt)?$/,
  /^dist\//, /^l10n\//, /^media\//, /^docs\//];
const FORBIDDEN = [/\.ts$/, /\.map$/, /^src\//, /^test\//, /^out\//, /^bench\//, /node_modules\//, /^\.vscode/, /^scripts\//];

describe('the .vsix', () => {
  let dir = '';
  let files: string[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sl-vsix-'));
    const vsix = join(dir, 'test.vsix');
    // vsce packs what dist/ holds now (the test run built it); no prepublish step runs.
    execFileSync(join(ROOT, 'node_modules', '.bin', 'vsce'),
      ['package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], { cwd: ROOT, stdio: 'pipe' });
    const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
    files = listing.split('\n').filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length)).filter(Boolean);
    assert.ok(statSync(vsix).size > 0);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds only allow-listed files', () => {
    const stray = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
    assert.deepEqual(stray, [], `not on the allow-list: ${stray.join(', ')}`);
  });

  it('ships no sources, tests, source maps or bundled node_modules', () => {
    const bad = files.filter((f) => FORBIDDEN.some((re) => re.test(f)));
    assert.deepEqual(bad, []);
  });

  it('ships the bundles that package.json points at', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const entry of [pkg.main, pkg.bin['socket-lifecycle'], './dist/webview/main.js']) {
      assert.ok(files.includes(entry.replace(/^\.\//, '')), `${entry} is missing from the .vsix`);
    }
  });
});
