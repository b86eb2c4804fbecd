import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PanelFeed, MAX_TIMELINE, toEntry } from '../../../src/panel/feed';
import { toProgramEvent } from '../../../src/panel/programEvents';
import type { ToView } from '../../../src/protocol';
import { rowKey, type SocketRow, type Transition } from '../../../src/sockets/types';

const row = (state: SocketRow['state'], port = 7865): SocketRow => ({
  family: 'inet', local: { address: '127.0.0.1', port }, remote: { address: '127.0.0.1', port: 50000 }, state,
  timer: state === 'TIME_WAIT' ? { kind: 'timewait', seconds: 60 } : null, retransmits: 0, probes: 0, rxQueue: 0, txQueue: 0, inode: 0, pid: null, process: null,
});
const changed = (from: SocketRow['state'], to: SocketRow['state'], at = 1000): Transition => ({ kind: 'changed', at, key: rowKey(row(to)), from, row: row(to) });

/** A feed whose timer the test fires by hand. */
function setup() {
  const sent: ToView[] = [];
  let pending: (() => void) | undefined;
  const feed = new PanelFeed((m) => sent.push(m), {
    intervalMs: 100, hasTimers: true,
    schedule: (fn) => { pending = fn; return { dispose: () => { pending = undefined; } }; },
  });
  return { feed, sent, fire: () => pending?.() };
}

describe('PanelFeed', () => {
  it('posts nothing until live, then batches one update per flush', () => {
    const { feed, sent, fire } = setup();
    feed.onWatcher([changed('ESTABLISHED', 'FIN_WAIT2')], [row('FIN_WAIT2')], 1000);
    assert.equal(sent.length, 0);
    feed.setLive(true, false);
    feed.onWatcher([changed('FIN_WAIT2', 'TIME_WAIT', 1100)], [row('TIME_WAIT')], 1100);
    feed.onProgramEvents([toProgramEvent({ ev: 'close' }, 'server', 1101)!]);
    fire();
    assert.equal(sent.length, 1);
    const u = sent[0];
    assert.ok(u.type === 'update');
    assert.deepEqual(u.entries.map((e) => e.kind), ['transition', 'program']);
    assert.equal(u.rows?.[0].state, 'TIME_WAIT');
    assert.equal(feed.snapshot().timeline.length, 3, 'the entry from before going live is kept');
  });

  it('stops posting while hidden and replays the whole state when shown again', () => {
    const { feed, sent, fire } = setup();
    feed.setLive(true, false);
    feed.setLive(false);
    feed.onWatcher([changed('ESTABLISHED', 'CLOSE_WAIT')], [row('CLOSE_WAIT')], 2000);
    fire();
    assert.equal(sent.length, 0);
    feed.setLive(true);
    assert.equal(sent.length, 1);
    assert.ok(sent[0].type === 'state');
    assert.equal(sent[0].state.rows[0].state, 'CLOSE_WAIT');
    assert.equal(sent[0].state.timeline.length, 1);
  });

  it('bounds the timeline', () => {
    const { feed } = setup();
    for (let i = 0; i < MAX_TIMELINE + 50; i++) {
      feed.onWatcher([changed('ESTABLISHED', 'FIN_WAIT2', i)], [], i);
    }
    assert.equal(feed.snapshot().timeline.length, MAX_TIMELINE);
  });

  it('turns appeared / changed / gone into timeline entries', () => {
    const r = row('LISTEN');
    assert.deepEqual([toEntry({ kind: 'appeared', at: 1, key: 'k', row: r }), toEntry({ kind: 'gone', at: 2, key: 'k', row: r })]
      .map((e) => (e.kind === 'transition' ? [e.from, e.to] : [])), [[null, 'LISTEN'], ['LISTEN', null]]);
  });
});

describe('toProgramEvent', () => {
  it('normalizes the echo programs\' JSON events and drops junk', () => {
    const e = toProgramEvent({ t: 5, ev: 'bind', port: 7865, reuse: false, ok: false, errno: 'EADDRINUSE' }, 'server', 1234);
    assert.deepEqual(e, { at: 1234, source: 'server', ev: 'bind', port: 7865, ok: false, errno: 'EADDRINUSE', text: 'SO_REUSEADDR=0' });
    assert.equal(toProgramEvent({ t: 1.7e12, ev: 'close' }, 'c', 1)?.at, 1.7e12);
    assert.deepEqual(toProgramEvent({ ev: 'setsockopt', option: 'SO_LINGER', value: { onoff: 1, linger: 0 } }, 's', 1)?.value, '{"onoff":1,"linger":0}');
    for (const junk of [null, 1, 'bind', { ev: 'rm -rf' }, { ev: 7 }, []]) {
      assert.equal(toProgramEvent(junk, 's', 1), undefined);
    }
  });
});
