import type { TcpState } from '../tcp/states';
import type { ParseResult, SocketRow } from './types';

/**
 * Parser for Windows `netstat -ano -p tcp` and `netstat -ano -p tcpv6`:
 * `Proto  Local Address  Foreign Address  State  PID`, IPv6 in brackets (`[::1]:7865`).
 * Windows prints no timers and no process names here; TIME_WAIT rows carry PID 0.
 * State names are English on English systems only; rows with other names are skipped.
 */

/** How the Windows reader runs netstat, once per family. */
export const NETSTAT_WINDOWS_COMMANDS = [
  { file: 'netstat.exe', args: ['-ano', '-p', 'tcp'] },
  { file: 'netstat.exe', args: ['-ano', '-p', 'tcpv6'] },
] as const;

const STATES: Readonly<Record<string, TcpState>> = {
  CLOSED: 'CLOSE',
  LISTENING: 'LISTEN',
  SYN_SENT: 'SYN_SENT',
  SYN_RECEIVED: 'SYN_RECV',
  ESTABLISHED: 'ESTABLISHED',
  FIN_WAIT_1: 'FIN_WAIT1',
  FIN_WAIT_2: 'FIN_WAIT2',
  CLOSE_WAIT: 'CLOSE_WAIT',
  CLOSING: 'CLOSING',
  LAST_ACK: 'LAST_ACK',
  TIME_WAIT: 'TIME_WAIT',
  // A connection being torn down inside TCP/IP; nearest Linux name.
  DELETE_TCB: 'CLOSE',
};

const MAX_LINE = 1024;

/** `127.0.0.1:7865`, `0.0.0.0:0`, `[::1]:7865`, `[fe80::1%12]:80`. */
export function parseWindowsEndpoint(text: string): { family: SocketRow['family']; address: string; port: number } | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.%a-zA-Z]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):(\d{1,5})$/.exec(text);
  if (!m) {
    return undefined;
  }
  const port = Number(m[3]);
  if (port > 65535) {
    return undefined;
  }
  return m[1] !== undefined ? { family: 'inet6', address: m[1], port } : { family: 'inet', address: m[2], port };
}

/** Parses the output of one or both commands (concatenated). Never throws. */
export function parseNetstatWindows(text: string): ParseResult {
  const rows: SocketRow[] = [];
  let skipped = 0;
  for (const line of text.split(/\r?\n/)) {
    const tokens = line.length > MAX_LINE ? ['?'] : line.trim().split(/\s+/);
    if (tokens[0] !== 'TCP' || tokens.length !== 5) {
      // Titles and the header are not rows; only lines that claim to be TCP rows count as skipped.
      if (tokens[0] === 'TCP' || tokens[0] === '?') {
        skipped++;
      }
      continue;
    }
    const [, localText, remoteText, stateText, pidText] = tokens;
    const local = parseWindowsEndpoint(localText);
    const remote = parseWindowsEndpoint(remoteText);
    const state = STATES[stateText];
    if (!local || !remote || local.family !== remote.family || !state || !/^\d+$/.test(pidText)) {
      skipped++;
      continue;
    }
    const pid = Number(pidText);
    rows.push({
      family: local.family,
      local: { address: local.address, port: local.port },
      remote: { address: remote.address, port: remote.port },
      state, timer: null, retransmits: 0, probes: 0, rxQueue: 0, txQueue: 0, inode: 0,
      pid: pid === 0 ? null : pid, process: null,
    });
  }
  return { rows, skipped };
}
