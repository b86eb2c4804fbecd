import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildSockDiag, findSockDiagSource } from '../../../src/sockets/native/build';
import { DiagSource } from '../../../src/sockets/native/diagSource';
import { SockDiagProcess } from '../../../src/sockets/native/helperProcess';
import { isCompleteAnswer, parseSockDiag, sockDiagRequest } from '../../../src/sockets/native/sockDiagParse';
import { ProcessMap } from '../../../src/sockets/processMap';
import { pickSocketSource, ProcNetTcpSource } from '../../../src/sockets/reader';
import { rowKey, type SocketRow } from '../../../src/sockets/types';

describe('sock-diag helper output parser', () => {
  it('reads rows of every field, both families, and the end marker', () => {
    const text = [
      '4 10 127.0.0.1 8080 0.0.0.0 0 0 0 0 0 2 128 1000 4242',
      '4 6 127.0.0.1 8080 127.0.0.1 51000 3 59612 0 0 0 0 0 0',
      '6 1 ::1 8081 ::1 51001 2 39990 0 1 5 7 1000 99',
      '6 8 ::ffff:127.0.0.1 8082 ::ffff:127.0.0.1 51002 0 0 0 0 1 0 1000 100',
      '. 4',
      '',
    ].join('\n');
    const { rows, skipped, error } = parseSockDiag(text);
    assert.equal(skipped, 0);
    assert.equal(error, undefined);
    assert.equal(rows.length, 4);
    // LISTEN: the kernel's wqueue is the backlog limit; /proc's tx_queue (unsent bytes) is 0.
    assert.deepEqual(rows[0], {
      family: 'inet', local: { address: '127.0.0.1', port: 8080 }, remote: { address: '0.0.0.0', port: 0 },
      state: 'LISTEN', timer: null, retransmits: 0, probes: 0, rxQueue: 2, txQueue: 0, inode: 4242, uid: 1000, pid: null, process: null,
    });
    assert.deepEqual(rows[1].timer, { kind: 'timewait', seconds: 59.612 });
    assert.equal(rows[1].state, 'TIME_WAIT');
    assert.equal(rows[2].family, 'inet6');
    assert.deepEqual(rows[2].timer, { kind: 'keepalive', seconds: 39.99 });
    assert.deepEqual([rows[2].probes, rows[2].rxQueue, rows[2].txQueue], [1, 5, 7]);
    assert.equal(rows[3].state, 'CLOSE_WAIT');
    assert.equal(rows[3].local.address, '::ffff:127.0.0.1');
  });

  it('counts malformed lines and never throws', () => {
    const text = '4 99 1.2.3.4 1 5.6.7.8 2 0 0 0 0 0 0 0 0\nnonsense\n4 1 a 70000 b 1 0 0 0 0 0 0 0 0\n4 1 a 1 b 1 9 0 0 0 0 0 0 0\n4 1 a 1 b\n. 0\n';
    assert.deepEqual(parseSockDiag(text), { rows: [], skipped: 5 });
    assert.equal(parseSockDiag('! 22 Invalid argument\n').error, 'Invalid argument');
  });

  it('knows when an answer is complete and writes requests', () => {
    assert.equal(isCompleteAnswer('4 1 a 1 b 2 0 0 0 0 0 0 0 0\n. 1\n'), true);
    assert.equal(isCompleteAnswer('! 1 Operation not permitted\n'), true);
    assert.equal(isCompleteAnswer('4 1 a 1 b 2 0 0 0 0 0 0 0 0\n'), false);
    assert.equal(isCompleteAnswer('. 1'), false);
    assert.equal(sockDiagRequest([80, 70000, 443]), '80 443\n');
    assert.equal(sockDiagRequest([], 250), '@250 \n');
  });
});

// The helper on the real kernel, checked against the /proc reader (Linux with a C compiler).
const source = findSockDiagSource();
const hasCc = ['cc', 'gcc', 'clang'].some((c) => spawnSync(c, ['--version']).error === undefined);
const skip = process.platform !== 'linux' ? 'Linux only' : !hasCc ? 'no C compiler' : !source ? 'sockDiag.c not found' : false;

