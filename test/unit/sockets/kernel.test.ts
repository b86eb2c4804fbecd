import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import { after, describe, it } from 'node:test';
import { ProcNetTcpSource } from '../../../src/sockets/reader';
import type { SocketRow, Transition } from '../../../src/sockets/types';
import { SocketWatcher } from '../../../src/sockets/watcher';

// Real sockets on loopback, read back through /proc by the real watcher (Linux only).
const linux = process.platform === 'linux';
const open: net.Socket[] = [];
const servers: net.Server[] = [];

after(() => {
  open.forEach((s) => s.destroy());
  servers.forEach((s) => s.close());
});

async function listen(host = '127.0.0.1'): Promise<{ server: net.Server; port: number; accepted: Promise<net.Socket>[] }> {
  const server = net.createServer();
  servers.push(server);
  const queue: ((s: net.Socket) => void)[] = [];
  const accepted: Promise<net.Socket>[] = Array.from({ length: 4 }, () => new Promise<net.Socket>((r) => queue.push(r)));
  server.on('connection', (s) => {
    open.push(s);
    queue.shift()?.(s);
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return { server, port: (server.address() as net.AddressInfo).port, accepted };
}

async function connect(port: number, host = '127.0.0.1', options: Partial<net.TcpNetConnectOpts> = {}): Promise<net.Socket> {
  const socket = net.connect({ ...options, port, host });
  open.push(socket);
  await new Promise<void>((resolve, reject) => socket.once('error', reject).once('connect', resolve));
  return socket;
}

function newWatcher(port: number, intervalMs = 1000): { watcher: SocketWatcher; done: () => void } {
  // cpuBudget 1: no stretching, so a loaded test machine cannot slow the polls past a state.
  const watcher = new SocketWatcher(new ProcNetTcpSource(), { value: { watcher: { intervalMs } } }, { unref: true, cpuBudget: 1 });
  const sub = watcher.watchPorts([port]);
  return { watcher, done: () => { sub.dispose(); watcher.dispose(); } };
}

/** Polls until `find` returns a row (at most ~3 s); the kernel moves on its own schedule. */
async function waitFor(watcher: SocketWatcher, find: (rows: readonly SocketRow[]) => SocketRow | undefined): Promise<SocketRow> {
  for (let i = 0; i < 60; i++) {
    const found = find(await watcher.refresh());
    if (found) {
      return found;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`not seen in time; rows: ${JSON.stringify(watcher.rows)}`);
}

const side = (local: number, remote: number) => (rows: readonly SocketRow[]) =>
  rows.find((r) => r.local.port === local && r.remote.port === remote);

describe('SocketWatcher on the real kernel (127.0.0.1)', { skip: !linux && 'Linux only' }, () => {
  it('sees our LISTEN socket with our own pid and process name', async () => {
    const { port } = await listen();
    const { watcher, done } = newWatcher(port);
    const rows = await watcher.refresh();
    done();
    assert.equal(rows.length, 1);
    const [listen0] = rows;
    assert.equal(listen0.state, 'LISTEN');
    assert.deepEqual(listen0.local, { address: '127.0.0.1', port });
    assert.equal(listen0.pid, process.pid);
    assert.equal(listen0.process, readFileSync('/proc/self/comm', 'utf8').trim());
    assert.ok(listen0.inode > 0);
  });

  it('sees both ends of an ESTABLISHED connection', async () => {
    const { port, accepted } = await listen();
    const client = await connect(port);
    await accepted[0];
    const { watcher, done } = newWatcher(port);
    const rows = await watcher.refresh();
    done();
    const c = side(client.localPort!, port)(rows);
    const s = side(port, client.localPort!)(rows);
    assert.equal(c?.state, 'ESTABLISHED');
    assert.equal(s?.state, 'ESTABLISHED');
    assert.equal(c?.pid, process.pid);
  });

  it('server closes first: FIN_WAIT2 with CLOSE_WAIT (rxQueue 1) opposite, then a counting-down TIME_WAIT', async () => {
    const { port, accepted } = await listen();
    // allowHalfOpen: the client must not answer the FIN by itself. It must not read it either:
    // once read() has returned 0 the kernel counts the FIN as consumed and rx_queue drops to 0.
    // Only with a caller-owned buffer (onread) does pause() stop the reads at the kernel.
    const client = await connect(port, '127.0.0.1', { allowHalfOpen: true, onread: { buffer: Buffer.alloc(64), callback: () => true } });
    client.pause();
    const serverSide = await accepted[0];
    const clientPort = client.localPort!;
    const { watcher, done } = newWatcher(port);
    try {
      serverSide.destroy();
      const finWait2 = await waitFor(watcher, (rows) => {
        const r = side(port, clientPort)(rows);
        return r?.state === 'FIN_WAIT2' ? r : undefined;
      });
      assert.equal(finWait2.inode, 0, 'orphaned: no process owns it');
      assert.equal(finWait2.timer?.kind, 'timewait');
      const closeWait = side(clientPort, port)(watcher.rows)!;
      assert.equal(closeWait.state, 'CLOSE_WAIT');
      assert.equal(closeWait.rxQueue, 1, 'the FIN counts as one byte');
      assert.equal(closeWait.timer, null);
      client.end();
      const timeWait = await waitFor(watcher, (rows) => {
        const r = side(port, clientPort)(rows);
        return r?.state === 'TIME_WAIT' ? r : undefined;
      });
      const first = timeWait.timer!.seconds;
      assert.equal(timeWait.timer?.kind, 'timewait');
      assert.ok(first > 0 && first <= 60, `${first} s`);
      await new Promise((r) => setTimeout(r, 1100));
      const later = side(port, clientPort)(await watcher.refresh())!;
      assert.equal(later.state, 'TIME_WAIT');
      assert.ok(later.timer!.seconds < first && later.timer!.seconds > first - 5, `${first} -> ${later.timer!.seconds}`);
    } finally {
      done();
    }
  });

  it('shows the keepalive timer set by TCP_KEEPIDLE', async () => {
    const { port, accepted } = await listen();
    const client = await connect(port);
    await accepted[0];
    client.setKeepAlive(true, 3000);
    const { watcher, done } = newWatcher(port);
    const row = await waitFor(watcher, side(client.localPort!, port));
    done();
    assert.equal(row.timer?.kind, 'keepalive');
    assert.ok(row.timer.seconds > 0 && row.timer.seconds <= 3, `${row.timer.seconds} s`);
    assert.equal(row.probes, 0);
  });

  it('sees IPv6 ::1 sockets', async () => {
    let listening;
    try {
      listening = await listen('::1');
    } catch (error) {
      // A kernel without IPv6 loopback: the reader must still work and report IPv4 alone.
      assert.match(String((error as NodeJS.ErrnoException).code), /EADDRNOTAVAIL|EAFNOSUPPORT/);
      const rows = await new ProcNetTcpSource().read([]);
      assert.equal(rows.rows.some((r) => r.family === 'inet6'), false);
      return;
    }
    const { port, accepted } = listening;
    const client = await connect(port, '::1');
    await accepted[0];
    const { watcher, done } = newWatcher(port);
    const rows = await watcher.refresh();
    done();
    assert.deepEqual(rows.map((r) => [r.family, r.local.address, r.state]).sort(), [
      ['inet6', '::1', 'ESTABLISHED'], ['inet6', '::1', 'ESTABLISHED'], ['inet6', '::1', 'LISTEN'],
    ]);
    assert.ok(rows.some((r) => r.local.port === client.localPort));
  });

  it('fires transitions in the order the kernel went through them', async () => {
    const { port, accepted } = await listen();
    const { watcher, done } = newWatcher(port, 20);
    const seen: Transition[] = [];
    const listener = watcher.onDidChange((e) => seen.push(...e.transitions));
    try {
      const client = await connect(port, '127.0.0.1', { allowHalfOpen: true });
      const serverSide = await accepted[0];
      const clientPort = client.localPort!;
      // Each step waits until the polling watcher (not a refresh) has seen the state.
      const seenState = async (state: string) => {
        for (let i = 0; i < 150 && side(port, clientPort)(watcher.rows)?.state !== state; i++) {
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await seenState('ESTABLISHED');
      serverSide.destroy();
      await seenState('FIN_WAIT2');
      client.end();
      await seenState('TIME_WAIT');
      await new Promise((r) => setTimeout(r, 300));
      const story = (local: number, remote: number) => seen
        .filter((t) => t.row.local.port === local && t.row.remote.port === remote)
        .map((t) => (t.kind === 'changed' ? `${t.from}->${t.row.state}` : `${t.kind} ${t.row.state}`));
      assert.deepEqual(story(port, 0), ['appeared LISTEN']);
      // FIN_WAIT1 lasts one round trip on loopback: a poll catches it only on a loaded machine.
      const serverStory = story(port, clientPort);
      assert.deepEqual(serverStory.filter((s) => !s.includes('FIN_WAIT1')),
        serverStory.includes('ESTABLISHED->FIN_WAIT1')
          ? ['appeared ESTABLISHED', 'FIN_WAIT2->TIME_WAIT']
          : ['appeared ESTABLISHED', 'ESTABLISHED->FIN_WAIT2', 'FIN_WAIT2->TIME_WAIT']);
      if (serverStory.includes('ESTABLISHED->FIN_WAIT1')) {
        assert.deepEqual(serverStory.slice(1, 3), ['ESTABLISHED->FIN_WAIT1', 'FIN_WAIT1->FIN_WAIT2']);
      }
      assert.deepEqual(story(clientPort, port).slice(0, 2), ['appeared ESTABLISHED', 'ESTABLISHED->CLOSE_WAIT']);
      assert.equal(story(clientPort, port).at(-1)?.startsWith('gone'), true);
      const times = seen.map((t) => t.at);
      assert.deepEqual(times, [...times].sort((a, b) => a - b), 'timestamps never go back');
    } finally {
      listener.dispose();
      done();
    }
  });
});
