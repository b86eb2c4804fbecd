import type { PanelState, TimelineEntry } from '../protocol';
import { rowKey, type SocketRow } from '../sockets/types';

/** `address:port` for display and for keys. IPv6 addresses get brackets. */
export function endpoint(e: { address: string; port: number }): string {
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

/** The key of the other end of the same connection, as it would appear on this machine. */
export function peerKey(row: SocketRow): string {
  return rowKey({ ...row, local: row.remote, remote: row.local });
}

/** One key for both ends of a connection (order-independent). */
export function connectionId(row: SocketRow): string {
  const a = `${row.local.address}:${row.local.port}`;
  const b = `${row.remote.address}:${row.remote.port}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** Older snapshots than this are treated as this old (host and view clocks may differ). */
const MAX_AGE_MS = 120_000;

/** A row plus when the view received it, for countdowns that tick between polls. */
export interface LiveRow {
  key: string;
  row: SocketRow;
  /** performance.now() when this row's timer value was received. */
  receivedAt: number;
}

/** Seconds left on a row's timer at `now` (performance.now()), never below zero. */
export function remainingSeconds(live: LiveRow, now: number): number | undefined {
  const timer = live.row.timer;
  if (!timer) {
    return undefined;
  }
  return Math.max(0, timer.seconds - (now - live.receivedAt) / 1000);
}

/** The view's data: what the host last sent, applied in order. Pure, no DOM. */
export class ViewModel {
  rows = new Map<string, LiveRow>();
  timeline: TimelineEntry[] = [];
  hasTimers = true;
  intervalMs = 100;
  watchedPorts: number[] = [];
  at = 0;
  /** Transitions that arrived since the last render (the diagram lights their edges). */
  fresh: TimelineEntry[] = [];

  constructor(private readonly maxTimeline = 2000) {}

  replace(state: PanelState, now: number): void {
    this.rows.clear();
    this.setRows(state.rows, now, state.at);
    this.timeline = [...state.timeline];
    this.hasTimers = state.hasTimers;
    this.intervalMs = state.intervalMs;
    this.watchedPorts = state.watchedPorts;
    this.at = state.at;
  }

  /**
   * Replaces the rows read at `at` (epoch ms, host clock). Timers count from the read, so a
   * replayed older snapshot does not restart them; the age is clamped against clock skew.
   */
  setRows(rows: readonly SocketRow[], now: number, at = Date.now()): void {
    const age = Math.min(MAX_AGE_MS, Math.max(0, Date.now() - at));
    const next = new Map<string, LiveRow>();
    for (const row of rows) {
      const key = rowKey(row);
      next.set(key, { key, row, receivedAt: now - age });
    }
    this.rows = next;
  }

  addEntries(entries: readonly TimelineEntry[]): void {
    this.timeline.push(...entries);
    this.fresh.push(...entries);
    if (this.timeline.length > this.maxTimeline) {
      this.timeline.splice(0, this.timeline.length - this.maxTimeline);
    }
  }
}
