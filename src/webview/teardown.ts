import type { ProgramEvent, TimelineEntry, TransitionEntry } from '../protocol';
import type { SocketRow } from '../sockets/types';
import type { TcpState } from '../tcp/states';
import { connectionId, endpoint } from './model';

/** One side of a connection: 0 is drawn on the left (the server when we can tell), 1 on the right. */
export type Side = 0 | 1;

export interface Segment {
  from: Side;
  kind: 'FIN' | 'ACK' | 'RST';
  at: number;
  /** Always true today: we read states, we do not capture packets. */
  inferred: true;
}

/** The inferred teardown of one connection, ready for a two-column sequence diagram. */
export interface Teardown {
  id: string;
  /** Endpoint text of each side, and whether it is the server (owns the listening port). */
  sides: [{ endpoint: string; server: boolean; key: string }, { endpoint: string; server: boolean; key: string }];
  firstCloser: Side | 'both' | undefined;
  segments: Segment[];
  /** The side seen in TIME_WAIT. */
  timeWait: Side | undefined;
  at: number;
}

const ACTIVE: readonly TcpState[] = ['FIN_WAIT1', 'FIN_WAIT2', 'CLOSING', 'TIME_WAIT'];
const PASSIVE: readonly TcpState[] = ['CLOSE_WAIT', 'LAST_ACK'];

interface SideTrack {
  key: string;
  row: SocketRow;
  states: { state: TcpState | null; at: number }[];
}

const firstAt = (track: SideTrack, states: readonly TcpState[]): number | undefined =>
  track.states.find((s) => s.state !== null && states.includes(s.state))?.at;
const goneAt = (track: SideTrack): number | undefined => track.states.find((s) => s.state === null)?.at;

/** Whether a program event says this side asked for an abortive close (SO_LINGER {1,0}). */
function lingerZero(events: readonly ProgramEvent[], port: number): boolean {
  // The value arrives as `1,0`, `[1,0]` or `{"onoff":1,"linger":0}`: read its first two numbers.
  const isZero = (value: string | undefined) => (value?.match(/\d+/g) ?? []).slice(0, 2).join(',') === '1,0';
  return events.some((e) => e.ev === 'setsockopt' && /LINGER/i.test(e.option ?? '') && isZero(e.value)
    && (e.port === undefined || e.port === port || (e.local ?? '').endsWith(`:${port}`)));
}

/**
 * Infers who closed first, the FIN/ACK (or RST) exchange and the TIME_WAIT side for every
 * connection whose teardown the timeline shows. Inputs are kernel states seen by polling,
 * so steps faster than the poll are filled in from what the states imply.
 */
export function inferTeardowns(timeline: readonly TimelineEntry[], listeningPorts: ReadonlySet<number>): Teardown[] {
  const tracks = new Map<string, SideTrack>();
  const connections = new Map<string, string[]>();
  const events: ProgramEvent[] = [];
  for (const entry of timeline) {
    if (entry.kind === 'program') {
      events.push(entry.event);
      continue;
    }
    if (entry.row.state === 'LISTEN' || (entry.from === 'LISTEN' && entry.to === null)) {
      listeningPorts = new Set([...listeningPorts, entry.row.local.port]);
      continue;
    }
    track(tracks, connections, entry);
  }
  const result: Teardown[] = [];
  for (const [id, keys] of connections) {
    const pair = keys.map((k) => tracks.get(k)!);
    const teardown = inferOne(id, pair, listeningPorts, events);
    if (teardown) {
      result.push(teardown);
    }
  }
  return result.sort((a, b) => a.at - b.at);
}

function track(tracks: Map<string, SideTrack>, connections: Map<string, string[]>, entry: TransitionEntry): void {
  let t = tracks.get(entry.key);
  if (!t) {
    t = { key: entry.key, row: entry.row, states: [] };
    tracks.set(entry.key, t);
    const id = connectionId(entry.row);
    const keys = connections.get(id) ?? [];
    keys.push(entry.key);
    connections.set(id, keys);
  }
  t.states.push({ state: entry.to, at: entry.at });
}

