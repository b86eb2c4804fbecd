import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseKeepalive, parsePort, programArgs } from '../../../src/lab/echoOptions';
import { compilePrograms, EchoPrograms, shellLine } from '../../../src/lab/programs';
import { detectRuntime, type RuntimeEnvironment, RuntimeError } from '../../../src/lab/runtimes';
import { CLI, PROGRAMS, tempStorage } from './helpers';

function env(found: Record<string, string>, platform: NodeJS.Platform = 'linux', executables: string[] = []): RuntimeEnvironment {
  return {
    platform,
    execPath: '/opt/vscode/code',
    lookup: async (name) => found[name],
    isExecutable: async (path) => executables.includes(path),
  };
}

const settings = (runtime: 'auto' | 'c' | 'python' | 'node', extra: Partial<{ compilerPath: string; pythonPath: string }> = {}) =>
  ({ runtime, compilerPath: '', pythonPath: '', ...extra });

describe('detectRuntime', () => {
  it('auto prefers C, then Python, then Node through VS Code\'s own binary', async () => {
    assert.deepEqual(await detectRuntime(settings('auto'), env({ gcc: '/usr/bin/gcc', python3: '/usr/bin/python3' })), { runtime: 'c', compiler: '/usr/bin/gcc' });
    assert.deepEqual(await detectRuntime(settings('auto'), env({ python3: '/usr/bin/python3' })), { runtime: 'python', python: '/usr/bin/python3' });
    assert.deepEqual(await detectRuntime(settings('auto'), env({})), { runtime: 'node', node: '/opt/vscode/code' });
  });

  it('tries cc, gcc, clang in that order and none on Windows', async () => {
    assert.deepEqual(await detectRuntime(settings('auto'), env({ clang: '/c', cc: '/a' })), { runtime: 'c', compiler: '/a' });
    assert.deepEqual(await detectRuntime(settings('auto'), env({ cc: '/a', python3: 'C:/py.exe' }, 'win32')), { runtime: 'python', python: 'C:/py.exe' });
  });

  it('an explicit runtime that is missing is a clear error, not a silent fallback', async () => {
    await assert.rejects(detectRuntime(settings('c'), env({ python3: '/p' })), (e: Error) =>
      e instanceof RuntimeError && /No C compiler found \(looked for cc, gcc, clang on PATH\)/.test(e.message));
    await assert.rejects(detectRuntime(settings('python'), env({})), /No Python 3 found/);
    assert.deepEqual(await detectRuntime(settings('node'), env({ cc: '/a' })), { runtime: 'node', node: '/opt/vscode/code' });
  });

  it('honors compilerPath and pythonPath, and names a bad one', async () => {
    assert.deepEqual(await detectRuntime(settings('c', { compilerPath: '/my/cc' }), env({}, 'linux', ['/my/cc'])), { runtime: 'c', compiler: '/my/cc' });
    await assert.rejects(detectRuntime(settings('c', { compilerPath: '/nope/cc' }), env({ cc: '/a' })), /\/nope\/cc\) is not an executable file/);
    await assert.rejects(detectRuntime(settings('python', { pythonPath: '/nope/py' }), env({ python3: '/p' })), /\/nope\/py\) is not an executable file/);
  });
});

describe('echo options', () => {
  it('builds the argument array per program kind', () => {
    const o = { host: '127.0.0.1', port: 7865, reuseaddr: true, lingerZero: true, keepalive: [3, 2, 3] as const, noCloseOnEof: true, halfClose: true };
    assert.deepEqual(programArgs('server', o), ['--host', '127.0.0.1', '--port', '7865', '--reuseaddr', '--linger-zero', '--keepalive', '3,2,3', '--no-close-on-eof']);
    assert.deepEqual(programArgs('client', o), ['--host', '127.0.0.1', '--port', '7865', '--linger-zero', '--keepalive', '3,2,3', '--half-close']);
  });

  it('rejects invalid ports and keepalive values with a message', () => {
    assert.deepEqual(parsePort(' 7865 '), { port: 7865 });
    for (const bad of ['0', '65536', 'http', '-1', '78.5', '']) {
      assert.match((parsePort(bad) as { error: string }).error, /not a port/);
    }
    assert.match((parsePort('80') as { error: string }).error, /privileged/);
    assert.deepEqual(parseKeepalive('3,2,3'), { keepalive: [3, 2, 3] });
    assert.ok('error' in parseKeepalive('3,2'));
    assert.ok('error' in parseKeepalive('3,0,3'));
  });

  it('prints an equivalent shell line with quoting and env', () => {
    assert.equal(shellLine({ runtime: 'node', kind: 'server', file: '/opt/My Code/code', args: ['/x/echo-server.mjs', '--port', '7865'], env: { ELECTRON_RUN_AS_NODE: '1' } }),
      'ELECTRON_RUN_AS_NODE=1 \'/opt/My Code/code\' /x/echo-server.mjs --port 7865');
  });
});

