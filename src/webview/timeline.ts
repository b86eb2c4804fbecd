import type { ProgramEvent, TimelineEntry, UiStrings } from '../protocol';
import { fill, h, s, stateClass } from './dom';
import { endpoint } from './model';

const WIDTH = 900;
const LABEL_W = 200;
const LANE_H = 20;
const AXIS_H = 24;
/** Socket lanes drawn (most recently active first); the list below has everything. */
const MAX_LANES = 24;
/** Entries listed in text, newest last. */
const MAX_LISTED = 300;

/** One line of text for a program event (`server: bind :7865 failed: EADDRINUSE`). */
export function describeEvent(e: ProgramEvent, strings: UiStrings): string {
  if (e.ev === 'recv' && e.bytes === 0) {
    return strings.evRecvEof;
  }
  const parts: string[] = [e.ev];
  if (e.ev === 'bind' || e.ev === 'listen') {
    parts.push(e.port !== undefined ? `:${e.port}` : '');
  }
  if (e.local) {
    parts.push(e.local);
  }
  if (e.peer) {
    parts.push(`\u2194 ${e.peer}`);
  }
  if (e.bytes !== undefined) {
    parts.push(fill(strings.evBytes, { bytes: e.bytes }));
  }
  if (e.option) {
    parts.push(e.value !== undefined ? `${e.option}=${e.value}` : e.option);
  }
  if (e.text) {
    parts.push(e.text);
  }
  const text = parts.filter((p) => p !== '').join(' ');
  return e.ok === false || (e.errno && e.ev !== 'step') ? `${text} \u2717 ${e.errno ?? ''}`.trim() : text;
}

const entryAt = (e: TimelineEntry) => (e.kind === 'program' ? e.event.at : e.at);

/** Transitions and program events on one time axis: a lane per socket plus a programs lane, and a text log. */
export class Timeline {
  readonly element: HTMLElement;
  private readonly chart: HTMLElement;
  private readonly list: HTMLOListElement;

  constructor(private readonly strings: UiStrings) {
    this.chart = h('div', { class: 'timeline-chart' });
    this.list = h('ol', { class: 'timeline-list', 'aria-label': strings.timelineLabel });
    this.element = h('section', { class: 'timeline', 'aria-label': strings.timelineLabel }, this.chart, this.list);
  }