function inferOne(id: string, pair: SideTrack[], listening: ReadonlySet<number>, events: readonly ProgramEvent[]): Teardown | undefined {
  // With one side unseen (remote machine, unwatched port) we still draw what this side implies.
  let [a, b] = pair;
  const isServer = (t: SideTrack | undefined) => t !== undefined && listening.has(t.row.local.port);
  if (b && (isServer(b) && !isServer(a) || (!isServer(a) && !isServer(b) && b.row.local.port < a.row.local.port))) {
    [a, b] = [b, a];
  }
  const tracksBySide: (SideTrack | undefined)[] = [a, b];
  const active = tracksBySide.map((t) => (t ? firstAt(t, ACTIVE) : undefined));
  const passive = tracksBySide.map((t) => (t ? firstAt(t, PASSIVE) : undefined));
  const gone = tracksBySide.map((t) => (t ? goneAt(t) : undefined));
  const sides = [0, 1].map((i) => {
    const t = tracksBySide[i];
    const row = t?.row ?? { ...a.row, local: a.row.remote, remote: a.row.local };
    return { endpoint: endpoint(row.local), server: listening.has(row.local.port), key: t?.key ?? '' };
  }) as Teardown['sides'];
  const segments: Segment[] = [];
  const seg = (from: Side, kind: Segment['kind'], at: number) => segments.push({ from, kind, at, inferred: true });

  // The side that reached CLOSE_WAIT/LAST_ACK received the first FIN; the other sent it.
  let first: Side | 'both' | undefined;
  if (passive[0] !== undefined && passive[1] === undefined) {
    first = 1;
  } else if (passive[1] !== undefined && passive[0] === undefined) {
    first = 0;
  } else if (active[0] !== undefined && active[1] !== undefined) {
    first = 'both';
  } else if (active[0] !== undefined) {
    first = 0;
  } else if (active[1] !== undefined) {
    first = 1;
  }

  if (first === 0 || first === 1) {
    const closer: Side = first;
    const other: Side = first === 0 ? 1 : 0;
    const startAt = Math.min(active[closer] ?? Infinity, passive[other] ?? Infinity);
    seg(closer, 'FIN', startAt);
    seg(other, 'ACK', startAt);
    const tw = tracksBySide[closer] ? firstAt(tracksBySide[closer]!, ['TIME_WAIT']) : undefined;
    const otherEnd = Math.min(tracksBySide[other] ? firstAt(tracksBySide[other]!, ['LAST_ACK']) ?? Infinity : Infinity, gone[other] ?? Infinity);
    const finAt = Math.min(tw ?? Infinity, otherEnd);
    if (Number.isFinite(finAt)) {
      seg(other, 'FIN', finAt);
      seg(closer, 'ACK', finAt);
    }
  } else if (first === 'both') {
    const at = Math.min(active[0]!, active[1]!);
    seg(0, 'FIN', at);
    seg(1, 'FIN', at);
    seg(0, 'ACK', at);
    seg(1, 'ACK', at);
  } else {
    // No FIN states at all: a side that vanished straight from ESTABLISHED reset the connection.
    const wasEstablished = (t: SideTrack | undefined) => t?.states.some((s) => s.state === 'ESTABLISHED') ?? false;
    const resetter = ([0, 1] as Side[]).filter((i) => gone[i] !== undefined && (wasEstablished(tracksBySide[i]) || tracksBySide[i]?.row.state === 'ESTABLISHED'))
      .sort((x, y) => (gone[x]! - gone[y]!) || (lingerZero(events, sidePort(tracksBySide[y])) ? 1 : 0) - (lingerZero(events, sidePort(tracksBySide[x])) ? 1 : 0))[0];
    if (resetter === undefined) {
      return undefined;
    }
    seg(resetter, 'RST', gone[resetter]!);
    first = resetter;
  }
  const timeWait = ([0, 1] as Side[]).find((i) => tracksBySide[i] && firstAt(tracksBySide[i]!, ['TIME_WAIT']) !== undefined);
  return { id, sides, firstCloser: first, segments, timeWait, at: segments[0]?.at ?? 0 };
}

function sidePort(t: SideTrack | undefined): number {
  return t?.row.local.port ?? -1;
}
