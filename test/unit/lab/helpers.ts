// Shared by the lab's kernel tests: where the built programs are, a fresh storage folder,
// and the checks every lesson test ends with (no process of ours left, only TIME_WAIT).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LessonEngine, LessonResult } from '../../../src/lab/lessons/engine';
import { ProcNetTcpSource } from '../../../src/sockets/reader';

export const ROOT = join(__dirname, '..', '..', '..', '..');
/** dist/programs, copied there from src/programs by esbuild.mjs. */
export const PROGRAMS = join(ROOT, 'dist', 'programs');
export const CLI = join(ROOT, 'dist', 'cli.js');

const temporary: string[] = [];
process.once('exit', () => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh storage folder for compiled programs, removed when the test process exits. */
export function tempStorage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sl-lab-test-'));
  temporary.push(dir);
  return dir;
}

export const source = new ProcNetTcpSource();

/** Records the pid of every program an engine starts. */
export function trackPids(engine: LessonEngine): number[] {
  const pids: number[] = [];
  engine.onEvent((e) => {
    if (e.type === 'programStarted' && e.process.pid !== undefined) {
      pids.push(e.process.pid);
    }
  });
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** After a lesson: every program gone, and on its ports nothing but TIME_WAIT. */
export async function assertCleanAfter(result: LessonResult, pids: readonly number[]): Promise<void> {
  assert.ok(pids.length > 0, 'the lesson started programs');
  assert.deepEqual(pids.filter(alive), [], 'no program of the lesson is still running');
  const snapshot = await source.read([...new Set(Object.values(result.ports))]);
  const ours = snapshot.rows.filter((r) => Object.values(result.ports).includes(r.local.port) || Object.values(result.ports).includes(r.remote.port));
  const left = ours.filter((r) => r.state !== 'TIME_WAIT');
  assert.deepEqual(left.map((r) => `${r.local.port}->${r.remote.port} ${r.state}`), [], 'only TIME_WAIT sockets remain');
}

/** A readable failure message: every step's verdicts. */
export function report(result: LessonResult): string {
  return result.steps.map((s, i) => `${i + 1}. ${s.title}: ${s.status}${s.note ? ` (${s.note})` : ''}\n`
    + s.verdicts.map((v) => `   ${v.ok ? 'ok ' : 'BAD'} expected ${v.expected}\n       observed ${v.observed}`).join('\n')).join('\n')
    + (result.error ? `\nerror: ${result.error}` : '');
}
