import { DEFAULT_SETTINGS } from '../settings';
import { DisposableStore, type Disposable } from '../util/disposable';
import { Emitter } from '../util/emitter';
import { diffRows, keyRows, matchesPorts } from './diff';
import type { SocketRow, SocketSource, SocketWatcherApi, Transition } from './types';

/** The part of our settings the watcher reads; `Config` (src/config.ts) fits it as is. */
export interface WatcherSettings {
  readonly value: { watcher: { intervalMs: number } };
  readonly onDidChange?: (listener: (value: { watcher: { intervalMs: number } }) => unknown) => Disposable;
}

export interface WatcherOptions {
  /** Share of one core the watcher may use (default 0.04); polls that cost more stretch the interval. */
  cpuBudget?: number;
  /** The interval never stretches beyond this. */
  maxIntervalMs?: number;
  /** Let a process exit while the watcher waits (tests, tools); the CLI keeps it referenced. */
  unref?: boolean;
}

/** Every poll's outcome, also when nothing changed (tables redraw their countdowns on it). */
export interface PollEvent {
  at: number;
  rows: readonly SocketRow[];
  transitions: Transition[];
  /** Lines the source could not parse in this poll. */
  skipped: number;
  hasTimers: boolean;
}

const FAILING_INTERVAL_MS = 2000;

/**
 * Polls a SocketSource, keeps the rows of the watched ports, and turns consecutive snapshots
 * into transitions. It polls only while some port is watched AND someone listens; `refresh()`
 * polls on demand at any time. Pure: no `vscode`, so the CLI, the lab and the panel share it.
 */
export class SocketWatcher extends DisposableStore implements SocketWatcherApi {
  private readonly changed = this.register(new Emitter<{ transitions: Transition[]; rows: readonly SocketRow[] }>());
  private readonly polled = this.register(new Emitter<PollEvent>());
  private readonly failed = this.register(new Emitter<Error>());
  private readonly ports = new Map<number, number>();
  private allPorts = 0;
  private current = new Map<string, SocketRow>();
  private currentRows: readonly SocketRow[] = [];
  private baseIntervalMs: number;
  private costMs = 0;
  private polls = 0;
  private lastStart = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private looping = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly cpuBudget: number;
  private readonly maxIntervalMs: number;
  private readonly unref: boolean;

  /** When the latest snapshot was taken (ms since the epoch); 0 before the first poll. */
  snapshotAt = 0;
  /** Whether the source reports timers (false for netstat on macOS and Windows). */
  hasTimers = true;
  /** The latest read's failure (e.g. an unsupported platform), cleared by the next success. */
  lastError: Error | undefined;

  constructor(readonly source: SocketSource, settings: WatcherSettings = { value: DEFAULT_SETTINGS }, options: WatcherOptions = {}) {
    super();
    this.baseIntervalMs = settings.value.watcher.intervalMs;
    // 4%, not 5%: headroom for work a poll leaves behind (garbage collected later).
    this.cpuBudget = options.cpuBudget ?? 0.04;
    this.maxIntervalMs = options.maxIntervalMs ?? 30_000;
    this.unref = options.unref ?? false;
    if (settings.onDidChange) {
      this.register(settings.onDidChange((value) => {
        this.baseIntervalMs = value.watcher.intervalMs;
        this.restartTimer();
      }));
    }
    this.register({ dispose: () => this.stopTimer() });
  }

  get rows(): readonly SocketRow[] {
    return this.currentRows;
  }

  /** Configured interval stretched so that polls take at most `cpuBudget` of the time. */
  get effectiveIntervalMs(): number {
    const stretched = Math.max(this.baseIntervalMs, Math.ceil(this.costMs / this.cpuBudget));
    return Math.min(this.maxIntervalMs, this.lastError ? Math.max(stretched, FAILING_INTERVAL_MS) : stretched);
  }

  /** The interval the settings ask for. */
  get configuredIntervalMs(): number {
    return this.baseIntervalMs;
  }

  /** Smoothed wall time of one poll (read + parse + filter + diff), in ms. */
  get pollCostMs(): number {
    return this.costMs;
  }

  /** Watched ports, ascending; empty while only `watchAllPorts` (or nothing) is active. */
  get watchedPorts(): number[] {
    return [...this.ports.keys()].sort((a, b) => a - b);
  }

  get watchingAllPorts(): boolean {
    return this.allPorts > 0;
  }

  /** Whether the timer is running (some port watched and someone listening). */
  get isPolling(): boolean {
    return this.timer !== undefined || this.looping;
  }

  readonly onDidChange = (listener: (e: { transitions: Transition[]; rows: readonly SocketRow[] }) => void): Disposable =>
    this.listen(this.changed.event(listener));

  /** Fires after every poll, changed or not. Listening keeps the poll running too. */
  readonly onDidPoll = (listener: (e: PollEvent) => void): Disposable => this.listen(this.polled.event(listener));

