import type { TcpState } from '../tcp/states';
import type { ParseResult, SocketRow, TimerKind } from './types';

/**
 * Parser for Linux `/proc/net/tcp` and `/proc/net/tcp6` (format facts in DOMAIN.md).
 *
 * A data line reads
 * `sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...`;
 * TIME_WAIT rows stop after the inode. Addresses are hex in host byte order, ports plain hex.
 */

/** The files this parser reads, as data: Linux needs no child process. */
export const PROC_NET_TCP_FILES = [
  { path: '/proc/net/tcp', family: 'inet' },
  { path: '/proc/net/tcp6', family: 'inet6' },
] as const;

/** `st` column, index = code (01..0B); 0C NEW_SYN_RECV never appears in the file. */
const STATES: readonly (TcpState | undefined)[] = [
  undefined, 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT',
  'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING',
];

/** `tr` column: 0 means no timer. 3 is also the timer of an orphaned FIN_WAIT2. */
const TIMERS: readonly (TimerKind | null | undefined)[] = [null, 'retransmit', 'keepalive', 'timewait', 'probe'];

/** `tm->when` counts USER_HZ ticks (100 per second), not jiffies. */
const TICKS_PER_SECOND = 100;

/** Longer lines are not the kernel's; refusing them bounds the work on a corrupt input. */
const MAX_LINE = 1024;

export interface ProcNetTcpOptions {
  /** Byte order of the machine that wrote the text; x86 and arm64 Linux are little-endian. */
  littleEndian?: boolean;
  /** Keep only rows whose local or remote port is listed; empty or absent keeps all. */
  ports?: readonly number[];
}

/** Value of the hex digits text[start..end), or -1 if any is not a hex digit (or none). */
function hexSpan(text: string, start: number, end: number): number {
  if (end <= start || end - start > 13) {
    return -1;
  }
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (digit < 0) {
      return -1;
    }
    value = value * 16 + digit;
  }
  return value;
}

/** Decimal digits text[start..end) as a number, or -1. */
function decSpan(text: string, start: number, end: number): number {
  if (end <= start || end - start > 15) {
    return -1;
  }
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      return -1;
    }
    value = value * 10 + (c - 48);
  }
  return value;
}

/** The four bytes of one 32-bit word printed as `%08X` of a host-order value. */
function wordBytes(hex: string, littleEndian: boolean): number[] {
  const value = hexSpan(hex, 0, 8);
  const bytes = [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
  return littleEndian ? bytes.reverse() : bytes;
}

/** Formats 16 bytes the way RFC 5952 wants, with `::ffff:a.b.c.d` for IPv4-mapped addresses. */
export function formatIpv6(bytes: readonly number[]): string {
  const isMapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (isMapped) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) {
    groups.push((bytes[i] << 8) | bytes[i + 1]);
  }
  // Longest run of zero groups (at least two) becomes `::`; the first wins a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) {
      j++;
    }
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) {
    return hex.join(':');
  }
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Address text per hex spelling; a table repeats few addresses many times. */
const addressCache = new Map<string, string>();

function decodeAddress(hex: string, littleEndian: boolean): string | undefined {
  const cacheKey = littleEndian ? hex : `be${hex}`;
  const cached = addressCache.get(cacheKey);
  if (cached !== undefined) {
    return cached;
  }
  if (hexSpan(hex, 0, 8) < 0 || (hex.length === 32 && [8, 16, 24].some((i) => hexSpan(hex, i, i + 8) < 0))) {
    return undefined;
  }
  let address: string;
  if (hex.length === 8) {
    address = wordBytes(hex, littleEndian).join('.');
  } else {
    const bytes: number[] = [];
    for (let i = 0; i < 32; i += 8) {
      bytes.push(...wordBytes(hex.slice(i, i + 8), littleEndian));
    }
    address = formatIpv6(bytes);
  }
  if (addressCache.size > 4096) {
    addressCache.clear();
  }
  addressCache.set(cacheKey, address);
  return address;
}

/** Decodes `0100007F:1F90` (or the 32-digit IPv6 form) into an address and port. */
export function decodeEndpoint(text: string, littleEndian = true): { address: string; port: number } | undefined {
  const colon = text.indexOf(':');
  if ((colon !== 8 && colon !== 32) || text.length !== colon + 5) {
    return undefined;
  }
  const port = hexSpan(text, colon + 1, colon + 5);
  const address = port < 0 ? undefined : decodeAddress(text.slice(0, colon), littleEndian);
  return address === undefined ? undefined : { address, port };
}

