import { l10n } from '../../l10n';
import type { SocketSource } from '../../sockets/types';
import { Emitter } from '../../util/emitter';
import { EchoProcess, type EchoEvent } from '../echoProcess';
import { DEFAULT_HOST, programArgs } from '../echoOptions';
import type { EchoPrograms, ProgramCommand, ProgramKind } from '../programs';
import type { ConcreteRuntime } from '../runtimes';
import { evaluate, type LessonState, type Observation, type ProgramRecord, type Verdict } from './observe';
import { pickFreePorts } from './ports';
import type { Action, LessonScript, LessonStep, PortName, ProgramFlags, Requirement } from './types';

export type StepStatus = 'passed' | 'failed' | 'skipped';

/** What the engine reports while it runs; terminals, the CLI and the panel listen. */
export type LessonEvent =
  | { type: 'lessonStarted'; lesson: LessonScript; runtime: ConcreteRuntime; ports: Record<PortName, number> }
  | { type: 'stepStarted'; index: number; step: LessonStep }
  | { type: 'action'; index: number; text: string }
  | { type: 'programStarted'; name: string; kind: ProgramKind; command: ProgramCommand; process: EchoProcess }
  | { type: 'programEvent'; name: string; event: EchoEvent }
  | { type: 'stepObserved'; index: number; verdicts: Verdict[] }
  | { type: 'stepFinished'; index: number; step: LessonStep; status: StepStatus; verdicts: Verdict[]; note?: string }
  | { type: 'lessonFinished'; passed: boolean; results: StepResult[]; error?: string };

export interface StepResult {
  title: string;
  status: StepStatus;
  verdicts: Verdict[];
  explain: string;
  note?: string;
}

export interface LessonResult {
  lesson: string;
  runtime: ConcreteRuntime;
  ports: Record<PortName, number>;
  passed: boolean;
  steps: StepResult[];
  error?: string;
}

/** Starts one program; VS Code passes one that opens a terminal around the process. */
export type ProgramLauncher = (name: string, command: ProgramCommand) => EchoProcess;

