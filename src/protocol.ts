/**
 * Messages between the panel host (src/panel) and its webview (src/webview).
 *
 * Both sides import this file; only plain JSON crosses. Every handler switches on `type` and
 * ends in a `never` check, so adding a message breaks the build where it is not handled yet.
 * The webview is untrusted: the host accepts nothing that `parseToHost` has not checked.
 * To add a message: add it to the union, add its checker to TO_HOST_CHECKS (host-bound only),
 * then follow the compiler errors.
 */
import type { SocketRow } from './sockets/types';
import type { SimSnapshot } from './tcp/sim/simulation';
import type { Side as SimSide, TraceEvent } from './tcp/sim/types';
import type { StateExplanation, TcpState } from './tcp/states';

/** Tabs of the panel, in the order they are shown. */
export const PANEL_TABS = ['live', 'timeline', 'lessons', 'simulate'] as const;
export type PanelTab = (typeof PANEL_TABS)[number];

/** One edge of the state machine as the diagram draws it. */
export interface DiagramEdge {
  from: TcpState;
  to: TcpState;
  /** What happens: a call (`close()`) or a received segment (`rcv FIN`). */
  event: string;
  /** What the kernel sends in answer (`snd ACK`), or '' when nothing. */
  action: string;
  /** `main` edges are drawn; `abort` edges (resets, timeouts) only where the diagram has room. */
  kind: 'main' | 'abort';
}

/** A state with its localized explanation, for the diagram's details box. */
export interface StateInfo {
  state: TcpState;
  explanation: StateExplanation;
}

/** What a bundled echo program or the lesson engine reported, normalized by the host. */
export interface ProgramEvent {
  /** Epoch milliseconds, on the host's clock. */
  at: number;
  /** Who reported it: 'server', 'client', 'lesson', or a program label. */
  source: string;
  /** bind, listen, accept, connect, recv, send, shutdown, close, setsockopt, error, exit, step. */
  ev: string;
  port?: number;
  ok?: boolean;
  errno?: string;
  bytes?: number;
  /** Endpoints as `address:port`. */
  local?: string;
  peer?: string;
  /** setsockopt: option name and value as text (`SO_LINGER`, `1,0`). */
  option?: string;
  value?: string;
  /** shutdown: SHUT_WR etc.; step: the step's title. */
  text?: string;
}

/** A kernel transition as the timeline keeps it: `from` null = appeared, `to` null = gone. */
export interface TransitionEntry {
  kind: 'transition';
  at: number;
  key: string;
  from: TcpState | null;
  to: TcpState | null;
  row: SocketRow;
}

export interface ProgramEntry {
  kind: 'program';
  event: ProgramEvent;
}

export type TimelineEntry = TransitionEntry | ProgramEntry;

/** Everything the view needs to draw itself from nothing (sent on init and when shown again). */
export interface PanelState {
  /** When the rows were read (epoch ms). */
  at: number;
  rows: SocketRow[];
  /** False where the OS source gives no timers (macOS, Windows netstat). */
  hasTimers: boolean;
  intervalMs: number;
  watchedPorts: number[];
  /** Oldest first, bounded by the host. */
  timeline: TimelineEntry[];
}

/** Host -> view. */
export type ToView =
  | { type: 'init'; strings: UiStrings; states: StateInfo[]; edges: DiagramEdge[]; state: PanelState; tab?: PanelTab }
  | { type: 'state'; state: PanelState }
  | { type: 'update'; at: number; rows?: SocketRow[]; hasTimers?: boolean; watchedPorts?: number[]; entries: TimelineEntry[] }
  | { type: 'showTab'; tab: PanelTab }
  | { type: 'probe'; id: number }
  | { type: 'simulation'; scenarios: SimScenarioView[]; run?: SimRunView; play?: boolean; speed?: number }
  | { type: 'lessons'; lessons: LessonView[]; progress: LessonProgress; run?: LessonRunView; select?: string }
  | { type: 'lessonRun'; run: LessonRunView; progress: LessonProgress };

// ---- the Simulate tab: a model, never the kernel ----

/** A scenario as the picker shows it (title and description localized by the host). */
export interface SimScenarioView {
  id: string;
  title: string;
  description: string;
}

/** One finished simulation run, played step by step in the view. */
export interface SimRunView {
  scenario: string;
  title: string;
  description: string;
  mslMs: number;
  events: TraceEvent[];
  /** snapshots[i]: both endpoints' states and timers after events[0..i]. */
  snapshots: SimSnapshot[];
  final: Record<SimSide, TcpState>;
  endedBy: 'quiet' | 'horizon';
}

// ---- the Lessons tab ----

/** A lesson's script as the view lists it, before any run. */
export interface LessonView {
  id: string;
  title: string;
  summary: string;
  steps: { title: string; actions: string[]; explain: string }[];
}

