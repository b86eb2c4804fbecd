import type { DiagramEdge, StateInfo, TransitionEntry, UiStrings } from '../protocol';
import type { TcpState } from '../tcp/states';
import { fill, h, s, setText, stateClass } from './dom';
import { LABEL_LINE_EM, MARKER_ROWS, MARKERS_PER_ROW, NODE_CENTERS, NODE_H, NODE_W, VIEW_H, VIEW_W, markerPosition, placeLabels, route, textWidth, type PlacedLabel } from './layout';
import { endpoint, type LiveRow } from './model';

/** How long an edge stays lit after a socket moved along it. */
const LIT_MS = 1600;
const MAX_MARKERS = MARKERS_PER_ROW * MARKER_ROWS;

interface Marker {
  node: SVGCircleElement;
  title: SVGTitleElement;
  state: TcpState;
}

/**
 * The state machine in SVG: states as focusable buttons, edges with event / action labels,
 * each watched socket as a marker on its state. Edges along which a socket just moved light up.
 */
export class Diagram {
  readonly element: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly edgePaths = new Map<string, SVGGElement>();
  private readonly nodes = new Map<TcpState, { group: SVGGElement; overflow: SVGTextElement }>();
  private readonly markers = new Map<string, Marker>();
  private readonly markerLayer: SVGGElement;
  private readonly details: HTMLElement;
  private readonly litTimers = new Map<string, number>();
  private selectedState: TcpState | undefined;
  private counts = new Map<TcpState, number>();