/** Start/end offsets of the first `count` space-separated fields (split(/\s+/) is slower). */
function fieldSpans(line: string, count: number): number[] | undefined {
  const spans: number[] = [];
  let i = 0;
  const n = line.length;
  while (spans.length < count * 2) {
    while (i < n && line.charCodeAt(i) === 32) {
      i++;
    }
    if (i >= n) {
      return undefined;
    }
    const start = i;
    while (i < n && line.charCodeAt(i) !== 32) {
      i++;
    }
    spans.push(start, i);
  }
  return spans;
}

/** Two hex numbers `A:B` in line[start..end) (queues, timer), or undefined. */
function hexPair(line: string, start: number, end: number): [number, number] | undefined {
  const colon = line.indexOf(':', start);
  if (colon < 0 || colon >= end) {
    return undefined;
  }
  const a = hexSpan(line, start, colon);
  const b = hexSpan(line, colon + 1, end);
  return a < 0 || b < 0 ? undefined : [a, b];
}

function makeRow(
  family: SocketRow['family'], local: SocketRow['local'], remote: SocketRow['remote'], state: TcpState,
  tx: number, rx: number, timerKind: TimerKind | null, when: number, retransmits: number, uid: number, probes: number, inode: number,
): SocketRow {
  return {
    family,
    local,
    remote,
    state,
    timer: timerKind === null ? null : { kind: timerKind, seconds: when / TICKS_PER_SECOND },
    retransmits,
    probes,
    rxQueue: rx,
    txQueue: tx,
    inode,
    uid,
    pid: null,
    process: null,
  };
}

/** IPv4 address text per host-order value; a table repeats few addresses many times. */
const ipv4Cache = new Map<number, string>();