  render(timeline: readonly TimelineEntry[], now: number): void {
    if (timeline.length === 0) {
      this.chart.replaceChildren(h('p', { class: 'hint' }, this.strings.timelineEmpty));
      this.list.replaceChildren();
      return;
    }
    const t0 = entryAt(timeline[0]);
    // The axis ends at the latest news (last entry or poll), so open bars end there too.
    const t1 = Math.max(now, entryAt(timeline[timeline.length - 1]), t0 + 1000);
    const x = (t: number) => LABEL_W + ((t - t0) / (t1 - t0)) * (WIDTH - LABEL_W - 10);
    const lanes = this.lanes(timeline, t1);
    const height = AXIS_H + LANE_H * (lanes.length + 1) + 6;
    const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'timeline-svg', role: 'img', 'aria-label': this.strings.timelineLabel });
    svg.append(this.axis(t0, t1, x, height));
    // Programs lane first, then one lane per socket with its states as colored bars.
    const programsY = AXIS_H;
    svg.append(s('text', { x: 4, y: programsY + 14, class: 'lane-label' }, this.strings.lanePrograms));
    for (const entry of timeline) {
      if (entry.kind === 'program') {
        const e = entry.event;
        const cx = x(e.at);
        const failed = e.ok === false || e.ev === 'error';
        svg.append(s('path', {
          d: `M ${cx} ${programsY + 4} l 5 6 l -5 6 l -5 -6 z`, class: `program-mark${failed ? ' failed' : ''}${e.ev === 'step' ? ' step' : ''}`,
        }, s('title', {}, `${e.source}: ${describeEvent(e, this.strings)}`)));
      }
    }
    lanes.forEach((lane, i) => {
      const y = AXIS_H + LANE_H * (i + 1);
      svg.append(s('text', { x: 4, y: y + 14, class: 'lane-label' }, lane.label));
      lane.bars.forEach((bar) => {
        const x0 = x(bar.from);
        const w = Math.max(2, x(bar.to) - x0);
        svg.append(s('rect', { x: x0, y: y + 4, width: w, height: LANE_H - 8, rx: 2, class: `bar ${stateClass(bar.state)}` },
          s('title', {}, `${lane.label}: ${bar.state}`)));
      });
    });
    this.chart.replaceChildren(svg);
    this.list.replaceChildren(...timeline.slice(-MAX_LISTED).map((e) => this.item(e, t0)));
  }

  private item(e: TimelineEntry, t0: number): HTMLLIElement {
    const at = h('span', { class: 'at' }, `+${((entryAt(e) - t0) / 1000).toFixed(2)} s`);
    if (e.kind === 'program') {
      const failed = e.event.ok === false || e.event.ev === 'error';
      return h('li', { class: `program${failed ? ' failed' : ''}` }, at, h('span', { class: 'source' }, e.event.source),
        h('span', { class: 'what' }, describeEvent(e.event, this.strings)));
    }
    const from = e.from ?? this.strings.appeared;
    const to = e.to ?? this.strings.gone;
    return h('li', { class: 'kernel' }, at, h('span', { class: 'source' }, this.strings.laneKernel),
      h('span', { class: 'what' }, `${endpoint(e.row.local)} \u2192 ${endpoint(e.row.remote)}  `,
        h('span', { class: e.from ? `chip ${stateClass(e.from)}` : 'chip' }, from), ' \u2192 ',
        h('span', { class: e.to ? `chip ${stateClass(e.to)}` : 'chip' }, to)));
  }

  private axis(t0: number, t1: number, x: (t: number) => number, height: number): SVGGElement {
    const g = s('g', { class: 'axis' });
    const span = (t1 - t0) / 1000;
    const step = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600].find((st) => span / st <= 10) ?? 1200;
    for (let sec = 0; sec <= span + 1e-9; sec += step) {
      const tx = x(t0 + sec * 1000);
      g.append(s('line', { x1: tx, x2: tx, y1: AXIS_H - 6, y2: height, class: 'tick' }),
        s('text', { x: tx, y: AXIS_H - 10, 'text-anchor': 'middle', class: 'tick-label' }, `${Number(sec.toFixed(1))} s`));
    }
    return g;
  }

  /** Per socket: its states over time as bars; the most recently active sockets first. */
  private lanes(timeline: readonly TimelineEntry[], now: number): { label: string; last: number; bars: { state: string; from: number; to: number }[] }[] {
    const lanes = new Map<string, { label: string; last: number; open?: { state: string; from: number }; bars: { state: string; from: number; to: number }[] }>();
    let end = 0;
    for (const e of timeline) {
      end = Math.max(end, entryAt(e));
      if (e.kind !== 'transition') {
        continue;
      }
      let lane = lanes.get(e.key);
      if (!lane) {
        lane = { label: `${endpoint(e.row.local)} \u2192 ${endpoint(e.row.remote)}`, last: e.at, bars: [] };
        lanes.set(e.key, lane);
      }
      lane.last = e.at;
      if (lane.open) {
        lane.bars.push({ ...lane.open, to: e.at });
        lane.open = undefined;
      }
      if (e.to) {
        lane.open = { state: e.to, from: e.at };
      }
    }
    const result = [...lanes.values()].map((lane) => ({
      label: lane.label, last: lane.last, bars: lane.open ? [...lane.bars, { ...lane.open, to: Math.max(end, now) }] : lane.bars,
    }));
    return result.sort((a, b) => b.last - a.last).slice(0, MAX_LANES);
  }
}
