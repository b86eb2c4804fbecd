import * as vscode from 'vscode';
import { Annotator } from '../lab/annotations';
import { EchoProcess } from '../lab/echoProcess';
import { EchoTerminal } from '../lab/echoTerminal';
import { LessonEngine, type EngineOptions, type LessonEvent } from '../lab/lessons/engine';
import { isLessonId, lessonScript } from '../lab/lessons/index';
import { readLessonFacts } from '../lab/lessonRun';
import { EchoPrograms, type ProgramKind } from '../lab/programs';
import type { LabConfig } from '../lab/register';
import { detectRuntime, RuntimeError, systemEnvironment } from '../lab/runtimes';
import type { LessonProgress, LessonRunView, ProgramEvent, ToHost, ToView } from '../protocol';
import { pickSocketSource } from '../sockets/reader';
import type { SocketWatcherApi } from '../sockets/types';
import { DisposableStore } from '../util/disposable';
import { Emitter } from '../util/emitter';
import { applyLessonEvent, applyProgress, awaitStep, lessonViews, newRun, readProgress } from './lessonsState';
import { toProgramEvent } from './programEvents';

const PROGRESS_KEY = 'socketLifecycle.lessons.progress';

/**
 * Awaited by the engine before each step, so a step runs when its button is clicked. The lab's
 * EngineOptions does not declare it yet; an engine that ignores it runs the steps back to back,
 * and the view then shows each step's result as it arrives (no button waits).
 */

type LessonMessage = Extract<ToHost, { type: 'lessonStep' | 'lessonStop' | 'lessonReset' }>;

/**
 * The Lessons tab's host side: runs one lesson at a time on the real kernel through the lab's
 * LessonEngine, step by step on the learner's clicks, in echo terminals like the lab's own, and
 * keeps per-workspace progress. Outlives panel sessions: a lesson keeps running while hidden.
 */
export class PanelLessons extends DisposableStore {
  private readonly changes = this.register(new Emitter<ToView>());
  private readonly programEvents = this.register(new Emitter<ProgramEvent[]>());
  /** Messages for the view (post them to the open panel, if any). */
  readonly onMessage = this.changes.event;
  /** Program and step events for the panel's timeline. */
  readonly onProgramEvents = this.programEvents.event;
  private run: LessonRunView | undefined;
  private abort: AbortController | undefined;
  private gate: { index: number; open: () => void } | undefined;
  private terminals: vscode.Terminal[] = [];
  private labConfig: LabConfig | undefined;

  constructor(private readonly context: vscode.ExtensionContext, private readonly watcher: SocketWatcherApi) {
    super();
    this.register({ dispose: () => this.stop() });
    this.register({ dispose: () => this.closeTerminals() });
  }

  /** The lab's settings (runtime, compiler); without them the lessons cannot start. */
  useConfig(config: LabConfig): void {
    this.labConfig = config;
  }

  private get progress(): LessonProgress {
    return readProgress(this.context.workspaceState.get(PROGRESS_KEY));
  }

  /** The whole tab's data, for `ready` or to select a lesson. */
  message(select?: string): ToView {
    return { type: 'lessons', lessons: lessonViews(), progress: this.progress, run: this.run, select };
  }

  handle(message: LessonMessage): void {
    switch (message.type) {
      case 'lessonStep':
        this.step(message.lesson, message.step);
        return;
      case 'lessonStop':
        this.stop();
        return;
      case 'lessonReset':
        if (this.run?.lesson === message.lesson) {
          this.stop();
          this.run = undefined;
          this.changes.fire(this.message(message.lesson));
        }
        return;
      default: {
        const never: never = message;
        throw new Error(`unhandled lesson message ${JSON.stringify(never)}`);
      }
    }
  }

  private step(lesson: string, index: number): void {
    if (this.run?.running) {
      if (this.run.lesson === lesson && this.gate?.index === index) {
        this.gate.open();
      }
      return;
    }
    if (index === 0 && isLessonId(lesson)) {
      void this.start(lesson);
    }
  }

