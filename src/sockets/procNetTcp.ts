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

const HEX = /^[0-9A-Fa-f]+$/;

function hexInt(text: string): number {
  return HEX.test(text) ? parseInt(text, 16) : NaN;
}

/** The four bytes of one 32-bit word printed as `%08X` of a host-order value. */
function wordBytes(hex: string, littleEndian: boolean): number[] {
  const value = parseInt(hex, 16);
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

/** Decodes `0100007F:1F90` (or the 32-digit IPv6 form) into an address and port. */
export function decodeEndpoint(text: string, littleEndian = true): { address: string; port: number } | undefined {
  const colon = text.indexOf(':');
  if (colon !== 8 && colon !== 32) {
    return undefined;
  }
  const hex = text.slice(0, colon);
  const port = hexInt(text.slice(colon + 1));
  if (!HEX.test(hex) || !(port >= 0 && port <= 0xffff) || text.length - colon - 1 !== 4) {
    return undefined;
  }
  if (colon === 8) {
    return { address: wordBytes(hex, littleEndian).join('.'), port };
  }
  const bytes: number[] = [];
  for (let i = 0; i < 32; i += 8) {
    bytes.push(...wordBytes(hex.slice(i, i + 8), littleEndian));
  }
  return { address: formatIpv6(bytes), port };
}

/** Four-digit uppercase hex as the kernel prints ports (`%04X`), for a cheap pre-filter. */
function portNeedles(ports: readonly number[]): string[] {
  return ports.map((p) => `:${p.toString(16).toUpperCase().padStart(4, '0')} `);
}

/** Parses one data line; undefined when it is not a well-formed row. */
function parseLine(line: string, family: SocketRow['family'], littleEndian: boolean): SocketRow | undefined {
  const f = line.trim().split(/\s+/);
  // sl, local, remote, st, tx:rx, tr:when, retrnsmt, uid, timeout, inode (TIME_WAIT stops here).
  if (f.length < 10 || !/^\d+:$/.test(f[0])) {
    return undefined;
  }
  const local = decodeEndpoint(f[1], littleEndian);
  const remote = decodeEndpoint(f[2], littleEndian);
  const state = STATES[hexInt(f[3])];
  const [tx, rx] = f[4].split(':').map(hexInt);
  const [tr, when] = f[5].split(':').map(hexInt);
  const timerKind = TIMERS[tr];
  const retransmits = hexInt(f[6]);
  const uid = Number(f[7]);
  const probes = Number(f[8]);
  const inode = Number(f[9]);
  const isIpv6 = f[1].indexOf(':') === 32;
  if (!local || !remote || !state || timerKind === undefined || isIpv6 !== (family === 'inet6')
    || ![tx, rx, when, retransmits, uid, probes, inode].every((n) => Number.isInteger(n) && n >= 0)) {
    return undefined;
  }
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

/**
 * Parses the text of `/proc/net/tcp` (`family` 'inet') or `/proc/net/tcp6` ('inet6').
 * Never throws: the header is ignored, anything else that is not a row is counted in `skipped`.
 */
export function parseProcNetTcp(text: string, family: SocketRow['family'], options: ProcNetTcpOptions = {}): ParseResult {
  const littleEndian = options.littleEndian ?? true;
  const ports = options.ports && options.ports.length > 0 ? new Set(options.ports) : undefined;
  const needles = ports ? portNeedles([...ports]) : undefined;
  const rows: SocketRow[] = [];
  let skipped = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) {
      end = text.length;
    }
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === '' || line.trimStart().startsWith('sl ')) {
      continue;
    }
    if (line.length > MAX_LINE) {
      skipped++;
      continue;
    }
    // Most rows of a big table belong to other ports: skip them before the full parse.
    if (needles && !needles.some((n) => line.includes(n))) {
      continue;
    }
    const row = parseLine(line, family, littleEndian);
    if (!row) {
      skipped++;
    } else if (!ports || ports.has(row.local.port) || ports.has(row.remote.port)) {
      rows.push(row);
    }
  }
  return { rows, skipped };
}
