import { l10n } from '../../l10n';
import type { SocketRow } from '../../sockets/types';
import type { EchoEvent, ProgramExit } from '../echoProcess';
import type { Expectation, PortName, Side } from './types';

/** One snapshot of the lesson's ports. */
export interface Observation {
  at: number;
  rows: readonly SocketRow[];
}

/** What the engine knows about one program of the lesson. */
export interface ProgramRecord {
  port: PortName;
  events: readonly EchoEvent[];
  exit: ProgramExit | undefined;
}

/** Everything an expectation is checked against. */
export interface LessonState {
  ports: Record<PortName, number>;
  programs: ReadonlyMap<string, ProgramRecord>;
  /** Snapshots taken during the current step, oldest first (the last is the latest). */
  history: readonly Observation[];
}

export interface Verdict {
  ok: boolean;
  expected: string;
  observed: string;
}

/** "127.0.0.1:7865 -> 127.0.0.1:50412 TIME_WAIT, timer timewait 59.4 s, rx 0 tx 0". */
export function describeRow(row: SocketRow): string {
  const timer = row.timer ? l10n.t('timer {kind} {seconds} s', { kind: row.timer.kind, seconds: row.timer.seconds.toFixed(1) }) : l10n.t('no timer');
  const owner = row.inode === 0 ? l10n.t(', no owner') : '';
  const probes = row.probes > 0 ? l10n.t(', {n} probes', { n: row.probes }) : '';
  return `${row.local.address}:${row.local.port} -> ${row.remote.address}:${row.remote.port} ${row.state} (${timer}, rx ${row.rxQueue} tx ${row.txQueue}${probes}${owner})`;
}

/** The port a client connected from, read from its `connect` event ("127.0.0.1:50412"). */
export function clientPort(program: ProgramRecord | undefined): number | undefined {
  const connect = program?.events.find((e) => e.ev === 'connect' && e.ok === true);
  const local = typeof connect?.local === 'string' ? connect.local : undefined;
  const port = local ? Number(local.slice(local.lastIndexOf(':') + 1)) : NaN;
  return Number.isInteger(port) ? port : undefined;
}

/** The row of one side of a client's connection in a snapshot. */
export function findSide(rows: readonly SocketRow[], serverPort: number, port: number, side: Side): SocketRow | undefined {
  const [local, remote] = side === 'server' ? [serverPort, port] : [port, serverPort];
  return rows.find((r) => r.local.port === local && r.remote.port === remote && r.state !== 'LISTEN');
}

function sumBytes(program: ProgramRecord | undefined, ev: string): number {
  return (program?.events ?? []).filter((e) => e.ev === ev && typeof e.bytes === 'number').reduce((n, e) => n + (e.bytes as number), 0);
}

function describeEvent(e: EchoEvent): string {
  const rest: Record<string, unknown> = { ...e };
  delete rest.t;
  delete rest.ev;
  return `${e.ev} ${JSON.stringify(rest)}`;
}

/** Checks one expectation against the state; `expected` and `observed` are for people. */
export function evaluate(expect: Expectation, state: LessonState): Verdict {
  const latest = state.history[state.history.length - 1]?.rows ?? [];
  switch (expect.kind) {
    case 'listening': {
      const port = state.ports[expect.port];
      const listening = latest.some((r) => r.state === 'LISTEN' && r.local.port === port);
      return {
        ok: listening !== Boolean(expect.absent),
        expected: expect.absent ? l10n.t('nothing listens on port {port}', { port }) : l10n.t('a LISTEN socket on port {port}', { port }),
        observed: listening ? l10n.t('LISTEN on port {port}', { port }) : l10n.t('no LISTEN socket on port {port}', { port }),
      };
    }
    case 'event': {
      const program = state.programs.get(expect.name);
      const fields = expect.fields ?? {};
      const match = program?.events.find((e) => e.ev === expect.ev && Object.entries(fields).every(([k, v]) => e[k] === v));
      const last = [...(program?.events ?? [])].reverse().find((e) => e.ev === expect.ev);
      return {
        ok: match !== undefined,
        expected: l10n.t('{name} reports {event}', { name: expect.name, event: `${expect.ev} ${JSON.stringify(fields)}` }),
        observed: match ? l10n.t('{name} reported {event}', { name: expect.name, event: describeEvent(match) })
          : last ? l10n.t('{name} reported {event}', { name: expect.name, event: describeEvent(last) })
            : l10n.t('{name} reported no {ev} event', { name: expect.name, ev: expect.ev }),
      };
    }
    case 'exited': {
      const exit = state.programs.get(expect.name)?.exit;
      const ok = exit !== undefined && (expect.code === undefined || exit.code === expect.code);
      return {
        ok,
        expected: expect.code === undefined ? l10n.t('{name} has exited', { name: expect.name })
          : l10n.t('{name} has exited with status {code}', { name: expect.name, code: expect.code }),
        observed: exit === undefined ? l10n.t('{name} is still running', { name: expect.name })
          : l10n.t('{name} exited with status {code}', { name: expect.name, code: exit.code ?? exit.signal ?? exit.error ?? '?' }),
      };
    }
    case 'socket':
      return evaluateSocket(expect, state);
    case 'timeWaitRows': {
      const port = state.ports[expect.port];
      const rows = latest.filter((r) => r.state === 'TIME_WAIT' && r.local.port === port);
      return {
        ok: rows.length >= expect.count,
        expected: l10n.t('at least {count} TIME_WAIT rows on local port {port}', { count: expect.count, port }),
        observed: l10n.t('{count} TIME_WAIT rows on local port {port}', { count: rows.length, port }) + (rows.length ? `: ${rows.map(describeRow).join('; ')}` : ''),
      };
    }
    case 'noRows': {
      const port = state.ports[expect.port];
      const rows = latest.filter((r) => (r.local.port === port || r.remote.port === port) && expect.states.includes(r.state));
      return {
        ok: rows.length === 0,
        expected: l10n.t('no {states} socket on port {port}', { states: expect.states.join('/'), port }),
        observed: rows.length === 0 ? l10n.t('none on port {port}', { port }) : rows.map(describeRow).join('; '),
      };
    }
    case 'bytesLost': {
      const sent = sumBytes(state.programs.get(expect.sender), 'send');
      const received = sumBytes(state.programs.get(expect.receiver), 'recv');
      return {
        ok: received < sent,
        expected: l10n.t('{receiver} receives fewer bytes than {sender} sent', expect),
        observed: l10n.t('{sender} sent {sent} bytes, {receiver} received {received} ({lost} lost)', {
          sender: expect.sender, receiver: expect.receiver, sent, received, lost: Math.max(0, sent - received),
        }),
      };
    }
    case 'recvAfter': {
      const events = state.programs.get(expect.name)?.events ?? [];
      const mark = events.findIndex((e) => e.ev === expect.after);
      const later = mark < 0 ? [] : events.slice(mark + 1).filter((e) => e.ev === 'recv' && typeof e.bytes === 'number' && e.bytes > 0);
      const bytes = later.reduce((n, e) => n + (e.bytes as number), 0);
      return {
        ok: bytes > 0,
        expected: l10n.t('{name} still receives data after {after}', expect),
        observed: mark < 0 ? l10n.t('{name} reported no {after}', expect)
          : l10n.t('{name} received {bytes} bytes after {after}', { ...expect, bytes }),
      };
    }
  }
}