export type LessonStepStatus = 'pending' | 'waiting' | 'running' | 'passed' | 'failed' | 'skipped';

/** A step of the current run: its state, and expected vs observed once checked. */
export interface LessonStepRun {
  status: LessonStepStatus;
  verdicts: { ok: boolean; expected: string; observed: string }[];
  note?: string;
}

/** The lesson being run (or the last one run) from the panel. */
export interface LessonRunView {
  lesson: string;
  /** True while the engine runs (programs may be alive). */
  running: boolean;
  /** The step whose button performs its actions now; -1 when none. */
  next: number;
  steps: LessonStepRun[];
  runtime?: string;
  ports?: number[];
  passed?: boolean;
  error?: string;
}

/** Per lesson (by id): the steps that held at least once, and how the last full run ended. */
export type LessonProgress = Record<string, { done: number[]; passed?: boolean; runs: number }>;

/** What the view reports about its own DOM when probed (tests and diagnostics). */
export interface ProbeResult {
  tab: string;
  empty: boolean;
  tableRows: { key: string; state: string; timer: string }[];
  markers: { key: string; state: string }[];
  sequences: { key: string; firstFin: string }[];
  /** The Simulate tab, when a run is loaded: step shown, markers, and whether the label is shown. */
  simulation?: { scenario: string; step: number; total: number; states: { client: string; server: string }; labelVisible: boolean; markers: { key: string; state: string }[] };
  /** The Lessons tab: the lesson shown and the status of each of its steps. */
  lesson?: { id: string; statuses: string[] };
}

/** View -> host. */
export type ToHost =
  | { type: 'ready' }
  | { type: 'runLesson'; lesson: string }
  | { type: 'watchPorts'; ports: number[] }
  | { type: 'probeResult'; id: number; result: ProbeResult }
  | { type: 'simulate'; scenario: string; mslMs?: number }
  | { type: 'lessonStep'; lesson: string; step: number }
  | { type: 'lessonStop' }
  | { type: 'lessonReset'; lesson: string };

/** Every string the view shows, localized by the host (vscode.l10n.t) and sent in `init`. */
export interface UiStrings {
  title: string;
  tabLive: string;
  tabTimeline: string;
  diagramLabel: string;
  diagramHint: string;
  stateArrivedBy: string;
  stateEndedBy: string;
  stateDuration: string;
  stateSockets: string;
  markerLabel: string;
  tableLabel: string;
  colLocal: string;
  colRemote: string;
  colState: string;
  colTimer: string;
  colQueues: string;
  colProcess: string;
  filterLabel: string;
  filterPlaceholder: string;
  sortAscending: string;
  sortDescending: string;
  noProcess: string;
  processUnknown: string;
  noTimer: string;
  noTimersPlatform: string;
  timerTimeWait: string;
  timerFinWait2: string;
  timerKeepalive: string;
  timerRetransmit: string;
  timerProbe: string;
  queues: string;
  emptyTitle: string;
  emptyBody: string;
  startLesson: string;
  watchLabel: string;
  watchAdd: string;
  watchRemove: string;
  watching: string;
  rowsShown: string;
  timelineLabel: string;
  timelineEmpty: string;
  laneKernel: string;
  lanePrograms: string;
  appeared: string;
  evRecvEof: string;
  evBytes: string;
  gone: string;
  sequenceTitle: string;
  sequenceNone: string;
  inferredNote: string;
  inferred: string;
  server: string;
  client: string;
  segFin: string;
  segAck: string;
  segRst: string;
  leftInTimeWait: string;
  closedFirst: string;
  peerRow: string;
  // Simulate tab
  tabSimulate: string;
  simLabel: string;
  simLabelDetail: string;
  simScenario: string;
  simMsl: string;
  simLoad: string;
  simPlay: string;
  simPause: string;
  simBack: string;
  simForward: string;
  simRestart: string;
  simSpeed: string;
  simStepOf: string;
  simTime: string;
  simNone: string;
  simEndpoint: string;
  simDropped: string;
  simDuplicate: string;
  simRetransmit: string;
  simTimer: string;
  simSequenceTitle: string;
  simLog: string;
  // Lessons tab
  tabLessons: string;
  lessonsLabel: string;
  lessonPick: string;
  lessonRunStep: string;
  lessonRunning: string;
  lessonStop: string;
  lessonReplay: string;
  lessonExpected: string;
  lessonObserved: string;
  lessonWhy: string;
  lessonDo: string;
  lessonPassed: string;
  lessonFailed: string;
  lessonSkipped: string;
  lessonPending: string;
  lessonDone: string;
  lessonProgress: string;
  lessonFinishedOk: string;
  lessonFinishedBad: string;
  lessonStopped: string;
  lessonRuntime: string;
}

// ---- validation of what the view sends (untrusted input) ----

