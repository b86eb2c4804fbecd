import type { UiStrings } from '../protocol';
import { fill, h, s } from './dom';
import type { Side, Teardown } from './teardown';

const W = 460;
const LEFT = 90;
const RIGHT = W - 90;
const TOP = 52;
const STEP = 34;

/**
 * Two-column sequence diagrams of connection teardowns. Every segment is inferred from
 * states and program events, so every arrow is dashed and labeled as inferred.
 */
export class SequenceDiagrams {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;

  constructor(private readonly strings: UiStrings) {
    this.list = h('div', { class: 'sequences' });
    this.element = h('section', { class: 'sequence-wrap' }, h('p', { class: 'inferred-note' }, strings.inferredNote), this.list);
  }

  render(teardowns: readonly Teardown[]): void {
    if (teardowns.length === 0) {
      this.list.replaceChildren(h('p', { class: 'hint' }, this.strings.sequenceNone));
      return;
    }
    // Newest first; a handful is enough to compare runs.
    this.list.replaceChildren(...teardowns.slice(-6).reverse().map((t) => this.one(t)));
  }

  private sideName(t: Teardown, side: Side): string {
    const info = t.sides[side];
    return `${info.server ? this.strings.server : this.strings.client} ${info.endpoint}`;
  }

  private one(t: Teardown): HTMLElement {
    const height = TOP + STEP * (t.segments.length + 1) + 30;
    const firstSide = t.firstCloser === 0 ? 'left' : t.firstCloser === 1 ? 'right' : t.firstCloser === 'both' ? 'both' : 'unknown';
    const caption = t.firstCloser === 0 || t.firstCloser === 1 ? fill(this.strings.closedFirst, { side: this.sideName(t, t.firstCloser) }) : '';
    const svg = s('svg', {
      viewBox: `0 0 ${W} ${height}`, class: 'sequence', role: 'img', 'data-first-closer': firstSide,
      'data-first-endpoint': t.firstCloser === 0 || t.firstCloser === 1 ? t.sides[t.firstCloser].endpoint : '',
      'aria-label': `${fill(this.strings.sequenceTitle, { a: this.sideName(t, 0), b: this.sideName(t, 1) })}. ${caption}`,
    });
    svg.append(s('defs', {}, s('marker', { id: `seq-arrow-${safeId(t.id)}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }))));
    ([0, 1] as Side[]).forEach((side) => {
      const x = side === 0 ? LEFT : RIGHT;
      svg.append(
        s('text', { x, y: 16, 'text-anchor': 'middle', class: 'seq-role' }, t.sides[side].server ? this.strings.server : this.strings.client),
        s('text', { x, y: 32, 'text-anchor': 'middle', class: 'seq-endpoint' }, t.sides[side].endpoint),
        s('line', { x1: x, x2: x, y1: TOP - 10, y2: height - 34, class: 'lifeline' }),
      );
    });
    const t0 = t.segments[0]?.at ?? 0;
    t.segments.forEach((seg, i) => {
      const y1 = TOP + i * STEP;
      const y2 = y1 + STEP - 8;
      const [x1, x2] = seg.from === 0 ? [LEFT, RIGHT] : [RIGHT, LEFT];
      svg.append(s('g', { class: `segment seg-${seg.kind.toLowerCase()} inferred`, 'data-from': seg.from === 0 ? 'left' : 'right', 'data-kind': seg.kind },
        s('line', { x1, y1, x2, y2, 'marker-end': `url(#seq-arrow-${safeId(t.id)})` }),
        s('text', { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 5, 'text-anchor': 'middle', class: 'seg-label' },
          `${this.segmentName(seg.kind)} (${this.strings.inferred})`),
        s('text', { x: seg.from === 0 ? LEFT - 8 : RIGHT + 8, y: y1 + 4, 'text-anchor': seg.from === 0 ? 'end' : 'start', class: 'seg-time' },
          `+${((seg.at - t0) / 1000).toFixed(1)} s`)));
    });
    if (t.timeWait !== undefined) {
      const x = t.timeWait === 0 ? LEFT : RIGHT;
      const y = height - 30;
      svg.append(s('g', { class: 'tw-box state-time-wait', 'data-side': t.timeWait === 0 ? 'left' : 'right' },
        s('rect', { x: x - 70, y, width: 140, height: 22, rx: 4 }),
        s('text', { x, y: y + 15, 'text-anchor': 'middle' }, 'TIME_WAIT')));
    }
    const notes: string[] = [];
    if (caption) {
      notes.push(caption);
    }
    if (t.timeWait !== undefined) {
      notes.push(fill(this.strings.leftInTimeWait, { side: this.sideName(t, t.timeWait) }));
    }
    return h('figure', { class: 'sequence-figure', 'data-connection': t.id },
      h('figcaption', {}, h('strong', {}, fill(this.strings.sequenceTitle, { a: this.sideName(t, 0), b: this.sideName(t, 1) })),
        ...notes.map((n) => h('span', { class: 'seq-note' }, n))),
      svg);
  }

  private segmentName(kind: 'FIN' | 'ACK' | 'RST'): string {
    return kind === 'FIN' ? this.strings.segFin : kind === 'ACK' ? this.strings.segAck : this.strings.segRst;
  }
}

/** Connection ids hold `:` `.` `|`; element ids referenced by url(#...) must not. */
function safeId(id: string): string {
  return id.replace(/[^a-zA-Z0-9]/g, '-');
}
