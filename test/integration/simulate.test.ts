import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ProbeResult } from '../../src/protocol';
import { simulate, snapshotAt } from '../../src/tcp/sim/index';

const EXTENSION_ID = 'socket-lifecycle.socket-lifecycle';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('simulate panel', () => {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('plays the lost-final-ack scenario in the panel: markers follow the trace, the label is always shown', async () => {
    const scenario = 'lost-final-ack';
    const trace = simulate(scenario);
    const started = await vscode.commands.executeCommand<boolean>('socketLifecycle.simulate', { scenario, speed: 16 });
    assert.equal(started, true);
    const seen: ProbeResult['simulation'][] = [];
    const deadline = Date.now() + 30_000;
    let last: ProbeResult['simulation'];
    while (Date.now() < deadline) {
      const probe = await vscode.commands.executeCommand<ProbeResult | undefined>('socketLifecycle.panel.probe');
      last = probe?.simulation;
      if (last) {
        assert.equal(probe!.tab, 'simulate');
        seen.push(last);
        if (last.step === last.total - 1) {
          break;
        }
      }
      await sleep(50);
    }
    assert.ok(last, 'the webview reported the simulation');
    assert.equal(last.scenario, scenario);
    assert.equal(last.total, trace.events.length);
    assert.equal(last.step, trace.events.length - 1, 'played to the end');
    const steps = new Set(seen.map((s) => s!.step));
    assert.ok(steps.size >= 3, `saw it playing: steps ${[...steps].join(',')}`);
    for (const s of seen) {
      const expected = snapshotAt(trace.events, s!.step).states;
      assert.deepEqual(s!.states, expected, `states at step ${s!.step}`);
      const markers = Object.fromEntries(s!.markers.map((m) => [m.key, m.state]));
      assert.deepEqual(markers, { 'sim-client': expected.client, 'sim-server': expected.server }, `markers at step ${s!.step}`);
      assert.equal(s!.labelVisible, true, `label visible at step ${s!.step}`);
    }
    assert.deepEqual(last.states, trace.final);
    console.log(`simulate: ${scenario} played in the panel, ${seen.length} probes over ${steps.size} distinct steps`);
  });

  it('rejects an unknown scenario without opening anything new', async () => {
    assert.equal(await vscode.commands.executeCommand('socketLifecycle.simulate', { scenario: 'no-such-thing' }), false);
  });
});