  private stop(): void {
    this.abort?.abort();
    this.gate?.open();
  }

  private publish(run: LessonRunView): void {
    this.run = run;
    this.changes.fire({ type: 'lessonRun', run, progress: this.progress });
  }

  private async start(lesson: Parameters<typeof lessonScript>[0]): Promise<void> {
    const script = lessonScript(lesson, await readLessonFacts());
    const abort = new AbortController();
    this.abort = abort;
    this.closeTerminals();
    this.publish(newRun(lesson, script.steps.length));
    let programs: EchoPrograms;
    try {
      programs = await this.prepare();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(error instanceof RuntimeError ? message : vscode.l10n.t('The echo programs cannot start: {0}', message));
      this.publish({ ...this.run!, running: false, error: message });
      return;
    }
    const kinds = new Map<string, ProgramKind>();
    const options: EngineOptions = {
      source: pickSocketSource(),
      programs,
      launch: (name, command) => this.launch(`${name} (${lesson})`, command.kind, command.args, new EchoProcess(name, command)),
      beforeStep: (i) => (i === 0 || abort.signal.aborted ? Promise.resolve() : this.waitForClick(i)),
    };
    const engine = new LessonEngine(options);
    engine.onEvent((e) => {
      if (e.type === 'programStarted') {
        kinds.set(e.name, e.kind);
      }
      this.timeline(e, kinds);
      void this.context.workspaceState.update(PROGRESS_KEY, applyProgress(this.progress, lesson, e)).then(undefined, () => undefined);
      this.publish(applyLessonEvent(this.run ?? newRun(lesson, script.steps.length), e));
    });
    try {
      await engine.run(script, abort.signal);
    } catch (error) {
      this.publish({ ...this.run!, running: false, error: error instanceof Error ? error.message : String(error) });
    } finally {
      engine.dispose();
      this.gate = undefined;
      if (this.abort === abort) {
        this.abort = undefined;
      }
    }
  }

  private waitForClick(index: number): Promise<void> {
    return new Promise((resolve) => {
      this.gate = { index, open: () => {
        this.gate = undefined;
        resolve();
      } };
      if (this.run) {
        this.publish(awaitStep(this.run, index));
      }
    });
  }

  /** The lesson's steps and the programs' own events, on the panel's timeline. */
  private timeline(e: LessonEvent, kinds: ReadonlyMap<string, ProgramKind>): void {
    const now = Date.now();
    const event = e.type === 'programEvent'
      ? toProgramEvent(e.event, kinds.get(e.name) ?? (e.name.startsWith('server') ? 'server' : 'client'), now)
      : e.type === 'stepStarted' ? toProgramEvent({ ev: 'step', title: e.step.title }, 'lesson', now) : undefined;
    if (event) {
      this.programEvents.fire([event]);
    }
  }

  private async prepare(): Promise<EchoPrograms> {
    const lab = this.labConfig?.value.lab;
    if (!lab) {
      throw new Error(vscode.l10n.t('the echo lab is not part of this build'));
    }
    const choice = await detectRuntime(lab, systemEnvironment());
    const programsDir = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'programs').fsPath;
    return EchoPrograms.prepare(choice, programsDir, this.context.globalStorageUri.fsPath);
  }

  /** Like the lab's own terminals: the terminal owns the process and annotates kernel states. */
  private launch(name: string, kind: ProgramKind, args: readonly string[], process: EchoProcess): EchoProcess {
    const port = Number(args[args.indexOf('--port') + 1]);
    const echo = new EchoTerminal(name, process, new Annotator(kind, port, args.includes('--no-close-on-eof')), this.watcher);
    const terminal = vscode.window.createTerminal({ name, pty: echo, iconPath: new vscode.ThemeIcon('plug') });
    this.terminals.push(terminal);
    terminal.show(true);
    return process;
  }

  /** The previous run's terminals go when a new run starts (their programs have ended). */
  private closeTerminals(): void {
    for (const terminal of this.terminals) {
      terminal.dispose();
    }
    this.terminals = [];
  }
}
