import type { TcpState } from '../tcp/states';

/** Geometry of the state diagram (SVG user units); the classic RFC 793 arrangement. */
export const VIEW_W = 820;
export const VIEW_H = 640;
export const NODE_W = 150;
export const NODE_H = 58;
export const MARKERS_PER_ROW = 12;
export const MARKER_ROWS = 2;
/** Edge label font size (styles.css `.edge-label`) and line advance in em (diagram.ts tspans). */
export const LABEL_FONT = 10.5;
export const LABEL_LINE_EM = 1.1;

export const NODE_CENTERS: Record<TcpState, { x: number; y: number }> = {
  CLOSE: { x: 410, y: 40 },
  LISTEN: { x: 410, y: 145 },
  SYN_RECV: { x: 140, y: 245 },
  SYN_SENT: { x: 680, y: 245 },
  ESTABLISHED: { x: 410, y: 345 },
  FIN_WAIT1: { x: 140, y: 450 },
  CLOSING: { x: 410, y: 450 },
  CLOSE_WAIT: { x: 680, y: 450 },
  FIN_WAIT2: { x: 140, y: 580 },
  TIME_WAIT: { x: 410, y: 580 },
  LAST_ACK: { x: 680, y: 580 },
};

type Anchor = 'start' | 'middle' | 'end';

/** A point a label may hang from, and on which side of it the text runs. */
export interface LabelSpot {
  x: number;
  y: number;
  anchor: Anchor;
}

export interface Route {
  d: string;
  /** Where the label may go along the edge, best first; placeLabels takes the first free one. */
  spots: LabelSpot[];
  /** The widest a label line may be (between two states side by side, the gap between them). */
  room: number;
  /** Points along the path a few units apart: other labels avoid covering them. */
  trace: { x: number; y: number }[];
}

/** Gap kept between a label and a state box or another label (the labels' halo is 2 units). */
const CLEARANCE = 4;
/** Widest label line anywhere: longer text wraps. */
const MAX_ROOM = 180;
/** Spacing of the points that stand for an edge's line when labels avoid lines. */
const TRACE_STEP = 4;
/** Fractions along an edge its label may sit at (sorted nearest the preferred one first). */
const ALONG = Array.from({ length: 19 }, (_, k) => 0.05 + k * 0.05);

/**
 * Hand-routed edges that would otherwise cross the middle of the diagram: a polyline, the
 * segment that carries the label, the side of that segment the text runs on, and the preferred
 * fraction along it.
 */
const SPECIAL: Record<string, { points: [number, number][]; segment: number; anchor: Anchor; at: number }> = {
  'TIME_WAIT>CLOSE': { points: [[410, 609], [410, 628], [18, 628], [18, 32], [335, 32]], segment: 2, anchor: 'start', at: 0.85 },
  'LAST_ACK>CLOSE': { points: [[755, 580], [802, 580], [802, 32], [485, 32]], segment: 1, anchor: 'end', at: 0.85 },
  'SYN_SENT>CLOSE': { points: [[680, 216], [680, 48], [485, 48]], segment: 0, anchor: 'start', at: 0.4 },
  'ESTABLISHED>CLOSE': { points: [[335, 345], [262, 345], [262, 50], [335, 50]], segment: 1, anchor: 'end', at: 0.15 },
};

/** Vertical edges put their label on the right of the line, except where that side is taken. */
const LABEL_LEFT = new Set(['FIN_WAIT1>FIN_WAIT2', 'SYN_RECV>FIN_WAIT1', 'CLOSE_WAIT>LAST_ACK']);

const round = (n: number) => Math.round(n * 10) / 10;

/** Where a line from the center of a node toward (tx, ty) leaves the node's box. */
function clip(cx: number, cy: number, tx: number, ty: number): { x: number; y: number } {
  const dx = tx - cx;
  const dy = ty - cy;
  const t = Math.min(dx === 0 ? Infinity : NODE_W / 2 / Math.abs(dx), dy === 0 ? Infinity : NODE_H / 2 / Math.abs(dy));
  return { x: cx + dx * t, y: cy + dy * t };
}

/** Points along an edge (`point(t)`, t from 0 to 1) about TRACE_STEP units apart. */
function traced(point: (t: number) => { x: number; y: number }, length: number): { x: number; y: number }[] {
  const n = Math.max(1, Math.ceil(length / TRACE_STEP));
  return Array.from({ length: n + 1 }, (_, k) => point(k / n));
}

