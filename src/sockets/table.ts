import { l10n } from '../l10n';
import { explainState, type TcpState } from '../tcp/states';
import type { SocketRow } from './types';

/**
 * The live socket table as text lines, shared by the CLI and the VS Code terminal view.
 * Pure: the caller says when "now" is and when the snapshot was taken, so countdowns keep
 * running between polls.
 */
export interface TableView {
  rows: readonly SocketRow[];
  /** Watched ports; empty = every port. */
  ports: readonly number[];
  /** When the snapshot was taken and the moment to draw (ms since the epoch). */
  at: number;
  now: number;
  hasTimers: boolean;
  configuredIntervalMs: number;
  effectiveIntervalMs: number;
  error?: string;
  color: boolean;
  /** False for a one-off print: the header then names the time instead of the interval. */
  live?: boolean;
  /** Terminal width; lines are cut to it so redrawing in place stays aligned. */
  width: number;
}

const ESC = '\x1b[';
const RESET = `${ESC}0m`;
const DIM = `${ESC}2m`;
const BOLD = `${ESC}1m`;

const STATE_COLORS: Readonly<Record<TcpState, string>> = {
  LISTEN: `${ESC}36m`,
  SYN_SENT: `${ESC}34m`,
  SYN_RECV: `${ESC}34m`,
  ESTABLISHED: `${ESC}32m`,
  FIN_WAIT1: `${ESC}35m`,
  FIN_WAIT2: `${ESC}35m`,
  TIME_WAIT: `${ESC}33m`,
  CLOSE: DIM,
  CLOSE_WAIT: `${ESC}31m`,
  LAST_ACK: `${ESC}35m`,
  CLOSING: `${ESC}35m`,
};

/** `127.0.0.1:7865`, `[::1]:7865`. */
export function formatEndpoint(e: { address: string; port: number }): string {
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

/** Seconds left on the row's timer at `now`, counting down from the snapshot. */
export function secondsLeft(row: SocketRow, at: number, now: number): number | undefined {
  return row.timer ? Math.max(0, row.timer.seconds - Math.max(0, now - at) / 1000) : undefined;
}

function owner(row: SocketRow): string {
  if (row.pid !== null) {
    return row.process ? `${row.process} (${row.pid})` : String(row.pid);
  }
  // TIME_WAIT and orphaned FIN_WAIT2 belong to the kernel alone (inode 0 on Linux).
  return row.inode === 0 && (row.state === 'TIME_WAIT' || row.state === 'FIN_WAIT2') ? l10n.t('(kernel)') : '?';
}

/** Rows sorted for reading: by watched port, listeners first, then by the other end. */
export function sortRows(rows: readonly SocketRow[], ports: readonly number[]): SocketRow[] {
  const watched = new Set(ports);
  const portOf = (r: SocketRow) => (watched.size === 0 || watched.has(r.local.port) ? r.local.port : r.remote.port);
  return [...rows].sort((a, b) => portOf(a) - portOf(b)
    || Number(b.state === 'LISTEN') - Number(a.state === 'LISTEN')
    || a.local.port - b.local.port || a.remote.port - b.remote.port || a.local.address.localeCompare(b.local.address));
}

// Color codes (SGR) are the one control sequence a table line holds; they take no columns.
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/y;

function visibleLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    SGR.lastIndex = i;
    const m = SGR.exec(text);
    if (m) {
      i += m[0].length - 1;
    } else {
      length++;
    }
  }
  return length;
}

/** Cuts a line to `width` visible characters, keeping escape sequences intact. */
function cut(line: string, width: number, color: boolean): string {
  if (visibleLength(line) <= width) {
    return line;
  }
  let out = '';
  let visible = 0;
  for (let i = 0; i < line.length && visible < width - 1; i++) {
    SGR.lastIndex = i;
    const m = SGR.exec(line);
    if (m) {
      out += m[0];
      i += m[0].length - 1;
    } else {
      out += line[i];
      visible++;
    }
  }
  return `${out}…${color ? RESET : ''}`;
}

/** The table as lines (no trailing newline), header first. */
export function renderTable(view: TableView): string[] {
  const paint = (code: string, text: string) => (view.color ? `${code}${text}${RESET}` : text);
  const portsText = view.ports.length === 0 ? l10n.t('all ports') : l10n.t('port {ports}', { ports: view.ports.join(', ') });
  const every = view.effectiveIntervalMs > view.configuredIntervalMs
    ? l10n.t('every {ms} ms (stretched from {configured} ms to keep CPU use low)', { ms: view.effectiveIntervalMs, configured: view.configuredIntervalMs })
    : l10n.t('every {ms} ms', { ms: view.effectiveIntervalMs });
  const title = view.live === false
    ? l10n.t('Socket Lifecycle: {ports} at {time}', { ports: portsText, time: new Date(view.at).toLocaleTimeString() })
    : l10n.t('Socket Lifecycle: watching {ports}, {every}', { ports: portsText, every });
  const lines = [paint(BOLD, title)];
  if (view.error) {
    lines.push(paint(`${ESC}31m`, view.error));
  }
  const headers = [l10n.t('STATE'), l10n.t('LOCAL'), l10n.t('REMOTE'), l10n.t('TIMER'), l10n.t('RECV-Q/SEND-Q'), l10n.t('PROCESS'), l10n.t('MEANING')];
  const cells = sortRows(view.rows, view.ports).map((row) => {
    const left = secondsLeft(row, view.at, view.now);
    const timer = left === undefined ? (view.hasTimers ? '-' : l10n.t('n/a')) : `${row.timer!.kind} ${left.toFixed(1)} s`;
    return { state: row.state, texts: [row.state, formatEndpoint(row.local), formatEndpoint(row.remote), timer,
      `${row.rxQueue}/${row.txQueue}`, owner(row), explainState(row.state).meaning] };
  });
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c.texts[i].length)));
  const pad = (texts: string[]) => texts.map((t, i) => (i === texts.length - 1 ? t : t.padEnd(widths[i])));
  lines.push(paint(DIM, pad(headers).join('  ')));
  for (const { state, texts } of cells) {
    const [first, ...rest] = pad(texts);
    lines.push([paint(STATE_COLORS[state], first), ...rest].join('  '));
  }
  if (cells.length === 0) {
    lines.push(paint(DIM, l10n.t('(no sockets on {ports} yet)', { ports: portsText })));
  }
  lines.push(paint(DIM, view.live === false ? l10n.t('{count} sockets', { count: cells.length })
    : l10n.t('{count} sockets · Ctrl+C to stop', { count: cells.length })));
  return lines.map((line) => cut(line, Math.max(20, view.width), view.color));
}

/**
 * Redraws a block of lines in place: moves the cursor back over the previous frame and
 * clears below it. `newline` is '\n' for a real terminal, '\r\n' for a Pseudoterminal.
 */
export class LiveFrame {
  private previous = 0;
  constructor(private readonly newline = '\n') {}

  render(lines: readonly string[]): string {
    const back = this.previous > 0 ? `${ESC}${this.previous}F` : '';
    this.previous = lines.length;
    return `${back}${ESC}J${lines.join(this.newline)}${this.newline}`;
  }
}
