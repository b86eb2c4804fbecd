import './l10nHost';
import * as vscode from 'vscode';
import { Config } from './config';
import { pickSocketSource } from './sockets/reader';
import type { SocketWatcherApi } from './sockets/types';
import { SocketWatcher } from './sockets/watcher';
import { registerLab } from './lab/register';
import { registerLint } from './lint/vscode/register';
import { registerPanel } from './panel/panel';
import { registerWatch } from './watch/register';

/** What activate() returns: a small surface for tests and other extensions. */
export interface SocketLifecycleApi {
  /** How long activate() took, in milliseconds. */
  activationMs: number;
  /** The shared socket watcher (the same instance the status bar and the panel use). */
  watcher: SocketWatcherApi;
}

/** Wiring only: each capability registers itself and returns what to dispose. */
export function activate(context: vscode.ExtensionContext): SocketLifecycleApi {
  const started = performance.now();
  const config = new Config();
  context.subscriptions.push(config);
  // The sock_diag helper is compiled into our own storage, not a shared temp folder.
  const source = pickSocketSource(process.platform, { storageDir: context.globalStorageUri.fsPath });
  const watcher = new SocketWatcher(source, config);
  if ('dispose' in source && typeof source.dispose === 'function') {
    context.subscriptions.push({ dispose: () => (source.dispose as () => void)() });
  }
  context.subscriptions.push(watcher, registerWatch(context, config, watcher));
  const panel = registerPanel(context, watcher);
  const lab = registerLab(context, config, watcher);
  context.subscriptions.push(panel, lab, panel.connectLab(lab, config));
  context.subscriptions.push(registerLint(context, config));
  return { activationMs: performance.now() - started, watcher };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
