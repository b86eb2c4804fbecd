import { join } from 'node:path';
import { l10n } from '../l10n';
import type { LessonEvent, LessonResult } from '../lab/lessons/engine';
import { isLessonId, LESSON_IDS, lessonScript } from '../lab/lessons/index';
import { createLessonEngine, readLessonFacts } from '../lab/lessonRun';
import { cliStorageDir } from '../lab/programs';
import { CONCRETE_RUNTIMES, RuntimeError } from '../lab/runtimes';
import type { Runtime } from '../settings';
import { type CliCommand, type CliIo, parseFlags, UsageError } from './command';

const USAGE = l10n.t(`Usage: socket-lifecycle lesson NAME [--runtime c|python|node] [--json]

Runs a lesson against this machine's kernel and prints, for each step, what was done,
the kernel state it expects and the state it observed. Exit 1 when a step does not hold.

Lessons: {list}`, { list: LESSON_IDS.join(', ') });

/** Where the shipped programs are: dist/programs beside dist/cli.js (overridable for tests). */
function programsDir(): string {
  return process.env.SOCKET_LIFECYCLE_PROGRAMS_DIR ?? join(__dirname, 'programs');
}

function textReporter(io: CliIo): (e: LessonEvent) => void {
  let total = 0;
  return (e) => {
    const out = (line: string): boolean => io.stdout.write(line + '\n');
    switch (e.type) {
      case 'lessonStarted':
        total = e.lesson.steps.length;
        out(l10n.t('Lesson {id}: {title}', { id: e.lesson.id, title: e.lesson.title }));
        out(l10n.t('runtime {runtime}, ports {ports}', { runtime: e.runtime, ports: [...new Set(Object.values(e.ports))].join(', ') }));
        break;
      case 'stepStarted':
        out(`\n[${e.index + 1}/${total}] ${e.step.title}`);
        break;
      case 'action':
        out(`  ${l10n.t('do')}:       ${e.text}`);
        break;
      case 'stepFinished': {
        for (const v of e.verdicts) {
          out(`  ${v.ok ? '✓' : '✗'} ${l10n.t('expected')}: ${v.expected}`);
          out(`    ${l10n.t('observed')}: ${v.observed}`);
        }
        const status = e.status === 'passed' ? l10n.t('PASS') : e.status === 'failed' ? l10n.t('FAIL') : l10n.t('NOT SHOWN');
        out(`  ${status}${e.note ? `: ${e.note}` : ''}`);
        out(`  ${l10n.t('why')}: ${e.step.explain}`);
        break;
      }
      case 'lessonFinished':
        out('');
        if (e.error) {
          out(l10n.t('Lesson stopped: {error}', { error: e.error }));
        }
        out(e.passed ? l10n.t('Every step held on this kernel.') : l10n.t('{n} step(s) did not hold.', { n: e.results.filter((r) => r.status === 'failed').length }));
        break;
      default:
        break;
    }
  };
}

/** One JSON line per step (and one for the lesson), for scripts and CI. */
function jsonReporter(io: CliIo): (e: LessonEvent) => void {
  return (e) => {
    const line = (value: unknown): boolean => io.stdout.write(JSON.stringify(value) + '\n');
    switch (e.type) {
      case 'lessonStarted':
        line({ type: 'lesson', lesson: e.lesson.id, title: e.lesson.title, runtime: e.runtime, ports: e.ports });
        break;
      case 'stepFinished':
        line({
          type: 'step', index: e.index, title: e.step.title, status: e.status,
          expected: e.verdicts.map((v) => v.expected), observed: e.verdicts.map((v) => v.observed),
          holds: e.verdicts.map((v) => v.ok), note: e.note ?? null, explain: e.step.explain,
        });
        break;
      case 'lessonFinished':
        line({ type: 'result', passed: e.passed, failed: e.results.filter((r) => r.status === 'failed').length, skipped: e.results.filter((r) => r.status === 'skipped').length, error: e.error ?? null });
        break;
      default:
        break;
    }
  };
}

export const lessonCommand: CliCommand = {
  name: 'lesson',
  summary: l10n.t('run a lesson headless against the kernel and check each step'),
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const { flags, positional } = parseFlags(args, { runtime: 'string', json: 'boolean' });
    if (positional.length !== 1) {
      throw new UsageError(l10n.t('name one lesson: {list}', { list: LESSON_IDS.join(', ') }));
    }
    const id = positional[0];
    if (!isLessonId(id)) {
      throw new UsageError(l10n.t('unknown lesson \'{id}\'; the lessons are: {list}', { id, list: LESSON_IDS.join(', ') }));
    }
    const runtime = (flags.runtime ?? 'auto') as string;
    if (runtime !== 'auto' && !(CONCRETE_RUNTIMES as readonly string[]).includes(runtime)) {
      throw new UsageError(l10n.t('unknown runtime \'{runtime}\'; use c, python or node', { runtime }));
    }
    let engine;
    try {
      engine = await createLessonEngine({
        runtime: runtime as Runtime,
        compilerPath: process.env.SOCKET_LIFECYCLE_COMPILER,
        pythonPath: process.env.SOCKET_LIFECYCLE_PYTHON,
        programsDir: programsDir(),
        storageDir: process.env.SOCKET_LIFECYCLE_STORAGE_DIR ?? cliStorageDir(),
      });
    } catch (error) {
      if (error instanceof RuntimeError) {
        io.stderr.write(`socket-lifecycle lesson: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    engine.onEvent(flags.json ? jsonReporter(io) : textReporter(io));
    const abort = new AbortController();
    void io.interrupted.then(() => abort.abort());
    let result: LessonResult;
    try {
      result = await engine.run(lessonScript(id, await readLessonFacts()), abort.signal);
    } finally {
      engine.dispose();
    }
    return result.passed ? 0 : 1;
  },
};
