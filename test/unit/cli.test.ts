import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseFlags, UsageError } from '../../src/cli/command';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

describe('socket-lifecycle CLI (built dist/cli.js)', () => {
  it('prints the package version', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    assert.equal(execFileSync('node', [CLI, '--version'], { encoding: 'utf8' }).trim(), version);
  });

  it('prints help with exit 0', () => {
    const out = execFileSync('node', [CLI, '--help'], { encoding: 'utf8' });
    assert.match(out, /Usage: socket-lifecycle <command>/);
  });

  it('rejects an unknown subcommand with exit 2 and a clear message', () => {
    const r = spawnSync('node', [CLI, 'frobnicate'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
  });

  it('ends quietly when the reader closes the pipe early (`... | head`)', async () => {
    // The read end is closed before the CLI writes its report: every write fails with EPIPE.
    const child = spawn(process.execPath, [CLI, 'lint', '--format', 'json', join(ROOT, 'test', 'fixtures', 'lint')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    assert.equal(signal, null);
    // Nothing but the notices of fixtures that do not parse whole (Winsock's `DWORD WINAPI f(...)`).
    assert.deepEqual(stderr.split('\n').filter((l) => l !== '' && !l.endsWith('could not be parsed; results there may be incomplete.')), []);
    assert.equal(code, 1); // the fixtures have findings: the exit code still says so
  });

  it('a slow reader gets the whole report (more than a pipe holds)', () => {
    // A pipe holds 64 KiB; the fixtures' JSON report is larger. The reader starts a second after
    // the CLI has filled the pipe: an exit before the pipe drained would cut the report there.
    const script = '"$0" "$1" lint --format json "$2" | (sleep 1; cat)';
    const r = spawnSync('sh', ['-c', script, process.execPath, CLI, join(ROOT, 'test', 'fixtures', 'lint')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.ok(r.stdout.length > 64 * 1024, `the report is only ${r.stdout.length} bytes: not a test of a full pipe`);
    assert.ok((JSON.parse(r.stdout) as unknown[]).length > 100);
  });

  it('lint says which named file it skipped (not C, C++ or Python)', () => {
    const r = spawnSync(process.execPath, [CLI, 'lint', join('test', 'fixtures', 'workspace', 'README.md')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stderr, /README\.md: skipped, not a C, C\+\+ or Python file/);
    assert.match(r.stdout, /0 finding\(s\) in 0 file\(s\)/);
  });

  it('starts from the code cache the build wrote, and not from one of other source', () => {
    const echo = join(ROOT, 'src', 'programs', 'echo-server.c');
    const env = { ...process.env, SOCKET_LIFECYCLE_DEBUG_CODE_CACHE: '1' };
    const built = spawnSync('node', [CLI, 'lint', '--format', 'json', echo], { encoding: 'utf8', env });
    assert.match(built.stderr, /^code cache: taken$/m);
    const findings = JSON.parse(built.stdout);
    assert.deepEqual(findings.map((f: { rule: string }) => f.rule), ['missing-reuseaddr']);
    // A rebuilt bundle of the same length would pass V8's own check: the digest must not.
    const dir = mkdtempSync(join(tmpdir(), 'sl-cache-'));
    try {
      for (const f of ['cli.js', 'cli-main.js', 'cli-main.js.cache']) {
        copyFileSync(join(ROOT, 'dist', f), join(dir, f));
      }
      symlinkSync(join(ROOT, 'dist', 'grammars'), join(dir, 'grammars'));
      appendFileSync(join(dir, 'cli-main.js'), '\n// edited\n');
      const edited = spawnSync('node', [join(dir, 'cli.js'), 'lint', '--format', 'json', echo], { encoding: 'utf8', env });
      assert.match(edited.stderr, /^code cache: none$/m);
      assert.equal(edited.stdout, built.stdout);
      rmSync(join(dir, 'cli-main.js.cache'));
      const without = spawnSync('node', [join(dir, 'cli.js'), 'lint', '--format', 'json', echo], { encoding: 'utf8', env });
      assert.match(without.stderr, /^code cache: none$/m);
      assert.equal(without.stdout, built.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with usage when called with no command', () => {
    const r = spawnSync('node', [CLI], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stdout, /Usage:/);
  });
});

describe('parseFlags', () => {
  const spec = { port: 'string[]', json: 'boolean', format: 'string' } as const;
  it('collects repeated flags, = values and positionals', () => {
    const { flags, positional } = parseFlags(['--port', '1', '--port=2', '--json', 'a', '--format=sarif', '--', '--x'], spec);
    assert.deepEqual(flags, { port: ['1', '2'], json: true, format: 'sarif' });
    assert.deepEqual(positional, ['a', '--x']);
  });
  it('rejects unknown options and missing values', () => {
    assert.throws(() => parseFlags(['--nope'], spec), UsageError);
    assert.throws(() => parseFlags(['--format'], spec), UsageError);
    assert.throws(() => parseFlags(['--json=1'], spec), UsageError);
  });
});