function evaluateSocket(expect: Extract<Expectation, { kind: 'socket' }>, state: LessonState): Verdict {
  const serverPort = state.ports[state.programs.get(expect.client)?.port ?? 'main'];
  const port = clientPort(state.programs.get(expect.client));
  const sideName = expect.side === 'server' ? l10n.t('server side') : l10n.t('client side');
  const parts = [expect.state === 'gone' ? l10n.t('gone (no row)') : expect.state];
  if (expect.timer) {
    parts.push(expect.timer === 'none' ? l10n.t('no timer') : l10n.t('timer {kind}', { kind: expect.timer }));
  }
  if (expect.countdown) {
    parts.push(l10n.t('counting down'));
  }
  if (expect.minSeconds !== undefined || expect.maxSeconds !== undefined) {
    parts.push(l10n.t('{min}-{max} s left', { min: expect.minSeconds ?? 0, max: expect.maxSeconds ?? '∞' }));
  }
  if (expect.rxQueue) {
    parts.push(l10n.t('rx queue {values}', { values: expect.rxQueue.join(' or ') }));
  }
  if (expect.minTxQueue !== undefined) {
    parts.push(l10n.t('tx queue at least {n}', { n: expect.minTxQueue }));
  }
  if (expect.orphan !== undefined) {
    parts.push(expect.orphan ? l10n.t('owned by no process') : l10n.t('owned by the program'));
  }
  const expected = l10n.t('{side} of the {client} connection: {parts}', { side: sideName, client: expect.client, parts: parts.join(', ') });
  if (port === undefined) {
    return { ok: false, expected, observed: l10n.t('{client} never connected', { client: expect.client }) };
  }
  const latest = state.history[state.history.length - 1]?.rows ?? [];
  const row = findSide(latest, serverPort, port, expect.side);
  if (expect.state === 'gone' || !row) {
    return { ok: expect.state === 'gone' && !row, expected, observed: row ? describeRow(row) : l10n.t('no row for {side} {local}', { side: sideName, local: expect.side === 'server' ? `${serverPort}->${port}` : `${port}->${serverPort}` }) };
  }
  const seconds = row.timer?.seconds;
  let ok = row.state === expect.state;
  if (expect.timer === 'none') {
    ok &&= row.timer === null;
  } else if (expect.timer) {
    ok &&= row.timer?.kind === expect.timer;
  }
  if (expect.minSeconds !== undefined) {
    ok &&= seconds !== undefined && seconds >= expect.minSeconds;
  }
  if (expect.maxSeconds !== undefined) {
    ok &&= seconds !== undefined && seconds <= expect.maxSeconds;
  }
  if (expect.rxQueue) {
    ok &&= expect.rxQueue.includes(row.rxQueue);
  }
  if (expect.minTxQueue !== undefined) {
    ok &&= row.txQueue >= expect.minTxQueue;
  }
  if (expect.orphan !== undefined) {
    ok &&= (row.inode === 0) === expect.orphan;
  }
  if (expect.maxProbes !== undefined) {
    ok &&= row.probes <= expect.maxProbes;
  }
  let observed = describeRow(row);
  if (expect.countdown) {
    const samples = state.history
      .map((o) => ({ at: o.at, seconds: findSide(o.rows, serverPort, port, expect.side)?.timer?.seconds }))
      .filter((s): s is { at: number; seconds: number } => s.seconds !== undefined);
    const falling = samples.length >= 2 && samples[samples.length - 1].at - samples[0].at >= 1000
      && samples.some((s, i) => i > 0 && s.seconds < samples[i - 1].seconds);
    ok &&= falling;
    observed += '; ' + l10n.t('timer seen at {values} s', { values: samples.slice(-6).map((s) => s.seconds.toFixed(1)).join(', ') });
  }
  return { ok, expected, observed };
}