  /** Fires when reading starts failing or fails differently; `lastError` holds it meanwhile. */
  readonly onDidFail = (listener: (e: Error) => void): Disposable => this.listen(this.failed.event(listener));

  watchPorts(ports: readonly number[]): Disposable {
    const valid = [...new Set(ports)].filter((p) => Number.isInteger(p) && p > 0 && p <= 65535);
    for (const port of valid) {
      this.ports.set(port, (this.ports.get(port) ?? 0) + 1);
    }
    this.update();
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) {
          return;
        }
        disposed = true;
        for (const port of valid) {
          const count = (this.ports.get(port) ?? 1) - 1;
          if (count > 0) {
            this.ports.set(port, count);
          } else {
            this.ports.delete(port);
          }
        }
        this.dropUnwatched();
        this.update();
      },
    };
  }

  /** Watches every port for as long as the returned disposable lives (the CLI without --port). */
  watchAllPorts(): Disposable {
    this.allPorts++;
    this.update();
    let disposed = false;
    return {
      dispose: () => {
        if (!disposed) {
          disposed = true;
          this.allPorts--;
          this.dropUnwatched();
          this.update();
        }
      },
    };
  }

  refresh(): Promise<readonly SocketRow[]> {
    return this.enqueue().then(() => this.currentRows);
  }

  private listen(subscription: Disposable): Disposable {
    this.update();
    return {
      dispose: () => {
        subscription.dispose();
        this.update();
      },
    };
  }

  private portFilter(): Set<number> | undefined {
    if (this.allPorts > 0) {
      return new Set();
    }
    return this.ports.size > 0 ? new Set(this.ports.keys()) : undefined;
  }

  private shouldPoll(): boolean {
    const someoneListens = this.changed.hasListeners || this.polled.hasListeners || this.failed.hasListeners;
    return !this.disposed && someoneListens && this.portFilter() !== undefined;
  }

  /** A port no longer watched leaves the rows silently: it did not close, we stopped looking. */
  private dropUnwatched(): void {
    const filter = this.portFilter() ?? new Set([-1]);
    this.current = new Map([...this.current].filter(([, row]) => matchesPorts(row, filter)));
    this.currentRows = [...this.current.values()];
  }

  private enqueue(): Promise<void> {
    this.chain = this.chain.then(() => this.poll());
    return this.chain;
  }

  private async poll(): Promise<void> {
    if (this.disposed) {
      return;
    }
    const filter = this.portFilter();
    if (filter === undefined) {
      this.current = new Map();
      this.currentRows = [];
      return;
    }
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    this.lastStart = started;
    // A poll's cost is the larger of its wall time and the process CPU it took (GC threads
    // work in parallel, so CPU can exceed wall time).
    const cost = () => {
      const cpu = process.cpuUsage(cpuBefore);
      return Math.max(performance.now() - started, (cpu.user + cpu.system) / 1000);
    };
    try {
      const snapshot = await this.source.read([...filter]);
      const now = this.portFilter() ?? new Set([-1]);
      const after = keyRows(snapshot.rows.filter((r) => matchesPorts(r, now)));
      const transitions = diffRows(this.current, after, snapshot.at);
      this.current = after;
      this.currentRows = [...after.values()];
      this.snapshotAt = snapshot.at;
      this.hasTimers = snapshot.hasTimers;
      this.lastError = undefined;
      // The pid scan limits itself (~1% of a core); the interval answers for the table work.
      this.recordCost(cost() - (snapshot.sideMs ?? 0));
      this.polled.fire({ at: snapshot.at, rows: this.currentRows, transitions, skipped: snapshot.skipped, hasTimers: snapshot.hasTimers });
      if (transitions.length > 0) {
        this.changed.fire({ transitions, rows: this.currentRows });
      }
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      const isNew = this.lastError?.message !== err.message;
      this.lastError = err;
      this.recordCost(cost());
      if (isNew) {
        this.failed.fire(err);
      }
    }
  }

  /** Smooths the cost so one slow poll (a GC, a busy core) does not stretch the interval alone. */
  private recordCost(ms: number): void {
    // The first poll pays one-time costs (compiling the parser, the first pid scan): skip it.
    if (++this.polls === 1) {
      return;
    }
    this.costMs = this.costMs === 0 ? ms : this.costMs * 0.7 + ms * 0.3;
  }

  private update(): void {
    if (this.shouldPoll()) {
      this.schedule();
    } else {
      this.stopTimer();
    }
  }

  private schedule(): void {
    if (this.timer !== undefined || this.looping || !this.shouldPoll()) {
      return;
    }
    const delay = Math.max(0, this.lastStart + this.effectiveIntervalMs - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.looping = true;
      void this.enqueue().finally(() => {
        this.looping = false;
        this.schedule();
      });
    }, delay);
    if (this.unref) {
      this.timer.unref?.();
    }
  }

  private stopTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private restartTimer(): void {
    this.stopTimer();
    this.schedule();
  }
}
