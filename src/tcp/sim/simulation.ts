import { l10n } from '../../l10n';
import type { TcpState } from '../states';
import { Endpoint, type EndpointHost, type OutSegment } from './endpoint';
import { segmentKind, Wire } from './network';
import { seededRandom } from './random';
import type { AppStep, Segment, Side, SimSetup, SimTrace, TimerKind, TraceEvent, TraceEventBody } from './types';
import { duration, sideName, stateName } from './words';

const SIDES: Side[] = ['server', 'client'];
/** A run that produces more events than this is cut off as stuck. */
const MAX_EVENTS = 20_000;

interface Pending {
  t: number;
  order: number;
  run: () => void;
}

/**
 * Runs one setup to the end: a discrete-event loop over simulated milliseconds, so the same
 * setup (and seed) always gives the same trace, and hours of TIME_WAIT cost nothing.
 */
export function runSimulation(setup: SimSetup, scenario?: string): SimTrace {
  return new Simulation(setup, scenario).run();
}

class Simulation implements EndpointHost {
  private t = 0;
  private order = 0;
  private readonly queue: Pending[] = [];
  private readonly events: TraceEvent[] = [];
  private readonly endpoints: Record<Side, Endpoint>;
  private readonly timers: Record<Side, Map<TimerKind, number>> = { client: new Map(), server: new Map() };
  private timerGeneration = 0;
  private segmentId = 0;
  private readonly wire: Wire;
  private readonly triggerCounts = new Map<string, number>();
  private readonly firedSteps = new Set<AppStep>();
  private readonly waitingToConnect: Record<Side, boolean> = { client: false, server: false };

  constructor(private readonly setup: SimSetup, private readonly scenario?: string) {
    this.endpoints = {
      client: new Endpoint('client', setup.endpoints.client, this),
      server: new Endpoint('server', setup.endpoints.server, this),
    };
    const random = setup.random ? seededRandom(setup.random.seed) : undefined;
    this.wire = new Wire(setup.latencyMs, setup.rules, setup.random, random);
  }

  run(): SimTrace {
    for (const sentence of this.setup.intro ?? []) {
      this.record({ kind: 'note', explanation: sentence });
    }
    SIDES.forEach((side) => this.trigger(side, 'start'));
    let endedBy: 'quiet' | 'horizon' = 'quiet';
    while (this.queue.length > 0) {
      const next = this.queue.shift()!;
      if (next.t > this.setup.horizonMs || this.events.length > MAX_EVENTS) {
        endedBy = 'horizon';
        break;
      }
      this.t = next.t;
      next.run();
    }
    // Stale (cancelled) timers advance the clock without events; the end follows the last event.
    const lastEvent = this.events[this.events.length - 1]?.t ?? 0;
    this.t = Math.max(lastEvent, this.setup.observeUntilMs ?? 0);
    const final = { client: this.endpoints.client.state, server: this.endpoints.server.state };
    this.record({
      kind: 'end', states: final, endedBy,
      explanation: this.setup.outro ?? l10n.t('End of the simulation after {t}: the client is {client}, the server is {server}.',
        { t: duration(this.t), client: stateName(final.client), server: stateName(final.server) }),
    });
    return { scenario: this.scenario, mslMs: this.setup.mslMs, events: this.events, final, endedBy };
  }

  // ---- EndpointHost ----------------------------------------------------------------------

  now(): number {
    return this.t;
  }

