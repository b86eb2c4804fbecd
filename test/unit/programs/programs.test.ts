// The three runtimes' echo programs: one command line, the same human output and the same
// fd-3 event lines (Node differs only where the kernel would: it cannot clear SO_REUSEADDR).
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { before, describe, it } from 'node:test';
import { EchoProcess, type EchoEvent } from '../../../src/lab/echoProcess';
import { programArgs } from '../../../src/lab/echoOptions';
import { pickFreePorts } from '../../../src/lab/lessons/ports';
import { EchoPrograms } from '../../../src/lab/programs';
import { type ConcreteRuntime, detectRuntime, systemEnvironment } from '../../../src/lab/runtimes';
import { PROGRAMS, source, tempStorage } from '../lab/helpers';

const RUNTIMES: ConcreteRuntime[] = ['c', 'python', 'node'];

interface Run {
  /** Events without `t`, as JSON text with ports replaced. */
  events: Record<string, string[]>;
  stderr: Record<string, string>;
  stdout: Record<string, string>;
  codes: Record<string, number | null>;
}

function watch(process: EchoProcess, name: string, run: Run): void {
  run.stderr[name] = '';
  run.stdout[name] = '';
  process.onOutput(({ stream, text }) => (run[stream][name] += text));
}

/** Ports and times vary per run; everything else must match across runtimes. */
function normalize(text: string, ports: number[]): string {
  let out = text;
  ports.forEach((port, i) => (out = out.split(String(port)).join(`<port${i}>`)));
  return out;
}

async function conversation(programs: EchoPrograms): Promise<Run & { ports: number[] }> {
  const { main: port } = await pickFreePorts(source, ['main']);
  const run: Run = { events: {}, stderr: {}, stdout: {}, codes: {} };
  const server = new EchoProcess('server', programs.command('server', programArgs('server', { host: '127.0.0.1', port, reuseaddr: true })));
  watch(server, 'server', run);
  try {
    assert.ok(await server.waitForEvent((e) => e.ev === 'listen', 5000), 'server listens');
    const client = new EchoProcess('client', programs.command('client', programArgs('client', { host: '127.0.0.1', port })));
    watch(client, 'client', run);
    try {
      const connect = await client.waitForEvent((e) => e.ev === 'connect', 5000);
      assert.ok(connect, 'client connects');
      await server.waitForEvent((e) => e.ev === 'accept', 5000);
      client.write('hello\n');
      assert.ok(await client.waitForEvent((e) => e.ev === 'recv', 5000), 'echo arrives');
      client.endInput();
      run.codes.client = (await client.waitForExit(5000))?.code ?? null;
      await server.waitForEvent((e) => e.ev === 'close' && e.sock === 'conn', 5000);
      server.interrupt();
      run.codes.server = (await server.waitForExit(5000))?.code ?? null;
      const clientPort = Number(String(connect!.local).split(':').pop());
      for (const p of [server, client]) {
        run.events[p.name] = p.events.map(({ t: _t, ...rest }) => normalize(JSON.stringify(rest), [port, clientPort]));
      }
      for (const name of ['server', 'client']) {
        run.stderr[name] = normalize(run.stderr[name], [port, clientPort]);
      }
      return { ...run, ports: [port, clientPort] };
    } finally {
      client.dispose();
    }
  } finally {
    server.dispose();
  }
}

async function runOnce(programs: EchoPrograms, args: string[], kind: 'server' | 'client' = 'server'): Promise<{ code: number | null; output: string; events: EchoEvent[] }> {
  const p = new EchoProcess(kind, programs.command(kind, args));
  try {
    const exit = await p.waitForExit(5000);
    return { code: exit?.code ?? null, output: p.output, events: p.events };
  } finally {
    p.dispose();
  }
}

