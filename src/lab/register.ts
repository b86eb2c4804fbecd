import * as vscode from 'vscode';
import type { Settings } from '../settings';
import type { SocketWatcherApi } from '../sockets/types';
import { DisposableStore } from '../util/disposable';
import { Emitter } from '../util/emitter';
import { Annotator } from './annotations';
import { DEFAULT_HOST, programArgs } from './echoOptions';
import { EchoProcess, type EchoEvent } from './echoProcess';
import { EchoTerminal } from './echoTerminal';
import { LessonNarrator } from './lessonNarrator';
import { isLessonId, LESSON_IDS, lessonScript } from './lessons/index';
import { LessonEngine } from './lessons/engine';
import { readLessonFacts } from './lessonRun';
import { EchoPrograms, type ProgramKind, sourcePath } from './programs';
import { askStartChoice, readStartArgument, type StartChoice } from './prompts';
import { detectRuntime, RuntimeError, systemEnvironment } from './runtimes';
import { pickSocketSource } from '../sockets/reader';

/** The part of Config the lab reads. */
export interface LabConfig {
  readonly value: Settings;
  readonly onDidChange: vscode.Event<Settings>;
}

/** What registerLab hands back: disposable, plus program events for the panel's timeline. */
export interface LabHost extends vscode.Disposable {
  /** Every fd-3 event of every program the lab runs, labeled with the program's name. */
  readonly onProgramEvent: (listener: (e: { name: string; event: EchoEvent }) => void) => { dispose(): void };
}

const COMMANDS = {
  startServer: 'socketLifecycle.startServer',
  startClient: 'socketLifecycle.startClient',
  stopAll: 'socketLifecycle.stopAll',
  openServerSource: 'socketLifecycle.openServerSource',
  runLesson: 'socketLifecycle.runLesson',
  /** Internal (not in package.json): what each echo terminal showed, for tests. */
  transcripts: 'socketLifecycle.lab.transcripts',
} as const;

const LAST_CHOICE_KEY = 'socketLifecycle.lab.lastChoice';
/** Context key for when clauses: true while an echo terminal of ours is open. */
export const LAB_ACTIVE_CONTEXT = 'socketLifecycle.labActive';

class Lab extends DisposableStore implements LabHost {
  private readonly terminals = new Map<vscode.Terminal, EchoTerminal>();
  private readonly narrators = new Map<vscode.Terminal, LessonNarrator>();
  private readonly events = this.register(new Emitter<{ name: string; event: EchoEvent }>());
  private programs: Promise<EchoPrograms> | undefined;
  private counter = 0;
  readonly onProgramEvent = this.events.event;

  constructor(private readonly context: vscode.ExtensionContext, private readonly config: LabConfig, private readonly watcher: SocketWatcherApi) {
    super();
    this.register(config.onDidChange(() => (this.programs = undefined)));
    this.register(vscode.window.onDidCloseTerminal((t) => {
      this.terminals.get(t)?.dispose();
      this.terminals.delete(t);
      this.narrators.delete(t);
      this.updateContext();
    }));
    this.register(vscode.commands.registerCommand(COMMANDS.startServer, (arg?: unknown) => this.start('server', arg)));
    this.register(vscode.commands.registerCommand(COMMANDS.startClient, (arg?: unknown) => this.start('client', arg)));
    this.register(vscode.commands.registerCommand(COMMANDS.stopAll, () => this.stopAll()));
    this.register(vscode.commands.registerCommand(COMMANDS.openServerSource, () => this.openSource()));
    this.register(vscode.commands.registerCommand(COMMANDS.runLesson, (arg?: unknown) => this.runLesson(arg)));
    this.register(vscode.commands.registerCommand(COMMANDS.transcripts, () => [
      ...[...this.terminals].map(([terminal, echo]) => ({ name: terminal.name, transcript: echo.transcript, running: echo.process.running })),
      ...[...this.narrators].map(([terminal, narrator]) => ({ name: terminal.name, transcript: narrator.transcript, running: false })),
    ]));
    // Children die with the extension host's orderly shutdown; a crash closes their stdin,
    // which makes both programs exit on their own.
    this.register({ dispose: () => this.killAll() });
  }

