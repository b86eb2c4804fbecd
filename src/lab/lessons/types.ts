import type { TimerKind } from '../../sockets/types';
import type { TcpState } from '../../tcp/states';
import type { EchoOptions } from '../echoOptions';

/**
 * A lesson is data: steps of (action, expected kernel observation, explanation) that one
 * engine runs against the real kernel, headless (CLI, tests) or in VS Code terminals.
 */
export interface LessonScript {
  id: LessonId;
  title: string;
  summary: string;
  /** Named ports the lesson uses; the engine picks a free random port for each. */
  ports: readonly PortName[];
  steps: readonly LessonStep[];
}

export type LessonId = 'time-wait' | 'client-closes-first' | 'close-wait' | 'linger-reset' | 'keepalive' | 'half-close';

export type PortName = 'main' | 'second';

/**
 * Something only some runtimes can show. Node cannot make a listener without SO_REUSEADDR,
 * and libuv may turn a reset seen after a partial read into a plain end of stream.
 */
export type Requirement = 'listenerWithoutReuse' | 'resetErrorReported';

export interface LessonStep {
  title: string;
  actions: readonly Action[];
  expect: readonly Expectation[];
  /** Why the kernel does this, in our own words. */
  explain: string;
  requires?: Requirement;
  /** How long the expectations may take to hold (default 4 s). */
  timeoutMs?: number;
}

/** Program options without host and port: the engine fills those in. */
export type ProgramFlags = Omit<EchoOptions, 'host' | 'port'>;

/** What the engine does; `name` is a program of the lesson (e.g. 'server', 'client2'). */
export type Action =
  | { do: 'startServer'; name: string; port: PortName; flags?: ProgramFlags }
  | { do: 'startClient'; name: string; port: PortName; flags?: ProgramFlags }
  /** Types text (a line) into the program's stdin. */
  | { do: 'type'; name: string; text: string }
  /** Sends `bytes` bytes of filler to the program's stdin at once. */
  | { do: 'typeBulk'; name: string; bytes: number }
  /** Ctrl+D: closes the program's stdin. */
  | { do: 'endInput'; name: string }
  /** Ctrl+C: SIGINT, then waits for the program to exit. */
  | { do: 'interrupt'; name: string }
  /** Stop / resume reading the program's stdout (a slow reader). */
  | { do: 'pauseOutput'; name: string }
  | { do: 'resumeOutput'; name: string }
  | { do: 'wait'; ms: number };

/** Which end of a connection: the server's accepted socket or the client's socket. */
export type Side = 'server' | 'client';

/** Observations that must hold; checked against snapshots and the programs' events. */
export type Expectation =
  /** A LISTEN row on the port (or none with `absent`). */
  | { kind: 'listening'; port: PortName; absent?: boolean }
  /** The program reported an event with these fields (e.g. bind ok:false errno EADDRINUSE). */
  | { kind: 'event'; name: string; ev: string; fields?: Record<string, string | number | boolean> }
  /** The program has exited with this code. */
  | { kind: 'exited'; name: string; code?: number }
  /** One side of the connection the client `client` made; state 'gone' = no row. */
  | {
    kind: 'socket'; client: string; side: Side; state: TcpState | 'gone';
    timer?: TimerKind | 'none';
    /** The timer counts down: seen at least twice, a second or more apart, falling. */
    countdown?: boolean;
    minSeconds?: number; maxSeconds?: number;
    /** Accepted receive-queue sizes. */
    rxQueue?: readonly number[];
    minTxQueue?: number;
    /** true: no process owns it (inode 0), as for TIME_WAIT and orphaned FIN_WAIT2. */
    orphan?: boolean;
    /** Unanswered keepalive probes at most this many. */
    maxProbes?: number;
  }
  /** At least `count` TIME_WAIT rows whose local port is the port (the server side). */
  | { kind: 'timeWaitRows'; port: PortName; count: number }
  /** No rows at all on the port in these states. */
  | { kind: 'noRows'; port: PortName; states: readonly TcpState[] }
  /** `receiver` got fewer bytes than `sender` sent (data lost by an abortive close). */
  | { kind: 'bytesLost'; sender: string; receiver: string }
  /** `name` received data after it reported event `after` (e.g. after its shutdown). */
  | { kind: 'recvAfter'; name: string; after: string };