describe('sock-diag helper on the real kernel (127.0.0.1, ::1)', { skip }, () => {
  const storage = mkdtempSync(join(tmpdir(), 'sock-diag-test-'));
  const sockets: net.Socket[] = [];
  const servers: net.Server[] = [];
  let binary = '';

  before(async () => {
    binary = await buildSockDiag(source!, storage);
  });

  after(() => {
    sockets.forEach((s) => s.destroy());
    servers.forEach((s) => s.close());
    rmSync(storage, { recursive: true, force: true });
  });

  async function listen(host: string): Promise<{ port: number; accepted: Promise<net.Socket> }> {
    const server = net.createServer();
    servers.push(server);
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', (s) => {
      sockets.push(s);
      resolve(s);
    }));
    await new Promise<void>((r) => server.listen(0, host, r));
    return { port: (server.address() as net.AddressInfo).port, accepted };
  }

  async function connect(port: number, host: string, options: Partial<net.TcpNetConnectOpts> = {}): Promise<net.Socket> {
    const socket = net.connect({ ...options, port, host });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => socket.once('error', reject).once('connect', resolve));
    return socket;
  }

  const settle = () => new Promise((r) => setTimeout(r, 150));

  it('builds once per source hash and reuses the binary', async () => {
    assert.equal(await buildSockDiag(source!, storage), binary);
    assert.ok(existsSync(binary));
  });

  it('reports the same sockets as /proc: states, queues, timers (in seconds), owners', async () => {
    // LISTEN + ESTABLISHED with keepalive; CLOSE_WAIT (rxQueue 1) + orphaned FIN_WAIT2; TIME_WAIT; IPv6.
    const a = await listen('127.0.0.1');
    const aClient = await connect(a.port, '127.0.0.1');
    aClient.setKeepAlive(true, 40_000);
    await a.accepted;
    const b = await listen('127.0.0.1');
    // Half-open and unread (as in kernel.test.ts): CLOSE_WAIT with the FIN counted in rxQueue.
    (await connect(b.port, '127.0.0.1', { allowHalfOpen: true, onread: { buffer: Buffer.alloc(64), callback: () => true } })).pause();
    (await b.accepted).destroy();
    const c = await listen('127.0.0.1');
    const cClient = await connect(c.port, '127.0.0.1');
    (await c.accepted).destroy(); // server closes first: its side will be TIME_WAIT
    cClient.destroy();
    const d = await listen('::1');
    await connect(d.port, '::1');
    await d.accepted;
    await settle();
    const ports = [a.port, b.port, c.port, d.port];
    const owners = new ProcessMap();
    const diag = new DiagSource(new ProcNetTcpSource(owners), owners, { sourceFile: source, storageDir: storage });
    const proc = new ProcNetTcpSource(new ProcessMap());
    try {
      const [fromDiag, fromProc] = [await diag.read(ports), await proc.read(ports)];
      assert.equal(diag.failure, undefined);
      assert.equal(diag.name, 'sock_diag');
      const key = (r: SocketRow) => `${r.family} ${rowKey(r)}`;
      const byKey = new Map(fromProc.rows.map((r) => [key(r), r]));
      assert.deepEqual(fromDiag.rows.map(key).sort(), [...byKey.keys()].sort());
      for (const row of fromDiag.rows) {
        const other = byKey.get(key(row))!;
        const what = `${key(row)} ${row.state}`;
        assert.deepEqual(
          [row.state, row.rxQueue, row.txQueue, row.inode, row.uid, row.pid, row.retransmits, row.probes, row.timer?.kind ?? null],
          [other.state, other.rxQueue, other.txQueue, other.inode, other.uid, other.pid, other.retransmits, other.probes, other.timer?.kind ?? null],
          what);
        // /proc counts 1/100 s; the reads are a few ms apart.
        assert.ok(Math.abs((row.timer?.seconds ?? 0) - (other.timer?.seconds ?? 0)) < 0.5, `${what}: ${row.timer?.seconds} vs ${other.timer?.seconds}`);
      }
      const states = (port: number) => fromDiag.rows.filter((r) => r.local.port === port || r.remote.port === port).map((r) => r.state).sort();
      assert.deepEqual(states(a.port), ['ESTABLISHED', 'ESTABLISHED', 'LISTEN']);
      assert.deepEqual(states(b.port), ['CLOSE_WAIT', 'FIN_WAIT2', 'LISTEN']);
      assert.deepEqual(states(c.port), ['LISTEN', 'TIME_WAIT']);
      assert.deepEqual(states(d.port), ['ESTABLISHED', 'ESTABLISHED', 'LISTEN']);
      const closeWait = fromDiag.rows.find((r) => r.state === 'CLOSE_WAIT')!;
      assert.equal(closeWait.rxQueue, 1);
      assert.equal(closeWait.pid, process.pid);
      const timeWait = fromDiag.rows.find((r) => r.state === 'TIME_WAIT')!;
      // Milliseconds turned into seconds: a fresh TIME_WAIT has just under 60 s left.
      assert.ok(timeWait.timer!.seconds > 55 && timeWait.timer!.seconds <= 60, String(timeWait.timer!.seconds));
      assert.equal(timeWait.inode, 0);
      const keepalive = fromDiag.rows.find((r) => r.remote.port === a.port && r.state === 'ESTABLISHED')!;
      assert.equal(keepalive.timer?.kind, 'keepalive');
      assert.ok(keepalive.timer!.seconds > 35 && keepalive.timer!.seconds <= 40, String(keepalive.timer!.seconds));
      assert.equal(fromDiag.rows.find((r) => r.family === 'inet6')!.local.address, '::1');
    } finally {
      diag.dispose();
    }
  });

  it('filters in the kernel: only the asked ports come back', async () => {
    const a = await listen('127.0.0.1');
    const b = await listen('127.0.0.1');
    const helper = new SockDiagProcess(binary);
    try {
      const only = parseSockDiag(await helper.request([a.port]));
      assert.deepEqual(only.rows.map((r) => r.local.port), [a.port]);
      const both = parseSockDiag(await helper.request([a.port, b.port]));
      assert.deepEqual(both.rows.map((r) => r.local.port).sort(), [a.port, b.port].sort());
    } finally {
      helper.dispose();
    }
  });

  it('streams snapshots on an interval and exits when its stdin closes', async () => {
    const a = await listen('127.0.0.1');
    const { spawn } = await import('node:child_process');
    const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
    child.stdin.write(sockDiagRequest([a.port], 50));
    for (let i = 0; i < 40 && (text.match(/^\. /gm) ?? []).length < 3; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.stdin.end();
    assert.equal(await exited, 0);
    assert.ok((text.match(/^\. 1$/gm) ?? []).length >= 3, text);
  });

  it('falls back to /proc when the helper cannot be built', async () => {
    const a = await listen('127.0.0.1');
    const owners = new ProcessMap();
    const diag = new DiagSource(new ProcNetTcpSource(owners), owners, { sourceFile: source, storageDir: storage, compilers: ['/nonexistent/cc'] });
    const snapshot = await diag.read([a.port]);
    diag.dispose();
    assert.match(String(diag.failure), /no C compiler/);
    assert.equal(diag.name, '/proc/net/tcp');
    assert.deepEqual(snapshot.rows.map((r) => r.state), ['LISTEN']);
  });

  it('is what pickSocketSource() gives on Linux', async () => {
    const a = await listen('127.0.0.1');
    const picked = pickSocketSource('linux', { storageDir: storage });
    assert.ok(picked instanceof DiagSource);
    const snapshot = await picked.read([a.port]);
    assert.equal(picked.name, 'sock_diag');
    assert.equal(snapshot.rows[0].pid, process.pid);
    assert.equal(snapshot.rows[0].process, readFileSync('/proc/self/comm', 'utf8').trim());
    picked.dispose();
  });
});
