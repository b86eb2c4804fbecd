// Records what the panel host sends its view during a real TIME_WAIT on loopback: the real
// watcher (/proc) feeding the real PanelFeed, plus the program events an echo server and
// client would write. Output: test/fixtures/panel/time-wait.stream.json (a list of ToView
// messages with their offsets in ms). Linux only. Run after `node esbuild.mjs`:
//   node out/test/unit/panel/recordStream.js
import { writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { PanelFeed } from '../../../src/panel/feed';
import { toProgramEvent } from '../../../src/panel/programEvents';
import type { ToView } from '../../../src/protocol';
import { pickSocketSource } from '../../../src/sockets/reader';
import { SocketWatcher } from '../../../src/sockets/watcher';

const ROOT = resolve(__dirname, '../../../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const started = Date.now();
  const recorded: { offsetMs: number; message: ToView }[] = [];
  const watcher = new SocketWatcher(pickSocketSource(), { value: { watcher: { intervalMs: 100 } } });
  const feed = new PanelFeed((message) => recorded.push({ offsetMs: Date.now() - started, message: JSON.parse(JSON.stringify(message)) }),
    { intervalMs: 100, hasTimers: true });
  feed.setLive(true);
  watcher.onDidChange((e) => feed.onWatcher(e.transitions, e.rows, e.transitions[0]?.at ?? Date.now(), watcher.hasTimers));
  const program = (source: string, raw: Record<string, unknown>) => {
    const event = toProgramEvent({ t: Date.now(), ...raw }, source, Date.now());
    if (event) {
      feed.onProgramEvents([event]);
    }
  };

  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const watch = watcher.watchPorts([port]);
  program('server', { ev: 'bind', port, reuse: false, ok: true });
  program('server', { ev: 'listen', port, ok: true });
  await sleep(300);
  const accepted = new Promise<Socket>((r) => server.once('connection', r));
  // allowHalfOpen keeps the client in CLOSE_WAIT until it closes, like an echo client waiting on stdin.
  const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  await new Promise((r) => client.once('connect', r));
  const serverSide = await accepted;
  program('server', { ev: 'accept', local: `127.0.0.1:${port}`, peer: `127.0.0.1:${client.localPort}` });
  await sleep(400);
  // The server closes first (Ctrl+C on the echo server): its side goes FIN_WAIT2, the client's CLOSE_WAIT.
  serverSide.destroy();
  server.close();
  program('server', { ev: 'close', port });
  await sleep(500);
  program('client', { ev: 'recv', bytes: 0 });
  client.destroy();
  program('client', { ev: 'close' });
  await sleep(700);
  program('server', { ev: 'bind', port, reuse: false, ok: false, errno: 'EADDRINUSE' });
  await sleep(300);
  feed.flush();
  watch.dispose();
  watcher.dispose();
  const out = join(ROOT, 'test', 'fixtures', 'panel', 'time-wait.stream.json');
  writeFileSync(out, JSON.stringify({ port, recorded }, null, 1) + '\n');
  console.log(`recorded ${recorded.length} messages on port ${port} into ${out}`);
}

void main();