  transmit(from: Side, out: OutSegment, explanation: string): void {
    const endpoint = this.endpoints[from];
    const flags = { syn: !!out.syn, ack: !!out.ack, fin: !!out.fin, rst: !!out.rst, data: out.data ?? '' };
    const segment: Segment = {
      id: ++this.segmentId, from, to: from === 'client' ? 'server' : 'client',
      kind: segmentKind({ ...flags, probe: out.probe }), ...flags,
      seq: out.seq, ackNo: out.ack ? out.ackNo ?? 0 : 0,
      incarnation: endpoint.incarnation, retransmit: !!out.retransmit, senderState: endpoint.state, sentAt: this.t,
    };
    this.record({ kind: 'segment-sent', side: from, segment, explanation });
    const fate = this.wire.fate(segment);
    if (fate.drop) {
      this.at(this.t + this.setup.latencyMs / 2, () => this.record({
        kind: 'segment-dropped', side: from, segment, reason: fate.drop,
        explanation: fate.drop === 'scenario'
          ? l10n.t('The network loses this {kind}: the scenario drops it on purpose.', { kind: segment.kind })
          : l10n.t('The network loses this {kind} (random fault).', { kind: segment.kind }),
      }));
      return;
    }
    if (fate.extraByRule > 0) {
      this.record({
        kind: 'segment-delayed', side: from, segment, delayMs: fate.extraByRule,
        explanation: l10n.t('The network holds this {kind} back for {ms} (a slow path or a queue somewhere).', { kind: segment.kind, ms: duration(fate.extraByRule) }),
      });
    }
    this.at(this.t + fate.delayMs, () => this.deliver(segment));
    if (fate.copyDelayMs !== undefined) {
      const copy: Segment = { ...segment, id: ++this.segmentId, copyOf: segment.id };
      this.record({
        kind: 'segment-duplicated', side: from, segment, copy,
        explanation: l10n.t('The network duplicates this {kind}: one copy goes on normally, the other wanders for {ms} more (a routing loop, a retransmitting link).',
          { kind: segment.kind, ms: duration(fate.copyDelayMs) }),
      });
      this.at(this.t + this.setup.latencyMs + fate.copyDelayMs, () => this.deliver(copy));
    }
  }

  setTimer(side: Side, timer: TimerKind, ms: number, explanation: string): void {
    const generation = ++this.timerGeneration;
    this.timers[side].set(timer, generation);
    this.record({ kind: 'timer-set', side, timer, ms, fireAt: this.t + ms, explanation });
    this.at(this.t + ms, () => {
      if (this.timers[side].get(timer) !== generation) {
        return;
      }
      this.timers[side].delete(timer);
      this.record({ kind: 'timer-fired', side, timer, explanation: timerFired(side, timer) });
      this.endpoints[side].onTimer(timer);
    });
  }

  cancelTimer(side: Side, timer: TimerKind): void {
    if (this.timers[side].delete(timer)) {
      this.record({ kind: 'timer-cancelled', side, timer, explanation: l10n.t('{who} stops its {timer} timer: it is no longer needed.', { who: sideName(side), timer }) });
    }
  }

  isArmed(side: Side, timer: TimerKind): boolean {
    return this.timers[side].has(timer);
  }

  record(body: TraceEventBody): void {
    const event = { ...body, step: this.events.length, t: this.t } as TraceEvent;
    this.events.push(event);
    if (event.kind === 'state-changed') {
      this.trigger(event.side, event.to);
      if (event.to === 'CLOSE' && this.waitingToConnect[event.side]) {
        this.waitingToConnect[event.side] = false;
        this.at(this.t, () => this.act(event.side, { when: 'CLOSE', action: 'connect' }, true));
      }
    } else if (event.kind === 'app-eof') {
      this.trigger(event.side, 'eof');
    }
  }

  // ---- internals -------------------------------------------------------------------------

  private deliver(segment: Segment): void {
    const to = this.endpoints[segment.to];
    if (this.t - segment.sentAt > this.setup.mslMs) {
      this.record({
        kind: 'segment-dropped', side: segment.from, segment, reason: 'expired',
        explanation: l10n.t('This {kind} has been in the network longer than the MSL ({msl}) and dies there: no segment outlives the MSL.', { kind: segment.kind, msl: duration(this.setup.mslMs) }),
      });
      return;
    }
    if (to.down) {
      this.record({
        kind: 'segment-dropped', side: segment.from, segment, reason: 'host-down',
        explanation: l10n.t('This {kind} reaches a host that is gone: nobody answers, not even with RST.', { kind: segment.kind }),
      });
      return;
    }
    to.receive(segment);
  }

