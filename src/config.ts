import * as vscode from 'vscode';
import { parseSettings, type Settings } from './settings';

export const SECTION = 'socketLifecycle';

/** The one reader of our settings; capabilities subscribe to `onDidChange`. */
export class Config implements vscode.Disposable {
  private current: Settings;
  private readonly changed = new vscode.EventEmitter<Settings>();
  private readonly listener: vscode.Disposable;
  readonly onDidChange = this.changed.event;

  constructor() {
    this.current = Config.read();
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) {
        this.current = Config.read();
        this.changed.fire(this.current);
      }
    });
  }

  get value(): Settings {
    return this.current;
  }

  private static read(): Settings {
    const section = vscode.workspace.getConfiguration(SECTION);
    // Flat keys as package.json declares them; parseSettings accepts both shapes.
    const flat: Record<string, unknown> = {};
    for (const key of [
      'watcher.intervalMs', 'lab.runtime', 'lab.compilerPath', 'lab.pythonPath', 'lab.defaultPort',
      'lint.enable', 'lint.rules', 'lint.debounceMs',
    ]) {
      flat[key] = section.get(key);
    }
    // Executable paths are honored only in trusted workspaces (restrictedConfigurations).
    if (!vscode.workspace.isTrusted) {
      flat['lab.compilerPath'] = section.inspect<string>('lab.compilerPath')?.globalValue;
      flat['lab.pythonPath'] = section.inspect<string>('lab.pythonPath')?.globalValue;
    }
    return parseSettings(flat);
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}
