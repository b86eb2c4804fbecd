import * as vscode from 'vscode';
import type { Config } from '../config';
import { parsePorts } from '../sockets/ports';
import type { SocketWatcher } from '../sockets/watcher';
import { WatchStatusBar } from './statusBar';
import { WatchTerminal } from './watchTerminal';

export const WATCH_PORT_COMMAND = 'socketLifecycle.watchPort';
export const STOP_WATCHING_COMMAND = 'socketLifecycle.stopWatching';
export const SHOW_WATCH_COMMAND = 'socketLifecycle.showWatchView';
/** Context key for when clauses: true while this workspace watches ports. */
export const WATCHING_CONTEXT = 'socketLifecycle.watching';
/** workspaceState key: the ports this workspace watched last. */
const PORTS_KEY = 'socketLifecycle.watchedPorts';

/** Ports given by another command or a test instead of the input box: 7865, [7865, 8080] or "7865,8080". */
function portsFromArgument(arg: unknown): number[] | undefined {
  if (typeof arg === 'number' || typeof arg === 'string') {
    const parsed = parsePorts(String(arg));
    return 'ports' in parsed ? parsed.ports : undefined;
  }
  if (Array.isArray(arg)) {
    return portsFromArgument(arg.join(','));
  }
  return undefined;
}

/**
 * "Watch Port...", "Stop Watching Ports" and the watch view over the shared watcher; the
 * ports are remembered per workspace and watched again on the next activation.
 */
export function registerWatch(context: vscode.ExtensionContext, config: Config, watcher: SocketWatcher): vscode.Disposable {
  const statusBar = new WatchStatusBar(watcher, SHOW_WATCH_COMMAND);
  let watching: vscode.Disposable | undefined;
  let terminal: vscode.Terminal | undefined;

  const watch = (ports: number[]) => {
    watching?.dispose();
    watching = ports.length > 0 ? watcher.watchPorts(ports) : undefined;
    void context.workspaceState.update(PORTS_KEY, ports);
    // Menus show "Stop Watching Ports" only while something is watched.
    void vscode.commands.executeCommand('setContext', WATCHING_CONTEXT, ports.length > 0);
    statusBar.update();
    void watcher.refresh().then(() => statusBar.update());
  };

  const remembered = context.workspaceState.get<unknown>(PORTS_KEY);
  const initial = portsFromArgument(remembered);
  if (initial && initial.length > 0) {
    watch(initial);
  }

  const watchPort = async (arg?: unknown): Promise<number[] | undefined> => {
    let ports = portsFromArgument(arg);
    if (!ports) {
      const input = await vscode.window.showInputBox({
        title: vscode.l10n.t('Watch Port'),
        prompt: vscode.l10n.t('TCP ports to watch (local or remote end), separated by commas'),
        placeHolder: '7865, 8080',
        value: watcher.watchedPorts.join(', ') || String(config.value.lab.defaultPort),
        validateInput: (text) => {
          const parsed = parsePorts(text);
          return 'error' in parsed ? parsed.error : undefined;
        },
      });
      const parsed = input === undefined ? undefined : parsePorts(input);
      if (!parsed || 'error' in parsed) {
        return undefined;
      }
      ports = parsed.ports;
    }
    watch(ports);
    return ports;
  };

  const showView = async () => {
    if (watcher.watchedPorts.length === 0 && !(await watchPort())) {
      return;
    }
    if (!terminal || terminal.exitStatus !== undefined) {
      terminal = vscode.window.createTerminal({ name: vscode.l10n.t('Socket Lifecycle: Watch'), pty: new WatchTerminal(watcher) });
    }
    terminal.show();
  };

  const stop = () => {
    watching?.dispose();
    watching = undefined;
    void context.workspaceState.update(PORTS_KEY, []);
    terminal?.dispose();
    terminal = undefined;
    statusBar.update();
  };

  return vscode.Disposable.from(
    statusBar,
    vscode.commands.registerCommand(WATCH_PORT_COMMAND, watchPort),
    vscode.commands.registerCommand(STOP_WATCHING_COMMAND, stop),
    vscode.commands.registerCommand(SHOW_WATCH_COMMAND, showView),
    vscode.window.onDidCloseTerminal((closed) => {
      if (closed === terminal) {
        terminal = undefined;
      }
    }),
    { dispose: () => { watching?.dispose(); terminal?.dispose(); } },
  );
}