type Checker = (v: Record<string, unknown>) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isArrayOf = (v: unknown, max: number, item: (x: unknown) => boolean): boolean =>
  Array.isArray(v) && v.length <= max && v.every(item);
/** Only the listed keys (besides `type`) may appear, so junk fields are rejected too. */
const onlyKeys = (v: Record<string, unknown>, keys: readonly string[]): boolean =>
  Object.keys(v).every((k) => k === 'type' || keys.includes(k));

const isProbeRow = (x: unknown): boolean => isObject(x) && onlyKeys(x, ['key', 'state', 'timer'])
  && isText(x.key, 200) && isText(x.state, 40) && isText(x.timer, 200);
const isMarker = (x: unknown): boolean => isObject(x) && onlyKeys(x, ['key', 'state'])
  && isText(x.key, 200) && isText(x.state, 40);
const isSequence = (x: unknown): boolean => isObject(x) && onlyKeys(x, ['key', 'firstFin'])
  && isText(x.key, 200) && isText(x.firstFin, 200);
const isSimProbe = (x: unknown): boolean => isObject(x)
  && onlyKeys(x, ['scenario', 'step', 'total', 'states', 'labelVisible', 'markers'])
  && isText(x.scenario, 60) && isInt(x.step, -1, 1_000_000) && isInt(x.total, 0, 1_000_000)
  && isObject(x.states) && onlyKeys(x.states, ['client', 'server']) && isText(x.states.client, 40) && isText(x.states.server, 40)
  && typeof x.labelVisible === 'boolean' && isArrayOf(x.markers, 2, isMarker);
const isProbeResult = (x: unknown): boolean => isObject(x)
  && onlyKeys(x, ['tab', 'empty', 'tableRows', 'markers', 'sequences', 'simulation', 'lesson'])
  && isText(x.tab, 40) && typeof x.empty === 'boolean'
  && isArrayOf(x.tableRows, 100_000, isProbeRow) && isArrayOf(x.markers, 100_000, isMarker)
  && isArrayOf(x.sequences, 10_000, isSequence)
  && (x.simulation === undefined || isSimProbe(x.simulation))
  && (x.lesson === undefined || (isObject(x.lesson) && onlyKeys(x.lesson, ['id', 'statuses']) && isText(x.lesson.id, 40)
    && isArrayOf(x.lesson.statuses, 100, (s) => isText(s, 20))));

/** Lesson ids are short kebab-case names (`time-wait`). */
export const LESSON_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** Scenario ids are short kebab-case names too (`lost-final-ack`); the host checks the list. */
export const SCENARIO_ID = /^[a-z0-9][a-z0-9-]{0,59}$/;
/** Bounds of the MSL a user may choose in the Simulate tab (ms). */
export const SIM_MSL_MS = { min: 100, max: 600_000 } as const;
/** At most this many ports may be watched from the panel. */
export const MAX_WATCHED_PORTS = 32;

const TO_HOST_CHECKS: { [K in ToHost['type']]: Checker } = {
  ready: (v) => onlyKeys(v, []),
  runLesson: (v) => onlyKeys(v, ['lesson']) && typeof v.lesson === 'string' && LESSON_ID.test(v.lesson),
  watchPorts: (v) => onlyKeys(v, ['ports']) && isArrayOf(v.ports, MAX_WATCHED_PORTS, (p) => isInt(p, 1, 65535)),
  probeResult: (v) => onlyKeys(v, ['id', 'result']) && isInt(v.id, 0, Number.MAX_SAFE_INTEGER) && isProbeResult(v.result),
  simulate: (v) => onlyKeys(v, ['scenario', 'mslMs']) && typeof v.scenario === 'string' && SCENARIO_ID.test(v.scenario)
    && (v.mslMs === undefined || isInt(v.mslMs, SIM_MSL_MS.min, SIM_MSL_MS.max)),
  lessonStep: (v) => onlyKeys(v, ['lesson', 'step']) && typeof v.lesson === 'string' && LESSON_ID.test(v.lesson) && isInt(v.step, 0, 99),
  lessonStop: (v) => onlyKeys(v, []),
  lessonReset: (v) => onlyKeys(v, ['lesson']) && typeof v.lesson === 'string' && LESSON_ID.test(v.lesson),
};

/** True when `v` is a well-formed view -> host message: known type, every field checked. */
export function isToHost(v: unknown): v is ToHost {
  if (!isObject(v) || typeof v.type !== 'string' || !Object.prototype.hasOwnProperty.call(TO_HOST_CHECKS, v.type)) {
    return false;
  }
  return TO_HOST_CHECKS[v.type as ToHost['type']](v);
}

/** The message if valid, else undefined; never throws, whatever arrives. */
export function parseToHost(v: unknown): ToHost | undefined {
  try {
    return isToHost(v) ? v : undefined;
  } catch {
    // A hostile object (throwing getter, proxy) is just invalid.
    return undefined;
  }
}
