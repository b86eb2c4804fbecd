import type { TcpState } from '../states';

/** The two endpoints of the one simulated 4-tuple. */
export type Side = 'client' | 'server';

/** What a segment is for, derived from its flags; schedules name segments by it. */
export type SegmentKind = 'SYN' | 'SYN-ACK' | 'ACK' | 'DATA' | 'FIN' | 'RST' | 'PROBE';

/** One TCP segment on the simulated wire. Sequence numbers are plain integers (no wrap). */
export interface Segment {
  /** Unique in a run; a duplicated copy gets its own id and names the original in `copyOf`. */
  id: number;
  copyOf?: number;
  from: Side;
  to: Side;
  kind: SegmentKind;
  syn: boolean;
  ack: boolean;
  fin: boolean;
  rst: boolean;
  seq: number;
  /** Acknowledgment number; meaningful only when `ack` is set. */
  ackNo: number;
  data: string;
  /** Which opening (listen or connect) of this 4-tuple at the sender produced it, from 1. */
  incarnation: number;
  retransmit: boolean;
  /** The sender's state when it sent the segment. */
  senderState: TcpState;
  /** Simulated time it left the sender, ms. */
  sentAt: number;
}

/** Errors a program sees from its socket calls, named as errno. */
export type AppError = 'ECONNRESET' | 'ETIMEDOUT' | 'ECONNREFUSED' | 'EADDRINUSE' | 'ENOTCONN' | 'EPIPE';

export type TimerKind = 'retransmit' | 'time-wait' | 'keepalive' | 'fin-wait2';

/** Why the network did not deliver a segment. */
export type DropReason = 'scenario' | 'random' | 'host-down' | 'expired';

interface Base {
  /** Index in the trace, from 0. */
  step: number;
  /** Simulated time, ms since the start. */
  t: number;
  /** One sentence for a learner about what happened and why. */
  explanation: string;
}

/** One thing that happened, in time order; a panel plays these one by one. */
export type TraceEvent = Base & (
  | { kind: 'note'; side?: Side }
  | { kind: 'app-call'; side: Side; call: AppAction }
  | { kind: 'segment-sent'; side: Side; segment: Segment }
  | { kind: 'segment-received'; side: Side; segment: Segment; accepted: boolean }
  | { kind: 'segment-dropped'; side: Side; segment: Segment; reason: DropReason }
  | { kind: 'segment-duplicated'; side: Side; segment: Segment; copy: Segment }
  | { kind: 'segment-delayed'; side: Side; segment: Segment; delayMs: number }
  | { kind: 'state-changed'; side: Side; from: TcpState; to: TcpState }
  | { kind: 'timer-set'; side: Side; timer: TimerKind; ms: number; fireAt: number }
  | { kind: 'timer-fired'; side: Side; timer: TimerKind }
  | { kind: 'timer-cancelled'; side: Side; timer: TimerKind }
  | { kind: 'app-error'; side: Side; error: AppError }
  | { kind: 'app-data'; side: Side; data: string; incarnation: number; segmentIncarnation: number }
  | { kind: 'app-eof'; side: Side }
  | { kind: 'end'; states: Record<Side, TcpState>; endedBy: 'quiet' | 'horizon' }
);

export type TraceEventKind = TraceEvent['kind'];

/** What a simulated program can do with its socket. */
export type AppAction = 'listen' | 'connect' | 'send' | 'close' | 'abort' | 'crash';

/**
 * One step of a simulated program: after `when` happens (the run starts, a state is entered,
 * the peer's FIN is read), wait `delayMs`, then act. Fires once unless `repeat`.
 */
export interface AppStep {
  when: 'start' | 'eof' | TcpState;
  delayMs?: number;
  action: AppAction;
  data?: string;
  /** Skip the action when the socket is no longer in one of these states. */
  onlyIn?: TcpState[];
  /** Fire on the nth time `when` happens (from 1) instead of the first. */
  occurrence?: number;
  repeat?: boolean;
}

/** TCP parameters of one endpoint, in ms. */
export interface EndpointConfig {
  /** Initial retransmission timeout; doubles on each retry up to `rtoMaxMs`. */
  rtoMs: number;
  rtoMaxMs: number;
  /** Retransmissions of one segment before giving up (ETIMEDOUT). */
  maxRetries: number;
  /** TIME_WAIT length (2MSL); 0 models a stack that skips TIME_WAIT. */
  timeWaitMs: number;
  /** How long an orphaned FIN_WAIT2 lives (Linux tcp_fin_timeout). */
  finWait2Ms: number;
  keepalive: { idleMs: number; intvlMs: number; cnt: number } | null;
  /** Initial sequence number per incarnation (1-based index - 1); missing ones are derived. */
  isn: number[];
  /** Receive window in bytes. */
  window: number;
}

/** Makes the network drop, delay or duplicate the segments it matches. */
export interface NetworkRule {
  from?: Side;
  kind?: SegmentKind;
  senderState?: TcpState;
  retransmit?: boolean;
  /** Apply only to the nth matching segment (from 1); every match when absent. */
  nth?: number;
  action: 'drop' | 'delay' | 'duplicate';
  /** Extra delay of the segment (delay) or of the copy (duplicate). */
  delayMs?: number;
}

/** Seeded random faults for property tests. */
export interface RandomFaults {
  seed: number;
  /** Probabilities in [0, 1]. */
  drop: number;
  duplicate: number;
  /** Extra delay drawn uniformly from [0, maxDelayMs]. */
  maxDelayMs: number;
}

/** Everything a run needs; scenarios build one of these. */
export interface SimSetup {
  mslMs: number;
  /** One-way latency of the wire. */
  latencyMs: number;
  endpoints: Record<Side, EndpointConfig>;
  programs: Record<Side, AppStep[]>;
  rules: NetworkRule[];
  random?: RandomFaults;
  /** The run stops here even if events remain (the trace then ends with endedBy 'horizon'). */
  horizonMs: number;
  /** Place the closing 'end' event at least this late, to show that nothing more happens. */
  observeUntilMs?: number;
  /** Sentences shown before the first event. */
  intro?: string[];
  /** Sentence for the closing 'end' event; a generic one when absent. */
  outro?: string;
}

/** A finished run. */
export interface SimTrace {
  scenario?: string;
  mslMs: number;
  events: TraceEvent[];
  final: Record<Side, TcpState>;
  endedBy: 'quiet' | 'horizon';
}

/** A trace event before the simulation stamps its step and time. */
export type TraceEventBody = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'step' | 't'> : never) : never;
