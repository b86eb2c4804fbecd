// The panel's front end in real Chromium, on the built bundle, fed a recorded TIME_WAIT stream.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SocketRow } from '../../../src/sockets/types';
import { bundleBuilt, closeBrowser, init, openView, recordedStream, replay, type ViewHandle } from './browser';

const row = (local: number, remote: number, state: SocketRow['state'], timer: SocketRow['timer'] = null): SocketRow => ({
  family: 'inet', local: { address: '127.0.0.1', port: local }, remote: { address: '127.0.0.1', port: remote }, state, timer,
  retransmits: 0, probes: 0, rxQueue: 0, txQueue: 0, inode: timer ? 0 : 1234, pid: timer ? null : 42, process: timer ? null : 'echo-server',
});

describe('panel webview in Chromium (built bundle)', { skip: !bundleBuilt() && 'dist/webview is not built' }, () => {
  let view: ViewHandle;
  before(async () => {
    view = await openView();
  });
  after(async () => {
    await view?.close();
    await closeBrowser();
  });

  it('says ready, then shows the empty state with a lesson button that posts runLesson', async () => {
    assert.deepEqual((await view.posted())[0], { type: 'ready' });
    await view.send(init());
    await view.frame();
    assert.equal(await view.page.locator('.empty').isVisible(), true);
    await view.page.getByRole('button', { name: 'Start the TIME_WAIT lesson' }).click();
    assert.deepEqual((await view.posted()).at(-1), { type: 'runLesson', lesson: 'time-wait' });
  });

  it('replays the recorded TIME_WAIT stream: the marker moves ESTABLISHED -> FIN_WAIT2 -> TIME_WAIT and its edge lights', async () => {
    const { port } = recordedStream();
    const serverKey = (m: string) => m.startsWith(`127.0.0.1:${port}>127.0.0.1:`);
    const markerStates: string[] = [];
    let litSeen = false;
    await replay(view, async () => {
      const markers = await view.page.locator('circle.marker').evaluateAll((els) => els.map((e) => [e.getAttribute('data-key') ?? '', e.getAttribute('data-state') ?? '']));
      const server = markers.find(([k]) => serverKey(k));
      if (server && markerStates.at(-1) !== server[1]) {
        markerStates.push(server[1]);
      }
      litSeen ||= (await view.page.locator('g.edge.lit[data-edge="FIN_WAIT2>TIME_WAIT"]').count()) > 0;
    });
    assert.deepEqual(markerStates, ['ESTABLISHED', 'FIN_WAIT2', 'TIME_WAIT']);
    assert.equal(litSeen, true, 'the FIN_WAIT2 -> TIME_WAIT edge lit up');
    // The marker sits inside the TIME_WAIT node's box.
    const [marker, node] = await Promise.all([
      view.page.locator('circle.marker').first().boundingBox(),
      view.page.locator('g.node[data-state="TIME_WAIT"] rect').boundingBox(),
    ]);
    await view.page.waitForTimeout(400); // the slide transition
    const m = (await view.page.locator('circle.marker').first().boundingBox()) ?? marker;
    assert.ok(m && node && m.x >= node.x && m.x + m.width <= node.x + node.width && m.y >= node.y && m.y + m.height <= node.y + node.height,
      `marker ${JSON.stringify(m)} inside TIME_WAIT ${JSON.stringify(node)}`);
  });

  it('counts the TIME_WAIT timer down between polls, and says the socket is kernel-held', async () => {
    const cell = view.page.locator('tbody tr[data-state="TIME_WAIT"] td.col-timer');
    const read = async () => Number(/([\d.]+) s/.exec((await cell.textContent()) ?? '')?.[1]);
    const first = await read();
    await view.page.waitForTimeout(600);
    const second = await read();
    assert.ok(first > 0 && second < first && first - second >= 0.3 && first - second < 1.5, `countdown ${first} -> ${second}`);
    assert.match((await cell.textContent()) ?? '', /^TIME_WAIT ends in/);
    assert.equal(await view.page.locator('tbody tr[data-state="TIME_WAIT"] td.col-process').textContent(), 'no process (kernel-held)');
  });

  it('draws the teardown: the server side closed first, every segment dashed and labeled inferred, server left in TIME_WAIT', async () => {
    const { port } = recordedStream();
    await view.page.getByRole('tab', { name: 'Timeline' }).click();
    await view.frame();
    const seq = view.page.locator('svg.sequence').first();
    assert.equal(await seq.getAttribute('data-first-closer'), 'left');
    assert.equal(await seq.getAttribute('data-first-endpoint'), `127.0.0.1:${port}`);
    const segments = await seq.locator('g.segment').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-from')}:${e.getAttribute('data-kind')}`));
    assert.deepEqual(segments, ['left:FIN', 'right:ACK', 'right:FIN', 'left:ACK']);
    assert.equal(await seq.locator('g.segment.inferred').count(), 4);
    for (const label of await seq.locator('.seg-label').allTextContents()) {
      assert.match(label, /\(inferred\)$/);
    }
    const dash = await seq.locator('g.segment line').first().evaluate((e) => getComputedStyle(e).strokeDasharray);
    assert.notEqual(dash, 'none', 'inferred segments are dashed');
    assert.equal(await seq.locator('g.tw-box').getAttribute('data-side'), 'left');
    const list = await view.page.locator('.timeline-list li').allTextContents();
    assert.ok(list.some((t) => /bind :\d+ .*EADDRINUSE/.test(t)), 'the failed restart is on the timeline');
    assert.ok(list.some((t) => t.includes('FIN_WAIT2') && t.includes('TIME_WAIT')));
    await view.page.getByRole('tab', { name: 'Live' }).click();
  });

  it('sorts and filters; selecting a row highlights its marker and the peer row; keys move the selection', async () => {
    const rows = [row(7865, 50000, 'ESTABLISHED'), row(50000, 7865, 'ESTABLISHED'), row(7865, 0, 'LISTEN'), row(7865, 50002, 'TIME_WAIT', { kind: 'timewait', seconds: 42 })];
    await view.send({ type: 'update', at: Date.now(), rows, entries: [] });
    await view.frame();
    const keys = () => view.page.locator('tbody tr[data-key]').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
    await view.page.getByRole('button', { name: 'State' }).click();
    assert.equal((await view.page.locator('tbody tr[data-key]').first().getAttribute('data-state')), 'ESTABLISHED');
    await view.page.getByRole('button', { name: 'State' }).click();
    assert.equal((await view.page.locator('tbody tr[data-key]').first().getAttribute('data-state')), 'TIME_WAIT');
    assert.equal(await view.page.locator('th.col-state').getAttribute('aria-sort'), 'descending');
    await view.page.getByRole('searchbox').fill('listen');
    assert.deepEqual(await keys(), ['127.0.0.1:7865>127.0.0.1:0']);
    await view.page.getByRole('searchbox').fill('');
    await view.page.locator('tbody tr[data-key="127.0.0.1:7865>127.0.0.1:50000"]').click();
    await view.frame();
    assert.equal(await view.page.locator('tr.selected').getAttribute('data-key'), '127.0.0.1:7865>127.0.0.1:50000');
    assert.equal(await view.page.locator('tr.peer').getAttribute('data-key'), '127.0.0.1:50000>127.0.0.1:7865');
    assert.equal(await view.page.locator('circle.marker.selected').getAttribute('data-key'), '127.0.0.1:7865>127.0.0.1:50000');
    assert.equal(await view.page.locator('circle.marker.peer').getAttribute('data-key'), '127.0.0.1:50000>127.0.0.1:7865');
    const order = await keys();
    await view.page.keyboard.press('Home');
    assert.equal(await view.page.locator('tr.selected').getAttribute('data-key'), order[0]);
    await view.page.keyboard.press('ArrowDown');
    assert.equal(await view.page.locator('tr.selected').getAttribute('data-key'), order[1]);
    assert.equal(await view.page.evaluate(() => document.activeElement?.getAttribute('data-key')), order[1]);
  });

  it('explains a state on Enter, and says why timers are empty where the platform has none', async () => {
    await view.page.locator('g.node[data-state="CLOSE_WAIT"]').focus();
    await view.page.keyboard.press('Enter');
    assert.match((await view.page.locator('.state-details').textContent()) ?? '', /CLOSE_WAIT.*close\(\)/s);
    await view.send({ type: 'update', at: Date.now(), rows: [row(7865, 50000, 'ESTABLISHED')], hasTimers: false, entries: [] });
    await view.frame();
    assert.equal(await view.page.locator('.no-timers').isVisible(), true);
    assert.match((await view.page.locator('.no-timers').textContent()) ?? '', /no timers/);
  });
});
