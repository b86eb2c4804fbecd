// The Simulate tab in real Chromium on the built bundle: stepping moves the two simulated
// endpoints' markers along the scenario's states, and the simulation label is always on screen.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { simRun, simScenarios } from '../../../src/panel/simulate';
import { parseToHost } from '../../../src/protocol';
import { bundleBuilt, closeBrowser, init, openView, type ViewHandle } from './browser';

describe('simulate host module', () => {
  it('runs a known scenario with one snapshot per event, and refuses unknown ids', () => {
    const run = simRun('lost-final-ack', 1000);
    assert.ok(run);
    assert.equal(run.snapshots.length, run.events.length);
    assert.equal(run.mslMs, 1000);
    assert.deepEqual(run.snapshots.at(-1)?.states, run.final);
    assert.equal(simRun('rm -rf'), undefined);
    assert.equal(simScenarios().length >= 8, true);
  });

  it('accepts only well-formed simulate messages from the view', () => {
    assert.ok(parseToHost({ type: 'simulate', scenario: 'half-open' }));
    assert.ok(parseToHost({ type: 'simulate', scenario: 'half-open', mslMs: 5000 }));
    assert.equal(parseToHost({ type: 'simulate', scenario: 'half-open', mslMs: 1 }), undefined);
    assert.equal(parseToHost({ type: 'simulate', scenario: '../x' }), undefined);
    assert.equal(parseToHost({ type: 'simulate', scenario: 'half-open', extra: 1 }), undefined);
  });
});

describe('Simulate tab in Chromium (built bundle)', { skip: !bundleBuilt() && 'dist/webview is not built' }, () => {
  let view: ViewHandle;
  const run = simRun('lost-final-ack')!;
  before(async () => {
    view = await openView({ height: 700 });
    await view.send(init());
    await view.send({ type: 'simulation', scenarios: simScenarios(), run, play: false });
    await view.frame();
    await view.page.getByRole('tab', { name: 'Simulate' }).click();
    await view.frame();
  });
  after(async () => {
    await view?.close();
    await closeBrowser();
  });

  /** The label is rendered, not hidden, and inside the viewport. */
  async function labelOnScreen(): Promise<boolean> {
    const banner = view.page.locator('.sim-banner');
    if (!(await banner.isVisible())) {
      return false;
    }
    const box = await banner.boundingBox();
    const text = (await banner.textContent()) ?? '';
    return box !== null && box.y >= 0 && box.y + box.height <= 700 && text.includes('SIMULATION \u2014 a model, not your kernel');
  }

  async function markerStates(): Promise<{ client?: string; server?: string }> {
    const pairs = await view.page.locator('.sim-svg circle.marker').evaluateAll((els) => els.map((e) => [e.getAttribute('data-key'), e.getAttribute('data-state')]));
    const get = (k: string) => pairs.find(([key]) => key === k)?.[1] ?? undefined;
    return { client: get('sim-client'), server: get('sim-server') };
  }

  it('steps forward through every event: the markers follow the trace and the label never leaves the screen', async () => {
    const seen: { client: string[]; server: string[] } = { client: [], server: [] };
    for (let i = 0; i < run.events.length; i++) {
      if (i > 0) {
        await view.page.getByRole('button', { name: 'Step forward' }).click();
        await view.frame();
      }
      // Scroll around like a reader: the label stays (sticky header).
      await view.page.mouse.wheel(0, i % 2 === 0 ? 400 : -250);
      const expected = run.snapshots[i].states;
      const markers = await markerStates();
      assert.deepEqual(markers, expected, `step ${i}`);
      assert.equal(await labelOnScreen(), true, `label on screen at step ${i}`);
      assert.equal(await view.page.locator('.sim-position').textContent(), `Step ${i + 1} of ${run.events.length}`);
      assert.equal(await view.page.locator('.sim-explanation').textContent(), run.events[i].explanation);
      for (const side of ['client', 'server'] as const) {
        if (seen[side].at(-1) !== expected[side]) {
          seen[side].push(expected[side]);
        }
      }
    }
    // The essential path of the scenario: the server retransmits its FIN from LAST_ACK.
    assert.deepEqual(seen.client, ['CLOSE', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE']);
    assert.deepEqual(seen.server, ['CLOSE', 'LISTEN', 'SYN_RECV', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSE']);
    // The lost ACK is drawn as lost, and the FIN as retransmitted.
    assert.ok((await view.page.locator('.sim-seq g.segment[data-fate="dropped"][data-kind="ACK"]').count()) >= 1);
    assert.match((await view.page.locator('.sim-seq g.segment[data-kind="FIN"] .seg-label').allTextContents()).join('|'), /retransmitted/);
  });

  it('steps back and restarts; the lit edge follows the current state change', async () => {
    await view.page.getByRole('button', { name: 'Restart' }).click();
    await view.frame();
    assert.equal(await view.page.locator('.sim-position').textContent(), `Step 1 of ${run.events.length}`);
    const change = run.events.findIndex((e) => e.kind === 'state-changed' && e.side === 'server' && e.to === 'LISTEN');
    for (let i = 0; i < change; i++) {
      await view.page.keyboard.press('ArrowRight');
    }
    await view.page.getByRole('button', { name: 'Step forward' }).click();
    await view.page.getByRole('button', { name: 'Step back' }).click();
    await view.frame();
    assert.equal(await view.page.locator('.sim-position').textContent(), `Step ${change + 1} of ${run.events.length}`);
    assert.equal(await view.page.locator('.sim-svg g.edge.lit[data-edge="CLOSE>LISTEN"]').count(), 1);
    assert.equal(await labelOnScreen(), true);
  });

  it('plays continuously at the chosen speed and stops at the end, label still on screen', async () => {
    await view.page.locator('.sim-speed').selectOption('16');
    await view.page.getByRole('button', { name: 'Restart' }).click();
    await view.page.getByRole('button', { name: 'Play' }).click();
    await view.page.waitForTimeout(400);
    const mid = Number(await view.page.evaluate(() => document.querySelector<HTMLElement>('.simulate')?.dataset.step));
    assert.ok(mid >= 2 && mid < run.events.length - 1, `playing: at step ${mid}`);
    assert.equal(await labelOnScreen(), true);
    await view.page.waitForFunction((n) => document.querySelector<HTMLElement>('.simulate')?.dataset.step === String(n - 1), run.events.length, { timeout: 10_000 });
    assert.equal(await view.page.getByRole('button', { name: 'Play' }).isVisible(), true, 'back to Play at the end');
    assert.deepEqual(await markerStates(), run.final);
  });

  it('asks the host for a new run with the chosen scenario and MSL', async () => {
    await view.page.locator('.sim-picker').selectOption('half-open');
    assert.match((await view.page.locator('.sim-description').textContent()) ?? '', /keepalive/);
    await view.page.locator('.sim-msl').fill('5');
    await view.page.getByRole('button', { name: 'Run simulation' }).click();
    assert.deepEqual((await view.posted()).at(-1), { type: 'simulate', scenario: 'half-open', mslMs: 5000 });
  });

  it('shows the label in the Simulate tab only, and before any run too', async () => {
    const fresh = await openView({ height: 700 });
    try {
      await fresh.send(init({}));
      await fresh.send({ type: 'showTab', tab: 'simulate' });
      await fresh.frame();
      assert.equal(await fresh.page.locator('.sim-banner').isVisible(), true);
      await fresh.page.getByRole('tab', { name: 'Live' }).click();
      assert.equal(await fresh.page.locator('.sim-banner').isVisible(), false);
    } finally {
      await fresh.close();
    }
  });
});
