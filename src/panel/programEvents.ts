import type { ProgramEvent } from '../protocol';

/** Event names the echo programs and the lesson engine write (DESIGN.md, "The bundled echo programs"). */
const KNOWN_EVENTS = new Set([
  'bind', 'listen', 'accept', 'connect', 'recv', 'send', 'shutdown', 'close', 'setsockopt',
  'error', 'signal', 'exit', 'step', 'start',
]);

/** Anything this far or further from the host clock is a relative time, not an epoch. */
const EPOCH_FLOOR_MS = 1e12;

const text = (v: unknown, max = 120): string | undefined =>
  typeof v === 'string' ? v.slice(0, max) : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
const count = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined;
const endpoint = (v: unknown): string | undefined => {
  if (typeof v === 'string') {
    return v.slice(0, 80);
  }
  if (typeof v === 'object' && v !== null) {
    const { address, port } = v as { address?: unknown; port?: unknown };
    if (typeof address === 'string' && typeof port === 'number') {
      return `${address.slice(0, 64)}:${port}`;
    }
  }
  return undefined;
};

/**
 * Normalizes one JSON event of a program (`{"t":ms,"ev":"bind","port":7865,"ok":false,
 * "errno":"EADDRINUSE"}`) into what the timeline shows; undefined for anything unreadable.
 * `t` is kept when it is an epoch time, otherwise the event is stamped with `now`.
 */
export function toProgramEvent(raw: unknown, source: string, now: number): ProgramEvent | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const ev = typeof r.ev === 'string' ? r.ev : typeof r.event === 'string' ? r.event : undefined;
  if (ev === undefined || !KNOWN_EVENTS.has(ev)) {
    return undefined;
  }
  const t = typeof r.t === 'number' && Number.isFinite(r.t) && r.t >= EPOCH_FLOOR_MS ? r.t : now;
  const event: ProgramEvent = { at: t, source: source.slice(0, 40), ev };
  const port = count(r.port);
  if (port !== undefined && port <= 65535) {
    event.port = port;
  }
  if (typeof r.ok === 'boolean') {
    event.ok = r.ok;
  }
  const errno = text(r.errno ?? r.error, 40);
  if (errno !== undefined) {
    event.errno = errno;
  }
  const bytes = count(r.bytes ?? r.n);
  if (bytes !== undefined) {
    event.bytes = bytes;
  }
  const local = endpoint(r.local);
  const peer = endpoint(r.peer ?? r.remote);
  if (local !== undefined) {
    event.local = local;
  }
  if (peer !== undefined) {
    event.peer = peer;
  }
  const option = text(r.option ?? r.opt ?? r.name, 40);
  const value = typeof r.value === 'object' && r.value !== null ? JSON.stringify(r.value).slice(0, 60) : text(r.value, 60);
  if (option !== undefined) {
    event.option = option;
  }
  if (value !== undefined) {
    event.value = value;
  }
  const reuse = typeof r.reuse === 'boolean' ? `SO_REUSEADDR=${r.reuse ? 1 : 0}` : undefined;
  const extra = text(r.how ?? r.title ?? r.text ?? r.message) ?? reuse;
  if (extra !== undefined) {
    event.text = extra;
  }
  return event;
}
