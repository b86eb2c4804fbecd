import { l10n } from '../../l10n';
import type { TcpState } from '../states';
import type { Segment, Side, SimTrace, TraceEvent } from './types';
import { stateName } from './words';

const TIME = 10;
const LANE = 12;
const WIRE = 28;

/**
 * Draws a trace as a text sequence diagram: time on the left, the client's and the server's
 * state as two lanes, arrows for segments between them (X where the network loses one), and
 * a short label per row; with `explain`, each row is followed by its sentence for a learner.
 */
export function renderTextDiagram(trace: SimTrace, heading: string, explain: boolean): string {
  const states: Record<Side, TcpState> = { client: 'CLOSE', server: 'CLOSE' };
  const lines = [
    heading,
    `${'time'.padStart(TIME)}  ${l10n.t('client').padEnd(LANE)} ${''.padEnd(WIRE)} ${l10n.t('server').padEnd(LANE)} ${l10n.t('event')}`,
  ];
  for (const e of trace.events) {
    if (e.kind === 'state-changed') {
      states[e.side] = e.to;
    }
    const wire = wireCell(e);
    const text = label(e);
    if (e.kind === 'note') {
      lines.push(`${time(e.t)}  ${e.explanation}`);
      continue;
    }
    const row = `${time(e.t)}  ${stateName(states.client).padEnd(LANE)} ${wire.padEnd(WIRE)} ${stateName(states.server).padEnd(LANE)} ${text}`;
    lines.push(row.trimEnd());
    if (explain && e.kind !== 'end') {
      lines.push(`${''.padStart(TIME)}    ${e.explanation}`);
    }
  }
  const last = trace.events[trace.events.length - 1];
  if (last?.kind === 'end') {
    lines.push('', last.explanation);
  }
  return lines.join('\n') + '\n';
}

function time(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`.padStart(TIME);
}

/** Segment as a short tag: kind, and "again" for a retransmission. */
function tag(s: Segment): string {
  return s.retransmit ? `${s.kind}*` : s.kind;
}

function segmentText(s: Segment): string {
  const parts = [`${s.kind} seq=${s.seq}`];
  if (s.ack) {
    parts.push(`ack=${s.ackNo}`);
  }
  if (s.data) {
    parts.push(JSON.stringify(s.data));
  }
  if (s.retransmit) {
    parts.push(l10n.t('(retransmission)'));
  }
  if (s.copyOf !== undefined) {
    parts.push(l10n.t('(stray copy from connection #{n})', { n: s.incarnation }));
  }
  return parts.join(' ');
}

function wireCell(e: TraceEvent): string {
  const rightward = 'side' in e && e.side === 'client';
  const half = WIRE / 2;
  switch (e.kind) {
    case 'segment-sent':
      return rightward ? `|--${tag(e.segment)}-->`.padEnd(half) : `<--${tag(e.segment)}--|`.padStart(WIRE);
    case 'segment-received': {
      const end = e.accepted ? '|' : 'x';
      // A segment arrives at e.side; it travelled from the other lane.
      return e.side === 'server' ? `-->${end}`.padStart(WIRE) : `${end}<--`;
    }
    case 'segment-dropped': {
      const arrow = rightward ? `--${tag(e.segment)}--X` : `X--${tag(e.segment)}--`;
      return rightward ? arrow.padStart(half + 2) : ''.padEnd(half - 2) + arrow;
    }
    case 'segment-duplicated':
      return rightward ? `|==${tag(e.segment)}x2=>` : `<=${tag(e.segment)}x2==|`.padStart(WIRE);
    case 'segment-delayed':
      return ''.padEnd(half - 2) + '~~~~';
    default:
      return '';
  }
}

function label(e: TraceEvent): string {
  switch (e.kind) {
    case 'note':
      return '';
    case 'app-call':
      return `${e.side}: ${e.call}()`;
    case 'segment-sent':
      return `${e.side} ${l10n.t('sends')} ${segmentText(e.segment)}`;
    case 'segment-received':
      return `${e.side} ${e.accepted ? l10n.t('receives') : l10n.t('rejects')} ${segmentText(e.segment)}`;
    case 'segment-dropped':
      return `${l10n.t('lost')}: ${segmentText(e.segment)} (${e.reason})`;
    case 'segment-duplicated':
      return `${l10n.t('duplicated')}: ${segmentText(e.segment)}`;
    case 'segment-delayed':
      return `${l10n.t('delayed')} ${e.delayMs} ms: ${segmentText(e.segment)}`;
    case 'state-changed':
      return `${e.side}: ${stateName(e.from)} -> ${stateName(e.to)}`;
    case 'timer-set':
      return `${e.side}: ${l10n.t('timer')} ${e.timer} ${l10n.t('set')} ${e.ms} ms`;
    case 'timer-fired':
      return `${e.side}: ${l10n.t('timer')} ${e.timer} ${l10n.t('fires')}`;
    case 'timer-cancelled':
      return `${e.side}: ${l10n.t('timer')} ${e.timer} ${l10n.t('stopped')}`;
    case 'app-error':
      return `${e.side}: ${l10n.t('error')} ${e.error}`;
    case 'app-data':
      return `${e.side}: ${l10n.t('program reads')} ${JSON.stringify(e.data)}${e.segmentIncarnation !== e.incarnation ? ` ${l10n.t('(from the OLD connection!)')}` : ''}`;
    case 'app-eof':
      return `${e.side}: ${l10n.t('program reads EOF')}`;
    case 'end':
      return l10n.t('end');
  }
}