export interface EngineOptions {
  source: SocketSource;
  programs: EchoPrograms;
  launch?: ProgramLauncher;
  /** Poll interval while waiting for an expectation (ms). */
  pollMs?: number;
  /** Fixed ports (tests); otherwise free random ones. */
  ports?: Partial<Record<PortName, number>>;
  /** Awaited before each step: the panel waits here for the learner's click. */
  beforeStep?: (index: number, step: LessonStep) => Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 4000;
const START_TIMEOUT_MS = 5000;
const EXIT_TIMEOUT_MS = 3000;

/** Why a step cannot be shown with Node (the honest explanation the tests assert). */
export function nodeCannotExplanation(requirement: Requirement = 'listenerWithoutReuse'): string {
  switch (requirement) {
    case 'listenerWithoutReuse':
      return l10n.t('Not shown with the Node runtime: Node.js (libuv) sets SO_REUSEADDR on every listening socket and offers no way to clear it, so a Node server can never demonstrate this. Run the lesson with the C or Python runtime (--runtime c or --runtime python) to see it.');
    case 'resetErrorReported':
      return l10n.t('Not shown with the Node runtime: when the connection was reset after a partial read, Node.js (libuv) reports a plain end of stream instead of ECONNRESET, so a Node client cannot reliably show the error. Run the lesson with the C or Python runtime (--runtime c or --runtime python) to see it.');
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs lesson scripts against the real kernel: performs each step's actions, polls the
 * socket table until the expected observations hold (or time runs out), and reports every
 * step through `onEvent`. Always stops every program it started.
 */
export class LessonEngine {
  private readonly emitter = new Emitter<LessonEvent>();
  readonly onEvent = this.emitter.event;
  private readonly running = new Map<string, { process: EchoProcess; record: ProgramRecord & { events: EchoEvent[] } }>();

  constructor(private readonly options: EngineOptions) {}

  async run(script: LessonScript, abort?: AbortSignal): Promise<LessonResult> {
    const runtime = this.options.programs.runtime;
    const ports = await pickFreePorts(this.options.source, script.ports, this.options.ports);
    const results: StepResult[] = [];
    let error: string | undefined;
    this.emitter.fire({ type: 'lessonStarted', lesson: script, runtime, ports });
    try {
      for (const [index, step] of script.steps.entries()) {
        await this.options.beforeStep?.(index, step);
        if (abort?.aborted) {
          error = l10n.t('interrupted');
          break;
        }
        results.push(await this.runStep(index, step, ports, runtime, abort));
      }
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    } finally {
      await this.stopAll();
    }
    const passed = error === undefined && results.every((r) => r.status !== 'failed');
    this.emitter.fire({ type: 'lessonFinished', passed, results, error });
    return { lesson: script.id, runtime, ports, passed, steps: results, error };
  }

  private async runStep(index: number, step: LessonStep, ports: Record<PortName, number>, runtime: ConcreteRuntime, abort?: AbortSignal): Promise<StepResult> {
    this.emitter.fire({ type: 'stepStarted', index, step });
    const finish = (status: StepStatus, verdicts: Verdict[], note?: string): StepResult => {
      this.emitter.fire({ type: 'stepFinished', index, step, status, verdicts, note });
      return { title: step.title, status, verdicts, explain: step.explain, note };
    };
    if (step.requires && runtime === 'node') {
      return finish('skipped', [], nodeCannotExplanation(step.requires));
    }
    for (const action of step.actions) {
      const problem = await this.perform(index, action, ports);
      if (problem) {
        return finish('failed', [{ ok: false, expected: describeAction(action), observed: problem }]);
      }
    }
    const history: Observation[] = [];
    const deadline = Date.now() + (step.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    for (;;) {
      const snapshot = await this.options.source.read(Object.values(ports));
      history.push({ at: snapshot.at, rows: snapshot.rows });
      const state: LessonState = { ports, history, programs: new Map([...this.running].map(([name, p]) => [name, p.record])) };
      const verdicts = step.expect.map((e) => evaluate(e, state));
      this.emitter.fire({ type: 'stepObserved', index, verdicts });
      if (verdicts.every((v) => v.ok)) {
        return finish('passed', verdicts);
      }
      if (Date.now() >= deadline || abort?.aborted) {
        return finish('failed', verdicts);
      }
      await sleep(this.options.pollMs ?? 100);
    }
  }

  /** Performs one action; returns a problem text when it could not be done. */
  private async perform(index: number, action: Action, ports: Record<PortName, number>): Promise<string | undefined> {
    this.emitter.fire({ type: 'action', index, text: describeAction(action) });
    switch (action.do) {
      case 'startServer':
      case 'startClient': {
        const kind: ProgramKind = action.do === 'startServer' ? 'server' : 'client';
        const args = programArgs(kind, { host: DEFAULT_HOST, port: ports[action.port], ...action.flags });
        const process = this.start(action.name, kind, action.port, args);
        const ready = kind === 'server'
          ? await process.waitForEvent((e) => e.ev === 'listen' || (e.ev === 'bind' && e.ok === false), START_TIMEOUT_MS)
          : await process.waitForEvent((e) => e.ev === 'connect', START_TIMEOUT_MS);
        if (!ready && process.running) {
          return l10n.t('{name} did not start within {seconds} s', { name: action.name, seconds: START_TIMEOUT_MS / 1000 });
        }
        if (!ready) {
          await process.exited;
        }
        return undefined;
      }
      case 'type':
        this.program(action.name)?.write(action.text);
        return undefined;
      case 'typeBulk':
        this.program(action.name)?.write(Buffer.alloc(action.bytes, 'x'));
        return undefined;
      case 'endInput':
        this.program(action.name)?.endInput();
        return undefined;
      case 'interrupt': {
        const process = this.program(action.name);
        process?.interrupt();
        if (process && !(await process.waitForExit(EXIT_TIMEOUT_MS))) {
          return l10n.t('{name} did not exit after Ctrl+C', { name: action.name });
        }
        return undefined;
      }
      case 'pauseOutput':
        this.program(action.name)?.pauseOutput();
        return undefined;
      case 'resumeOutput':
        this.program(action.name)?.resumeOutput();
        return undefined;
      case 'wait':
        await sleep(action.ms);
        return undefined;
    }
  }

  private start(name: string, kind: ProgramKind, port: PortName, args: string[]): EchoProcess {
    const previous = this.running.get(name);
    if (previous?.process.running) {
      throw new Error(`lesson script error: ${name} is already running`);
    }
    const command = this.options.programs.command(kind, args);
    const process = this.options.launch ? this.options.launch(name, command) : new EchoProcess(name, command);
    const record = { port, events: [] as EchoEvent[], exit: undefined as ProgramRecord['exit'] };
    process.onEvent((event) => {
      record.events.push(event);
      this.emitter.fire({ type: 'programEvent', name, event });
    });
    process.onExit((exit) => (record.exit = exit));
    this.running.set(name, { process, record });
    this.emitter.fire({ type: 'programStarted', name, kind, command, process });
    return process;
  }

  private program(name: string): EchoProcess | undefined {
    return this.running.get(name)?.process;
  }

  /** Stops every program still running (stdin closed, then signals), then forgets them. */
  private async stopAll(): Promise<void> {
    const all = [...this.running.values()].map((p) => p.process);
    for (const process of all) {
      process.resumeOutput();
    }
    await Promise.all(all.map((p) => p.stop(1000)));
    for (const process of all) {
      if (!this.options.launch) {
        process.dispose();
      }
    }
    this.running.clear();
  }

  dispose(): void {
    for (const { process } of this.running.values()) {
      process.dispose();
    }
    this.running.clear();
    this.emitter.dispose();
  }
}

/** The action as a person would do it: "Ctrl+C in server". */
export function describeAction(action: Action): string {
  switch (action.do) {
    case 'startServer':
      return l10n.t('start {name} on the {port} port{flags}', { name: action.name, port: action.port, flags: flagText(action.flags) });
    case 'startClient':
      return l10n.t('start {name} connecting to the {port} port{flags}', { name: action.name, port: action.port, flags: flagText(action.flags) });
    case 'type':
      return l10n.t('type {text} into {name}', { name: action.name, text: JSON.stringify(action.text) });
    case 'typeBulk':
      return l10n.t('send {bytes} bytes through {name}', { name: action.name, bytes: action.bytes });
    case 'endInput':
      return l10n.t('Ctrl+D (end of input) in {name}', { name: action.name });
    case 'interrupt':
      return l10n.t('Ctrl+C in {name}', { name: action.name });
    case 'pauseOutput':
      return l10n.t('{name} stops reading (its output is paused)', { name: action.name });
    case 'resumeOutput':
      return l10n.t('{name} reads again', { name: action.name });
    case 'wait':
      return l10n.t('wait {seconds} s', { seconds: action.ms / 1000 });
  }
}

function flagText(flags: ProgramFlags | undefined): string {
  if (!flags) {
    return '';
  }
  const args = programArgs('server', { host: '', port: 0, ...flags }).slice(4)
    .concat(flags.halfClose ? ['--half-close'] : []);
  return args.length ? ` (${args.join(' ')})` : '';
}