/** Label spots along an edge (`point(t)`, t from 0 to 1), the preferred fraction `at` first. */
function spotsAlong(point: (t: number) => { x: number; y: number }, anchor: Anchor, at = 0.5): LabelSpot[] {
  const shift = anchor === 'end' ? -6 : anchor === 'start' ? 6 : 0;
  return [...ALONG].sort((t, u) => Math.abs(t - at) - Math.abs(u - at))
    .map((t) => point(t)).map((p) => ({ x: round(p.x + shift), y: round(p.y), anchor }));
}

/** The path of an edge and where its label may go; `bend` curves it (used when both directions exist). */
export function route(from: TcpState, to: TcpState, bend: number): Route {
  const special = SPECIAL[`${from}>${to}`];
  if (special) {
    const segments = special.points.slice(1).map(([x1, y1], i) => {
      const [x0, y0] = special.points[i];
      return { point: (t: number) => ({ x: x0 + (x1 - x0) * t, y: y0 + (y1 - y0) * t }), length: Math.hypot(x1 - x0, y1 - y0) };
    });
    return {
      d: `M ${special.points.map(([x, y]) => `${x} ${y}`).join(' L ')}`,
      spots: spotsAlong(segments[special.segment].point, special.anchor, special.at),
      room: MAX_ROOM,
      trace: segments.flatMap((g) => traced(g.point, g.length)),
    };
  }
  const a = NODE_CENTERS[from];
  const b = NODE_CENTERS[to];
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  // Perpendicular to the direction of travel: reverse edges bend to opposite sides.
  const cx = (a.x + b.x) / 2 + (-(b.y - a.y) / len) * bend;
  const cy = (a.y + b.y) / 2 + ((b.x - a.x) / len) * bend;
  const p0 = clip(a.x, a.y, cx, cy);
  const p2 = clip(b.x, b.y, cx, cy);
  const bezier = (t: number) => ({
    x: (1 - t) ** 2 * p0.x + 2 * (1 - t) * t * cx + t ** 2 * p2.x,
    y: (1 - t) ** 2 * p0.y + 2 * (1 - t) * t * cy + t ** 2 * p2.y,
  });
  const anchor = Math.abs(b.x - a.x) < 40 ? (cx < a.x - 1 || LABEL_LEFT.has(`${from}>${to}`) ? 'end' : 'start') : 'middle';
  // Side by side, the text must fit between the two boxes.
  const room = Math.abs(b.y - a.y) < NODE_H ? Math.min(MAX_ROOM, Math.abs(b.x - a.x) - NODE_W - 2 * CLEARANCE) : MAX_ROOM;
  return {
    d: `M ${round(p0.x)} ${round(p0.y)} Q ${round(cx)} ${round(cy)} ${round(p2.x)} ${round(p2.y)}`,
    spots: spotsAlong(bezier, anchor),
    room,
    // The control polygon is at least as long as the curve: enough points.
    trace: traced(bezier, Math.hypot(cx - p0.x, cy - p0.y) + Math.hypot(p2.x - cx, p2.y - cy)),
  };
}

/** Position of the i-th marker inside a node (relative to the SVG origin). */
export function markerPosition(state: TcpState, index: number): { x: number; y: number } {
  const c = NODE_CENTERS[state];
  const col = index % MARKERS_PER_ROW;
  const row = Math.floor(index / MARKERS_PER_ROW);
  return { x: c.x - NODE_W / 2 + 15 + col * 11, y: c.y - NODE_H / 2 + 36 + row * 11 };
}

/** An edge label cut into lines: the event, then what TCP does (drawn fainter). */
export interface LabelLines {
  event: string[];
  action: string[];
}

export interface PlacedLabel extends LabelLines, LabelSpot {}

interface Box { x0: number; y0: number; x1: number; y1: number }

const CJK = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/**
 * Width of `text` in user units, estimated per character so the layout needs no rendering.
 * Generous on purpose (above Arial and Segoe UI): too much room costs a line break, too little
 * an overlap.
 */
