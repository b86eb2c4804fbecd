import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TcpState } from '../../../src/tcp/states';
import { HALF_OPEN_KEEPALIVE } from '../../../src/tcp/sim/scenarios';
import { SCENARIO_IDS, scenarioList, simulate, snapshotAt, type Side, type SimTrace, type TraceEvent } from '../../../src/tcp/sim';
import { isLegalEdge } from '../../../src/tcp/transitions';

type Of<K extends TraceEvent['kind']> = Extract<TraceEvent, { kind: K }>;
const only = <K extends TraceEvent['kind']>(trace: SimTrace, kind: K): Of<K>[] =>
  trace.events.filter((e): e is Of<K> => e.kind === kind);
const statesOf = (trace: SimTrace, side: Side): TcpState[] =>
  ['CLOSE' as TcpState, ...only(trace, 'state-changed').filter((e) => e.side === side).map((e) => e.to)];
const stateBefore = (trace: SimTrace, step: number, side: Side): TcpState => snapshotAt(trace.events, step - 1).states[side];

describe('simulator scenarios', () => {
  it('offers every scenario with a title and a description', () => {
    const list = scenarioList();
    assert.deepEqual(list.map((s) => s.id), [...SCENARIO_IDS]);
    for (const s of list) {
      assert.ok(s.title.length > 0 && s.description.length > 20, s.id);
    }
  });

  for (const id of SCENARIO_IDS) {
    it(`${id}: is labeled a simulation, deterministic, explained, and follows only legal edges`, () => {
      const trace = simulate(id);
      assert.match(trace.events[0].explanation, /^Simulation/);
      assert.deepEqual(simulate(id), trace);
      assert.equal(trace.endedBy, 'quiet');
      for (const [i, e] of trace.events.entries()) {
        assert.equal(e.step, i);
        assert.ok(e.explanation.length > 0, `step ${i} explained`);
        if (i > 0) {
          assert.ok(e.t >= trace.events[i - 1].t, 'time never runs backwards');
        }
        if (e.kind === 'state-changed') {
          assert.ok(isLegalEdge(e.from, e.to), `${e.side} ${e.from} -> ${e.to}`);
        }
      }
    });
  }

  it('lost-final-ack: the FIN is retransmitted and answered from TIME_WAIT', () => {
    const msl = 30_000;
    const trace = simulate('lost-final-ack', { mslMs: msl });
    const lost = only(trace, 'segment-dropped');
    assert.equal(lost.length, 1);
    assert.equal(lost[0].segment.kind, 'ACK');
    assert.equal(lost[0].segment.senderState, 'TIME_WAIT');
    const refin = only(trace, 'segment-sent').find((e) => e.side === 'server' && e.segment.kind === 'FIN' && e.segment.retransmit);
    assert.ok(refin, 'the server retransmits its FIN');
    assert.equal(refin.segment.senderState, 'LAST_ACK');
    const arrival = only(trace, 'segment-received').find((e) => e.side === 'client' && e.segment.id === refin.segment.id);
    assert.ok(arrival?.accepted);
    assert.equal(stateBefore(trace, arrival.step, 'client'), 'TIME_WAIT');
    const answer = only(trace, 'segment-sent').find((e) => e.step > arrival.step && e.side === 'client');
    assert.equal(answer?.segment.kind, 'ACK');
    assert.equal(answer?.segment.senderState, 'TIME_WAIT');
    // The server closes cleanly (no reset, no error) and TIME_WAIT restarts its 2MSL at the FIN.
    assert.deepEqual(statesOf(trace, 'server').slice(-2), ['LAST_ACK', 'CLOSE']);
    assert.equal(only(trace, 'app-error').length, 0);
    const twEnd = only(trace, 'state-changed').find((e) => e.side === 'client' && e.from === 'TIME_WAIT');
    assert.equal(twEnd?.t, arrival.t + 2 * msl);
    assert.deepEqual(trace.final, { client: 'CLOSE', server: 'CLOSE' });
  });

  it('old-duplicate without TIME_WAIT: the stray segment is read by the new connection', () => {
    const trace = simulate('old-duplicate-no-timewait');
    const data = only(trace, 'app-data').filter((e) => e.side === 'server');
    const stale = data.filter((e) => e.incarnation === 2 && e.segmentIncarnation === 1);
    assert.equal(stale.length, 1);
    assert.equal(stale[0].data, 'old');
    assert.ok(!data.some((e) => e.incarnation === 2 && e.data === 'new'), 'the real bytes are discarded as duplicates');
    assert.ok(!statesOf(trace, 'client').some((s, i, all) => s === 'TIME_WAIT' && all[i + 1] !== 'CLOSE'));
  });

  for (const mslMs of [1000, 30_000, 120_000]) {
    it(`old-duplicate with TIME_WAIT (MSL ${mslMs} ms): the new connection waits 2MSL and gets only its own bytes`, () => {
      const trace = simulate('old-duplicate', { mslMs });
      const data = only(trace, 'app-data').filter((e) => e.side === 'server');
      assert.ok(data.every((e) => e.incarnation === e.segmentIncarnation), 'no stale bytes are read');
      assert.deepEqual(data.map((e) => [e.incarnation, e.data]), [[1, 'old'], [2, 'new']]);
      assert.ok(only(trace, 'app-error').some((e) => e.side === 'client' && e.error === 'EADDRINUSE'));
      const twStart = only(trace, 'state-changed').find((e) => e.side === 'client' && e.to === 'TIME_WAIT')!;
      const secondSyn = only(trace, 'segment-sent').filter((e) => e.side === 'client' && e.segment.kind === 'SYN')[1];
      assert.ok(secondSyn.t >= twStart.t + 2 * mslMs, 'the new incarnation starts only after 2MSL');
      const copy = trace.events.find((e) => (e.kind === 'segment-received' || e.kind === 'segment-dropped') && e.segment.copyOf !== undefined);
      assert.ok(copy, 'the stray copy meets its end');
      assert.ok(copy.t < secondSyn.t, 'before the new connection exists');
      assert.ok(copy.kind === 'segment-dropped' || (copy.kind === 'segment-received' && !copy.accepted));
    });
  }

  it('half-open with keepalive: the survivor gets ETIMEDOUT after exactly idle + intvl x cnt', () => {
    const trace = simulate('half-open');
    const error = only(trace, 'app-error').find((e) => e.side === 'client');
    assert.equal(error?.error, 'ETIMEDOUT');
    const lastHeard = only(trace, 'segment-received').filter((e) => e.side === 'client' && e.step < error.step).at(-1)!;
    const { idleMs, intvlMs, cnt } = HALF_OPEN_KEEPALIVE;
    assert.equal(error.t - lastHeard.t, idleMs + intvlMs * cnt);
    assert.equal(only(trace, 'segment-sent').filter((e) => e.segment.kind === 'PROBE').length, cnt);
    assert.ok(only(trace, 'app-call').some((e) => e.side === 'server' && e.call === 'crash'));
    assert.equal(only(trace, 'segment-sent').filter((e) => e.side === 'server' && e.segment.kind === 'FIN').length, 0);
    assert.equal(trace.final.client, 'CLOSE');
  });

  it('half-open without keepalive: the survivor never finds out', () => {
    const trace = simulate('half-open-no-keepalive');
    assert.equal(only(trace, 'app-error').length, 0);
    assert.equal(only(trace, 'segment-sent').filter((e) => e.segment.kind === 'PROBE').length, 0);
    assert.equal(trace.final.client, 'ESTABLISHED');
    assert.ok(trace.events.at(-1)!.t >= 2 * 3_600_000);
  });

  it('simultaneous-close: both sides pass through CLOSING and TIME_WAIT', () => {
    const trace = simulate('simultaneous-close');
    for (const side of ['client', 'server'] as const) {
      assert.deepEqual(statesOf(trace, side).slice(-5), ['ESTABLISHED', 'FIN_WAIT1', 'CLOSING', 'TIME_WAIT', 'CLOSE'], side);
    }
  });

  it('linger-reset: RST instead of FIN, no TIME_WAIT, the peer gets ECONNRESET', () => {
    const trace = simulate('linger-reset');
    const sent = only(trace, 'segment-sent');
    assert.ok(sent.some((e) => e.side === 'server' && e.segment.kind === 'RST'));
    assert.ok(!sent.some((e) => e.segment.kind === 'FIN'));
    assert.ok(!only(trace, 'state-changed').some((e) => e.to === 'TIME_WAIT'));
    assert.deepEqual(only(trace, 'app-error').map((e) => [e.side, e.error]), [['client', 'ECONNRESET']]);
    assert.equal(only(trace, 'app-eof').length, 0);
    // The reply sent before the reset still arrives first, as a small reply does on loopback.
    assert.ok(only(trace, 'app-data').some((e) => e.side === 'client' && e.data.startsWith('error')));
  });

  it('normal-close: the client waits 2MSL in TIME_WAIT, the server goes through LAST_ACK', () => {
    const trace = simulate('normal-close', { mslMs: 5000 });
    assert.deepEqual(statesOf(trace, 'client'), ['CLOSE', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE']);
    assert.deepEqual(statesOf(trace, 'server'), ['CLOSE', 'LISTEN', 'SYN_RECV', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSE']);
    const changes = only(trace, 'state-changed').filter((e) => e.side === 'client');
    const tw = changes.find((e) => e.to === 'TIME_WAIT')!;
    const closed = changes.find((e) => e.from === 'TIME_WAIT')!;
    assert.equal(closed.t - tw.t, 10_000);
    const timerSet = only(trace, 'timer-set').find((e) => e.side === 'client' && e.timer === 'time-wait')!;
    assert.equal(snapshotAt(trace.events, timerSet.step).timers.client.find((x) => x.timer === 'time-wait')?.fireAt, closed.t);
    assert.equal(snapshotAt(trace.events, closed.step).timers.client.length, 0);
  });
});
