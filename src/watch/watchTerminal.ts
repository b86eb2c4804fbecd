import * as vscode from 'vscode';
import { LiveFrame, renderTable } from '../sockets/table';
import type { SocketWatcher } from '../sockets/watcher';

/**
 * The live socket table in a terminal (until the panel exists): the same renderer as the
 * CLI, redrawn in place. Reading it keeps the watcher polling; closing it lets it rest.
 */
export class WatchTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private readonly frame = new LiveFrame('\r\n');
  private subscription: vscode.Disposable | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private columns = 120;

  constructor(private readonly watcher: SocketWatcher) {}

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    this.columns = dimensions?.columns ?? this.columns;
    this.writeEmitter.fire('\x1b[?25l');
    this.subscription = this.watcher.onDidPoll(() => this.draw());
    // Between polls (stretched to seconds on a busy table) the countdowns keep moving.
    this.ticker = setInterval(() => this.draw(), 250);
    this.draw();
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.columns = dimensions.columns;
    this.draw();
  }

  handleInput(data: string): void {
    if (data === 'q' || data === '\x03') {
      this.closeEmitter.fire();
      this.close();
    }
  }

  close(): void {
    clearInterval(this.ticker);
    this.subscription?.dispose();
    this.subscription = undefined;
  }

  private draw(): void {
    const lines = renderTable({
      rows: this.watcher.rows, ports: this.watcher.watchedPorts, at: this.watcher.snapshotAt, now: Date.now(),
      hasTimers: this.watcher.hasTimers, color: true, width: this.columns, error: this.watcher.lastError?.message,
      configuredIntervalMs: this.watcher.configuredIntervalMs, effectiveIntervalMs: this.watcher.effectiveIntervalMs,
    });
    lines[lines.length - 1] += vscode.l10n.t('  (q closes this view)');
    this.writeEmitter.fire(this.frame.render(lines));
  }

  dispose(): void {
    this.close();
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
