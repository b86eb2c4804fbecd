// The Lessons tab: the host's pure run/progress logic, and the view in real Chromium.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LessonEvent } from '../../../src/lab/lessons/engine';
import { lessonScript } from '../../../src/lab/lessons/index';
import { applyLessonEvent, applyProgress, awaitStep, lessonViews, newRun, readProgress } from '../../../src/panel/lessonsState';
import { parseToHost, type LessonRunView } from '../../../src/protocol';
import { bundleBuilt, closeBrowser, init, openView, type ViewHandle } from './browser';

const script = lessonScript('half-close');
const verdict = (ok: boolean) => ({ ok, expected: 'FIN_WAIT2, no timer', observed: ok ? 'FIN_WAIT2, no timer' : 'ESTABLISHED' });
const events: LessonEvent[] = [
  { type: 'lessonStarted', lesson: script, runtime: 'c', ports: { main: 40001, second: 40001 } },
  { type: 'stepStarted', index: 0, step: script.steps[0] },
  { type: 'stepFinished', index: 0, step: script.steps[0], status: 'passed', verdicts: [verdict(true)] },
  { type: 'stepStarted', index: 1, step: script.steps[1] },
  { type: 'stepObserved', index: 1, verdicts: [verdict(false)] },
  { type: 'stepFinished', index: 1, step: script.steps[1], status: 'failed', verdicts: [verdict(false)] },
  { type: 'lessonFinished', passed: false, results: [] },
];

describe('lessons host state', () => {
  it('lists the six lessons with their steps and actions in words', () => {
    const views = lessonViews();
    assert.deepEqual(views.map((v) => v.id), ['time-wait', 'client-closes-first', 'close-wait', 'linger-reset', 'keepalive', 'half-close']);
    assert.ok(views.every((v) => v.steps.length > 0 && v.steps.every((s) => s.title.length > 0 && s.explain.length > 0)));
    assert.match(views[0].steps[1].actions[0], /Ctrl\+C in server/);
  });

  it('folds engine events into step statuses with expected vs observed, and ends pending steps', () => {
    let run: LessonRunView = newRun('half-close', script.steps.length);
    for (const e of events.slice(0, 3)) {
      run = applyLessonEvent(run, e);
    }
    assert.deepEqual(run.ports, [40001]);
    assert.equal(run.runtime, 'c');
    assert.equal(run.steps[0].status, 'passed');
    run = awaitStep(run, 1);
    assert.equal(run.next, 1);
    assert.equal(run.steps[1].status, 'waiting');
    for (const e of events.slice(3)) {
      run = applyLessonEvent(run, e);
    }
    assert.equal(run.steps[1].status, 'failed');
    assert.deepEqual(run.steps[1].verdicts, [verdict(false)]);
    assert.equal(run.steps[2].status, 'pending');
    assert.equal(run.running, false);
    assert.equal(run.next, -1);
    assert.equal(run.passed, false);
  });

  it('keeps progress per lesson: steps that held, runs, last result; junk in storage is dropped', () => {
    let progress = readProgress({ 'half-close': { done: [3, 'x', -1, 3], runs: 2 }, bogus: { done: [1] } });
    assert.deepEqual(progress, { 'half-close': { done: [3], runs: 2, passed: undefined } });
    for (const e of events) {
      progress = applyProgress(progress, 'half-close', e);
    }
    assert.deepEqual(progress['half-close'], { done: [0, 3], runs: 3, passed: false });
    assert.deepEqual(readProgress('junk'), {});
  });

  it('accepts only well-formed lesson messages from the view', () => {
    assert.ok(parseToHost({ type: 'lessonStep', lesson: 'time-wait', step: 2 }));
    assert.ok(parseToHost({ type: 'lessonStop' }));
    assert.ok(parseToHost({ type: 'lessonReset', lesson: 'time-wait' }));
    assert.equal(parseToHost({ type: 'lessonStep', lesson: 'time-wait', step: -1 }), undefined);
    assert.equal(parseToHost({ type: 'lessonStep', lesson: 'Time Wait', step: 0 }), undefined);
    assert.equal(parseToHost({ type: 'lessonStop', now: true }), undefined);
  });
});

