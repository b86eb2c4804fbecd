import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Snapshot, SocketRow, SocketSource } from '../../../src/sockets/types';
import { SocketWatcher } from '../../../src/sockets/watcher';
import type { TcpState } from '../../../src/tcp/states';

function row(localPort: number, remotePort: number, state: TcpState): SocketRow {
  return {
    family: 'inet', local: { address: '127.0.0.1', port: localPort }, remote: { address: '127.0.0.1', port: remotePort },
    state, timer: null, retransmits: 0, probes: 0, rxQueue: 0, txQueue: 0, inode: 1, pid: null, process: null,
  };
}

/** A source that returns scripted tables and counts its reads. */
class FakeSource implements SocketSource {
  readonly name = 'fake';
  reads = 0;
  costMs = 0;
  constructor(public table: SocketRow[] = []) {}
  async read(): Promise<Snapshot> {
    this.reads++;
    if (this.costMs > 0) {
      const until = performance.now() + this.costMs;
      while (performance.now() < until) {
        // burn CPU like an expensive /proc read
      }
    }
    return { at: Date.now(), rows: [...this.table], skipped: 0, hasTimers: true };
  }
}

const settings = (intervalMs: number) => ({ value: { watcher: { intervalMs } } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SocketWatcher (fake source)', () => {
  it('diffs snapshots into appeared, changed and gone, filtering by local OR remote port', async () => {
    const source = new FakeSource([row(7865, 0, 'LISTEN'), row(50000, 7865, 'ESTABLISHED'), row(22, 0, 'LISTEN')]);
    const watcher = new SocketWatcher(source, settings(1000), { unref: true });
    const sub = watcher.watchPorts([7865]);
    assert.equal((await watcher.refresh()).length, 2);
    source.table = [row(7865, 0, 'LISTEN'), row(50000, 7865, 'CLOSE_WAIT'), row(7865, 50001, 'ESTABLISHED')];
    const events: string[] = [];
    const listener = watcher.onDidChange((e) => events.push(...e.transitions.map((t) => `${t.kind}:${t.key}:${t.row.state}`)));
    await watcher.refresh();
    source.table = [row(7865, 0, 'LISTEN')];
    await watcher.refresh();
    assert.deepEqual(events, [
      'changed:127.0.0.1:50000>127.0.0.1:7865:CLOSE_WAIT',
      'appeared:127.0.0.1:7865>127.0.0.1:50001:ESTABLISHED',
      'gone:127.0.0.1:50000>127.0.0.1:7865:CLOSE_WAIT',
      'gone:127.0.0.1:7865>127.0.0.1:50001:ESTABLISHED',
    ]);
    listener.dispose();
    sub.dispose();
    watcher.dispose();
  });

  it('fires only on change and polls only while a port is watched and someone listens', async () => {
    const source = new FakeSource([row(7865, 0, 'LISTEN')]);
    const watcher = new SocketWatcher(source, settings(20), { unref: true });
    let fired = 0;
    const listener = watcher.onDidChange(() => fired++);
    await sleep(80);
    assert.equal(source.reads, 0, 'no port watched: no polling');
    const sub = watcher.watchPorts([7865, 7865, 0, 70000]);
    assert.deepEqual(watcher.watchedPorts, [7865]);
    await sleep(150);
    assert.ok(watcher.isPolling);
    assert.ok(source.reads >= 3, `polled ${source.reads} times`);
    assert.equal(fired, 1, 'the LISTEN row appeared once; later identical polls fire nothing');
    listener.dispose();
    await sleep(40);
    const reads = source.reads;
    await sleep(100);
    assert.ok(source.reads <= reads + 1, 'nobody listens: polling stops');
    assert.equal(watcher.isPolling, false);
    sub.dispose();
    assert.deepEqual(watcher.rows, [], 'an unwatched port leaves the rows silently');
    watcher.dispose();
  });

  it('reference-counts ports and watches all ports on request', async () => {
    const source = new FakeSource([row(1, 0, 'LISTEN'), row(2, 0, 'LISTEN')]);
    const watcher = new SocketWatcher(source, settings(1000), { unref: true });
    const a = watcher.watchPorts([1]);
    const b = watcher.watchPorts([1, 2]);
    b.dispose();
    b.dispose();
    assert.deepEqual(watcher.watchedPorts, [1]);
    assert.equal((await watcher.refresh()).length, 1);
    const all = watcher.watchAllPorts();
    assert.equal((await watcher.refresh()).length, 2);
    all.dispose();
    a.dispose();
    assert.equal((await watcher.refresh()).length, 0);
    watcher.dispose();
  });

  it('stretches its interval so expensive polls stay within 5% of a core', async () => {
    const source = new FakeSource([row(1, 0, 'LISTEN')]);
    source.costMs = 20;
    const watcher = new SocketWatcher(source, settings(20), { unref: true });
    const sub = watcher.watchPorts([1]);
    for (let i = 0; i < 4; i++) {
      await watcher.refresh();
    }
    assert.ok(watcher.effectiveIntervalMs >= 380, `effective ${watcher.effectiveIntervalMs} ms for 20 ms polls`);
    assert.equal(watcher.configuredIntervalMs, 20);
    sub.dispose();
    watcher.dispose();
  });

  it('reports a failing source once, backs off, and recovers', async () => {
    let fail = true;
    const source: SocketSource = {
      name: 'flaky',
      read: async () => {
        if (fail) {
          throw new Error('no table here');
        }
        return { at: Date.now(), rows: [row(1, 0, 'LISTEN')], skipped: 0, hasTimers: false };
      },
    };
    const watcher = new SocketWatcher(source, settings(20), { unref: true });
    const errors: string[] = [];
    const sub = watcher.watchPorts([1]);
    const listener = watcher.onDidFail((e) => errors.push(e.message));
    await watcher.refresh();
    await watcher.refresh();
    assert.deepEqual(errors, ['no table here']);
    assert.ok(watcher.effectiveIntervalMs >= 2000);
    fail = false;
    assert.equal((await watcher.refresh()).length, 1);
    assert.equal(watcher.lastError, undefined);
    assert.equal(watcher.hasTimers, false);
    listener.dispose();
    sub.dispose();
    watcher.dispose();
  });
});
