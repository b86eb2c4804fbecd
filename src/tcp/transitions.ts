import { l10n } from '../l10n';
import type { TcpState } from './states';

/**
 * One legal move of the RFC 9293 state machine. `main` edges are the ones drawn in the RFC's
 * figure; `abort` edges are the resets, aborts and timeouts to CLOSE that the figure leaves
 * out (a diagram may draw them fainter or hide them).
 */
export interface TcpEdge {
  from: TcpState;
  to: TcpState;
  /** What happens to cause the move: a call by the program, a segment, a timer. */
  event: string;
  /** What TCP does while moving (segment sent, timer started), or '' when nothing. */
  action: string;
  kind: 'main' | 'abort';
}

/** The edges in the current locale (labels go through l10n on each call). CLOSE is CLOSED. */
export function tcpEdges(): TcpEdge[] {
  const rst = l10n.t('RST received');
  const abort = l10n.t('abort (SO_LINGER 0) or host crash');
  const sendRst = l10n.t('send RST (abort); nothing on a crash');
  const timeout = l10n.t('retransmissions exhausted');
  const main = (from: TcpState, to: TcpState, event: string, action: string): TcpEdge =>
    ({ from, to, event, action, kind: 'main' });
  const aborted = (from: TcpState, to: TcpState, event: string, action = ''): TcpEdge =>
    ({ from, to, event, action, kind: 'abort' });
  return [
    main('CLOSE', 'LISTEN', l10n.t('passive open: listen()'), l10n.t('create TCB')),
    main('CLOSE', 'SYN_SENT', l10n.t('active open: connect()'), l10n.t('send SYN')),
    main('LISTEN', 'SYN_RECV', l10n.t('SYN received'), l10n.t('send SYN+ACK')),
    main('LISTEN', 'SYN_SENT', l10n.t('send on a listening socket'), l10n.t('send SYN')),
    main('LISTEN', 'CLOSE', l10n.t('close()'), l10n.t('delete TCB')),
    main('SYN_SENT', 'ESTABLISHED', l10n.t('SYN+ACK received'), l10n.t('send ACK')),
    main('SYN_SENT', 'SYN_RECV', l10n.t('SYN received (simultaneous open)'), l10n.t('send SYN+ACK')),
    main('SYN_SENT', 'CLOSE', l10n.t('close()'), l10n.t('delete TCB')),
    main('SYN_RECV', 'ESTABLISHED', l10n.t('ACK of SYN received'), ''),
    main('SYN_RECV', 'FIN_WAIT1', l10n.t('close()'), l10n.t('send FIN')),
    main('ESTABLISHED', 'FIN_WAIT1', l10n.t('close()'), l10n.t('send FIN')),
    main('ESTABLISHED', 'CLOSE_WAIT', l10n.t('FIN received'), l10n.t('send ACK')),
    main('FIN_WAIT1', 'FIN_WAIT2', l10n.t('ACK of FIN received'), ''),
    main('FIN_WAIT1', 'CLOSING', l10n.t('FIN received (simultaneous close)'), l10n.t('send ACK')),
    main('FIN_WAIT1', 'TIME_WAIT', l10n.t('FIN and ACK of FIN received'), l10n.t('send ACK, start 2MSL timer')),
    main('FIN_WAIT2', 'TIME_WAIT', l10n.t('FIN received'), l10n.t('send ACK, start 2MSL timer')),
    main('CLOSING', 'TIME_WAIT', l10n.t('ACK of FIN received'), l10n.t('start 2MSL timer')),
    main('CLOSE_WAIT', 'LAST_ACK', l10n.t('close()'), l10n.t('send FIN')),
    main('LAST_ACK', 'CLOSE', l10n.t('ACK of FIN received'), l10n.t('delete TCB')),
    main('TIME_WAIT', 'CLOSE', l10n.t('2MSL timer expires'), l10n.t('delete TCB')),
    aborted('SYN_SENT', 'CLOSE', l10n.t('RST received (connection refused) or SYN retries exhausted')),
    aborted('SYN_RECV', 'LISTEN', l10n.t('RST received or SYN+ACK retries exhausted (passive open)'), l10n.t('forget the half-open connection')),
    aborted('SYN_RECV', 'CLOSE', l10n.t('RST, abort or retransmissions exhausted'), sendRst),
    aborted('ESTABLISHED', 'CLOSE', l10n.t('RST received, abort, or retransmission/keepalive timeout'), sendRst),
    aborted('FIN_WAIT1', 'CLOSE', `${rst}; ${abort}; ${timeout}`, sendRst),
    aborted('FIN_WAIT2', 'CLOSE', l10n.t('RST received, abort, or FIN_WAIT2 timeout of an orphaned socket'), sendRst),
    aborted('CLOSE_WAIT', 'CLOSE', `${rst}; ${abort}; ${timeout}`, sendRst),
    aborted('CLOSING', 'CLOSE', `${rst}; ${abort}; ${timeout}`),
    aborted('LAST_ACK', 'CLOSE', `${rst}; ${abort}; ${timeout}`),
    aborted('TIME_WAIT', 'CLOSE', l10n.t('abort or host crash (RST is ignored, RFC 1337)')),
  ];
}

/** Cache of `from>to` pairs: they do not depend on the locale, so they are built once. */
let legalPairs: Set<string> | undefined;

/** True when the RFC 9293 state machine (with resets and timeouts) can move `from` to `to`. */
export function isLegalEdge(from: TcpState, to: TcpState): boolean {
  legalPairs ??= new Set(tcpEdges().map((e) => `${e.from}>${e.to}`));
  return legalPairs.has(`${from}>${to}`);
}
