import { promises as fs } from 'node:fs';
import { pickSocketSource } from '../sockets/reader';
import type { SocketSource } from '../sockets/types';
import type { Runtime } from '../settings';
import { LessonEngine, type ProgramLauncher } from './lessons/engine';
import type { LessonFacts } from './lessons/index';
import { EchoPrograms } from './programs';
import { detectRuntime, type RuntimeEnvironment, systemEnvironment } from './runtimes';

/** Reads tcp_fin_timeout (Linux) for the close-wait lesson's explanation. */
export async function readLessonFacts(): Promise<LessonFacts> {
  try {
    const text = await fs.readFile('/proc/sys/net/ipv4/tcp_fin_timeout', 'utf8');
    const seconds = Number(text.trim());
    return Number.isFinite(seconds) ? { finTimeoutSeconds: seconds } : {};
  } catch {
    return {};
  }
}

export interface LessonSetup {
  runtime: Runtime;
  compilerPath?: string;
  pythonPath?: string;
  programsDir: string;
  storageDir: string;
  source?: SocketSource;
  environment?: RuntimeEnvironment;
  launch?: ProgramLauncher;
}

/** Detects the runtime, compiles if needed, and returns an engine ready to run lessons. */
export async function createLessonEngine(setup: LessonSetup): Promise<LessonEngine> {
  const choice = await detectRuntime(
    { runtime: setup.runtime, compilerPath: setup.compilerPath ?? '', pythonPath: setup.pythonPath ?? '' },
    setup.environment ?? systemEnvironment(),
  );
  const programs = await EchoPrograms.prepare(choice, setup.programsDir, setup.storageDir);
  return new LessonEngine({ source: setup.source ?? pickSocketSource(), programs, launch: setup.launch });
}
