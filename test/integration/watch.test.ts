import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { SocketLifecycleApi } from '../../src/extension';
import { summarize } from '../../src/sockets/summary';

const EXTENSION_ID = 'socket-lifecycle.socket-lifecycle';

describe('socket watcher in VS Code', () => {
  let server: net.Server | undefined;

  afterEach(async () => {
    await vscode.commands.executeCommand('socketLifecycle.stopWatching');
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  it('registers Watch Port..., Stop Watching Ports and Show Watched Sockets', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ['socketLifecycle.watchPort', 'socketLifecycle.stopWatching', 'socketLifecycle.showWatchView']) {
      assert.ok(registered.has(id), id);
    }
  });

  it('sees a real listening socket on a watched port through the shared watcher', async () => {
    const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as SocketLifecycleApi;
    server = net.createServer();
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    // The command takes ports as an argument as well as from its input box.
    const ports = await vscode.commands.executeCommand<number[]>('socketLifecycle.watchPort', [port]);
    assert.deepEqual(ports, [port]);
    let rows = await api.watcher.refresh();
    // Owners are looked up by a throttled /proc scan (about 1% of a core), so the pid may come
    // a poll or two after the row itself.
    const ready = () => rows.some((r) => r.state === 'LISTEN' && r.local.port === port && (process.platform !== 'linux' || r.pid !== null));
    for (let i = 0; i < 100 && !ready(); i++) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await api.watcher.refresh();
    }
    const listen = rows.find((r) => r.state === 'LISTEN' && r.local.port === port);
    assert.ok(listen, JSON.stringify(rows));
    if (process.platform === 'linux') {
      assert.equal(listen.pid, process.pid, 'the extension host owns the socket');
    }
    assert.equal(summarize(api.watcher.rows, [port]), `${port}: 1 LISTEN`);
    await vscode.commands.executeCommand('socketLifecycle.showWatchView');
    assert.ok(vscode.window.terminals.some((t) => t.name.includes('Watch')), 'the watch view terminal opened');
  });
});
