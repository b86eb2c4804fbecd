import type { TcpState } from '../tcp/states';
import type { ParseResult, SocketRow } from './types';

/**
 * Parser for macOS `netstat -anv -p tcp`. Two layouts exist: older releases end the row with
 * `... rhiwat shiwat pid epid state options`, newer ones print `process:pid` (name first, so a
 * name may contain spaces) after extra byte counters. Columns after `(state)` are located by
 * the header line, so both parse. macOS keeps no timers in this output.
 */

/** How the macOS reader runs netstat: a file and its arguments, never a shell line. */
export const NETSTAT_MAC_COMMAND = { file: '/usr/sbin/netstat', args: ['-anv', '-p', 'tcp'] } as const;

const STATES: Readonly<Record<string, TcpState>> = {
  CLOSED: 'CLOSE',
  LISTEN: 'LISTEN',
  SYN_SENT: 'SYN_SENT',
  SYN_RCVD: 'SYN_RECV',
  ESTABLISHED: 'ESTABLISHED',
  CLOSE_WAIT: 'CLOSE_WAIT',
  FIN_WAIT_1: 'FIN_WAIT1',
  CLOSING: 'CLOSING',
  LAST_ACK: 'LAST_ACK',
  FIN_WAIT_2: 'FIN_WAIT2',
  TIME_WAIT: 'TIME_WAIT',
};

const MAX_LINE = 2048;

/** `127.0.0.1.8123`, `::1.8123`, `fe80::1%lo0.8123`, `*.8123`, `*.*`: the port follows the last dot. */
export function parseMacEndpoint(text: string, family: SocketRow['family']): { address: string; port: number } | undefined {
  const dot = text.lastIndexOf('.');
  if (dot <= 0) {
    return undefined;
  }
  const host = text.slice(0, dot);
  const portText = text.slice(dot + 1);
  const port = portText === '*' ? 0 : /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    return undefined;
  }
  if (host === '*') {
    return { address: family === 'inet' ? '0.0.0.0' : '::', port };
  }
  const looksRight = family === 'inet' ? /^\d{1,3}(\.\d{1,3}){3}$/.test(host) : host.includes(':');
  return looksRight ? { address: host, port } : undefined;
}

interface Layout {
  /** Index (in data tokens) of the pid column, or of `process:pid`. */
  pidAt: number;
  processPid: boolean;
}

/** Reads the header: tokens after `(state)` line up with the data tokens after the state. */
function layoutOf(header: string): Layout | undefined {
  const words = header.trim().split(/\s+/);
  const stateAt = words.indexOf('(state)');
  if (stateAt < 0) {
    return undefined;
  }
  // Data: proto recvq sendq local foreign state = 6 tokens; header spends 8 words on them.
  const after = words.slice(stateAt + 1);
  const processAt = after.indexOf('process:pid');
  if (processAt >= 0) {
    return { pidAt: 6 + processAt, processPid: true };
  }
  const pidAt = after.indexOf('pid');
  return pidAt >= 0 ? { pidAt: 6 + pidAt, processPid: false } : { pidAt: -1, processPid: false };
}

function parseRow(tokens: string[], layout: Layout): SocketRow | undefined {
  const [proto, recvQ, sendQ, localText, remoteText, stateText] = tokens;
  const family: SocketRow['family'] | undefined = proto === 'tcp4' ? 'inet' : proto === 'tcp6' || proto === 'tcp46' ? 'inet6' : undefined;
  const state = STATES[stateText];
  if (!family || !state || !/^\d+$/.test(recvQ) || !/^\d+$/.test(sendQ)) {
    return undefined;
  }
  const local = parseMacEndpoint(localText, family);
  const remote = parseMacEndpoint(remoteText, family);
  if (!local || !remote) {
    return undefined;
  }
  let pid: number | null = null;
  let process: string | null = null;
  if (layout.processPid && layout.pidAt < tokens.length) {
    // A name with spaces spans several tokens: take them up to the one ending in `:digits`.
    for (let end = layout.pidAt; end < tokens.length; end++) {
      const m = /^(.*):(\d+)$/.exec(tokens.slice(layout.pidAt, end + 1).join(' '));
      if (m) {
        pid = Number(m[2]);
        process = m[1] === '' ? null : m[1];
        break;
      }
    }
  } else if (layout.pidAt >= 0 && /^\d+$/.test(tokens[layout.pidAt] ?? '')) {
    pid = Number(tokens[layout.pidAt]);
  }
  return {
    family, local, remote, state, timer: null, retransmits: 0, probes: 0,
    rxQueue: Number(recvQ), txQueue: Number(sendQ), inode: 0,
    pid: pid === 0 ? null : pid, process,
  };
}

/** Parses the whole output; rows before a header use the old `pid epid` layout. Never throws. */
export function parseNetstatMac(text: string): ParseResult {
  const rows: SocketRow[] = [];
  let skipped = 0;
  let layout: Layout = { pidAt: -1, processPid: false };
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('Active ')) {
      continue;
    }
    if (trimmed.startsWith('Proto ')) {
      layout = layoutOf(trimmed) ?? layout;
      continue;
    }
    const tokens = trimmed.length > MAX_LINE ? [] : trimmed.split(/\s+/);
    const row = tokens.length >= 6 ? parseRow(tokens, layout) : undefined;
    if (row) {
      rows.push(row);
    } else {
      skipped++;
    }
  }
  return { rows, skipped };
}