  constructor(private readonly strings: UiStrings, private readonly states: StateInfo[], private readonly edges: DiagramEdge[],
    private readonly onSelectSocket: (key: string) => void) {
    this.svg = s('svg', { viewBox: `0 0 ${VIEW_W} ${VIEW_H}`, class: 'diagram', role: 'group', 'aria-label': strings.diagramLabel });
    const defs = s('defs');
    defs.append(
      s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' },
        s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' })),
      s('marker', { id: 'arrow-lit', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 11, markerHeight: 11, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' },
        s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head lit' })),
    );
    const edgeLayer = s('g', { class: 'edges', 'aria-hidden': 'true' });
    const labelLayer = s('g', { class: 'edge-labels', 'aria-hidden': 'true' });
    const drawn = drawnEdges(edges);
    const pairs = new Set(drawn.map((e) => `${e.from}>${e.to}`));
    const routes = drawn.map((e) => route(e.from, e.to, pairs.has(`${e.to}>${e.from}`) ? 22 : 0));
    const labels = placeLabels(drawn.map((e, i) => ({ route: routes[i], event: cut(e, e.event), action: cut(e, e.action) })));
    drawn.forEach((edge, i) => {
      const id = `${edge.from}>${edge.to}`;
      const group = s('g', { class: `edge edge-${edge.kind}`, 'data-edge': id });
      group.append(s('path', { d: routes[i].d, 'marker-end': 'url(#arrow)' }));
      edgeLayer.append(group);
      labelLayer.append(labelText(id, edge.action ? `${edge.event} / ${edge.action}` : edge.event, labels[i]));
      this.edgePaths.set(id, group);
    });
    const nodeLayer = s('g', { class: 'nodes' });
    for (const info of states) {
      nodeLayer.append(this.node(info));
    }
    this.markerLayer = s('g', { class: 'markers' });
    this.svg.append(defs, edgeLayer, nodeLayer, labelLayer, this.markerLayer);
    this.details = h('section', { class: 'state-details', 'aria-live': 'polite' }, h('p', { class: 'hint' }, strings.diagramHint));
    this.element = h('div', { class: 'diagram-wrap' }, this.svg, this.details);
  }

  private node(info: StateInfo): SVGGElement {
    const c = NODE_CENTERS[info.state];
    const group = s('g', {
      class: `node ${stateClass(info.state)}`, tabindex: 0, role: 'button', 'data-state': info.state,
      'aria-label': `${info.state}: ${info.explanation.meaning}`,
    });
    group.append(
      s('rect', { x: c.x - NODE_W / 2, y: c.y - NODE_H / 2, width: NODE_W, height: NODE_H, rx: 8 }),
      s('text', { x: c.x, y: c.y - NODE_H / 2 + 18, 'text-anchor': 'middle', class: 'node-label' }, info.state),
    );
    const overflow = s('text', { x: c.x + NODE_W / 2 - 6, y: c.y - NODE_H / 2 + 18, 'text-anchor': 'end', class: 'overflow' });
    group.append(overflow);
    group.addEventListener('click', () => this.explain(info.state));
    group.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.explain(info.state);
      }
    });
    this.nodes.set(info.state, { group, overflow });
    return group;
  }

  /** Shows what brings a socket to `state`, what ends it and how long it lasts. */
  explain(state: TcpState): void {
    const info = this.states.find((x) => x.state === state);
    if (!info) {
      return;
    }
    this.selectedState = state;
    for (const [st, n] of this.nodes) {
      n.group.classList.toggle('chosen', st === state);
    }
    const e = info.explanation;
    const item = (term: string, text: string) => [h('dt', {}, term), h('dd', {}, text)];
    this.details.replaceChildren(
      h('h3', { class: stateClass(state) }, state),
      h('p', { class: 'meaning' }, e.meaning),
      h('dl', {}, ...item(this.strings.stateArrivedBy, e.arrivedBy), ...item(this.strings.stateEndedBy, e.endedBy),
        ...item(this.strings.stateDuration, e.duration)),
      h('p', { class: 'count' }, fill(this.strings.stateSockets, { count: this.counts.get(state) ?? 0 })),
    );
  }

  /** Places one marker per socket on its state; markers of moved sockets slide (CSS transition). */
  setSockets(rows: Iterable<LiveRow>, selected: string | undefined, peer: string | undefined): void {
    const byState = new Map<TcpState, LiveRow[]>();
    for (const live of rows) {
      const list = byState.get(live.row.state) ?? [];
      list.push(live);
      byState.set(live.row.state, list);
    }
    const seen = new Set<string>();
    this.counts = new Map();
    for (const [state, list] of byState) {
      list.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      this.counts.set(state, list.length);
      list.slice(0, MAX_MARKERS).forEach((live, i) => {
        seen.add(live.key);
        this.placeMarker(live, markerPosition(state, i), live.key === selected, live.key === peer);
      });
    }
    for (const [key, marker] of this.markers) {
      if (!seen.has(key)) {
        marker.node.remove();
        this.markers.delete(key);
      }
    }
    for (const [state, n] of this.nodes) {
      const count = this.counts.get(state) ?? 0;
      setText(n.overflow, count > MAX_MARKERS ? `+${count - MAX_MARKERS}` : count > 0 ? String(count) : '');
      n.group.classList.toggle('occupied', count > 0);
    }
    if (this.selectedState) {
      const count = this.details.querySelector('.count');
      if (count) {
        setText(count, fill(this.strings.stateSockets, { count: this.counts.get(this.selectedState) ?? 0 }));
      }
    }
  }

  private placeMarker(live: LiveRow, at: { x: number; y: number }, selected: boolean, peer: boolean): void {
    let marker = this.markers.get(live.key);
    const label = fill(this.strings.markerLabel, { local: endpoint(live.row.local), remote: endpoint(live.row.remote), state: live.row.state });
    if (!marker) {
      const title = s('title');
      const node = s('circle', { r: 4.5, cx: 0, cy: 0, class: 'marker', 'data-key': live.key, role: 'img' }, title);
      node.addEventListener('click', () => this.onSelectSocket(live.key));
      marker = { node, title, state: live.row.state };
      this.markers.set(live.key, marker);
      this.markerLayer.append(node);
    }
    const transform = `translate(${at.x}px, ${at.y}px)`;
    if (marker.node.style.transform !== transform) {
      marker.node.style.transform = transform;
    }
    marker.state = live.row.state;
    const cls = `marker ${stateClass(live.row.state)}${selected ? ' selected' : ''}${peer ? ' peer' : ''}`;
    if (marker.node.getAttribute('class') !== cls) {
      marker.node.setAttribute('class', cls);
      marker.node.setAttribute('data-state', live.row.state);
      marker.node.setAttribute('r', selected || peer ? '6' : '4.5');
    }
    if (marker.node.getAttribute('aria-label') !== label) {
      marker.node.setAttribute('aria-label', label);
      setText(marker.title, label);
    }
  }

  /** Lights the edges along which sockets just moved (shortest path when a poll skipped states). */
  light(entries: readonly TransitionEntry[]): void {
    for (const entry of entries) {
      if (entry.from === null) {
        continue;
      }
      for (const id of this.path(entry.from, entry.to ?? 'CLOSE')) {
        const group = this.edgePaths.get(id);
        if (!group) {
          continue;
        }
        group.classList.remove('lit');
        // Restart the animation when the same edge fires again.
        void group.getBoundingClientRect();
        group.classList.add('lit');
        group.querySelector('path')?.setAttribute('marker-end', 'url(#arrow-lit)');
        window.clearTimeout(this.litTimers.get(id));
        this.litTimers.set(id, window.setTimeout(() => {
          group.classList.remove('lit');
          group.querySelector('path')?.setAttribute('marker-end', 'url(#arrow)');
        }, LIT_MS));
      }
    }
  }

  /** Edge ids on the shortest path from -> to, over drawn edges first, then over all. */
  private path(from: TcpState, to: TcpState): string[] {
    const drawn = this.edges.filter((e) => this.edgePaths.has(`${e.from}>${e.to}`));
    return shortestPath(drawn, from, to) ?? shortestPath(this.edges, from, to) ?? [];
  }

  /** What the markers show, for the host's probe. */
  probe(): { key: string; state: string }[] {
    return [...this.markers].map(([key, m]) => ({ key, state: m.node.getAttribute('data-state') ?? m.state }));
  }
}

