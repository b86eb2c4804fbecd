// One suite body, run per runtime by lessons.<runtime>.test.ts (separate files run in parallel).
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LessonEngine, nodeCannotExplanation } from '../../../src/lab/lessons/engine';
import { LESSON_IDS, lessonScript } from '../../../src/lab/lessons/index';
import { readLessonFacts } from '../../../src/lab/lessonRun';
import { EchoPrograms } from '../../../src/lab/programs';
import { type ConcreteRuntime, detectRuntime, systemEnvironment } from '../../../src/lab/runtimes';
import { assertCleanAfter, PROGRAMS, report, source, tempStorage, trackPids } from './helpers';

/** Lessons (and steps) Node cannot show: they need a listener without SO_REUSEADDR. */
const NODE_SKIPS: Record<string, number> = { 'time-wait': 2, 'client-closes-first': 1, 'linger-reset': 1 };

export function lessonSuite(runtime: ConcreteRuntime): void {
  describe(`lessons on the real kernel (${runtime})`, { skip: process.platform !== 'linux' && 'Linux only' }, () => {
    let programs: EchoPrograms;
    before(async () => {
      const choice = await detectRuntime({ runtime, compilerPath: '', pythonPath: '' }, systemEnvironment());
      programs = await EchoPrograms.prepare(choice, PROGRAMS, tempStorage());
    });

    for (const id of LESSON_IDS) {
      it(`${id} holds step by step`, async () => {
        const engine = new LessonEngine({ source, programs });
        const pids = trackPids(engine);
        try {
          const result = await engine.run(lessonScript(id, await readLessonFacts()));
          assert.equal(result.passed, true, report(result));
          const skipped = result.steps.filter((s) => s.status === 'skipped');
          assert.equal(skipped.length, runtime === 'node' ? (NODE_SKIPS[id] ?? 0) : 0, report(result));
          for (const step of skipped) {
            assert.ok(step.note === nodeCannotExplanation('listenerWithoutReuse') || step.note === nodeCannotExplanation('resetErrorReported'), step.note);
            assert.match(step.note!, /^Not shown with the Node runtime: .*Node\.js .*(SO_REUSEADDR|ECONNRESET).* C or Python runtime/);
          }
          await assertCleanAfter(result, pids);
        } finally {
          engine.dispose();
        }
      });
    }

    after(() => undefined);
  });
}