export function textWidth(text: string): number {
  let em = 0;
  for (const ch of text) {
    em += CJK.test(ch) ? 1 : /[\s.,:;'|!()[\]/\\fijlrt-]/.test(ch) ? 0.34 : /[A-Zmw0-9+_]/.test(ch) ? 0.74 : 0.58;
  }
  return em * LABEL_FONT;
}

/**
 * How a label breaks, coarsest first: into clauses (after a comma or semicolon, around a
 * parenthesis), into words, into characters (CJK text may break anywhere).
 */
const BREAKS = [
  /[(\uff08][^)\uff09]*[)\uff09]?\s*|[^(\uff08,;\uff0c\uff1b\u3001]+[,;\uff0c\uff1b\u3001]*\s*/g,
  /\s*\S+\s*/g,
  /[\s\S]/gu,
];

/** `text` in pieces no wider than `room` where possible, each cut at the coarsest break that fits. */
function pieces(text: string, room: number, level = 0): string[] {
  if (level === BREAKS.length || textWidth(text.trim()) <= room) {
    return [text];
  }
  return (text.match(BREAKS[level]) ?? [text]).flatMap((p) => pieces(p, room, level + 1));
}

/** Lines of `text` no wider than `room` (as estimated), filled greedily with its pieces. */
export function wrap(text: string, room: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const piece of pieces(text, room)) {
    if (line.trim() !== '' && textWidth((line + piece).trim()) > room) {
      lines.push(line.trim());
      line = '';
    }
    line += piece;
  }
  if (line.trim() !== '') {
    lines.push(line.trim());
  }
  return lines;
}

/** The box a label's text covers (lines centered on the spot's y), grown by CLEARANCE / 2. */
function labelBox(spot: LabelSpot, lines: LabelLines): Box {
  const all = [...lines.event, ...lines.action];
  const width = Math.max(...all.map(textWidth));
  const height = all.length * LABEL_FONT * LABEL_LINE_EM;
  const x0 = spot.anchor === 'start' ? spot.x : spot.anchor === 'end' ? spot.x - width : spot.x - width / 2;
  const pad = CLEARANCE / 2;
  return { x0: x0 - pad, y0: spot.y - height / 2 - pad, x1: x0 + width + pad, y1: spot.y + height / 2 + pad };
}

function overlap(a: Box, b: Box): number {
  return Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)) * Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));
}

const NODE_BOXES: Box[] = Object.values(NODE_CENTERS).map((c) =>
  ({ x0: c.x - NODE_W / 2 - CLEARANCE / 2, y0: c.y - NODE_H / 2 - CLEARANCE / 2, x1: c.x + NODE_W / 2 + CLEARANCE / 2, y1: c.y + NODE_H / 2 + CLEARANCE / 2 }));

/** How much of `box` is covered by states, by labels already placed, or lies outside the view. */
function clash(box: Box, placed: readonly Box[]): number {
  const inside = overlap(box, { x0: 0, y0: 0, x1: VIEW_W, y1: VIEW_H });
  const area = (box.x1 - box.x0) * (box.y1 - box.y0);
  return area - inside + [...NODE_BOXES, ...placed].reduce((sum, b) => sum + overlap(box, b), 0);
}

/** How many points of other edges' lines `box` covers: text over a line reads worse. */
function crossings(box: Box, routes: readonly Route[], own: Route): number {
  return routes.reduce((sum, r) => (r === own ? sum
    : sum + r.trace.filter((p) => p.x > box.x0 && p.x < box.x1 && p.y > box.y0 && p.y < box.y1).length), 0);
}

/**
 * Wraps every label to its edge's room and places the labels one by one, in the order given,
 * at the spot along its edge that clashes least with the states, the labels placed before it
 * and the view's border, then that covers the fewest points of other edges' lines; on a tie
 * the spot nearest the preferred one. Deterministic: the same edges and texts always give the
 * same drawing.
 */
export function placeLabels(labels: readonly { route: Route; event: string; action: string }[]): PlacedLabel[] {
  const routes = labels.map((l) => l.route);
  const placed: Box[] = [];
  return labels.map(({ route: r, event, action }) => {
    const lines = { event: wrap(event, r.room), action: action ? wrap(action, r.room) : [] };
    let best = { spot: r.spots[0], box: labelBox(r.spots[0], lines), clash: Infinity, crossings: Infinity };
    for (const spot of r.spots) {
      const box = labelBox(spot, lines);
      const c = { spot, box, clash: clash(box, placed), crossings: crossings(box, routes, r) };
      if (c.clash < best.clash || (c.clash === best.clash && c.crossings < best.crossings)) {
        best = c;
      }
    }
    placed.push(best.box);
    return { ...best.spot, ...lines };
  });
}