/** Abort edges drawn besides the main ones: the RST of SO_LINGER {1,0} is part of a lesson. */
const DRAWN_ABORTS = new Set(['ESTABLISHED>CLOSE']);

/** One edge per state pair: main edges, plus the abort edges the layout has room for. */
export function drawnEdges(edges: readonly DiagramEdge[]): DiagramEdge[] {
  const byPair = new Map<string, DiagramEdge>();
  for (const e of edges) {
    const id = `${e.from}>${e.to}`;
    if ((e.kind === 'main' || DRAWN_ABORTS.has(id)) && !byPair.has(id)) {
      byPair.set(id, e);
    }
  }
  return [...byPair.values()];
}

/** Edge ids of a shortest path (breadth first); undefined when `to` cannot be reached. */
export function shortestPath(edges: readonly DiagramEdge[], from: TcpState, to: TcpState): string[] | undefined {
  if (from === to) {
    return [];
  }
  const previous = new Map<TcpState, TcpState>();
  const queue: TcpState[] = [from];
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const e of edges) {
      if (e.from !== at || e.to === from || previous.has(e.to)) {
        continue;
      }
      previous.set(e.to, at);
      if (e.to === to) {
        const ids: string[] = [];
        for (let n: TcpState = to; n !== from; n = previous.get(n)!) {
          ids.unshift(`${previous.get(n)}>${n}`);
        }
        return ids;
      }
      queue.push(e.to);
    }
  }
  return undefined;
}

/**
 * An edge label: its lines centered on the placed point (the event, then the action in a
 * fainter style), with the full text as its tooltip.
 */
function labelText(id: string, title: string, placed: PlacedLabel): SVGTextElement {
  const label = s('text', { x: placed.x, y: placed.y, 'text-anchor': placed.anchor, class: 'edge-label', 'data-edge': id }, s('title', {}, title));
  const lines = [...placed.event.map((text) => ({ text, action: false })), ...placed.action.map((text) => ({ text, action: true }))];
  lines.forEach((line, i) => {
    // 0.35em puts a single line's middle on y; each further line lifts the first by half a line.
    const dy = i === 0 ? `${Math.round((0.35 - ((lines.length - 1) * LABEL_LINE_EM) / 2) * 100) / 100}em` : `${LABEL_LINE_EM}em`;
    label.append(s('tspan', { x: placed.x, dy, class: line.action ? 'edge-action' : undefined }, line.text));
  });
  return label;
}

/** Abort edges' texts list every cause; the drawing keeps the first (the <title> has them all). */
function cut(edge: DiagramEdge, text: string): string {
  return edge.kind === 'abort' ? shorten(text) : text;
}

/**
 * A long label cut to its first clause (or, failing that, to `max` user units) with an ellipsis.
 * Clauses end at ASCII or CJK commas and semicolons, or at " or ".
 */
export function shorten(text: string, max = 150): string {
  if (textWidth(text) <= max) {
    return text;
  }
  const first = text.split(/[;,\uff0c\uff1b\u3001]| or /)[0].trim();
  let cut = first.length < text.length ? `${first}\u2026` : first;
  while (textWidth(cut) > max && cut.length > 1) {
    cut = `${[...cut.replace(/\u2026$/, '')].slice(0, -1).join('').trimEnd()}\u2026`;
  }
  return cut;
}
