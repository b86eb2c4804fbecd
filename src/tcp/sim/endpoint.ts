import { l10n } from '../../l10n';
import type { TcpState } from '../states';
import type { AppError, EndpointConfig, Segment, Side, TimerKind, TraceEventBody } from './types';
import { duration, sideName, stateName } from './words';

/** A segment as an endpoint asks for it; the simulation adds addresses, id and time. */
export interface OutSegment {
  syn?: boolean;
  ack?: boolean;
  fin?: boolean;
  rst?: boolean;
  seq: number;
  ackNo?: number;
  data?: string;
  retransmit?: boolean;
  probe?: boolean;
}

/** What an endpoint needs from the simulation around it. */
export interface EndpointHost {
  now(): number;
  transmit(from: Side, segment: OutSegment, explanation: string): void;
  setTimer(side: Side, timer: TimerKind, ms: number, explanation: string): void;
  cancelTimer(side: Side, timer: TimerKind): void;
  isArmed(side: Side, timer: TimerKind): boolean;
  record(event: TraceEventBody): void;
}

interface Unacked {
  seq: number;
  syn: boolean;
  fin: boolean;
  data: string;
}

/** Sequence space a segment occupies: SYN and FIN count one each. */
export function seqLength(s: { syn: boolean; fin: boolean; data: string }): number {
  return (s.syn ? 1 : 0) + (s.fin ? 1 : 0) + s.data.length;
}

