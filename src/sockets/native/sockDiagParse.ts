import { TCP_STATES, type TcpState } from '../../tcp/states';
import type { ParseResult, SocketRow, TimerKind } from '../types';

/**
 * Parser for the lines of the sock-diag helper (sockDiag.c, protocol in its header comment):
 * `F ST LADDR LPORT RADDR RPORT TIMER EXPIRES_MS RETRANS PROBES RQ WQ UID INODE` per socket,
 * then `. COUNT` (end of snapshot) or `! ERRNO TEXT` (the dump failed).
 */

/** Kernel state number (1 ESTABLISHED .. 11 CLOSING) to name; the same codes as /proc's `st`. */
const STATES: readonly (TcpState | undefined)[] = [undefined, ...TCP_STATES];

/** The /proc `tr` codes, which inet_diag's idiag_timer shares. */
const TIMERS: readonly (TimerKind | null | undefined)[] = [null, 'retransmit', 'keepalive', 'timewait', 'probe'];

const FIELDS = 14;

/** What one answer of the helper holds: rows, or the errno text of a failed dump. */
export interface SockDiagAnswer extends ParseResult {
  /** Set when the helper reported `! ERRNO TEXT` instead of a snapshot. */
  error?: string;
}

/** The request line for `ports` (empty = every socket; port 0 matches only listeners); `everyMs` asks for a stream. */
export function sockDiagRequest(ports: readonly number[], everyMs = 0): string {
  const words = ports.filter((p) => Number.isInteger(p) && p >= 0 && p < 65536).map(String);
  return `${everyMs > 0 ? `@${Math.round(everyMs)} ` : ''}${words.join(' ')}\n`;
}

/** Whether `text` ends with a complete end-of-snapshot (or error) line. */
export function isCompleteAnswer(text: string): boolean {
  if (!text.endsWith('\n')) {
    return false;
  }
  const last = text.lastIndexOf('\n', text.length - 2) + 1;
  const c = text.charCodeAt(last);
  return c === 46 || c === 33; // '.' or '!'
}

/** Address strings interned: slices of a big answer would keep the whole answer alive. */
const addresses = new Map<string, string>();

function intern(text: string): string {
  let found = addresses.get(text);
  if (found === undefined) {
    found = (' ' + text).slice(1); // a flat copy, detached from the answer text
    if (addresses.size > 4096) {
      addresses.clear();
    }
    addresses.set(found, found);
  }
  return found;
}

/**
 * Reads the row in text[start..end) by scanning it once: 12 decimal fields and two addresses.
 * split(' ') and a number per field cost ~10x more on a 20,000-row answer.
 */
function parseRow(text: string, start: number, end: number): SocketRow | undefined {
  const n: number[] = [];
  let local = '';
  let remote = '';
  let i = start;
  for (let field = 0; field < FIELDS; field++) {
    let j = i;
    while (j < end && text.charCodeAt(j) !== 32) {
      j++;
    }
    if (j === i || (j < end) !== (field < FIELDS - 1)) {
      return undefined; // an empty field, or too few / too many fields
    }
    if (field === 2 || field === 4) {
      const address = intern(text.slice(i, j));
      if (field === 2) {
        local = address;
      } else {
        remote = address;
      }
      n.push(0);
    } else if (j - i > 15) {
      return undefined;
    } else {
      let value = 0;
      for (let k = i; k < j; k++) {
        const c = text.charCodeAt(k) - 48;
        if (c < 0 || c > 9) {
          return undefined;
        }
        value = value * 10 + c;
      }
      n.push(value);
    }
    i = j + 1;
  }
  const family = n[0] === 4 ? 'inet' : n[0] === 6 ? 'inet6' : undefined;
  const state = STATES[n[1]];
  const timerKind = TIMERS[n[6]];
  if (!family || !state || timerKind === undefined || n[3] > 65535 || n[5] > 65535) {
    return undefined;
  }
  return {
    family,
    local: { address: local, port: n[3] },
    remote: { address: remote, port: n[5] },
    state,
    timer: timerKind === null ? null : { kind: timerKind, seconds: n[7] / 1000 },
    retransmits: n[8],
    probes: n[9],
    rxQueue: n[10],
    // For LISTEN the kernel reports the backlog limit here; /proc prints the unsent bytes (0).
    txQueue: state === 'LISTEN' ? 0 : n[11],
    inode: n[13],
    uid: n[12],
    pid: null,
    process: null,
  };
}

/** Parses one answer; lines that are not rows are counted in `skipped`, never thrown. */
export function parseSockDiag(text: string): SockDiagAnswer {
  const rows: SocketRow[] = [];
  let skipped = 0;
  let error: string | undefined;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) {
      end = text.length;
    }
    const lineStart = start;
    start = end + 1;
    const c = text.charCodeAt(lineStart);
    if (end === lineStart || c === 46) {
      continue;
    }
    if (c === 33) {
      error = text.slice(lineStart + 2, end).replace(/^\d+ /, '');
      continue;
    }
    const row = parseRow(text, lineStart, end);
    if (row) {
      rows.push(row);
    } else {
      skipped++;
    }
  }
  return error === undefined ? { rows, skipped } : { rows, skipped, error };
}
