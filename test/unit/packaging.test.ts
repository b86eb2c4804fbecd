import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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
  let size = 0;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sl-vsix-'));
    const vsix = join(dir, 'test.vsix');
    // vsce packs what dist/ holds now (the test run built it); no prepublish step runs.
    execFileSync(join(ROOT, 'node_modules', '.bin', 'vsce'),
      ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix], { cwd: ROOT, stdio: 'pipe' });
    const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
    files = listing.split('\n').filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length)).filter(Boolean);
    size = statSync(vsix).size;
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

  it('stays within 4 MB and carries only the C, C++ and Python grammars', () => {
    // This .vsix is packed from the development build (unminified), so the shipped one is smaller.
    assert.ok(size > 100_000 && size <= 4 * 1024 * 1024, `${(size / 1024 / 1024).toFixed(2)} MB`);
    const grammars = files.filter((f) => f.startsWith('dist/grammars/')).sort();
    assert.deepEqual(grammars, ['dist/grammars/tree-sitter-c.wasm', 'dist/grammars/tree-sitter-cpp.wasm',
      'dist/grammars/tree-sitter-python.wasm', 'dist/grammars/web-tree-sitter.wasm']);
  });

  it('ships every echo program file and the sock_diag helper source', () => {
    // The lab compiles and runs these from the installed extension: one missing header breaks it.
    const programs = readdirSync(join(ROOT, 'src', 'programs')).map((f) => `dist/programs/${f}`);
    const missing = [...programs, 'dist/native/sockDiag.c'].filter((f) => !files.includes(f));
    assert.deepEqual(missing, []);
  });

  it('ships what the features load at run time', () => {
    for (const needed of ['dist/programs/echo-server.c', 'dist/programs/echo-server.py', 'dist/programs/echo-server.mjs',
      'dist/native/sockDiag.c', 'dist/webview/styles.css', 'l10n/bundle.l10n.zh-cn.json', 'package.nls.zh-cn.json',
      'docs/lint-rules.md', 'media/icon.png', 'media/walkthrough/timeWait.md']) {
      assert.ok(files.includes(needed), `${needed} is missing from the .vsix`);
    }
  });

  it('ships the bundles that package.json points at', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const entry of [pkg.main, pkg.bin['socket-lifecycle'], './dist/webview/main.js']) {
      assert.ok(files.includes(entry.replace(/^\.\//, '')), `${entry} is missing from the .vsix`);
    }
  });
});
