// Socket watcher benchmark (Linux): on one table of ~20,000 loopback TIME_WAIT sockets, compares
// one watcher poll (read + parse + filter + diff) with a bare read of /proc/net/tcp{,6} and with
// spawning `ss -tan` / `netstat -tan`, and measures the watcher's own CPU use at 1,000 and 20,000
// sockets. Sockets are made by a child process (so its work is not counted here), 2,500 per
// listener so that reused client ports rarely hit an older TIME_WAIT; TIME_WAIT rows hold no fd
// and the kernel drops them after 60 s. Every figure is printed as a ratio against its peer.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as net from 'node:net';
import { createInterface } from 'node:readline';
import { PROC_NET_TCP_FILES } from '../src/sockets/procNetTcp';
import { ProcNetTcpSource, readProcFile } from '../src/sockets/reader';
import { SocketWatcher } from '../src/sockets/watcher';

const PER_LISTENER = 2500;
const CONCURRENCY = 64;

/** Child side: `make N` lines on stdin, answers `made PORTS_JSON`; stdin closing ends it. */
async function childMain(): Promise<void> {
  const servers: net.Server[] = [];
  const ports: number[] = [];
  let onCurrent = PER_LISTENER;
  let current: Promise<number> = Promise.resolve(0);
  // Synchronous bookkeeping: concurrent workers share one pending listener.
  const listener = (): Promise<number> => {
    if (onCurrent >= PER_LISTENER) {
      onCurrent = 0;
      current = new Promise<number>((resolve) => {
        const server = net.createServer((s) => s.destroy()); // the server closes first: TIME_WAIT on its side
        server.listen(0, '127.0.0.1', 4096, () => {
          servers.push(server);
          ports.push((server.address() as net.AddressInfo).port);
          resolve(ports[ports.length - 1]);
        });
      });
    }
    onCurrent++;
    return current;
  };
  const one = async () => {
    const port = await listener();
    await new Promise<void>((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.on('error', () => resolve());
      c.on('close', () => resolve());
      c.resume();
    });
  };
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const n = Number(line.split(' ')[1]);
    let left = n;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) {
        await one();
      }
    }));
    process.stdout.write(`made ${JSON.stringify(ports)}\n`);
  }
  servers.forEach((s) => s.close());
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(runs: number, f: () => unknown): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await f();
    ms.push(performance.now() - started);
  }
  return median(ms);
}

function spawnTime(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile(file, args, { maxBuffer: 256 * 1024 * 1024 }, (e) => (e ? reject(e) : resolve())));
}

function ensureTool(file: string, pkg: string): boolean {
  if (spawnSync(file, ['-V']).error === undefined) {
    return true;
  }
  console.log(`installing ${pkg} for ${file} ...`);
  spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { stdio: 'ignore' });
  return spawnSync(file, ['-V']).error === undefined;
}

function tableSize(): number {
  return PROC_NET_TCP_FILES.reduce((n, f) => n + Math.max(0, (readProcFile(f.path) ?? '').split('\n').length - 2), 0);
}

/** CPU of this process while the watcher polls at its default interval, as a share of one core. */
async function watcherCpu(ports: number[], seconds: number): Promise<{ share: number; intervalMs: number; polls: number }> {
  const watcher = new SocketWatcher(new ProcNetTcpSource());
  const sub = watcher.watchPorts(ports);
  let polls = 0;
  const listener = watcher.onDidPoll(() => polls++);
  await new Promise((r) => setTimeout(r, 1500)); // settle: first poll scans pids, cost average warms up
  polls = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const used = process.cpuUsage(cpu);
  const share = (used.user + used.system) / 1000 / (performance.now() - started);
  const intervalMs = watcher.effectiveIntervalMs;
  listener.dispose();
  sub.dispose();
  watcher.dispose();
  return { share, intervalMs, polls };
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

async function main(): Promise<number> {
  if (!existsSync('/proc/net/tcp')) {
    console.log('watcher bench: needs Linux /proc/net/tcp; nothing measured');
    return 1;
  }
  const haveSs = ensureTool('ss', 'iproute2');
  const haveNetstat = ensureTool('netstat', 'net-tools');
  // TIME_WAIT rows of an earlier run would inflate the "1,000" table: let them expire (<= 60 s).
  for (let waited = 0; tableSize() > 2000 && waited < 65; waited++) {
    await new Promise((r) => setTimeout(r, 1000));
  }
  const child = spawn(process.execPath, [__filename, '--make-sockets'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const answers = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const make = async (n: number): Promise<number[]> => {
    child.stdin!.write(`make ${n}\n`);
    const { value } = await answers.next();
    return JSON.parse(String(value).slice(5));
  };
  try {
    let started = performance.now();
    let ports = await make(1000);
    console.log(`made 1,000 TIME_WAIT sockets in ${((performance.now() - started) / 1000).toFixed(1)} s; table: ${tableSize()} rows`);
    const cpu1k = await watcherCpu(ports, 5);

    started = performance.now();
    ports = await make(19_000);
    const rows = tableSize();
    console.log(`made 19,000 more in ${((performance.now() - started) / 1000).toFixed(1)} s on ${ports.length} listeners; table: ${rows} rows`);

    const bareRead = () => PROC_NET_TCP_FILES.map((f) => readProcFile(f.path));
    const watcher = new SocketWatcher(new ProcNetTcpSource(), undefined, { unref: true });
    const sub = watcher.watchPorts(ports);
    await watcher.refresh(); // pid scan and first diff out of the way
    await time(3, bareRead);
    const readMs = await time(15, bareRead);
    const pollMs = await time(15, () => watcher.refresh());
    const matched = watcher.rows.length;
    sub.dispose();
    watcher.dispose();
    const ssMs = haveSs ? await time(7, () => spawnTime('ss', ['-tan'])) : NaN;
    const netstatMs = haveNetstat ? await time(3, () => spawnTime('netstat', ['-tan'])) : NaN;
    const cpu20k = await watcherCpu(ports, 8);

    console.log(`\nwatcher on ${rows} sockets (${matched} on the watched ports), medians:`);
    console.log(`  one poll / bare /proc read       = ${(pollMs / readMs).toFixed(2)}x  (${pollMs.toFixed(1)} ms / ${readMs.toFixed(1)} ms; target <= 1.5x: ${verdict(pollMs / readMs <= 1.5)})`);
    console.log(`  ss -tan / one poll               = ${(ssMs / pollMs).toFixed(2)}x  (${ssMs.toFixed(1)} ms / ${pollMs.toFixed(1)} ms; target >= 2x: ${verdict(ssMs / pollMs >= 2)})`);
    console.log(`  netstat -tan / one poll          = ${(netstatMs / pollMs).toFixed(2)}x  (${netstatMs.toFixed(1)} ms / ${pollMs.toFixed(1)} ms)`);
    for (const [label, c] of [['1,000', cpu1k], ['20,000', cpu20k]] as const) {
      console.log(`  CPU at ${label.padEnd(6)} / 5% budget      = ${(c.share / 0.05).toFixed(2)}x  (${pct(c.share)} of one core, interval ${c.intervalMs} ms, ${c.polls} polls; target <= 1x: ${verdict(c.share <= 0.05)})`);
    }
    return 0;
  } finally {
    child.stdin!.end();
    await new Promise((r) => child.once('exit', r));
  }
}

if (process.argv.includes('--make-sockets')) {
  void childMain();
} else {
  main().then((code) => (process.exitCode = code), (error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
