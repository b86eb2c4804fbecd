import type { PanelState, ProgramEvent, TimelineEntry, ToView } from '../protocol';
import { type SocketRow, type Transition } from '../sockets/types';
import type { Disposable } from '../util/disposable';

/** How many timeline entries the host keeps (and replays); older ones fall off. */
export const MAX_TIMELINE = 2000;
/** Host-side coalescing of bursts (program events arrive line by line). */
export const FLUSH_DELAY_MS = 16;

export interface FeedOptions {
  intervalMs: number;
  hasTimers: boolean;
  /** Schedules `fn` once after `ms`; injectable so tests run without timers. */
  schedule?: (fn: () => void, ms: number) => Disposable;
}

/** Converts one watcher transition into the timeline's form. */
export function toEntry(t: Transition): TimelineEntry {
  switch (t.kind) {
    case 'appeared':
      return { kind: 'transition', at: t.at, key: t.key, from: null, to: t.row.state, row: t.row };
    case 'changed':
      return { kind: 'transition', at: t.at, key: t.key, from: t.from, to: t.row.state, row: t.row };
    case 'gone':
      return { kind: 'transition', at: t.at, key: t.key, from: t.row.state, to: null, row: t.row };
    default: {
      const never: never = t;
      throw new Error(`unknown transition ${JSON.stringify(never)}`);
    }
  }
}

const defaultSchedule = (fn: () => void, ms: number): Disposable => {
  const handle = setTimeout(fn, ms);
  return { dispose: () => clearTimeout(handle) };
};

/**
 * The host's model of what the view shows: latest rows, a bounded timeline, watched ports.
 * It always records; it posts only while the view is ready and visible, batching what
 * arrives within FLUSH_DELAY_MS into one `update`, and replays a full `state` when the
 * view becomes visible again. Pure: the VS Code side feeds it and gives it a sink.
 */
export class PanelFeed implements Disposable {
  private rows: SocketRow[] = [];
  private at = Date.now();
  private hasTimers: boolean;
  private intervalMs: number;
  private watchedPorts: number[] = [];
  private readonly timeline: TimelineEntry[] = [];
  private pending: TimelineEntry[] = [];
  private rowsDirty = false;
  private portsDirty = false;
  private flushTimer: Disposable | undefined;
  private live = false;
  private readonly schedule: (fn: () => void, ms: number) => Disposable;

  constructor(private readonly sink: (message: ToView) => void, options: FeedOptions) {
    this.hasTimers = options.hasTimers;
    this.intervalMs = options.intervalMs;
    this.schedule = options.schedule ?? defaultSchedule;
  }

  /** The full state, as `init` and `state` carry it (also the integration tests' hook). */
  snapshot(): PanelState {
    return {
      at: this.at, rows: this.rows, hasTimers: this.hasTimers, intervalMs: this.intervalMs,
      watchedPorts: this.watchedPorts, timeline: [...this.timeline],
    };
  }

  /**
   * Whether messages reach the view: it said `ready` and its panel is visible. Going live
   * replays the whole state unless the caller has just sent it (`init`).
   */
  setLive(live: boolean, replay = true): void {
    const wasLive = this.live;
    this.live = live;
    if (live && !wasLive && replay) {
      // Whatever happened while hidden is already in the snapshot: replay it whole.
      this.clearPending();
      this.sink({ type: 'state', state: this.snapshot() });
    } else if (live && !wasLive) {
      this.clearPending();
    } else if (!live) {
      this.clearPending();
    }
  }

  /** Rows plus the transitions of one watcher poll. */
  onWatcher(transitions: readonly Transition[], rows: readonly SocketRow[], at = Date.now(), hasTimers?: boolean): void {
    this.rows = [...rows];
    this.at = at;
    this.rowsDirty = true;
    if (hasTimers !== undefined && hasTimers !== this.hasTimers) {
      this.hasTimers = hasTimers;
    }
    this.append(transitions.map(toEntry));
  }

  onProgramEvents(events: readonly ProgramEvent[]): void {
    this.append(events.map((event) => ({ kind: 'program', event })));
  }

  setWatchedPorts(ports: readonly number[]): void {
    this.watchedPorts = [...ports].sort((a, b) => a - b);
    this.portsDirty = true;
    this.kick();
  }

  setIntervalMs(ms: number): void {
    this.intervalMs = ms;
  }

  /** Posts the batched update now (tests call it; the timer calls it otherwise). */
  flush(): void {
    this.flushTimer?.dispose();
    this.flushTimer = undefined;
    if (!this.live || (!this.rowsDirty && !this.portsDirty && this.pending.length === 0)) {
      return;
    }
    const message: ToView = { type: 'update', at: this.at, entries: this.pending };
    if (this.rowsDirty) {
      message.rows = this.rows;
      message.hasTimers = this.hasTimers;
    }
    if (this.portsDirty) {
      message.watchedPorts = this.watchedPorts;
    }
    this.pending = [];
    this.rowsDirty = false;
    this.portsDirty = false;
    this.sink(message);
  }

  private append(entries: TimelineEntry[]): void {
    this.timeline.push(...entries);
    if (this.timeline.length > MAX_TIMELINE) {
      this.timeline.splice(0, this.timeline.length - MAX_TIMELINE);
    }
    if (this.live) {
      this.pending.push(...entries);
    }
    this.kick();
  }

  private kick(): void {
    if (this.live && !this.flushTimer) {
      this.flushTimer = this.schedule(() => this.flush(), FLUSH_DELAY_MS);
    }
  }

  private clearPending(): void {
    this.flushTimer?.dispose();
    this.flushTimer = undefined;
    this.pending = [];
    this.rowsDirty = false;
    this.portsDirty = false;
  }

  dispose(): void {
    this.clearPending();
    this.live = false;
  }
}
