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
import type { SocketRow } from '../../../src/sockets/types';
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

/**
 * A listener that never calls accept(): listen(0) and one queued connection fill its accept
 * queue, so Linux drops every further SYN and a client's connect() keeps waiting (SYN_SENT).
 * Reports its port as a fd-3 "listen" event, so an EchoProcess can run it.
 */
const FULL_LISTENER = [
  'import json, os, socket, sys',
  'listener = socket.socket()',
  'listener.bind(("127.0.0.1", 0))',
  'listener.listen(0)',
  'port = listener.getsockname()[1]',
  'queued = socket.create_connection(("127.0.0.1", port))',
  'os.write(3, (json.dumps({"ev": "listen", "port": port}) + "\\n").encode())',
  'sys.stdin.read()',
].join('\n');

/** Polls the socket table until `match` finds a row on `port`, for up to `timeoutMs`. */
async function waitForSocket(port: number, match: (row: SocketRow) => boolean, timeoutMs: number): Promise<SocketRow | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = (await source.read([port])).rows.find(match);
    if (row || Date.now() > deadline) {
      return row;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
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

  // The Python client once left its KeyboardInterrupt handler out of socket()/connect(): a
  // Ctrl+C there printed a traceback and killed it by SIGINT; the C client reported the
  // interrupted connect() as failed (EINTR, exit 1). A connect() that cannot finish keeps the
  // client in that window for as long as the test needs.
  for (const runtime of RUNTIMES) {
    it(`${runtime}: Ctrl+C while connect() waits closes the socket and exits 130`, { skip: process.platform !== 'linux' && 'needs Linux accept-queue behaviour' }, async () => {
      const python = programs.get('python')!.command('server', []).file;
      const holder = new EchoProcess('holder', { runtime: 'python', kind: 'server', file: python, args: ['-c', FULL_LISTENER], env: {} });
      try {
        const listen = await holder.waitForEvent((e) => e.ev === 'listen', 5000);
        assert.ok(listen, `the full listener starts: ${holder.output}`);
        const port = Number(listen.port);
        const client = new EchoProcess('client', programs.get(runtime)!.command('client', ['--port', String(port), '--linger-zero']));
        try {
          const waiting = await waitForSocket(port, (r) => r.state === 'SYN_SENT' && r.remote.port === port, 5000);
          assert.ok(waiting, `the client waits in connect(): ${client.output}`);
          client.interrupt();
          const exit = await client.waitForExit(5000);
          assert.deepEqual(exit, { code: 130, signal: null }, client.output);
          assert.equal(client.output, 'interrupted (SIGINT): closing the connection\nclosed (SO_LINGER 0: sent RST)\n');
          assert.deepEqual(client.events.map(({ t: _t, ...e }) => e), [
            { ev: 'setsockopt', sock: 'conn', opt: 'SO_LINGER', value: 0, ok: true },
            { ev: 'signal', sig: 'SIGINT' },
            { ev: 'close', sock: 'conn' },
          ]);
        } finally {
          client.dispose();
        }
        await holder.stop();
        const left = await waitForSocket(port, (r) => r.state !== 'TIME_WAIT' && (r.local.port === port || r.remote.port === port), 0);
        assert.equal(left, undefined, 'nothing but TIME_WAIT is left on the port');
      } finally {
        await holder.stop();
        holder.dispose();
      }
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
