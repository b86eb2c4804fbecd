import * as vscode from 'vscode';
import type { SocketWatcherApi } from '../sockets/types';
import type { Annotator } from './annotations';
import type { EchoProcess } from './echoProcess';
import { shellLine } from './programs';

const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';
const ANNOTATION_DELAY_MS = 30;

/**
 * A terminal that owns one echo program: it prints the equivalent shell command, the
 * program's output, and dimmed annotations merging the program's events with the kernel's
 * transitions. Typing goes to the program's stdin (echoed locally, sent on Enter), Ctrl+C
 * sends SIGINT, Ctrl+D closes stdin, and closing the terminal kills the program.
 */
export class EchoTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private pending: string[] | undefined = [];
  private atLineStart = true;
  private line = '';
  private watched: { dispose(): void } | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** Everything shown, without colors: what tests read. */
  transcript = '';

  constructor(readonly name: string, readonly process: EchoProcess, private readonly annotator: Annotator, private readonly watcher: SocketWatcherApi) {
    this.show(`${BOLD}$ ${shellLine(process.command)}${RESET}\n`, `$ ${shellLine(process.command)}\n`);
    this.replay();
    this.disposables.push(
      toVs(process.onOutput(({ text }) => this.output(text))),
      toVs(process.onEvent((e) => this.onProgramEvent(e))),
      toVs(process.onExit((exit) => {
        const how = exit.error ?? (exit.signal ? vscode.l10n.t('killed by {0}', exit.signal) : vscode.l10n.t('exit status {0}', exit.code ?? '?'));
        this.later(async () => [vscode.l10n.t('[the program ended: {0}]', how)]);
      })),
      toVs(watcher.onDidChange(({ transitions }) => this.annotate(this.annotator.onTransitions(transitions)))),
    );
    this.watched = this.watcher.watchPorts([this.annotator.port]);
  }

  /** Output and events that arrived before this terminal existed (a lesson starts the process first). */
  private replay(): void {
    if (this.process.output) {
      this.output(this.process.output);
    }
  }

  private onProgramEvent(e: Parameters<Annotator['onEvent']>[0]): void {
    if (e.ev === 'bind' && e.ok === false) {
      // A failed bind is explained from a fresh look at the table (who holds the port?).
      this.later(async () => this.annotator.onEvent(e, await this.watcher.refresh().catch(() => this.watcher.rows)));
      return;
    }
    // Interpreted at once (a connect tells which kernel rows are ours), written a moment later.
    const lines = this.annotator.onEvent(e, this.watcher.rows);
    this.later(async () => lines);
  }

  /**
   * Event annotations wait a moment, in order, so they land after the program's own line
   * about the same call (stderr and fd 3 are separate pipes).
   */
  private later(lines: () => Promise<readonly string[]>): void {
    this.queue = this.queue
      .then(() => new Promise((r) => setTimeout(r, ANNOTATION_DELAY_MS)))
      .then(lines)
      .then((l) => this.annotate(l), () => undefined);
  }

  open(): void {
    const queued = this.pending ?? [];
    this.pending = undefined;
    for (const text of queued) {
      this.writeEmitter.fire(text);
    }
  }

  close(): void {
    this.dispose();
  }

  handleInput(data: string): void {
    for (const ch of data) {
      if (ch === '\x03') {
        this.show('^C\n');
        this.line = '';
        this.process.interrupt();
      } else if (ch === '\x04') {
        if (this.line === '') {
          this.show('^D\n');
          this.process.endInput();
        }
      } else if (ch === '\r' || ch === '\n') {
        this.show('\n');
        this.process.write(`${this.line}\n`);
        this.line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line.length > 0) {
          this.line = this.line.slice(0, -1);
          this.raw('\b \b');
        }
      } else if (ch >= ' ') {
        this.line += ch;
        this.raw(ch);
        this.transcript += ch;
      }
    }
  }

  /** Program output, converted to terminal line endings in one place. */
  private output(text: string): void {
    this.show(text);
  }

  /** Annotations go on lines of their own, dimmed, between the program's lines. */
  private annotate(lines: readonly string[]): void {
    if (lines.length === 0) {
      return;
    }
    const prefix = this.atLineStart ? '' : '\n';
    const body = lines.map((l) => `  ${l}`).join('\n') + '\n';
    this.show(`${prefix}${DIM}${body}${RESET}`, prefix + body);
  }

  /** Writes text (\n becomes \r\n) and records its plain form. */
  private show(text: string, plain = text): void {
    if (text.length === 0) {
      return;
    }
    this.transcript += plain;
    this.atLineStart = plain.endsWith('\n');
    this.raw(text.replace(/\r?\n/g, '\r\n'));
  }

  private raw(text: string): void {
    if (this.pending) {
      this.pending.push(text);
    } else {
      this.writeEmitter.fire(text);
    }
  }

  dispose(): void {
    this.process.dispose();
    this.watched?.dispose();
    for (const d of this.disposables.splice(0)) {
      d.dispose();
    }
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}

function toVs(d: { dispose(): void }): vscode.Disposable {
  return new vscode.Disposable(() => d.dispose());
}