describe('Lessons tab in Chromium (built bundle)', { skip: !bundleBuilt() && 'dist/webview is not built' }, () => {
  let view: ViewHandle;
  const lessons = lessonViews();
  before(async () => {
    view = await openView();
    await view.send(init());
    await view.send({ type: 'lessons', lessons, progress: { 'half-close': { done: [0], runs: 1 } } });
    await view.frame();
  });
  after(async () => {
    await view?.close();
    await closeBrowser();
  });

  it('opens on a lesson when asked (the empty state\'s first action), step 1 ready to run', async () => {
    await view.send({ type: 'showTab', tab: 'lessons' });
    await view.send({ type: 'lessons', lessons, progress: {}, select: 'time-wait' });
    await view.frame();
    assert.equal(await view.page.locator('.lesson-detail h2').textContent(), lessons[0].title);
    const buttons = view.page.locator('.lesson-step button.lesson-do');
    assert.equal(await buttons.count(), lessons[0].steps.length);
    assert.equal(await buttons.nth(0).isEnabled(), true);
    assert.equal(await buttons.nth(1).isEnabled(), false);
  });

  it('posts the step to run, and shows expected vs observed with a check or a cross', async () => {
    await view.page.locator('.lesson-item[data-lesson="half-close"]').click();
    assert.match((await view.page.locator('.lesson-item[data-lesson="half-close"] .lesson-progress').textContent()) ?? '', /^0 of 4/);
    await view.page.getByRole('button', { name: 'Do step 1' }).click();
    assert.deepEqual((await view.posted()).at(-1), { type: 'lessonStep', lesson: 'half-close', step: 0 });
    let run: LessonRunView = newRun('half-close', script.steps.length);
    for (const e of events.slice(0, 3)) {
      run = applyLessonEvent(run, e);
    }
    run = awaitStep(run, 1);
    await view.send({ type: 'lessonRun', run, progress: { 'half-close': { done: [0], runs: 0 } } });
    await view.frame();
    const step1 = view.page.locator('.lesson-step[data-step="0"]');
    assert.equal(await step1.getAttribute('data-status'), 'passed');
    assert.equal(await step1.locator('.verdicts tr.ok .verdict-mark').textContent(), '\u2713');
    assert.equal(await view.page.getByRole('button', { name: 'Do step 2' }).isEnabled(), true, 'the next step waits for its click');
    assert.equal(await view.page.getByRole('button', { name: 'Do step 3' }).isEnabled(), false);
    await view.page.getByRole('button', { name: 'Do step 2' }).click();
    assert.deepEqual((await view.posted()).at(-1), { type: 'lessonStep', lesson: 'half-close', step: 1 });
    for (const e of events.slice(3)) {
      run = applyLessonEvent(run, e);
    }
    await view.send({ type: 'lessonRun', run, progress: { 'half-close': { done: [0], runs: 1, passed: false } } });
    await view.frame();
    const step2 = view.page.locator('.lesson-step[data-step="1"]');
    assert.equal(await step2.getAttribute('data-status'), 'failed');
    assert.equal(await step2.locator('.verdicts tr.bad .verdict-mark').textContent(), '\u2717');
    assert.deepEqual(await step2.locator('.verdicts tr.bad td').allTextContents(), ['\u2717', 'FIN_WAIT2, no timer', 'ESTABLISHED']);
    assert.match((await view.page.locator('.lesson-result').textContent()) ?? '', /did not hold/);
  });

  it('replays: the Replay button asks the host to reset the lesson', async () => {
    await view.page.getByRole('button', { name: 'Replay the lesson' }).click();
    assert.deepEqual((await view.posted()).at(-1), { type: 'lessonReset', lesson: 'half-close' });
  });
});
