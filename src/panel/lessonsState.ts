import type { LessonEvent } from '../lab/lessons/engine';
import { describeAction } from '../lab/lessons/engine';
import { LESSON_IDS, lessonScript } from '../lab/lessons/index';
import type { LessonProgress, LessonRunView, LessonView } from '../protocol';

/** The six lessons as the Lessons tab lists them, each action in words ("Ctrl+C in server"). */
export function lessonViews(): LessonView[] {
  return LESSON_IDS.map((id) => {
    const script = lessonScript(id);
    return {
      id, title: script.title, summary: script.summary,
      steps: script.steps.map((step) => ({ title: step.title, actions: step.actions.map(describeAction), explain: step.explain })),
    };
  });
}

/** A run of `lesson` that has not started any step yet. */
export function newRun(lesson: string, steps: number): LessonRunView {
  return { lesson, running: true, next: -1, steps: Array.from({ length: steps }, () => ({ status: 'pending' as const, verdicts: [] })) };
}

/** The step `index` waits for the learner's click. */
export function awaitStep(run: LessonRunView, index: number): LessonRunView {
  const steps = run.steps.map((s, i) => (i === index ? { ...s, status: 'waiting' as const } : s));
  return { ...run, next: index, steps };
}

/** Folds one engine event into the run the view shows. Pure: returns a new object. */
export function applyLessonEvent(run: LessonRunView, e: LessonEvent): LessonRunView {
  const withStep = (index: number, patch: Partial<LessonRunView['steps'][number]>): LessonRunView['steps'] =>
    run.steps.map((s, i) => (i === index ? { ...s, ...patch } : s));
  switch (e.type) {
    case 'lessonStarted':
      return { ...run, runtime: e.runtime, ports: [...new Set(Object.values(e.ports))] };
    case 'stepStarted':
      return { ...run, next: -1, steps: withStep(e.index, { status: 'running', verdicts: [], note: undefined }) };
    case 'stepObserved':
      return { ...run, steps: withStep(e.index, { verdicts: e.verdicts.map(({ ok, expected, observed }) => ({ ok, expected, observed })) }) };
    case 'stepFinished':
      return {
        ...run,
        steps: withStep(e.index, { status: e.status, verdicts: e.verdicts.map(({ ok, expected, observed }) => ({ ok, expected, observed })), note: e.note }),
      };
    case 'lessonFinished':
      return {
        ...run, running: false, next: -1, passed: e.passed, error: e.error,
        // Steps never reached (stopped, or an error) go back to pending.
        steps: run.steps.map((s) => (s.status === 'running' || s.status === 'waiting' ? { ...s, status: 'pending' as const } : s)),
      };
    default:
      return run;
  }
}

/** Progress after an engine event: a step that held (or was honestly skipped) counts as done. */
export function applyProgress(progress: LessonProgress, lesson: string, e: LessonEvent): LessonProgress {
  const entry = progress[lesson] ?? { done: [], runs: 0 };
  if (e.type === 'stepFinished' && e.status !== 'failed' && !entry.done.includes(e.index)) {
    return { ...progress, [lesson]: { ...entry, done: [...entry.done, e.index].sort((a, b) => a - b) } };
  }
  if (e.type === 'lessonFinished') {
    return { ...progress, [lesson]: { ...entry, runs: entry.runs + 1, passed: e.passed } };
  }
  return progress;
}

/** Progress as stored in workspaceState, cleaned: anything malformed is dropped. */
export function readProgress(value: unknown): LessonProgress {
  const out: LessonProgress = {};
  if (typeof value !== 'object' || value === null) {
    return out;
  }
  for (const id of LESSON_IDS) {
    const raw = (value as Record<string, unknown>)[id];
    if (typeof raw !== 'object' || raw === null) {
      continue;
    }
    const r = raw as Record<string, unknown>;
    const done = Array.isArray(r.done) ? r.done.filter((n): n is number => Number.isInteger(n) && n >= 0 && n < 100) : [];
    out[id] = {
      done: [...new Set(done)].sort((a, b) => a - b),
      runs: Number.isInteger(r.runs) && (r.runs as number) >= 0 ? (r.runs as number) : 0,
      passed: typeof r.passed === 'boolean' ? r.passed : undefined,
    };
  }
  return out;
}
