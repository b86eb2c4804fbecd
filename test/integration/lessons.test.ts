import * as assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { PanelState, ProbeResult } from '../../src/protocol';

const EXTENSION_ID = 'socket-lifecycle.socket-lifecycle';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const probe = () => vscode.commands.executeCommand<ProbeResult | undefined>('socketLifecycle.panel.probe');
const FINAL = new Set(['passed', 'failed', 'skipped']);

describe('lessons panel', () => {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.terminal.killAll').then(undefined, () => undefined);
  });

  it('puts the events of programs started from the lab into the panel timeline, labeled server and client', async function () {
    this.timeout(60_000);
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const port = (free.address() as AddressInfo).port;
    await new Promise((r) => free.close(r));
    await vscode.commands.executeCommand('socketLifecycle.openPanel', { ports: [port] });
    try {
      assert.ok(await vscode.commands.executeCommand('socketLifecycle.startServer', { port }));
      assert.ok(await vscode.commands.executeCommand('socketLifecycle.startClient', { port }));
      let seen = new Set<string>();
      for (let i = 0; i < 150 && !(seen.has('server:listen') && seen.has('client:connect')); i++) {
        await sleep(100);
        const state = await vscode.commands.executeCommand<PanelState | undefined>('socketLifecycle.panel.state');
        seen = new Set(state?.timeline.flatMap((e) => (e.kind === 'program' && (e.event.port === port || e.event.local?.endsWith(`:${port}`) || e.event.peer?.endsWith(`:${port}`)) ? [`${e.event.source}:${e.event.ev}`] : [])));
      }
      assert.ok(seen.has('server:listen') && seen.has('client:connect'), [...seen].join(' '));
    } finally {
      await vscode.commands.executeCommand('socketLifecycle.stopAll');
    }
  });

  it('opens the Lessons tab on a lesson', async () => {
    await vscode.commands.executeCommand('socketLifecycle.openPanel', { tab: 'lessons', lesson: 'time-wait' });
    let p: ProbeResult | undefined;
    for (let i = 0; i < 100 && p?.lesson?.id !== 'time-wait'; i++) {
      p = await probe();
      await sleep(100);
    }
    assert.equal(p?.tab, 'lessons');
    assert.equal(p?.lesson?.id, 'time-wait');
    assert.ok(p!.lesson!.statuses.length >= 6);
  });

  it('runs the half-close lesson from the panel on the real kernel, clicking each step that waits', async function () {
    this.timeout(120_000);
    await vscode.commands.executeCommand('socketLifecycle.openPanel', { tab: 'lessons', lesson: 'half-close' });
    await vscode.commands.executeCommand('socketLifecycle.panel.lessonStep', 'half-close', 0);
    const deadline = Date.now() + 100_000;
    let statuses: string[] = [];
    const clicked = new Set<number>([0]);
    while (Date.now() < deadline) {
      const p = await probe();
      statuses = p?.lesson?.id === 'half-close' ? p.lesson.statuses : statuses;
      // A step waiting for its button: click it, as a learner would.
      const waiting = statuses.indexOf('waiting');
      if (waiting >= 0 && !clicked.has(waiting)) {
        clicked.add(waiting);
        await vscode.commands.executeCommand('socketLifecycle.panel.lessonStep', 'half-close', waiting);
      }
      if (statuses.length > 0 && statuses.every((s) => FINAL.has(s))) {
        break;
      }
      await sleep(200);
    }
    console.log(`lessons: half-close statuses ${statuses.join(', ')}; clicked steps ${[...clicked].join(', ')}`);
    assert.deepEqual(statuses, ['passed', 'passed', 'passed', 'passed']);
    // The programs' own events reached the timeline, labeled by role, beside the lesson's steps.
    const state = await vscode.commands.executeCommand<PanelState | undefined>('socketLifecycle.panel.state');
    const sources = new Set(state?.timeline.filter((e) => e.kind === 'program').map((e) => (e.kind === 'program' ? `${e.event.source}:${e.event.ev}` : '')));
    assert.ok(sources.has('server:listen') && sources.has('client:connect') && sources.has('client:shutdown') && sources.has('lesson:step'), [...sources].join(' '));
  });
});
