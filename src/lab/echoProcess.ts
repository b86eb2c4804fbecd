import { type ChildProcess, spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { Disposable } from '../util/disposable';
import { Emitter } from '../util/emitter';
import type { ProgramCommand } from './programs';

/** One JSON line a program wrote to fd 3, e.g. {"t":1700000000000,"ev":"bind","port":7865,"ok":true}. */
export interface EchoEvent {
  t: number;
  ev: string;
  [field: string]: unknown;
}

export interface ProgramExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the program could not start at all (e.g. ENOENT). */
  error?: string;
}

/** Parses one fd-3 line; undefined for anything that is not an event object. */
export function parseEventLine(line: string): EchoEvent | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && typeof (value as EchoEvent).ev === 'string') {
      const event = value as EchoEvent;
      return { ...event, t: typeof event.t === 'number' ? event.t : Date.now() };
    }
  } catch {
    // a torn or foreign line: ignored
  }
  return undefined;
}

/**
 * One running echo program: spawned with an argument array, stdin/stdout/stderr piped and
 * fd 3 a pipe for its JSON events. Owns the child: `dispose()` kills it. Pure (no vscode),
 * shared by the lesson engine, the CLI and the terminals.
 */
export class EchoProcess implements Disposable {
  private readonly child: ChildProcess;
  private readonly outputEmitter = new Emitter<{ stream: 'stdout' | 'stderr'; text: string }>();
  private readonly eventEmitter = new Emitter<EchoEvent>();
  private readonly exitEmitter = new Emitter<ProgramExit>();
  private eventBuffer = '';
  private resolveExit!: (exit: ProgramExit) => void;

  readonly onOutput = this.outputEmitter.event;
  readonly onEvent = this.eventEmitter.event;
  readonly onExit = this.exitEmitter.event;
  /** Every event so far, in order. */
  readonly events: EchoEvent[] = [];
  /** Everything written to stdout and stderr, in order (tests and the terminal read it). */
  output = '';
  exit: ProgramExit | undefined;
  readonly exited: Promise<ProgramExit>;
  readonly pid: number | undefined;

  constructor(readonly name: string, readonly command: ProgramCommand) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
    this.child = spawn(command.file, command.args, {
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...command.env },
      windowsHide: true,
    });
    this.pid = this.child.pid;
    for (const stream of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8');
      this.child[stream]?.on('data', (chunk: Buffer) => this.emitOutput(stream, decoder.write(chunk)));
    }
    const events = this.child.stdio[3] as NodeJS.ReadableStream | null;
    events?.on('data', (chunk: Buffer) => this.takeEvents(chunk.toString('utf8')));
    events?.on('error', () => undefined);
    // A program that exits early makes our writes fail with EPIPE: that is not our error.
    this.child.stdin?.on('error', () => undefined);
    this.child.on('error', (error) => this.finish({ code: null, signal: null, error: error.message }));
    this.child.on('close', (code, signal) => this.finish({ code, signal }));
  }

  private emitOutput(stream: 'stdout' | 'stderr', text: string): void {
    if (text) {
      this.output += text;
      this.outputEmitter.fire({ stream, text });
    }
  }

  private takeEvents(text: string): void {
    this.eventBuffer += text;
    let newline: number;
    while ((newline = this.eventBuffer.indexOf('\n')) >= 0) {
      const event = parseEventLine(this.eventBuffer.slice(0, newline));
      this.eventBuffer = this.eventBuffer.slice(newline + 1);
      if (event) {
        this.events.push(event);
        this.eventEmitter.fire(event);
      }
    }
  }

  private finish(exit: ProgramExit): void {
    if (this.exit) {
      return;
    }
    this.exit = exit;
    this.exitEmitter.fire(exit);
    this.resolveExit(exit);
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Sends text or bytes to the program's stdin. */
  write(data: string | Buffer): void {
    if (this.running && this.child.stdin?.writable) {
      this.child.stdin.write(data);
    }
  }

  /** Closes stdin: Ctrl+D for the client (it closes or half-closes); the server stops. */
  endInput(): void {
    this.child.stdin?.end();
  }

  /** Ctrl+C. */
  interrupt(): void {
    if (this.running) {
      this.child.kill('SIGINT');
    }
  }

  /** Stops reading stdout, so the program blocks once the pipe is full (a slow reader). */
  pauseOutput(): void {
    this.child.stdout?.pause();
  }

  resumeOutput(): void {
    this.child.stdout?.resume();
  }

  /** Resolves with the first event (already seen or future) matching, or undefined on timeout or exit. */
  waitForEvent(match: (e: EchoEvent) => boolean, timeoutMs: number): Promise<EchoEvent | undefined> {
    const seen = this.events.find(match);
    if (seen || !this.running) {
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => {
      const done = (value: EchoEvent | undefined): void => {
        clearTimeout(timer);
        sub.dispose();
        exitSub.dispose();
        resolve(value);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const sub = this.onEvent((e) => match(e) && done(e));
      const exitSub = this.onExit(() => setImmediate(() => done(this.events.find(match))));
    });
  }

  /** Waits for the exit, up to `timeoutMs`; undefined when it is still running. */
  async waitForExit(timeoutMs: number): Promise<ProgramExit | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Asks politely (stdin closes, then SIGTERM), then SIGKILL; resolves once it is gone. */
  async stop(graceMs = 1000): Promise<ProgramExit> {
    if (this.running) {
      this.endInput();
      if (!(await this.waitForExit(graceMs / 2))) {
        this.child.kill('SIGTERM');
        if (!(await this.waitForExit(graceMs / 2))) {
          this.child.kill('SIGKILL');
        }
      }
    }
    return this.exited;
  }

  /** Kills the child at once (terminal closed, extension deactivated). */
  dispose(): void {
    if (this.running) {
      this.child.kill('SIGKILL');
    }
    this.child.stdin?.destroy();
    this.outputEmitter.dispose();
    this.eventEmitter.dispose();
  }
}
