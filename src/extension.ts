import * as vscode from 'vscode';
import { Config } from './config';
import { setTranslator } from './l10n';

/** What activate() returns: a small surface for tests and other extensions. */
export interface SocketLifecycleApi {
  /** How long activate() took, in milliseconds. */
  activationMs: number;
}

/** Wiring only: each capability registers itself and returns what to dispose. */
export function activate(context: vscode.ExtensionContext): SocketLifecycleApi {
  const started = performance.now();
  setTranslator((message, args) => vscode.l10n.t(message, args));
  const config = new Config();
  context.subscriptions.push(config);
  return { activationMs: performance.now() - started };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
