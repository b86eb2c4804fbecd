import * as assert from 'node:assert/strict';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import * as vscode from 'vscode';
import type { PanelState, ProbeResult } from '../../src/protocol';

const EXTENSION_ID = 'socket-lifecycle.socket-lifecycle';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `read` until `ok` holds or `ms` pass; returns the last value. */
async function until<T>(read: () => Thenable<T> | Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await sleep(100);
    value = await read();
  }
  return value;
}

/** A real TIME_WAIT on 127.0.0.1: the server side closes first; returns the server's port. */
async function makeTimeWait(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const accepted = new Promise<Socket>((r) => server.once('connection', r));
  const client = connect(port, '127.0.0.1');
  await new Promise((r) => client.once('connect', r));
  const serverSide = await accepted;
  const clientClosed = new Promise((r) => client.once('close', r));
  serverSide.destroy();
  await clientClosed;
  await new Promise((r) => server.close(r));
  return port;
}

describe('panel', () => {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows a real TIME_WAIT on a watched port in the table and as a marker on the TIME_WAIT state', async () => {
    const port = await makeTimeWait();
    const key = (k: string) => k.startsWith(`127.0.0.1:${port}>127.0.0.1:`);
    await vscode.commands.executeCommand('socketLifecycle.openPanel', { ports: [port] });
    const state = await until(() => vscode.commands.executeCommand<PanelState | undefined>('socketLifecycle.panel.state'),
      (s) => s?.rows.some((r) => r.local.port === port && r.state === 'TIME_WAIT') ?? false);
    assert.ok(state, 'the panel host keeps its state');
    assert.deepEqual(state.watchedPorts, [port]);
    const row = state.rows.find((r) => r.local.port === port && r.state === 'TIME_WAIT');
    assert.ok(row, `a TIME_WAIT row on ${port}: ${JSON.stringify(state.rows)}`);
    // What the webview's DOM shows, read inside the webview and posted back.
    const probe = await until(() => vscode.commands.executeCommand<ProbeResult | undefined>('socketLifecycle.panel.probe'),
      (p) => p?.markers.some((m) => key(m.key) && m.state === 'TIME_WAIT') ?? false, 20_000);
    assert.ok(probe, 'the webview answered the probe');
    const tableRow = probe.tableRows.find((r) => key(r.key));
    assert.equal(tableRow?.state, 'TIME_WAIT', JSON.stringify(probe.tableRows));
    if (state.hasTimers) {
      assert.match(tableRow!.timer, /TIME_WAIT ends in \d+(\.\d)? s/);
    }
    assert.deepEqual(probe.markers.filter((m) => key(m.key)).map((m) => m.state), ['TIME_WAIT']);
    assert.equal(probe.empty, false);
    console.log(`panel: TIME_WAIT on ${port} shown; table timer "${tableRow!.timer}"`);
  });

  it('reveals the same panel when opened again, and forgets it when closed', async () => {
    await vscode.commands.executeCommand('socketLifecycle.openPanel');
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('socketLifecycle.panel'));
    assert.equal(tabs.length, 1);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until(() => vscode.commands.executeCommand<PanelState | undefined>('socketLifecycle.panel.state'), (s) => s === undefined, 5000);
    assert.equal(await vscode.commands.executeCommand('socketLifecycle.panel.state'), undefined);
  });
});
