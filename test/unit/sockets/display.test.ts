import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as net from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rowToJson } from '../../../src/sockets/json';
import { parsePorts } from '../../../src/sockets/ports';
import { parseProcNetTcp } from '../../../src/sockets/procNetTcp';
import { summarize } from '../../../src/sockets/summary';
import { LiveFrame, renderTable, secondsLeft } from '../../../src/sockets/table';
import { fixture } from './fixtures';

const ROWS = parseProcNetTcp(fixture('linux-tcp.txt'), 'inet').rows;
const CLI = join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');

describe('watch display helpers', () => {
  it('parses port lists and explains mistakes', () => {
    assert.deepEqual(parsePorts('7865, 8080 7865;9000'), { ports: [7865, 8080, 9000] });
    assert.ok('error' in parsePorts(''));
    assert.ok('error' in parsePorts('80, 70000'));
    assert.ok('error' in parsePorts('http'));
  });

  it('keeps the JSON row to the DESIGN.md contract keys, in order', () => {
    const json = rowToJson(ROWS[0]);
    assert.deepEqual(Object.keys(json), ['family', 'local', 'remote', 'state', 'timer', 'retransmits', 'probes', 'rxQueue', 'txQueue', 'inode', 'pid', 'process']);
  });

  it('summarizes by state per watched port', () => {
    assert.equal(summarize(ROWS, [35311, 1]), '35311: 1 LISTEN · 2 ESTABLISHED · 2 FIN_WAIT2 · 2 CLOSE_WAIT · 1 TIME_WAIT  1: –');
  });

  it('renders state, countdown, owner and meaning, cut to the width', () => {
    const timeWait = ROWS.find((r) => r.state === 'TIME_WAIT')!;
    const view = { rows: ROWS, ports: [35311], at: 1_000_000, now: 1_002_000, hasTimers: true, configuredIntervalMs: 100, effectiveIntervalMs: 100, color: false, width: 300 };
    const lines = renderTable(view);
    assert.equal(secondsLeft(timeWait, view.at, view.now)?.toFixed(2), '57.69');
    const line = lines.find((l) => l.startsWith('TIME_WAIT'))!;
    assert.match(line, /timewait 57\.7 s/);
    assert.match(line, /\(kernel\)/);
    assert.match(line, /2MSL/);
    assert.match(lines.find((l) => l.startsWith('CLOSE_WAIT'))!, /has not called close\(\)/);
    const narrow = renderTable({ ...view, color: true, width: 40 });
    const visible = (l: string) => l.split('\x1b[').map((part, i) => (i === 0 ? part : part.replace(/^[0-9;]*m/, ''))).join('');
    assert.ok(narrow.every((l) => visible(l).length <= 40));
    assert.match(renderTable({ ...view, effectiveIntervalMs: 800 })[0], /stretched from 100 ms/);
  });

  it('redraws in place by moving back over the previous frame', () => {
    const frame = new LiveFrame('\r\n');
    assert.equal(frame.render(['a', 'b']), '\x1b[Ja\r\nb\r\n');
    assert.equal(frame.render(['c']), '\x1b[2F\x1b[Jc\r\n');
  });
});

describe('socket-lifecycle watch (built dist/cli.js, real kernel)', { skip: process.platform !== 'linux' && 'Linux only' }, () => {
  const run = (args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile('node', [CLI, 'watch', ...args], { timeout: 10_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });

  it('prints our listener as JSON rows with --once --json', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const { code, stdout } = await run(['--port', String(port), '--once', '--json']);
      assert.equal(code, 0);
      const rows = JSON.parse(stdout);
      assert.equal(rows.length, 1);
      assert.deepEqual([rows[0].state, rows[0].local.port, rows[0].pid], ['LISTEN', port, process.pid]);
    } finally {
      server.close();
    }
  });

  it('rejects a bad port with exit 2', async () => {
    const { code, stderr } = await run(['--port', '99999', '--once']);
    assert.equal(code, 2);
    assert.match(stderr, /not a port/);
  });

  it('streams transitions as JSON lines until interrupted', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const child = execFile('node', [CLI, 'watch', '--port', String(port), '--json', '--interval', '50']);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    await new Promise((r) => setTimeout(r, 600));
    const client = net.connect(port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 600));
    client.destroy();
    server.close();
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 0);
    const events = out.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(events[0].kind, 'appeared');
    assert.equal(events[0].row.state, 'LISTEN');
    assert.ok(events.some((e) => e.kind === 'appeared' && e.row.state === 'ESTABLISHED'), out);
  });
});
