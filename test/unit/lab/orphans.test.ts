// A crash of the parent (the extension host) must not leave echo programs running: their
// stdin closes with the parent, and both programs exit on it.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { programArgs } from '../../../src/lab/echoOptions';
import { pickFreePorts } from '../../../src/lab/lessons/ports';
import { EchoPrograms } from '../../../src/lab/programs';
import { type ConcreteRuntime, detectRuntime, systemEnvironment } from '../../../src/lab/runtimes';
import { PROGRAMS, source, tempStorage } from './helpers';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('echo programs outlive no parent', { skip: process.platform === 'win32' && 'POSIX only' }, () => {
  const programs = new Map<ConcreteRuntime, EchoPrograms>();
  before(async () => {
    const storage = tempStorage();
    for (const runtime of ['c', 'python', 'node'] as const) {
      programs.set(runtime, await EchoPrograms.prepare(await detectRuntime({ runtime, compilerPath: '', pythonPath: '' }, systemEnvironment()), PROGRAMS, storage));
    }
  });

  for (const runtime of ['c', 'python', 'node'] as const) {
    it(`${runtime}: server and client exit when their parent is killed`, async () => {
      const { main: port } = await pickFreePorts(source, ['main']);
      const p = programs.get(runtime)!;
      const server = p.command('server', programArgs('server', { host: '127.0.0.1', port }));
      const client = p.command('client', programArgs('client', { host: '127.0.0.1', port }));
      // A stand-in for the extension host: spawns both with piped stdin, prints their pids, waits.
      const script = `
        const { spawn } = require('node:child_process');
        const [server, client] = JSON.parse(process.argv[1]);
        const opts = (c) => ({ stdio: ['pipe', 'ignore', 'ignore', 'pipe'], env: { ...process.env, ...c.env } });
        const s = spawn(server.file, server.args, opts(server));
        setTimeout(() => {
          const c = spawn(client.file, client.args, opts(client));
          setTimeout(() => console.log(JSON.stringify([s.pid, c.pid])), 700);
        }, 700);
        setInterval(() => {}, 1000);`;
      const parent = spawn(process.execPath, ['-e', script, JSON.stringify([server, client])], { stdio: ['ignore', 'pipe', 'inherit'] });
      const pids: number[] = await new Promise((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()))));
      assert.deepEqual(pids.map(alive), [true, true], 'both run while the parent lives');
      parent.kill('SIGKILL');
      const deadline = Date.now() + 5000;
      while (pids.some(alive) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const left = pids.filter(alive);
      left.forEach((pid) => process.kill(pid, 'SIGKILL'));
      assert.deepEqual(left, [], 'no program outlives its parent');
    });
  }
});
