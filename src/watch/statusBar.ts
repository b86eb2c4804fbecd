import * as vscode from 'vscode';
import { summarize } from '../sockets/summary';
import type { SocketWatcher } from '../sockets/watcher';

/**
 * `$(plug) 7865: 1 LISTEN · 2 TIME_WAIT`: the watched sockets by state. Its listener keeps the
 * watcher polling while ports are watched; a click opens the watch view.
 */
export class WatchStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('socketLifecycle.watch', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly watcher: SocketWatcher, command: string) {
    this.item.name = vscode.l10n.t('Socket Lifecycle: watched sockets');
    this.item.command = command;
    this.subscriptions = [
      watcher.onDidChange(() => this.update()),
      watcher.onDidFail(() => this.update()),
    ];
  }

  /** The text shown now (also for tests, which cannot read the status bar). */
  get text(): string {
    return this.item.text;
  }

  update(): void {
    const ports = this.watcher.watchedPorts;
    if (ports.length === 0) {
      this.item.hide();
      return;
    }
    const error = this.watcher.lastError;
    this.item.text = error ? `$(warning) ${vscode.l10n.t('Socket watcher stopped')}` : `$(plug) ${summarize(this.watcher.rows, ports)}`;
    this.item.tooltip = error ? error.message : vscode.l10n.t(
      'Sockets on watched ports, read from the kernel every {0} ms. Click to open the live table.', this.watcher.effectiveIntervalMs);
    this.item.show();
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
