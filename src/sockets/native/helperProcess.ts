import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { Disposable } from '../../util/disposable';
import { isCompleteAnswer, sockDiagRequest } from './sockDiagParse';

/** An answer taking longer than this means the helper hangs: it is killed, /proc takes over. */
const ANSWER_TIMEOUT_MS = 10_000;

/** A child's pipes are net.Sockets underneath; their types do not say so. */
function handle(stream: unknown): { ref?: () => void; unref?: () => void } {
  return stream as { ref?: () => void; unref?: () => void };
}

/**
 * The running sock-diag helper: one request line in, one snapshot out, one request at a time.
 * Its pipes are unreferenced while idle, so an idle helper never keeps our process alive;
 * when we exit, its stdin closes and it exits too.
 */
export class SockDiagProcess implements Disposable {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private pending: { resolve: (text: string) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> } | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private stderr = '';
  private exited: Error | undefined;

  constructor(binary: string) {
    this.child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    this.child.stdout.setEncoding('latin1');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-2000)));
    this.child.stdin.on('error', () => undefined); // EPIPE after an exit: reported by 'exit'
    this.child.on('error', (error) => this.fail(error));
    this.child.on('exit', (code, signal) => {
      this.fail(new Error(`sock-diag exited (${signal ?? code})${this.stderr ? `: ${this.stderr.trim()}` : ''}`));
    });
    this.idle();
  }

  /** The helper's pid (the benchmark reads its CPU time from /proc). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** One snapshot of the sockets on `ports` (all when empty), as the helper's text. */
  request(ports: readonly number[]): Promise<string> {
    const next = this.chain.then(() => this.ask(ports));
    this.chain = next.catch(() => undefined);
    return next;
  }

  dispose(): void {
    this.fail(new Error('sock-diag stopped'));
    this.child.stdin.end();
    // It exits on EOF at once; a kill only if it somehow does not.
    setTimeout(() => this.child.exitCode === null && this.child.signalCode === null && this.child.kill(), 1000).unref();
  }

  private ask(ports: readonly number[]): Promise<string> {
    if (this.exited) {
      return Promise.reject(this.exited);
    }
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.kill();
        this.fail(new Error('sock-diag did not answer in time'));
      }, ANSWER_TIMEOUT_MS);
      this.pending = { resolve, reject, timer };
      this.buffer = '';
      // Referenced while waiting: a caller awaiting a snapshot (the CLI's --once) must not exit.
      handle(this.child.stdout).ref?.();
      this.child.stdin.write(sockDiagRequest(ports));
    });
  }

  private onData(chunk: string): void {
    if (!this.pending) {
      return; // nothing asked: not ours to keep
    }
    this.buffer += chunk;
    if (isCompleteAnswer(this.buffer)) {
      const { resolve, timer } = this.pending;
      const text = this.buffer;
      this.buffer = '';
      this.pending = undefined;
      clearTimeout(timer);
      this.idle();
      resolve(text);
    }
  }

  private fail(error: Error): void {
    this.exited ??= error;
    if (this.pending) {
      const { reject, timer } = this.pending;
      this.pending = undefined;
      clearTimeout(timer);
      reject(error);
    }
    this.idle();
  }

  private idle(): void {
    this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) {
      handle(stream).unref?.();
    }
  }
}
