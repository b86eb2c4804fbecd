import { l10n } from '../l10n';

/** The eleven TCP states as Linux names them in /proc/net/tcp (see DOMAIN.md). */
export const TCP_STATES = [
  'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT',
  'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING',
] as const;

export type TcpState = (typeof TCP_STATES)[number];

export function isTcpState(value: unknown): value is TcpState {
  return typeof value === 'string' && (TCP_STATES as readonly string[]).includes(value);
}

/** What a learner needs about one state: how a socket gets here, what ends it, how long. */
export interface StateExplanation {
  /** One line, short enough for a table column. */
  meaning: string;
  arrivedBy: string;
  endedBy: string;
  duration: string;
}

/** Explanations in the current locale (strings go through l10n each call). */
export function explainState(state: TcpState): StateExplanation {
  switch (state) {
    case 'LISTEN':
      return {
        meaning: l10n.t('waiting for connections (listen() was called)'),
        arrivedBy: l10n.t('The program called bind() and listen() on this port.'),
        endedBy: l10n.t('close() of the listening socket, or the program exiting.'),
        duration: l10n.t('As long as the program keeps the socket open.'),
      };
    case 'SYN_SENT':
      return {
        meaning: l10n.t('connect() sent SYN, waiting for SYN+ACK'),
        arrivedBy: l10n.t('The program called connect(); the kernel sent a SYN.'),
        endedBy: l10n.t('A SYN+ACK (to ESTABLISHED), a RST (connection refused), or the SYN retries running out.'),
        duration: l10n.t('Until the peer answers; about two minutes of SYN retries on Linux.'),
      };
    case 'SYN_RECV':
      return {
        meaning: l10n.t('SYN received and answered, waiting for the final ACK'),
        arrivedBy: l10n.t('A peer\'s SYN reached a listening socket and the kernel answered SYN+ACK.'),
        endedBy: l10n.t('The peer\'s ACK completes the handshake (to ESTABLISHED), or SYN+ACK retries run out.'),
        duration: l10n.t('Normally one round trip.'),
      };
    case 'ESTABLISHED':
      return {
        meaning: l10n.t('connected: data flows both ways'),
        arrivedBy: l10n.t('The three-way handshake completed (connect() returned or accept() can return it).'),
        endedBy: l10n.t('This side calls close()/shutdown() (to FIN_WAIT1) or the peer\'s FIN arrives (to CLOSE_WAIT).'),
        duration: l10n.t('Unbounded; keepalive, if enabled, probes an idle peer.'),
      };
    case 'FIN_WAIT1':
      return {
        meaning: l10n.t('this side sent FIN, waiting for its ACK'),
        arrivedBy: l10n.t('This program closed first: close() or shutdown(SHUT_WR) sent a FIN.'),
        endedBy: l10n.t('The ACK of the FIN (to FIN_WAIT2) or the peer\'s own FIN (to CLOSING).'),
        duration: l10n.t('Normally one round trip.'),
      };
    case 'FIN_WAIT2':
      return {
        meaning: l10n.t('our FIN was acknowledged, waiting for the peer\'s FIN'),
        arrivedBy: l10n.t('This side closed first and the peer acknowledged the FIN.'),
        endedBy: l10n.t('The peer\'s FIN (to TIME_WAIT).'),
        duration: l10n.t('After close(): at most tcp_fin_timeout (60 s by default). After shutdown(SHUT_WR) with the socket still open: no limit.'),
      };
    case 'TIME_WAIT':
      return {
        meaning: l10n.t('closed first; the kernel holds the 4-tuple for 2MSL'),
        arrivedBy: l10n.t('This side sent the first FIN and has acknowledged the peer\'s FIN.'),
        endedBy: l10n.t('The timer: the kernel frees it; no program owns it any more.'),
        duration: l10n.t('60 s on Linux, 30 s on macOS, about 120 s on Windows.'),
      };
    case 'CLOSE':
      return {
        meaning: l10n.t('no connection (closed or never connected)'),
        arrivedBy: l10n.t('A socket that was created but not connected, or one that was reset.'),
        endedBy: l10n.t('close(), or connect()/listen() moving it on.'),
        duration: l10n.t('Until the program acts.'),
      };
    case 'CLOSE_WAIT':
      return {
        meaning: l10n.t('peer has closed; this program has not called close()'),
        arrivedBy: l10n.t('The peer\'s FIN arrived: read() returned 0.'),
        endedBy: l10n.t('Only this program calling close() (to LAST_ACK).'),
        duration: l10n.t('Forever: there is no timer. A pile of CLOSE_WAIT is a missing close().'),
      };
    case 'LAST_ACK':
      return {
        meaning: l10n.t('closed after the peer; waiting for the ACK of our FIN'),
        arrivedBy: l10n.t('The peer closed first, then this program called close() and sent its FIN.'),
        endedBy: l10n.t('The peer\'s ACK; the socket is then gone.'),
        duration: l10n.t('Normally one round trip; FIN retransmissions if the ACK is lost.'),
      };
    case 'CLOSING':
      return {
        meaning: l10n.t('both sides sent FIN at once; waiting for the ACK'),
        arrivedBy: l10n.t('Simultaneous close: the peer\'s FIN arrived before the ACK of ours.'),
        endedBy: l10n.t('The ACK of our FIN (to TIME_WAIT).'),
        duration: l10n.t('Normally one round trip.'),
      };
  }
}
