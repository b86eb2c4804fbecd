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

  /** Runs a lesson from the Lessons tab like a learner: click step 1, then each step that waits. */
  async function runFromPanel(lesson: string): Promise<{ statuses: string[]; clicked: number[] }> {
    await vscode.commands.executeCommand('socketLifecycle.openPanel', { tab: 'lessons', lesson });
    await vscode.commands.executeCommand('socketLifecycle.panel.lessonStep', lesson, 0);
    const deadline = Date.now() + 100_000;
    let statuses: string[] = [];
    const clicked = new Set<number>([0]);
    while (Date.now() < deadline) {
      const p = await probe();
      statuses = p?.lesson?.id === lesson ? p.lesson.statuses : statuses;
      const waiting = statuses.indexOf('waiting');
      if (waiting >= 0 && !clicked.has(waiting)) {
        clicked.add(waiting);
        await vscode.commands.executeCommand('socketLifecycle.panel.lessonStep', lesson, waiting);
      }
      if (statuses.length > 0 && statuses.every((s) => FINAL.has(s))) {
        break;
      }
      await sleep(200);
    }
    console.log(`lessons: ${lesson} statuses ${statuses.join(', ')}; clicked steps ${[...clicked].join(', ')}`);
    return { statuses, clicked: [...clicked] };
  }

  const panelState = () => vscode.commands.executeCommand<PanelState | undefined>('socketLifecycle.panel.state');

  it('runs the half-close lesson from the panel on the real kernel, clicking each step that waits', async function () {
    this.timeout(120_000);
    const { statuses } = await runFromPanel('half-close');
    assert.deepEqual(statuses, ['passed', 'passed', 'passed', 'passed']);
    // The programs' own events reached the timeline, labeled by role, beside the lesson's steps.
    const state = await panelState();
    const sources = new Set(state?.timeline.filter((e) => e.kind === 'program').map((e) => (e.kind === 'program' ? `${e.event.source}:${e.event.ev}` : '')));
    assert.ok(sources.has('server:listen') && sources.has('client:connect') && sources.has('client:shutdown') && sources.has('lesson:step'), [...sources].join(' '));
  });

  it('runs the time-wait lesson from the panel: TIME_WAIT live, the failed restart with its reason, then the successful one', async function () {
    this.timeout(120_000);
    const { statuses } = await runFromPanel('time-wait');
    assert.ok(statuses.length >= 6 && statuses.every((s) => s === 'passed'), statuses.join(', '));
    const state = (await panelState())!;
    const programs = state.timeline.flatMap((e) => (e.kind === 'program' ? [e.event] : []));
    const transitions = state.timeline.flatMap((e) => (e.kind === 'transition' ? [e] : []));
    const binds = programs.filter((e) => e.ev === 'bind');
    assert.ok(binds.some((e) => e.ok === false && e.errno === 'EADDRINUSE'), `a restart failed with EADDRINUSE: ${JSON.stringify(binds)}`);
    const lastFailed = binds.map((e) => e.ok).lastIndexOf(false);
    assert.ok(binds.slice(lastFailed + 1).some((e) => e.ok === true), 'a later restart bound the port');
    assert.ok(transitions.some((t) => t.to === 'LISTEN'), 'LISTEN seen');
    assert.ok(transitions.some((t) => t.to === 'ESTABLISHED'), 'ESTABLISHED seen');
    const timeWait = transitions.filter((t) => t.to === 'TIME_WAIT');
    assert.ok(timeWait.length > 0, 'TIME_WAIT seen');
    // The server closed first: its side (local port = the listening port) is the one in TIME_WAIT.
    const listenPorts = new Set(transitions.filter((t) => t.to === 'LISTEN').map((t) => t.row.local.port));
    assert.ok(timeWait.some((t) => listenPorts.has(t.row.local.port)), 'TIME_WAIT on the server side');
    // Who sent the first FIN: on loopback FIN_WAIT2 lasts microseconds here (the client closes at
    // once), so the panel infers it; its sequence diagram must name the server's side.
    await vscode.commands.executeCommand('socketLifecycle.openPanel', { tab: 'timeline' });
    let sequences: { key: string; firstFin: string }[] = [];
    for (let i = 0; i < 30 && sequences.length === 0; i++) {
      await sleep(200);
      sequences = (await probe())?.sequences ?? [];
    }
    const serverFirst = sequences.filter((q) => [...listenPorts].some((p) => q.firstFin.endsWith(`:${p}`)));
    assert.ok(serverFirst.length > 0, `a teardown whose first FIN came from the server: ${JSON.stringify(sequences)}`);
    const timers = timeWait.map((t) => t.row.timer?.seconds ?? 0);
    assert.ok(timers.some((s) => s > 0 && s <= 60), `countdown ${timers.join(', ')}`);
    console.log(`lessons: time-wait in the panel saw ${transitions.length} transitions, ${binds.length} binds (${binds.map((b) => (b.ok ? 'ok' : b.errno)).join(', ')})`);
  });
});