function ipv4At(text: string, start: number, littleEndian: boolean): string | undefined {
  const value = hexSpan(text, start, start + 8);
  if (value < 0) {
    return undefined;
  }
  const key = littleEndian ? value : -1 - value;
  let address = ipv4Cache.get(key);
  if (address === undefined) {
    const bytes = [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
    address = (littleEndian ? bytes.reverse() : bytes).join('.');
    if (ipv4Cache.size > 4096) {
      ipv4Cache.clear();
    }
    ipv4Cache.set(key, address);
  }
  return address;
}

/**
 * The kernel prints every field up to `retrnsmt` at a fixed width (`%08X:%04X %02X %08X:%08X
 * %02X:%08lX %08X`), so a well-formed row is read at known offsets of text[start..end) without
 * cutting the line out; only uid, timeout and inode are scanned. Returns null when the line
 * does not have that shape (the tokenizer then decides), undefined for bad content, false
 * when neither port is in `ports` (checked first: most rows of a big table are not wanted).
 */
function parseFixed(
  text: string, start: number, end: number, family: SocketRow['family'], littleEndian: boolean, ports: ReadonlySet<number> | undefined,
): SocketRow | undefined | null | false {
  const colon = text.indexOf(':', start);
  const addressLength = family === 'inet' ? 8 : 32;
  const local = colon + 2;
  const remote = local + addressLength + 6;
  const st = remote + addressLength + 6;
  const queues = st + 3;
  const timer = queues + 18;
  const retr = timer + 12;
  const tail = retr + 8;
  if (colon < 0 || end < tail + 6 || text.charCodeAt(colon + 1) !== 32
    || text.charCodeAt(local + addressLength) !== 58 || text.charCodeAt(remote - 1) !== 32
    || text.charCodeAt(remote + addressLength) !== 58 || text.charCodeAt(st - 1) !== 32
    || text.charCodeAt(queues - 1) !== 32 || text.charCodeAt(queues + 8) !== 58
    || text.charCodeAt(timer - 1) !== 32 || text.charCodeAt(timer + 2) !== 58
    || text.charCodeAt(retr - 1) !== 32 || text.charCodeAt(tail) !== 32) {
    return null;
  }
  const localPort = hexSpan(text, local + addressLength + 1, remote - 1);
  const remotePort = hexSpan(text, remote + addressLength + 1, st - 1);
  if (ports && !ports.has(localPort) && !ports.has(remotePort) && localPort >= 0 && remotePort >= 0) {
    return false;
  }
  let slStart = colon;
  while (slStart > start && text.charCodeAt(slStart - 1) !== 32) {
    slStart--;
  }
  if (decSpan(text, slStart, colon) < 0) {
    return undefined;
  }
  const localAddress = family === 'inet' ? ipv4At(text, local, littleEndian) : decodeAddress(text.slice(local, local + 32), littleEndian);
  const remoteAddress = family === 'inet' ? ipv4At(text, remote, littleEndian) : decodeAddress(text.slice(remote, remote + 32), littleEndian);
  const state = STATES[hexSpan(text, st, st + 2)];
  const tx = hexSpan(text, queues, queues + 8);
  const rx = hexSpan(text, queues + 9, queues + 17);
  const timerKind = TIMERS[hexSpan(text, timer, timer + 2)];
  const when = hexSpan(text, timer + 3, timer + 11);
  const retransmits = hexSpan(text, retr, retr + 8);
  // uid, timeout, inode: decimal, space-padded, variable width.
  let i = tail;
  while (i < end && text.charCodeAt(i) === 32) {
    i++;
  }
  let j = i;
  while (j < end && text.charCodeAt(j) !== 32) {
    j++;
  }
  const uid = decSpan(text, i, j);
  for (i = j; i < end && text.charCodeAt(i) === 32; i++) {
    // skip padding
  }
  for (j = i; j < end && text.charCodeAt(j) !== 32; j++) {
    // scan digits
  }
  const probes = decSpan(text, i, j);
  for (i = j; i < end && text.charCodeAt(i) === 32; i++) {
    // skip padding
  }
  for (j = i; j < end && text.charCodeAt(j) !== 32 && text.charCodeAt(j) !== 13; j++) {
    // scan digits
  }
  const inode = decSpan(text, i, j);
  if (localAddress === undefined || remoteAddress === undefined || localPort < 0 || remotePort < 0 || !state
    || tx < 0 || rx < 0 || timerKind === undefined || when < 0 || retransmits < 0 || uid < 0 || probes < 0 || inode < 0) {
    return undefined;
  }
  return makeRow(family, { address: localAddress, port: localPort }, { address: remoteAddress, port: remotePort },
    state, tx, rx, timerKind, when, retransmits, uid, probes, inode);
}

/** Parses one data line; undefined when it is not a well-formed row. */
function parseLine(line: string, family: SocketRow['family'], littleEndian: boolean): SocketRow | undefined {
  // sl, local, remote, st, tx:rx, tr:when, retrnsmt, uid, timeout, inode (TIME_WAIT stops here).
  const f = fieldSpans(line, 10);
  if (!f || line.charCodeAt(f[1] - 1) !== 58 || decSpan(line, f[0], f[1] - 1) < 0) {
    return undefined;
  }
  const localText = line.slice(f[2], f[3]);
  if ((localText.length === 37) !== (family === 'inet6')) {
    return undefined;
  }
  const local = decodeEndpoint(localText, littleEndian);
  const remote = decodeEndpoint(line.slice(f[4], f[5]), littleEndian);
  const state = f[7] - f[6] === 2 ? STATES[hexSpan(line, f[6], f[7])] : undefined;
  const queues = hexPair(line, f[8], f[9]);
  const timer = hexPair(line, f[10], f[11]);
  const timerKind = timer ? TIMERS[timer[0]] : undefined;
  const retransmits = hexSpan(line, f[12], f[13]);
  const uid = decSpan(line, f[14], f[15]);
  const probes = decSpan(line, f[16], f[17]);
  const inode = decSpan(line, f[18], f[19]);
  if (!local || !remote || !state || !queues || !timer || timerKind === undefined
    || retransmits < 0 || uid < 0 || probes < 0 || inode < 0) {
    return undefined;
  }
  return makeRow(family, local, remote, state, queues[0], queues[1], timerKind, timer[1], retransmits, uid, probes, inode);
}

/**
 * Parses the text of `/proc/net/tcp` (`family` 'inet') or `/proc/net/tcp6` ('inet6').
 * Never throws: the header is ignored, anything else that is not a row is counted in `skipped`.
 */
export function parseProcNetTcp(text: string, family: SocketRow['family'], options: ProcNetTcpOptions = {}): ParseResult {
  const littleEndian = options.littleEndian ?? true;
  const ports = options.ports && options.ports.length > 0 ? new Set(options.ports) : undefined;
  const rows: SocketRow[] = [];
  let skipped = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) {
      end = text.length;
    }
    const lineStart = start;
    start = end + 1;
    let first = lineStart;
    while (first < end && text.charCodeAt(first) === 32) {
      first++;
    }
    const c = text.charCodeAt(first);
    if (first >= end || (c === 13 && first + 1 === end)) {
      continue;
    }
    if (c < 48 || c > 57) {
      // The header is the one line that does not start with a slot number.
      if (!text.startsWith('sl ', first)) {
        skipped++;
      }
      continue;
    }
    if (end - lineStart > MAX_LINE) {
      skipped++;
      continue;
    }
    let row = parseFixed(text, lineStart, end, family, littleEndian, ports);
    if (row === false) {
      continue;
    }
    if (row === null) {
      row = parseLine(text.slice(lineStart, end), family, littleEndian);
    }
    if (!row) {
      skipped++;
    } else if (!ports || ports.has(row.local.port) || ports.has(row.remote.port)) {
      rows.push(row);
    }
  }
  return { rows, skipped };
}