const SYNCHRONIZED_WITH_PROGRAM: TcpState[] = ['SYN_RECV', 'ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'CLOSE_WAIT'];
const INVALID_ANSWER_INTERVAL_MS = 500;
const ALL_TIMERS: TimerKind[] = ['retransmit', 'time-wait', 'keepalive', 'fin-wait2'];

/**
 * One TCP endpoint after RFC 9293 3.10 (OPEN, SEND, CLOSE, ABORT, SEGMENT ARRIVES, timeouts),
 * reduced to what connection setup and teardown need. Simplifications, each stated where it
 * matters: out-of-order segments are dropped rather than queued (the sender retransmits),
 * only the oldest unacknowledged segment is retransmitted, TIME_WAIT ignores RST (RFC 1337),
 * and a repeated SYN in SYN_RECV is answered with the SYN+ACK again (as Linux does).
 */
export class Endpoint {
  state: TcpState = 'CLOSE';
  /** Openings (listen or connect) of the 4-tuple so far; the current one is the last. */
  incarnation = 0;
  /** The program still holds the socket; false after close() or abort (orphaned). */
  attached = false;
  /** The host vanished: it sends nothing and the network drops what reaches it. */
  down = false;
  private passive = false;
  private iss = 0;
  private sndUna = 0;
  private sndNxt = 0;
  private rcvNxt = 0;
  private finSent = false;
  private unacked: Unacked[] = [];
  private retries = 0;
  private rto: number;
  private probesOut = 0;
  private lastHeard = 0;
  /** When this side last answered an invalid segment; see answerInvalid(). */
  private lastInvalidAnswer = -Infinity;
  private readonly who: string;

  constructor(readonly side: Side, private readonly cfg: EndpointConfig, private readonly host: EndpointHost) {
    this.rto = cfg.rtoMs;
    this.who = sideName(side);
  }

  // ---- calls from the program ------------------------------------------------------------

  listen(): void {
    if (this.state !== 'CLOSE') {
      return;
    }
    this.open(true);
    this.go('LISTEN', l10n.t('{who} waits for a SYN on its port.', { who: this.who }));
  }

  /** Returns 'busy' when the 4-tuple is still held by TIME_WAIT (the program retries later). */
  connect(): 'ok' | 'busy' {
    if (this.state === 'TIME_WAIT') {
      this.error('EADDRINUSE', l10n.t('{who} cannot reuse the 4-tuple yet: its old connection is still in TIME_WAIT. The program will retry when TIME_WAIT ends.', { who: this.who }));
      return 'busy';
    }
    if (this.state !== 'CLOSE') {
      return 'ok';
    }
    this.open(false);
    this.iss = this.isn();
    this.sndUna = this.iss;
    this.sndNxt = this.iss + 1;
    this.unacked = [{ seq: this.iss, syn: true, fin: false, data: '' }];
    this.go('SYN_SENT', l10n.t('{who} starts the three-way handshake.', { who: this.who }));
    this.host.transmit(this.side, { syn: true, seq: this.iss },
      l10n.t('{who} sends SYN with its initial sequence number {isn}.', { who: this.who, isn: this.iss }));
    this.armRetransmit();
    return 'ok';
  }

  send(data: string): void {
    if (this.state !== 'ESTABLISHED' && this.state !== 'CLOSE_WAIT') {
      const early = ['CLOSE', 'LISTEN', 'SYN_SENT', 'SYN_RECV'].includes(this.state);
      this.error(early ? 'ENOTCONN' : 'EPIPE', l10n.t('{who} cannot send in {state}.', { who: this.who, state: stateName(this.state) }));
      return;
    }
    const seq = this.sndNxt;
    this.sndNxt += data.length;
    this.unacked.push({ seq, syn: false, fin: false, data });
    this.host.transmit(this.side, { ack: true, seq, ackNo: this.rcvNxt, data },
      l10n.t('{who} sends {n} bytes starting at sequence number {seq}.', { who: this.who, n: data.length, seq }));
    this.armRetransmit();
  }

  close(): void {
    this.attached = false;
    switch (this.state) {
      case 'LISTEN':
      case 'SYN_SENT':
        this.go('CLOSE', l10n.t('{who} closes before a connection exists: nothing to tell the peer.', { who: this.who }));
        return;
      case 'SYN_RECV':
      case 'ESTABLISHED':
        this.go('FIN_WAIT1', l10n.t('{who} closes first: it will send FIN and wait for the ACK.', { who: this.who }));
        this.sendFin(l10n.t('{who} sends FIN: it has nothing more to send.', { who: this.who }));
        return;
      case 'CLOSE_WAIT':
        this.go('LAST_ACK', l10n.t('{who} closes after the peer: it sends its own FIN and waits for the last ACK.', { who: this.who }));
        this.sendFin(l10n.t('{who} sends FIN, the second half of the close.', { who: this.who }));
        return;
      default:
        return;
    }
  }

  /** close() with SO_LINGER {1, 0}: RST instead of FIN, no TIME_WAIT, unsent data discarded. */
  abort(): void {
    this.attached = false;
    if (SYNCHRONIZED_WITH_PROGRAM.includes(this.state)) {
      this.host.transmit(this.side, { rst: true, ack: true, seq: this.sndNxt, ackNo: this.rcvNxt },
        l10n.t('{who} aborts with SO_LINGER {1, 0}: it sends RST instead of FIN and discards anything still queued.', { who: this.who }));
    }
    if (this.state !== 'CLOSE') {
      this.go('CLOSE', l10n.t('{who} drops the connection at once: no FIN exchange and no TIME_WAIT.', { who: this.who }));
    }
  }

  /** The host disappears (power cut, cable pulled): no FIN, no RST, just silence. */
  crash(): void {
    this.attached = false;
    this.down = true;
    if (this.state !== 'CLOSE') {
      this.go('CLOSE', l10n.t('{who} loses all its connection state with the host; the peer is not told anything.', { who: this.who }));
    }
  }

  // ---- timers ----------------------------------------------------------------------------

  onTimer(timer: TimerKind): void {
    switch (timer) {
      case 'retransmit':
        return this.onRetransmitTimer();
      case 'time-wait':
        return this.go('CLOSE', l10n.t('{who} ends TIME_WAIT after 2MSL: any old segment of this connection has died out, so the 4-tuple may be used again.', { who: this.who }));
      case 'fin-wait2':
        return this.go('CLOSE', l10n.t('{who} gives up waiting for the peer\'s FIN: an orphaned FIN_WAIT2 lives only tcp_fin_timeout.', { who: this.who }));
      case 'keepalive':
        return this.onKeepaliveTimer();
    }
  }

  private onRetransmitTimer(): void {
    const head = this.unacked[0];
    if (!head) {
      return;
    }
    if (this.retries >= this.cfg.maxRetries) {
      const why = l10n.t('{who} has retransmitted {n} times without an answer and gives up.', { who: this.who, n: this.retries });
      if (this.state === 'SYN_RECV' && this.passive) {
        this.go('LISTEN', why);
        return;
      }
      if (this.attached) {
        this.error('ETIMEDOUT', why);
      }
      this.go('CLOSE', why);
      return;
    }
    this.retries++;
    this.rto = Math.min(this.rto * 2, this.cfg.rtoMaxMs);
    this.host.transmit(this.side, {
      syn: head.syn, fin: head.fin, data: head.data, seq: head.seq, retransmit: true,
      ack: this.state !== 'SYN_SENT', ackNo: this.rcvNxt,
    }, l10n.t('{who} got no ACK in time and sends the segment again (retry {n} of {max}); the next timeout doubles to {rto}.',
      { who: this.who, n: this.retries, max: this.cfg.maxRetries, rto: duration(this.rto) }));
    this.host.setTimer(this.side, 'retransmit', this.rto, l10n.t('{who} waits {rto} for this retransmission to be acknowledged (exponential backoff).', { who: this.who, rto: duration(this.rto) }));
  }

  private onKeepaliveTimer(): void {
    const ka = this.cfg.keepalive;
    if (!ka || (this.state !== 'ESTABLISHED' && this.state !== 'CLOSE_WAIT')) {
      return;
    }
    const idle = this.host.now() - this.lastHeard;
    if (this.unacked.length > 0 || idle < ka.idleMs) {
      // Something was heard (or data is in flight, which the retransmission timer watches):
      // wait for the rest of the idle time, as Linux does.
      const rest = this.unacked.length > 0 ? ka.idleMs : ka.idleMs - idle;
      this.host.setTimer(this.side, 'keepalive', rest, l10n.t('{who} heard from the peer recently; the keepalive timer waits {rest} more.', { who: this.who, rest: duration(rest) }));
      return;
    }
    if (this.probesOut >= ka.cnt) {
      const why = l10n.t('{who} sent {n} keepalive probes and none was answered: the peer is gone. Total silence: idle {idle} + {n} x {intvl}.',
        { who: this.who, n: this.probesOut, idle: duration(ka.idleMs), intvl: duration(ka.intvlMs) });
      this.host.transmit(this.side, { rst: true, ack: true, seq: this.sndNxt, ackNo: this.rcvNxt },
        l10n.t('{who} sends RST in case the peer still exists.', { who: this.who }));
      if (this.attached) {
        this.error('ETIMEDOUT', why);
      }
      this.go('CLOSE', why);
      return;
    }
    this.probesOut++;
    this.host.transmit(this.side, { ack: true, seq: this.sndNxt - 1, ackNo: this.rcvNxt, probe: true },
      l10n.t('{who} sends keepalive probe {n} of {cnt}: an empty segment one byte behind, which a live peer must answer with an ACK.', { who: this.who, n: this.probesOut, cnt: ka.cnt }));
    this.host.setTimer(this.side, 'keepalive', ka.intvlMs, l10n.t('{who} waits {intvl} (TCP_KEEPINTVL) for an answer.', { who: this.who, intvl: duration(ka.intvlMs) }));
  }

  // ---- segment arrives -------------------------------------------------------------------

  receive(seg: Segment): void {
    switch (this.state) {
      case 'CLOSE':
        return this.receiveClosed(seg);
      case 'LISTEN':
        return this.receiveListen(seg);
      case 'SYN_SENT':
        return this.receiveSynSent(seg);
      default:
        return this.receiveSynchronized(seg);
    }
  }

  private receiveClosed(seg: Segment): void {
    if (seg.rst) {
      this.arrived(seg, false, l10n.t('{who} has no connection for this RST and ignores it.', { who: this.who }));
      return;
    }
    this.arrived(seg, false, l10n.t('{who} has no connection for this segment.', { who: this.who }));
    this.replyReset(seg, l10n.t('{who} answers with RST: nothing here owns this 4-tuple.', { who: this.who }));
  }

  private receiveListen(seg: Segment): void {
    if (seg.rst) {
      this.arrived(seg, false, l10n.t('{who} is only listening and ignores the RST.', { who: this.who }));
      return;
    }
    if (seg.ack) {
      this.arrived(seg, false, l10n.t('{who} is only listening: a segment with an ACK cannot belong to any connection here.', { who: this.who }));
      this.replyReset(seg, l10n.t('{who} answers the stray segment with RST.', { who: this.who }));
      return;
    }
    if (!seg.syn) {
      this.arrived(seg, false, l10n.t('{who} is only listening and drops the segment.', { who: this.who }));
      return;
    }
    this.arrived(seg, true, l10n.t('{who} receives a SYN on its listening port.', { who: this.who }));
    this.rcvNxt = seg.seq + 1;
    this.iss = this.isn();
    this.sndUna = this.iss;
    this.sndNxt = this.iss + 1;
    this.unacked = [{ seq: this.iss, syn: true, fin: false, data: '' }];
    this.go('SYN_RECV', l10n.t('{who} has answered half of the handshake and waits for the final ACK.', { who: this.who }));
    this.host.transmit(this.side, { syn: true, ack: true, seq: this.iss, ackNo: this.rcvNxt },
      l10n.t('{who} sends SYN+ACK: its own sequence number {isn} and an ACK of the peer\'s SYN.', { who: this.who, isn: this.iss }));
    this.armRetransmit();
  }

  private receiveSynSent(seg: Segment): void {
    const ackOk = seg.ack && seg.ackNo > this.iss && seg.ackNo <= this.sndNxt;
    if (seg.ack && !ackOk) {
      this.arrived(seg, false, l10n.t('{who} receives an ACK for something it never sent.', { who: this.who }));
      if (!seg.rst) {
        this.replyReset(seg, l10n.t('{who} answers with RST.', { who: this.who }));
      }
      return;
    }
    if (seg.rst) {
      if (!ackOk) {
        this.arrived(seg, false, l10n.t('{who} ignores a RST that does not acknowledge its SYN.', { who: this.who }));
        return;
      }
      this.arrived(seg, true, l10n.t('{who} receives RST in answer to its SYN: nobody listens there.', { who: this.who }));
      if (this.attached) {
        this.error('ECONNREFUSED', l10n.t('{who}\'s connect() fails: connection refused.', { who: this.who }));
      }
      this.go('CLOSE', l10n.t('{who} gives up the connection attempt.', { who: this.who }));
      return;
    }
    if (!seg.syn) {
      this.arrived(seg, false, l10n.t('{who} is still waiting for a SYN and drops the segment.', { who: this.who }));
      return;
    }
    this.rcvNxt = seg.seq + 1;
    if (ackOk) {
      this.arrived(seg, true, l10n.t('{who} receives SYN+ACK: the peer accepted and acknowledged the SYN.', { who: this.who }));
      this.acknowledged(seg.ackNo);
      this.go('ESTABLISHED', l10n.t('{who} considers the connection open: connect() returns.', { who: this.who }));
      this.sendAck(l10n.t('{who} sends the third segment of the handshake, an ACK of the peer\'s SYN.', { who: this.who }));
      return;
    }
    this.arrived(seg, true, l10n.t('{who} receives a SYN while its own SYN is out: a simultaneous open.', { who: this.who }));
    this.go('SYN_RECV', l10n.t('{who} answers the peer\'s SYN and still waits for its own to be acknowledged.', { who: this.who }));
    this.host.transmit(this.side, { syn: true, ack: true, seq: this.iss, ackNo: this.rcvNxt },
      l10n.t('{who} sends SYN+ACK.', { who: this.who }));
  }

  private receiveSynchronized(seg: Segment): void {
    const len = seqLength(seg);
    if (this.state === 'SYN_RECV' && seg.syn && !seg.ack && !seg.rst && seg.seq + 1 === this.rcvNxt) {
      this.arrived(seg, false, l10n.t('{who} receives the SYN again: its SYN+ACK was probably lost.', { who: this.who }));
      this.host.transmit(this.side, { syn: true, ack: true, seq: this.iss, ackNo: this.rcvNxt },
        l10n.t('{who} repeats its SYN+ACK.', { who: this.who }));
      return;
    }
    if (this.state === 'TIME_WAIT' && seg.fin && !seg.rst && seg.seq + len === this.rcvNxt) {
      this.arrived(seg, true, l10n.t('{who} receives the peer\'s FIN again: the peer never got the final ACK. TIME_WAIT exists for exactly this moment.', { who: this.who }));
      this.sendAck(l10n.t('{who} answers the retransmitted FIN from TIME_WAIT with the ACK again.', { who: this.who }));
      this.host.cancelTimer(this.side, 'time-wait');
      this.host.setTimer(this.side, 'time-wait', this.cfg.timeWaitMs,
        l10n.t('{who} starts the 2MSL wait over ({ms}) after answering the FIN.', { who: this.who, ms: duration(this.cfg.timeWaitMs) }));
      return;
    }
    const acceptable = len === 0
      ? seg.seq >= this.rcvNxt && seg.seq < this.rcvNxt + this.cfg.window
      : seg.seq === this.rcvNxt;
    if (!acceptable) {
      const why = seg.kind === 'PROBE'
        ? l10n.t('{who} receives a keepalive probe: its sequence number is one behind on purpose.', { who: this.who })
        : seg.seq < this.rcvNxt
          ? l10n.t('{who} rejects the segment: sequence number {seq} is older than the {next} it expects (a duplicate or a leftover).', { who: this.who, seq: seg.seq, next: this.rcvNxt })
          : l10n.t('{who} rejects the segment: sequence number {seq} is ahead of the {next} it expects (this model does not queue out-of-order segments).', { who: this.who, seq: seg.seq, next: this.rcvNxt });
      this.arrived(seg, false, why);
      const answer = l10n.t('{who} answers with an ACK that states what it really expects.', { who: this.who });
      if (seg.rst) {
        return;
      }
      if (len > 0) {
        this.sendAck(answer);
      } else {
        this.answerInvalid(answer);
      }
      return;
    }
    if (seg.rst) {
      this.receiveReset(seg);
      return;
    }
    if (seg.syn) {
      this.arrived(seg, false, l10n.t('{who} receives a SYN inside an open connection and does not trust it.', { who: this.who }));
      this.sendAck(l10n.t('{who} answers with a challenge ACK (RFC 5961).', { who: this.who }));
      return;
    }
    if (!seg.ack) {
      this.arrived(seg, false, l10n.t('{who} drops a segment without ACK.', { who: this.who }));
      return;
    }
    if (this.state === 'SYN_RECV' && !(seg.ackNo > this.sndUna && seg.ackNo <= this.sndNxt)) {
      this.arrived(seg, false, l10n.t('{who} receives an ACK that does not match its SYN+ACK.', { who: this.who }));
      this.replyReset(seg, l10n.t('{who} answers with RST.', { who: this.who }));
      return;
    }
    if (seg.ackNo > this.sndNxt) {
      this.arrived(seg, false, l10n.t('{who} receives an ACK for data it has not sent yet and drops the segment.', { who: this.who }));
      this.answerInvalid(l10n.t('{who} answers with an ACK.', { who: this.who }));
      return;
    }
    this.arrived(seg, true, this.describeArrival(seg));
    this.lastHeard = this.host.now();
    this.probesOut = 0;
    if (this.state === 'SYN_RECV') {
      this.acknowledged(seg.ackNo);
      this.go('ESTABLISHED', l10n.t('{who} completes the handshake: accept() can now return the connection.', { who: this.who }));
    } else if (seg.ackNo > this.sndUna) {
      this.acknowledged(seg.ackNo);
    }
    const finAcked = this.finSent && this.sndUna === this.sndNxt;
    if (this.state === 'FIN_WAIT1' && finAcked && !seg.fin) {
      this.go('FIN_WAIT2', l10n.t('{who}\'s FIN is acknowledged; now it waits for the peer to close its half.', { who: this.who }));
    } else if (this.state === 'CLOSING' && finAcked) {
      this.go('TIME_WAIT', l10n.t('{who}\'s FIN is acknowledged after a simultaneous close: both sides closed first, so both wait 2MSL.', { who: this.who }));
    } else if (this.state === 'LAST_ACK' && finAcked) {
      this.go('CLOSE', l10n.t('{who} has the last ACK: the connection is gone on this side, with no waiting.', { who: this.who }));
      return;
    }
    let needAck = false;
    if (seg.data.length > 0 && ['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2'].includes(this.state)) {
      this.rcvNxt += seg.data.length;
      needAck = true;
      if (this.attached) {
        const stale = seg.incarnation !== this.incarnation;
        this.host.record({
          kind: 'app-data', side: this.side, data: seg.data, incarnation: this.incarnation, segmentIncarnation: seg.incarnation,
          explanation: stale
            ? l10n.t('{who}\'s program reads "{data}", bytes from connection #{old} delivered into connection #{now}: silent corruption.', { who: this.who, data: seg.data, old: seg.incarnation, now: this.incarnation })
            : l10n.t('{who}\'s program reads "{data}".', { who: this.who, data: seg.data }),
        });
      }
    }
    if (seg.fin) {
      this.rcvNxt += 1;
      needAck = true;
      if (this.state === 'ESTABLISHED' || this.state === 'SYN_RECV') {
        this.go('CLOSE_WAIT', l10n.t('{who} knows the peer will send no more. It stays in CLOSE_WAIT until its own program calls close().', { who: this.who }));
      } else if (this.state === 'FIN_WAIT1') {
        this.go(finAcked ? 'TIME_WAIT' : 'CLOSING', finAcked
          ? l10n.t('{who} gets the peer\'s FIN together with the ACK of its own: straight to TIME_WAIT.', { who: this.who })
          : l10n.t('{who} gets the peer\'s FIN while its own is still unacknowledged: both closed at once.', { who: this.who }));
      } else if (this.state === 'FIN_WAIT2') {
        this.go('TIME_WAIT', l10n.t('{who} closed first and now has the peer\'s FIN: it acknowledges it and waits 2MSL in case that ACK is lost.', { who: this.who }));
      }
    }
    if (needAck) {
      this.sendAck(this.state === 'TIME_WAIT'
        ? l10n.t('{who} sends the final ACK of the close.', { who: this.who })
        : l10n.t('{who} acknowledges everything up to {ack}.', { who: this.who, ack: this.rcvNxt }));
    }
    if (seg.fin && this.attached) {
      this.host.record({ kind: 'app-eof', side: this.side, explanation: l10n.t('{who}\'s program reads end of file: recv() returns 0.', { who: this.who }) });
    }
  }

  private receiveReset(seg: Segment): void {
    if (this.state === 'TIME_WAIT') {
      this.arrived(seg, false, l10n.t('{who} ignores a RST in TIME_WAIT (RFC 1337) so that a stray reset cannot cut the wait short. Linux does so only with net.ipv4.tcp_rfc1337=1.', { who: this.who }));
      return;
    }
    this.arrived(seg, true, l10n.t('{who} receives RST: the peer has thrown the connection away.', { who: this.who }));
    if (this.state === 'SYN_RECV' && this.passive) {
      this.go('LISTEN', l10n.t('{who} forgets the half-open connection and keeps listening.', { who: this.who }));
      return;
    }
    if (this.attached && SYNCHRONIZED_WITH_PROGRAM.includes(this.state)) {
      this.error(this.state === 'SYN_RECV' ? 'ECONNREFUSED' : 'ECONNRESET',
        l10n.t('{who}\'s program gets {errno} on its next call; data not yet read may be lost.', { who: this.who, errno: this.state === 'SYN_RECV' ? 'ECONNREFUSED' : 'ECONNRESET' }));
    }
    this.go('CLOSE', l10n.t('{who} deletes the connection at once: no TIME_WAIT after a reset.', { who: this.who }));
  }

  // ---- helpers ---------------------------------------------------------------------------

  private describeArrival(seg: Segment): string {
    if (seg.fin) {
      return l10n.t('{who} receives the peer\'s FIN: the peer has finished sending.', { who: this.who });
    }
    if (seg.data.length > 0) {
      return l10n.t('{who} receives {n} bytes in order.', { who: this.who, n: seg.data.length });
    }
    return l10n.t('{who} receives an ACK up to {ack}.', { who: this.who, ack: seg.ackNo });
  }

  private open(passive: boolean): void {
    this.incarnation++;
    this.attached = true;
    this.passive = passive;
    this.finSent = false;
    this.unacked = [];
    this.retries = 0;
    this.rto = this.cfg.rtoMs;
    this.probesOut = 0;
  }

  private isn(): number {
    const given = this.cfg.isn[this.incarnation - 1];
    return given ?? (this.side === 'client' ? 1000 : 5000) + 100_000 * (this.incarnation - 1);
  }

  private acknowledged(ackNo: number): void {
    this.sndUna = ackNo;
    this.unacked = this.unacked.filter((u) => u.seq + seqLength(u) > ackNo);
    this.retries = 0;
    this.rto = this.cfg.rtoMs;
    this.host.cancelTimer(this.side, 'retransmit');
    this.armRetransmit();
  }

  private armRetransmit(): void {
    if (this.unacked.length > 0 && !this.host.isArmed(this.side, 'retransmit')) {
      this.host.setTimer(this.side, 'retransmit', this.rto,
        l10n.t('{who} starts the retransmission timer ({rto}): without an ACK by then it sends again.', { who: this.who, rto: duration(this.rto) }));
    }
  }

  private sendFin(why: string): void {
    const seq = this.sndNxt;
    this.sndNxt++;
    this.finSent = true;
    this.unacked.push({ seq, syn: false, fin: true, data: '' });
    this.host.transmit(this.side, { fin: true, ack: true, seq, ackNo: this.rcvNxt }, why);
    this.armRetransmit();
  }

  private sendAck(why: string): void {
    this.host.transmit(this.side, { ack: true, seq: this.sndNxt, ackNo: this.rcvNxt }, why);
  }

  /**
   * ACKs an unacceptable segment at most once per 500 ms, like Linux (tcp_invalid_ratelimit):
   * otherwise two sides that disagree about sequence numbers answer each other forever.
   */
  private answerInvalid(why: string): void {
    const now = this.host.now();
    if (now - this.lastInvalidAnswer < INVALID_ANSWER_INTERVAL_MS) {
      return;
    }
    this.lastInvalidAnswer = now;
    this.sendAck(why);
  }

  /** RFC 9293: a reset answers the offending segment with sequence numbers it will accept. */
  private replyReset(seg: Segment, why: string): void {
    if (seg.ack) {
      this.host.transmit(this.side, { rst: true, seq: seg.ackNo }, why);
    } else {
      this.host.transmit(this.side, { rst: true, ack: true, seq: 0, ackNo: seg.seq + seqLength(seg) }, why);
    }
  }

  private arrived(segment: Segment, accepted: boolean, explanation: string): void {
    this.host.record({ kind: 'segment-received', side: this.side, segment, accepted, explanation });
  }

  private error(error: AppError, explanation: string): void {
    this.host.record({ kind: 'app-error', side: this.side, error, explanation });
  }

  private go(to: TcpState, explanation: string): void {
    const from = this.state;
    if (from === to) {
      return;
    }
    this.state = to;
    this.host.record({ kind: 'state-changed', side: this.side, from, to, explanation });
    switch (to) {
      case 'CLOSE':
      case 'LISTEN':
        ALL_TIMERS.forEach((t) => this.host.cancelTimer(this.side, t));
        this.unacked = [];
        return;
      case 'TIME_WAIT':
        ['retransmit', 'keepalive', 'fin-wait2'].forEach((t) => this.host.cancelTimer(this.side, t as TimerKind));
        this.unacked = [];
        this.host.setTimer(this.side, 'time-wait', this.cfg.timeWaitMs, this.cfg.timeWaitMs > 0
          ? l10n.t('{who} holds the 4-tuple for 2MSL = {ms}: long enough to answer a repeated FIN and for old segments to die out.', { who: this.who, ms: duration(this.cfg.timeWaitMs) })
          : l10n.t('{who} is configured to skip TIME_WAIT: the 4-tuple is free again at once.', { who: this.who }));
        return;
      case 'FIN_WAIT2':
        this.host.cancelTimer(this.side, 'keepalive');
        if (!this.attached) {
          this.host.setTimer(this.side, 'fin-wait2', this.cfg.finWait2Ms,
            l10n.t('{who} is orphaned (the program closed): it waits at most {ms} for the peer\'s FIN.', { who: this.who, ms: duration(this.cfg.finWait2Ms) }));
        }
        return;
      case 'ESTABLISHED':
        this.lastHeard = this.host.now();
        if (this.cfg.keepalive) {
          this.host.setTimer(this.side, 'keepalive', this.cfg.keepalive.idleMs,
            l10n.t('{who} has keepalive on: after {idle} without hearing from the peer it starts probing.', { who: this.who, idle: duration(this.cfg.keepalive.idleMs) }));
        }
        return;
      case 'FIN_WAIT1':
      case 'CLOSING':
      case 'LAST_ACK':
        this.host.cancelTimer(this.side, 'keepalive');
        return;
      default:
        return;
    }
  }
}