describe('compiling the C programs', { skip: process.platform === 'win32' && 'no cc' }, () => {
  it('compiles once per source hash into the storage folder', async () => {
    const storage = tempStorage();
    const first = await compilePrograms(PROGRAMS, storage, 'cc');
    const built = statSync(first.server).mtimeMs;
    const second = await compilePrograms(PROGRAMS, storage, 'cc');
    assert.equal(second.server, first.server);
    assert.equal(statSync(second.server).mtimeMs, built, 'not compiled again');
    const programs = await EchoPrograms.prepare({ runtime: 'c', compiler: 'cc' }, PROGRAMS, storage);
    assert.equal(programs.command('client', ['--port', '1']).file, first.client);
  });

  it('shows the compiler\'s own message when compiling fails', async () => {
    const storage = tempStorage();
    const fake = join(storage, 'broken-cc');
    writeFileSync(fake, '#!/bin/sh\necho "echo-server.c:1:1: error: this compiler is broken" >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    await assert.rejects(compilePrograms(PROGRAMS, join(storage, 'out'), fake), (e: Error) =>
      e instanceof RuntimeError && /Compiling .*echo-server\.c with .*broken-cc failed:\necho-server\.c:1:1: error: this compiler is broken/.test(e.message));
  });

  it('says which folder it cannot write', async () => {
    const storage = tempStorage();
    const file = join(storage, 'a-file');
    writeFileSync(file, '');
    await assert.rejects(compilePrograms(PROGRAMS, join(file, 'below'), 'cc'), (e: Error) =>
      e instanceof RuntimeError && /Cannot write the compiled echo programs to .*a-file\/below\/c-[0-9a-f]+: .*ENOTDIR/.test(e.message));
  });
});

describe('socket-lifecycle lesson (CLI usage)', () => {
  it('lists the lessons for an unknown name, exit 2', () => {
    const r = spawnSync('node', [CLI, 'lesson', 'nope'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown lesson 'nope'; the lessons are: time-wait, client-closes-first, close-wait, linger-reset, keepalive, half-close/);
  });

  it('rejects an unknown runtime, exit 2', () => {
    const r = spawnSync('node', [CLI, 'lesson', 'time-wait', '--runtime', 'java'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown runtime 'java'; use c, python or node/);
  });

  it('reports a missing compiler clearly, exit 1', () => {
    const r = spawnSync('node', [CLI, 'lesson', 'time-wait', '--runtime', 'c'], {
      encoding: 'utf8', env: { ...process.env, SOCKET_LIFECYCLE_COMPILER: '/nonexistent/cc' },
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /The C compiler set in socketLifecycle\.lab\.compilerPath \(\/nonexistent\/cc\) is not an executable file/);
  });

  it('runs time-wait with --json: one line per step, exit 0', { skip: process.platform !== 'linux' && 'Linux only' }, () => {
    const r = spawnSync('node', [CLI, 'lesson', 'time-wait', '--runtime', 'python', '--json'], {
      encoding: 'utf8', env: { ...process.env, SOCKET_LIFECYCLE_STORAGE_DIR: tempStorage() }, timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines[0].type, 'lesson');
    assert.equal(lines.filter((l) => l.type === 'step').length, 8);
    assert.deepEqual(lines[lines.length - 1], { type: 'result', passed: true, failed: 0, skipped: 0, error: null });
    const restart = lines.find((l) => l.type === 'step' && l.index === 3);
    assert.match(restart.observed.join(' '), /"reuse":true,"ok":false,"errno":"EADDRINUSE"/);
  });
});