describe('echo programs in C, Python and Node', { skip: process.platform === 'win32' && 'POSIX only' }, () => {
  const programs = new Map<ConcreteRuntime, EchoPrograms>();
  before(async () => {
    const storage = tempStorage();
    for (const runtime of RUNTIMES) {
      programs.set(runtime, await EchoPrograms.prepare(await detectRuntime({ runtime, compilerPath: '', pythonPath: '' }, systemEnvironment()), PROGRAMS, storage));
    }
  });

  it('echo a line with identical events and output in every runtime', async () => {
    const runs = new Map<ConcreteRuntime, Run>();
    for (const runtime of RUNTIMES) {
      runs.set(runtime, await conversation(programs.get(runtime)!));
    }
    const c = runs.get('c')!;
    assert.deepEqual(c.events.server, [
      '{"ev":"setsockopt","sock":"listen","opt":"SO_REUSEADDR","value":1,"ok":true}',
      '{"ev":"bind","port":<port0>,"reuse":true,"ok":true}',
      '{"ev":"listen","port":<port0>,"ok":true}',
      '{"ev":"accept","local":"127.0.0.1:<port0>","peer":"127.0.0.1:<port1>"}',
      '{"ev":"recv","bytes":6}', '{"ev":"send","bytes":6}', '{"ev":"recv","bytes":0}',
      '{"ev":"close","sock":"conn"}', '{"ev":"signal","sig":"SIGINT"}', '{"ev":"close","sock":"listen"}',
    ]);
    assert.deepEqual(c.events.client, [
      '{"ev":"connect","local":"127.0.0.1:<port1>","peer":"127.0.0.1:<port0>","ok":true}',
      '{"ev":"send","bytes":6}', '{"ev":"recv","bytes":6}', '{"ev":"close","sock":"conn"}',
    ]);
    assert.equal(c.stdout.client, 'hello\n');
    assert.deepEqual(c.codes, { client: 0, server: 130 });
    for (const runtime of ['python', 'node'] as const) {
      const other = runs.get(runtime)!;
      assert.deepEqual(other.events, c.events, `${runtime} events match C`);
      assert.deepEqual(other.stderr, c.stderr, `${runtime} human output matches C`);
      assert.deepEqual(other.stdout, c.stdout);
      assert.deepEqual(other.codes, c.codes);
    }
    assert.equal(c.stderr.server, [
      'listening on 127.0.0.1:<port0> (SO_REUSEADDR on)', 'accepted 127.0.0.1:<port1>', 'echoed 6 bytes',
      'client closed its side (recv returned 0)', 'closed the connection', 'interrupted (SIGINT): closing sockets', '',
    ].join('\n'));
  });

  for (const runtime of RUNTIMES) {
    it(`${runtime}: rejects an invalid port with exit 2 and one clear message`, async () => {
      for (const [args, message] of [
        [['--port', '70000'], "echo-server: invalid port '70000' (expected 1-65535)\n"],
        [['--port', 'http'], "echo-server: invalid port 'http' (expected 1-65535)\n"],
        [[], 'echo-server: --port is required\n'],
        [['--port', '7865', '--keepalive', '3,2'], "echo-server: invalid --keepalive '3,2' (expected IDLE,INTVL,CNT, e.g. 3,2,3)\n"],
        [['--port', '7865', '--half-close'], "echo-server: unknown or incomplete option '--half-close'\n"],
      ] as const) {
        const r = await runOnce(programs.get(runtime)!, [...args]);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.output}`);
        assert.equal(r.output, message);
      }
    });

    it(`${runtime}: a port in use fails bind() with EADDRINUSE, exit 1`, async () => {
      const { main: port } = await pickFreePorts(source, ['main']);
      const holder: Server = createServer();
      await new Promise<void>((resolve) => holder.listen({ host: '127.0.0.1', port }, resolve));
      try {
        const r = await runOnce(programs.get(runtime)!, ['--port', String(port)]);
        assert.equal(r.code, 1);
        assert.match(r.output, /^bind\(\) failed: EADDRINUSE \(Address already in use\)$/m);
        const bind = r.events.find((e) => e.ev === 'bind');
        assert.deepEqual({ ...bind, t: 0 }, { t: 0, ev: 'bind', port, reuse: runtime === 'node', ok: false, errno: 'EADDRINUSE' });
      } finally {
        holder.close();
      }
    });

    it(`${runtime}: a refused connection is one clear line, exit 1`, async () => {
      const { main: port } = await pickFreePorts(source, ['main']);
      const r = await runOnce(programs.get(runtime)!, ['--port', String(port)], 'client');
      assert.equal(r.code, 1);
      assert.equal(r.output, `connect() to 127.0.0.1:${port} failed: ECONNREFUSED (Connection refused)\n`);
      assert.deepEqual(r.events.map(({ t: _t, ...e }) => e), [{ ev: 'connect', peer: `127.0.0.1:${port}`, ok: false, errno: 'ECONNREFUSED' }]);
    });
  }

  it('the Node server says honestly that it cannot clear SO_REUSEADDR', async () => {
    const { main: port } = await pickFreePorts(source, ['main']);
    const server = new EchoProcess('server', programs.get('node')!.command('server', ['--port', String(port)]));
    try {
      const bind = await server.waitForEvent((e) => e.ev === 'bind', 5000);
      assert.equal(bind?.reuse, true, 'reports what libuv really did');
      server.interrupt();
      await server.waitForExit(5000);
      assert.match(server.output, /Node\.js always sets SO_REUSEADDR on listening sockets and cannot clear it/);
      assert.match(server.output, /\(SO_REUSEADDR on, forced by Node\.js\)/);
    } finally {
      server.dispose();
    }
  });
});
