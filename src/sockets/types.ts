import type { TcpState } from '../tcp/states';
import type { Disposable } from '../util/disposable';

/** One TCP socket as the kernel reports it; the row of the CLI contract in DESIGN.md. */
export interface SocketRow {
  family: 'inet' | 'inet6';
  local: { address: string; port: number };
  remote: { address: string; port: number };
  state: TcpState;
  /** Pending kernel timer; null when none runs or the platform does not say (macOS, Windows). */
  timer: { kind: TimerKind; seconds: number } | null;
  retransmits: number;
  /** Unanswered keepalive / zero-window probes. */
  probes: number;
  rxQueue: number;
  txQueue: number;
  /** Kernel inode; 0 for TIME_WAIT and orphaned sockets that no process owns. */
  inode: number;
  uid?: number;
  pid: number | null;
  process: string | null;
}

export type TimerKind = 'retransmit' | 'keepalive' | 'timewait' | 'probe';

/** What a parser returns: rows, plus the lines it could not read (never a throw). */
export interface ParseResult {
  rows: SocketRow[];
  skipped: number;
}

/** A whole snapshot of the socket table from one platform source. */
export interface Snapshot {
  /** Milliseconds since the epoch when the read finished. */
  at: number;
  rows: SocketRow[];
  skipped: number;
  /** Whether timers are known on this platform (false on macOS/Windows netstat). */
  hasTimers: boolean;
  /** Milliseconds of this read spent on occasional, self-limited work (the Linux pid scan), not on the table. */
  sideMs?: number;
}

/** One platform's way to read the table (Linux /proc, macOS/Windows netstat). */
export interface SocketSource {
  readonly name: string;
  /** `ports` lets a source filter early; an empty list means every port. */
  read(ports: readonly number[]): Promise<Snapshot>;
}

/** A change between two snapshots, keyed by the 4-tuple. */
export type Transition =
  | { kind: 'appeared'; at: number; key: string; row: SocketRow }
  | { kind: 'changed'; at: number; key: string; from: TcpState; row: SocketRow }
  | { kind: 'gone'; at: number; key: string; row: SocketRow };

/** The watcher's surface that the lab and the panel use. */
export interface SocketWatcherApi extends Disposable {
  /** Rows of the latest snapshot for the watched ports. */
  readonly rows: readonly SocketRow[];
  /** Poll interval actually in use (stretched when polls are expensive). */
  readonly effectiveIntervalMs: number;
  /** Fires once per poll that found changes, with those changes in order. */
  readonly onDidChange: (listener: (e: { transitions: Transition[]; rows: readonly SocketRow[] }) => void) => Disposable;
  /** Adds ports to watch for as long as the returned disposable lives (reference counted). */
  watchPorts(ports: readonly number[]): Disposable;
  /** Polls now (also while paused) and resolves with the fresh rows. */
  refresh(): Promise<readonly SocketRow[]>;
}

/** The 4-tuple key transitions and the panel use: `local -> remote` with addresses and ports. */
export function rowKey(row: SocketRow): string {
  return `${row.local.address}:${row.local.port}>${row.remote.address}:${row.remote.port}`;
}