  private get programsDir(): string {
    return vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'programs').fsPath;
  }

  /** Detects the runtime and compiles once per settings change; errors reach the user as is. */
  private prepare(): Promise<EchoPrograms> {
    if (!this.programs) {
      const lab = this.config.value.lab;
      this.programs = (async () => {
        const choice = await detectRuntime(lab, systemEnvironment());
        return EchoPrograms.prepare(choice, this.programsDir, this.context.globalStorageUri.fsPath);
      })();
      this.programs.catch(() => (this.programs = undefined));
    }
    return this.programs;
  }

  /** The prepared programs, or undefined after showing why they could not be prepared. */
  private async programsOrError(): Promise<EchoPrograms | undefined> {
    try {
      return await this.prepare();
    } catch (error) {
      this.showError(error);
      return undefined;
    }
  }

  private async start(kind: ProgramKind, arg: unknown): Promise<{ name: string } | undefined> {
    const last = this.context.globalState.get<StartChoice>(`${LAST_CHOICE_KEY}.${kind}`)
      ?? { port: this.config.value.lab.defaultPort };
    const choice = readStartArgument(arg) ?? await askStartChoice(kind, last);
    if (!choice) {
      return undefined;
    }
    await this.context.globalState.update(`${LAST_CHOICE_KEY}.${kind}`, choice);
    const programs = await this.programsOrError();
    if (!programs) {
      return undefined;
    }
    if (kind === 'server' && !(await this.portIsFree(choice.port))) {
      return undefined;
    }
    const name = kind === 'server' ? vscode.l10n.t('Echo Server :{0}', choice.port) : vscode.l10n.t('Echo Client :{0}', choice.port);
    const command = programs.command(kind, programArgs(kind, { host: DEFAULT_HOST, ...choice }));
    const process = new EchoProcess(`${kind}-${++this.counter}`, command);
    const echo = this.openTerminal(name, process, new Annotator(kind, choice.port, choice.noCloseOnEof));
    return { name: echo.name };
  }

  /** A port some other program listens on is reported by name, before anything starts. */
  private async portIsFree(port: number): Promise<boolean> {
    const rows = await pickSocketSource().read([port]).then((s) => s.rows, () => []);
    const listener = rows.find((r) => r.state === 'LISTEN' && r.local.port === port);
    if (!listener) {
      return true;
    }
    const owner = listener.process ? vscode.l10n.t('{0} (pid {1})', listener.process, listener.pid ?? '?') : vscode.l10n.t('another program');
    void vscode.window.showErrorMessage(vscode.l10n.t('Port {0} is already in use: {1} is listening on it. Stop it or choose another port.', port, owner));
    return false;
  }

  private openTerminal(wanted: string, process: EchoProcess, annotator: Annotator): EchoTerminal {
    // Unique names: a restarted server gets "(2)", so each terminal can be found again.
    const taken = new Set([...this.terminals.keys()].map((t) => t.name));
    let name = wanted;
    for (let n = 2; taken.has(name); n++) {
      name = `${wanted} (${n})`;
    }
    const echo = new EchoTerminal(name, process, annotator, this.watcher);
    process.onEvent((event) => this.events.fire({ name, event }));
    const terminal = vscode.window.createTerminal({ name, pty: echo, iconPath: new vscode.ThemeIcon('plug') });
    this.terminals.set(terminal, echo);
    this.updateContext();
    terminal.show(true);
    return echo;
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', LAB_ACTIVE_CONTEXT, this.terminals.size > 0);
  }

  private async stopAll(): Promise<void> {
    await Promise.all([...this.terminals.values()].map((t) => t.process.stop(1000)));
  }

  private killAll(): void {
    for (const [terminal, echo] of this.terminals) {
      echo.dispose();
      terminal.dispose();
    }
    this.terminals.clear();
  }

  private async openSource(): Promise<void> {
    const uri = vscode.Uri.file(sourcePath(this.programsDir, 'c', 'server'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    // The shipped file must not be edited by accident (the command exists since VS Code 1.79).
    await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession').then(undefined, () => undefined);
  }

  private async runLesson(arg: unknown): Promise<boolean | undefined> {
    const given = typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null ? (arg as { lesson?: unknown }).lesson : undefined;
    let id = isLessonId(given) ? given : undefined;
    if (!id) {
      const picked = await vscode.window.showQuickPick(LESSON_IDS.map((lesson) => {
        const script = lessonScript(lesson);
        return { label: script.title, description: lesson, detail: script.summary, lesson };
      }), { title: vscode.l10n.t('Run Lesson'), matchOnDescription: true });
      id = picked?.lesson;
    }
    if (!id) {
      return undefined;
    }
    const programs = await this.programsOrError();
    if (!programs) {
      return undefined;
    }
    const script = lessonScript(id, await readLessonFacts());
    const engine = new LessonEngine({
      source: pickSocketSource(),
      programs,
      launch: (name, command) => {
        const process = new EchoProcess(name, command);
        const port = Number(command.args[command.args.indexOf('--port') + 1]);
        this.openTerminal(vscode.l10n.t('{0} ({1})', name, id), process, new Annotator(command.kind, port, command.args.includes('--no-close-on-eof')));
        return process;
      },
    });
    const narrator = new LessonNarrator(script.title);
    const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('Lesson: {0}', id), pty: narrator, iconPath: new vscode.ThemeIcon('mortar-board') });
    this.narrators.set(terminal, narrator);
    terminal.show(true);
    engine.onEvent((e) => narrator.onLessonEvent(e));
    try {
      const result = await engine.run(script);
      return result.passed;
    } finally {
      engine.dispose();
    }
  }

  private showError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(error instanceof RuntimeError ? message : vscode.l10n.t('The echo programs cannot start: {0}', message));
  }
}

/** Registers the echo lab's commands and terminals; one line in extension.ts. */
export function registerLab(context: vscode.ExtensionContext, config: LabConfig, watcher: SocketWatcherApi): LabHost {
  return new Lab(context, config, watcher);
}
