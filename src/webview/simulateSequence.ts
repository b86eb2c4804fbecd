import type { UiStrings } from '../protocol';
import type { Segment, Side, TraceEvent } from '../tcp/sim/types';
import { fill, h, s, stateClass } from './dom';

// Same look as the live teardown diagrams (sequence.ts: .sequence, .lifeline, .segment), but
// every segment here is simulated, not inferred, and lost ones stop half way with a cross.
const W = 500;
const LEFT = 110;
const RIGHT = W - 110;
const TOP = 44;
const ROW = 26;

/** Simulated time for labels: "0.120 s", "7211.000 s". */
export function simTime(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

type Row =
  | { type: 'segment'; segment: Segment; at: number; step: number; fate: 'flying' | 'received' | 'dropped'; rejected: boolean }
  | { type: 'state'; side: Side; state: string; at: number; step: number };

/** The rows of the diagram after `events[0..upto]`: segments with their fate, and state changes. */
export function sequenceRows(events: readonly TraceEvent[], upto: number): Row[] {
  const rows: Row[] = [];
  const bySegment = new Map<number, Extract<Row, { type: 'segment' }>>();
  for (const e of events.slice(0, upto + 1)) {
    switch (e.kind) {
      case 'segment-sent': {
        const row = { type: 'segment' as const, segment: e.segment, at: e.t, step: e.step, fate: 'flying' as const, rejected: false };
        rows.push(row);
        bySegment.set(e.segment.id, row);
        break;
      }
      case 'segment-duplicated': {
        const row = { type: 'segment' as const, segment: e.copy, at: e.t, step: e.step, fate: 'flying' as const, rejected: false };
        rows.push(row);
        bySegment.set(e.copy.id, row);
        break;
      }
      case 'segment-received': {
        const row = bySegment.get(e.segment.id);
        if (row) {
          row.fate = 'received';
          row.rejected = !e.accepted;
          row.step = e.step;
        }
        break;
      }
      case 'segment-dropped': {
        const row = bySegment.get(e.segment.id);
        if (row) {
          row.fate = 'dropped';
          row.step = e.step;
        }
        break;
      }
      case 'state-changed':
        rows.push({ type: 'state', side: e.side, state: e.to === 'CLOSE' ? 'CLOSED' : e.to, at: e.t, step: e.step });
        break;
      default:
        break;
    }
  }
  return rows;
}

/** The two-column sequence of the simulated connection, drawn up to the current step. */
export class SimSequence {
  readonly element: HTMLElement;
  private readonly box: HTMLElement;

  constructor(private readonly strings: UiStrings) {
    this.box = h('div', { class: 'sim-sequence-box' });
    this.element = h('figure', { class: 'sequence-figure sim-sequence-figure' },
      h('figcaption', {}, h('strong', {}, strings.simSequenceTitle)), this.box);
  }

  render(events: readonly TraceEvent[], upto: number): void {
    const rows = sequenceRows(events, upto);
    const current = events[upto];
    const height = TOP + ROW * (rows.length + 1);
    const svg = s('svg', { viewBox: `0 0 ${W} ${height}`, width: W, height, class: 'sequence sim-seq', role: 'img', 'aria-label': this.strings.simSequenceTitle },
      s('defs', {}, s('marker', { id: 'sim-seq-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }))));
    for (const side of ['client', 'server'] as const) {
      const x = side === 'client' ? LEFT : RIGHT;
      svg.append(
        s('text', { x, y: 24, 'text-anchor': 'middle', class: 'seq-role' }, fill(this.strings.simEndpoint, { side: side === 'client' ? this.strings.client : this.strings.server })),
        s('line', { x1: x, x2: x, y1: TOP - 8, y2: height - 8, class: 'lifeline' }),
      );
    }
    let currentRow = -1;
    rows.forEach((row, i) => {
      const y = TOP + i * ROW;
      const isCurrent = current !== undefined && row.step === current.step
        && (row.type === 'state' ? current.kind === 'state-changed' : 'segment' in current && (current.segment.id === row.segment.id || (current.kind === 'segment-duplicated' && current.copy.id === row.segment.id)));
      const node = row.type === 'state' ? this.stateRow(row, y) : this.segmentRow(row, y);
      node.classList.toggle('current', isCurrent);
      if (isCurrent) {
        currentRow = i;
      }
      svg.append(node);
    });
    this.box.replaceChildren(svg);
    // Keep the newest row in sight while playing.
    const focus = currentRow >= 0 ? currentRow : rows.length - 1;
    this.box.scrollTop = Math.max(0, ((TOP + focus * ROW) / height) * this.box.scrollHeight - this.box.clientHeight / 2);
  }

  private stateRow(row: Extract<Row, { type: 'state' }>, y: number): SVGGElement {
    const x = row.side === 'client' ? LEFT : RIGHT;
    return s('g', { class: `sim-state ${stateClass(row.state === 'CLOSED' ? 'CLOSE' : row.state)}`, 'data-side': row.side, 'data-state': row.state },
      s('rect', { x: x - 52, y: y + 2, width: 104, height: 18, rx: 3 }),
      s('text', { x, y: y + 15, 'text-anchor': 'middle' }, row.state));
  }

  private segmentRow(row: Extract<Row, { type: 'segment' }>, y: number): SVGGElement {
    const seg = row.segment;
    const [x1, x2] = seg.from === 'client' ? [LEFT, RIGHT] : [RIGHT, LEFT];
    const y2 = y + ROW - 6;
    const end = row.fate === 'received' ? 1 : 0.5;
    const xe = x1 + (x2 - x1) * end;
    const ye = y + (y2 - y) * end;
    const notes = [
      seg.retransmit ? this.strings.simRetransmit : '',
      seg.copyOf !== undefined ? this.strings.simDuplicate : '',
      row.fate === 'dropped' ? this.strings.simDropped : '',
    ].filter(Boolean);
    const label = `${seg.kind} seq=${seg.seq}${seg.ack ? ` ack=${seg.ackNo}` : ''}${seg.data ? ` "${seg.data}"` : ''}${notes.length ? ` (${notes.join(', ')})` : ''}`;
    const group = s('g', {
      class: `segment simulated seg-${seg.kind.toLowerCase()} fate-${row.fate}${row.rejected ? ' rejected' : ''}`,
      'data-from': seg.from, 'data-kind': seg.kind, 'data-fate': row.fate,
    },
    s('line', { x1, y1: y, x2: xe, y2: ye, 'marker-end': row.fate === 'received' ? 'url(#sim-seq-arrow)' : undefined }),
    s('text', { x: (x1 + x2) / 2, y: y + 8, 'text-anchor': 'middle', class: 'seg-label' }, label),
    s('text', { x: seg.from === 'client' ? LEFT - 56 : RIGHT + 56, y: y + 4, 'text-anchor': seg.from === 'client' ? 'end' : 'start', class: 'seg-time' }, simTime(row.at)));
    if (row.fate === 'dropped') {
      group.append(s('path', { d: `M ${xe - 6} ${ye - 6} L ${xe + 6} ${ye + 6} M ${xe + 6} ${ye - 6} L ${xe - 6} ${ye + 6}`, class: 'drop-cross' }));
    }
    return group;
  }
}
