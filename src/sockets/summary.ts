import type { TcpState } from '../tcp/states';
import type { SocketRow } from './types';

/** Order states appear in a summary: the ones a learner watches for first. */
const ORDER: readonly TcpState[] = [
  'LISTEN', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'CLOSE_WAIT',
  'CLOSING', 'LAST_ACK', 'TIME_WAIT', 'CLOSE',
];

/** Per watched port, how many sockets are in each state, e.g. 7865 -> [[LISTEN,1],[TIME_WAIT,2]]. */
export function countByState(rows: readonly SocketRow[], ports: readonly number[]): Map<number, [TcpState, number][]> {
  const counts = new Map<number, Map<TcpState, number>>(ports.map((p) => [p, new Map()]));
  for (const row of rows) {
    // A connection between two watched ports counts at its local port.
    const port = counts.has(row.local.port) ? row.local.port : row.remote.port;
    const perState = counts.get(port);
    perState?.set(row.state, (perState.get(row.state) ?? 0) + 1);
  }
  return new Map([...counts].map(([port, perState]) => [port, ORDER.filter((s) => perState.has(s)).map((s) => [s, perState.get(s)!])]));
}

/** `7865: 1 LISTEN · 2 TIME_WAIT  8080: –`, the status bar's text after its icon. */
export function summarize(rows: readonly SocketRow[], ports: readonly number[]): string {
  return [...countByState(rows, ports)]
    .map(([port, states]) => `${port}: ${states.length === 0 ? '–' : states.map(([s, n]) => `${n} ${s}`).join(' · ')}`)
    .join('  ');
}