  private trigger(side: Side, when: AppStep['when']): void {
    const key = `${side}:${when}`;
    const count = (this.triggerCounts.get(key) ?? 0) + 1;
    this.triggerCounts.set(key, count);
    for (const step of this.setup.programs[side]) {
      if (step.when !== when || (!step.repeat && this.firedSteps.has(step)) || (step.occurrence ?? 1) > count) {
        continue;
      }
      if (!step.repeat && (step.occurrence ?? 1) !== count) {
        continue;
      }
      this.firedSteps.add(step);
      this.at(this.t + (step.delayMs ?? 0), () => this.act(side, step, false));
    }
  }

  private act(side: Side, step: AppStep, retry: boolean): void {
    const endpoint = this.endpoints[side];
    if (endpoint.down || (step.onlyIn && !step.onlyIn.includes(endpoint.state))) {
      return;
    }
    this.record({ kind: 'app-call', side, call: step.action, explanation: appCall(side, step, retry) });
    switch (step.action) {
      case 'listen':
        return endpoint.listen();
      case 'connect':
        if (endpoint.connect() === 'busy') {
          this.waitingToConnect[side] = true;
        }
        return;
      case 'send':
        return endpoint.send(step.data ?? '');
      case 'close':
        return endpoint.close();
      case 'abort':
        return endpoint.abort();
      case 'crash':
        return endpoint.crash();
    }
  }

  /** Schedules `run` at time `t`; equal times run in the order they were scheduled. */
  private at(t: number, run: () => void): void {
    const item = { t, order: this.order++, run };
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.queue[mid].t <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    this.queue.splice(lo, 0, item);
  }
}

function timerFired(side: Side, timer: TimerKind): string {
  const who = sideName(side);
  switch (timer) {
    case 'retransmit':
      return l10n.t('{who}\'s retransmission timer fires: no ACK arrived in time.', { who });
    case 'time-wait':
      return l10n.t('{who}\'s TIME_WAIT timer (2MSL) fires.', { who });
    case 'keepalive':
      return l10n.t('{who}\'s keepalive timer fires.', { who });
    case 'fin-wait2':
      return l10n.t('{who}\'s FIN_WAIT2 timer fires.', { who });
  }
}

function appCall(side: Side, step: AppStep, retry: boolean): string {
  const who = sideName(side);
  switch (step.action) {
    case 'listen':
      return l10n.t('{who}\'s program calls listen().', { who });
    case 'connect':
      return retry
        ? l10n.t('{who}\'s program tries connect() again on the same 4-tuple now that it is free.', { who })
        : l10n.t('{who}\'s program calls connect().', { who });
    case 'send':
      return l10n.t('{who}\'s program calls send("{data}").', { who, data: step.data ?? '' });
    case 'close':
      return l10n.t('{who}\'s program calls close().', { who });
    case 'abort':
      return l10n.t('{who}\'s program calls close() with SO_LINGER {1, 0}.', { who });
    case 'crash':
      return l10n.t('{who}\'s host vanishes (power cut, cable pulled): it sends no FIN and no RST.', { who });
  }
}

/** The state of both endpoints after `events[0..step]`, with the timers running then. */
export interface SimSnapshot {
  t: number;
  states: Record<Side, TcpState>;
  timers: Record<Side, { timer: TimerKind; fireAt: number }[]>;
}

/** Folds a trace up to and including `step`: what a panel shows while playing it. */
export function snapshotAt(events: readonly TraceEvent[], step: number): SimSnapshot {
  const snap: SimSnapshot = { t: 0, states: { client: 'CLOSE', server: 'CLOSE' }, timers: { client: [], server: [] } };
  for (const e of events.slice(0, step + 1)) {
    snap.t = e.t;
    if (e.kind === 'state-changed') {
      snap.states[e.side] = e.to;
    } else if (e.kind === 'timer-set') {
      snap.timers[e.side] = [...snap.timers[e.side].filter((x) => x.timer !== e.timer), { timer: e.timer, fireAt: e.fireAt }];
    } else if (e.kind === 'timer-fired' || e.kind === 'timer-cancelled') {
      snap.timers[e.side] = snap.timers[e.side].filter((x) => x.timer !== e.timer);
    }
  }
  return snap;
}
