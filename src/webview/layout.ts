import type { TcpState } from '../tcp/states';

/** Geometry of the state diagram (SVG user units); the classic RFC 793 arrangement. */
export const VIEW_W = 820;
export const VIEW_H = 640;
export const NODE_W = 150;
export const NODE_H = 58;
export const MARKERS_PER_ROW = 12;
export const MARKER_ROWS = 2;

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

export interface Route {
  d: string;
  label: { x: number; y: number; anchor: 'start' | 'middle' | 'end' };
}

/** Hand-routed edges that would otherwise cross the middle of the diagram. */
const SPECIAL: Record<string, Route> = {
  'TIME_WAIT>CLOSE': { d: 'M 410 609 V 628 H 18 V 32 H 335', label: { x: 24, y: 120, anchor: 'start' } },
  'LAST_ACK>CLOSE': { d: 'M 755 580 H 802 V 32 H 485', label: { x: 796, y: 120, anchor: 'end' } },
  'SYN_SENT>CLOSE': { d: 'M 680 216 V 48 H 485', label: { x: 686, y: 150, anchor: 'start' } },
  'ESTABLISHED>CLOSE': { d: 'M 335 345 H 262 V 50 H 335', label: { x: 256, y: 300, anchor: 'end' } },
};

/** Vertical edges put their label on the right of the line, except where that side is taken. */
const LABEL_LEFT = new Set(['FIN_WAIT1>FIN_WAIT2', 'SYN_RECV>FIN_WAIT1', 'CLOSE_WAIT>LAST_ACK']);

/** Where a line from the center of a node toward (tx, ty) leaves the node's box. */
function clip(cx: number, cy: number, tx: number, ty: number): { x: number; y: number } {
  const dx = tx - cx;
  const dy = ty - cy;
  const t = Math.min(dx === 0 ? Infinity : NODE_W / 2 / Math.abs(dx), dy === 0 ? Infinity : NODE_H / 2 / Math.abs(dy));
  return { x: cx + dx * t, y: cy + dy * t };
}

/** The path and label position of an edge; `bend` curves it (used when both directions exist). */
export function route(from: TcpState, to: TcpState, bend: number): Route {
  const special = SPECIAL[`${from}>${to}`];
  if (special) {
    return special;
  }
  const a = NODE_CENTERS[from];
  const b = NODE_CENTERS[to];
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  // Perpendicular to the direction of travel: reverse edges bend to opposite sides.
  const cx = (a.x + b.x) / 2 + (-(b.y - a.y) / len) * bend;
  const cy = (a.y + b.y) / 2 + ((b.x - a.x) / len) * bend;
  const p0 = clip(a.x, a.y, cx, cy);
  const p2 = clip(b.x, b.y, cx, cy);
  const mx = 0.25 * p0.x + 0.5 * cx + 0.25 * p2.x;
  const my = 0.25 * p0.y + 0.5 * cy + 0.25 * p2.y;
  const anchor = Math.abs(b.x - a.x) < 40 ? (cx < a.x - 1 || LABEL_LEFT.has(`${from}>${to}`) ? 'end' : 'start') : 'middle';
  const r = (n: number) => Math.round(n * 10) / 10;
  return {
    d: `M ${r(p0.x)} ${r(p0.y)} Q ${r(cx)} ${r(cy)} ${r(p2.x)} ${r(p2.y)}`,
    label: { x: r(mx + (anchor === 'end' ? -6 : anchor === 'start' ? 6 : 0)), y: r(my), anchor },
  };
}

/** Position of the i-th marker inside a node (relative to the SVG origin). */
export function markerPosition(state: TcpState, index: number): { x: number; y: number } {
  const c = NODE_CENTERS[state];
  const col = index % MARKERS_PER_ROW;
  const row = Math.floor(index / MARKERS_PER_ROW);
  return { x: c.x - NODE_W / 2 + 15 + col * 11, y: c.y - NODE_H / 2 + 36 + row * 11 };
}
