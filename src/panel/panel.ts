import * as vscode from 'vscode';
import type { LabConfig, LabHost } from '../lab/register';
import { LESSON_ID, PANEL_TABS, parseToHost, type PanelTab, type PanelState, type ProbeResult, type ProgramEvent, type SimRunView, type ToHost, type ToView } from '../protocol';
import type { SocketWatcherApi } from '../sockets/types';
import { DisposableStore } from '../util/disposable';
import { PanelFeed } from './feed';
import { initMessage } from './init';
import { panelHtml } from './html';
import { PanelLessons } from './lessons';
import { toProgramEvent } from './programEvents';
import { simRun, simScenarios } from './simulate';
import { pickScenario, readSimulateArgs, SIMULATE_COMMAND, type SimulateArgs } from './simulateCommand';
import { uiStrings as buildUiStrings } from './strings';

export const VIEW_TYPE = 'socketLifecycle.panel';
export const OPEN_COMMAND = 'socketLifecycle.openPanel';
/** Internal (hidden) commands: the integration tests read the panel through them. */
export const STATE_COMMAND = 'socketLifecycle.panel.state';
export const PROBE_COMMAND = 'socketLifecycle.panel.probe';
/** Internal: what a click on a lesson step's button does (integration tests). */
export const LESSON_STEP_COMMAND = 'socketLifecycle.panel.lessonStep';
/** Program events remembered while no panel is open. */
const RECENT_EVENTS = 200;

/** Arguments of socketLifecycle.openPanel (lessons pass their ports and a tab). */
export interface OpenPanelOptions {
  ports?: number[];
  tab?: PanelTab;
  /** With tab 'lessons': the lesson to show. */
  lesson?: string;
}

function readOptions(value: unknown): OpenPanelOptions {
  const raw = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const ports = Array.isArray(raw.ports) ? raw.ports.filter((p): p is number => Number.isInteger(p) && p > 0 && p < 65536) : [];
  const tab = PANEL_TABS.find((t) => t === raw.tab);
  const lesson = typeof raw.lesson === 'string' && LESSON_ID.test(raw.lesson) ? raw.lesson : undefined;
  return { ports, tab, lesson };
}

/** Whether this platform's socket source reports timers; the watcher says so when it knows. */
function watcherHasTimers(watcher: SocketWatcherApi): boolean {
  const known = (watcher as Partial<{ hasTimers: boolean }>).hasTimers;
  return typeof known === 'boolean' ? known : process.platform === 'linux';
}

/** The view's strings, translated on the host (l10nHost installed vscode.l10n.t). */
function uiStrings() {
  return buildUiStrings();
}

/** When the watcher's rows were read; now if it does not say. */
function snapshotAt(watcher: SocketWatcherApi): number {
  const at = (watcher as Partial<{ snapshotAt: number }>).snapshotAt;
  return typeof at === 'number' && at > 0 ? at : Date.now();
}

/** One webview panel and everything feeding it; dies with the panel. */
class PanelSession extends DisposableStore {
  readonly feed: PanelFeed;
  private ready = false;
  private ports: number[] = [];
  private portWatch: vscode.Disposable | undefined;
  private nextProbe = 1;
  private subscription: vscode.Disposable | undefined;
  private readonly probes = new Map<number, (r: ProbeResult) => void>();
  private pendingTab: PanelTab | undefined;
  private pendingLesson: string | undefined;
  /** The simulation shown in the Simulate tab (computed on the host, replayed on `ready`). */
  private sim: { run?: SimRunView; play: boolean; speed?: number } = { play: false };

  constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri,
    private readonly watcher: SocketWatcherApi, private readonly lessons: PanelLessons, onDispose: () => void) {
    super();
    this.feed = this.register(new PanelFeed((m) => this.post(m), {
      intervalMs: watcher.effectiveIntervalMs, hasTimers: watcherHasTimers(watcher),
    }));
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
    this.feed.onWatcher([], watcher.rows, snapshotAt(watcher));
    this.register({ dispose: () => this.subscription?.dispose() });
    this.register(panel.webview.onDidReceiveMessage((raw: unknown) => {
      const message = parseToHost(raw);
      if (message) {
        this.handle(message);
      }
    }));
    this.register(panel.onDidChangeViewState(() => this.setActive(panel.visible)));
    this.setActive(panel.visible);
    this.register(panel.onDidDispose(() => {
      onDispose();
      this.dispose();
    }));
    this.register({ dispose: () => this.portWatch?.dispose() });
    panel.webview.html = panelHtml(panel.webview, extensionUri, uiStrings().title);
  }

  /**
   * Listens to the watcher only while the panel is visible: hidden, it stops polling for us
   * (other listeners such as a running lesson keep it going) and posts nothing. Shown again,
   * it polls at once and replays the whole state.
   */
  private setActive(visible: boolean): void {
    if (visible && !this.subscription) {
      this.subscription = this.watcher.onDidChange((e) => {
        this.feed.setIntervalMs(this.watcher.effectiveIntervalMs);
        this.feed.onWatcher(e.transitions, e.rows, e.transitions[0]?.at ?? snapshotAt(this.watcher), watcherHasTimers(this.watcher));
      });
      void this.watcher.refresh().then((rows) => this.feed.onWatcher([], rows, snapshotAt(this.watcher)), () => undefined);
    } else if (!visible && this.subscription) {
      this.subscription.dispose();
      this.subscription = undefined;
    }
    this.feed.setLive(this.ready && visible);
  }

  post(message: ToView): void {
    if (!this.disposed) {
      void this.panel.webview.postMessage(message);
    }
  }

  private handle(message: ToHost): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post(initMessage(uiStrings(), this.feed.snapshot(), this.pendingTab));
        this.pendingTab = undefined;
        this.post({ type: 'simulation', scenarios: simScenarios(), ...this.sim });
        // Played once; a view reloaded later (hidden and shown) gets the run paused.
        this.sim = { ...this.sim, play: false };
        this.post(this.lessons.message(this.pendingLesson));
        this.pendingLesson = undefined;
        this.feed.setLive(this.panel.visible, false);
        for (const id of this.probes.keys()) {
          this.post({ type: 'probe', id });
        }
        return;
      case 'runLesson':
        // The empty state's first action: the Lessons tab, on that lesson, ready for step 1.
        this.showLesson(message.lesson);
        return;
      case 'simulate':
        this.simulate({ scenario: message.scenario, mslMs: message.mslMs, play: true });
        return;
      case 'lessonStep':
      case 'lessonStop':
      case 'lessonReset':
        this.lessons.handle(message);
        return;
      case 'watchPorts':
        this.watch(message.ports);
        return;
      case 'probeResult':
        this.probes.get(message.id)?.(message.result);
        this.probes.delete(message.id);
        return;
      default: {
        const never: never = message;
        throw new Error(`unhandled message ${JSON.stringify(never)}`);
      }
    }
  }

  /** Replaces the set of ports this panel keeps watched, and polls at once to show them. */
  watch(ports: readonly number[]): void {
    this.ports = [...new Set(ports)];
    this.portWatch?.dispose();
    this.portWatch = this.ports.length > 0 ? this.watcher.watchPorts(this.ports) : undefined;
    this.feed.setWatchedPorts(this.ports);
    void this.watcher.refresh().catch(() => undefined);
  }

  addPorts(ports: readonly number[]): void {
    if (ports.some((p) => !this.ports.includes(p))) {
      this.watch([...this.ports, ...ports]);
    }
  }

  /** Runs a scenario on the model and shows it in the Simulate tab; false for an unknown id. */
  simulate(args: SimulateArgs): boolean {
    const run = simRun(args.scenario, args.mslMs);
    if (!run) {
      return false;
    }
    this.sim = { run, play: args.play, speed: args.speed };
    if (this.ready) {
      this.post({ type: 'simulation', scenarios: simScenarios(), ...this.sim });
      this.sim = { ...this.sim, play: false };
    }
    this.showTab('simulate');
    return true;
  }

  showLesson(lesson: string): void {
    this.showTab('lessons');
    if (this.ready) {
      this.post(this.lessons.message(lesson));
    } else {
      this.pendingLesson = lesson;
    }
  }

  showTab(tab: PanelTab): void {
    if (this.ready) {
      this.post({ type: 'showTab', tab });
    } else {
      this.pendingTab = tab;
    }
  }

  /** Asks the view what its DOM shows (integration tests); resolves undefined on timeout. */
  probe(timeoutMs = 5000): Promise<ProbeResult | undefined> {
    const id = this.nextProbe++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.probes.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.probes.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      // A probe before `ready` would be lost: it is sent with the init instead.
      if (this.ready) {
        this.post({ type: 'probe', id });
      }
    });
  }
}

/** What registerPanel hands back: a disposable that also accepts program events for the timeline. */
export interface PanelHost extends vscode.Disposable {
  /** Adds events of an echo program or the lesson engine to the timeline (see programEvents.ts). */
  addProgramEvents(events: readonly ProgramEvent[]): void;
  /** Opens or reveals the panel. */
  open(options?: OpenPanelOptions): void;
  /** Opens the panel on the Simulate tab playing a scenario; false for an unknown scenario. */
  simulate(args: SimulateArgs): boolean;
  /**
   * Feeds the lab's program events into the timeline and lets the Lessons tab start lessons
   * with the lab's settings. One line in extension.ts, after registerLab.
   */
  connectLab(lab: LabHost, config: LabConfig): vscode.Disposable;
}

/** The one panel (at most one at a time): create, reveal, revive. */
class PanelHostImpl extends DisposableStore implements PanelHost {
  private session: PanelSession | undefined;
  private readonly recentEvents: ProgramEvent[] = [];
  private readonly lessons: PanelLessons;

  constructor(private readonly context: vscode.ExtensionContext, private readonly watcher: SocketWatcherApi) {
    super();
    this.lessons = this.register(new PanelLessons(context, watcher));
    this.register(this.lessons.onMessage((m) => this.session?.post(m)));
    this.register(this.lessons.onProgramEvents((events) => this.addProgramEvents(events)));
    this.register(vscode.commands.registerCommand(SIMULATE_COMMAND, async (arg?: unknown) => {
      const args = readSimulateArgs(arg) ?? (arg === undefined ? await pickScenario() : undefined);
      return args ? this.simulate(args) : false;
    }));
    this.register(vscode.commands.registerCommand(OPEN_COMMAND, (options?: unknown) => this.open(readOptions(options))));
    this.register(vscode.commands.registerCommand(STATE_COMMAND, (): PanelState | undefined => this.session?.feed.snapshot()));
    this.register(vscode.commands.registerCommand(PROBE_COMMAND, () => this.session?.probe()));
    this.register(vscode.commands.registerCommand(LESSON_STEP_COMMAND, (lesson: unknown, step: unknown) => {
      const message = parseToHost({ type: 'lessonStep', lesson, step });
      if (message?.type === 'lessonStep') {
        this.lessons.handle(message);
      }
    }));
    this.register(vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        this.adopt(panel);
      },
    }));
    this.register({ dispose: () => this.session?.panel.dispose() });
  }

  open(options: OpenPanelOptions = {}): void {
    if (this.session) {
      this.session.panel.reveal(undefined, false);
    } else {
      const panel = vscode.window.createWebviewPanel(VIEW_TYPE, uiStrings().title, vscode.ViewColumn.Beside, {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist')],
      });
      this.adopt(panel);
    }
    if (options.ports && options.ports.length > 0) {
      this.session!.addPorts(options.ports);
    }
    if (options.tab === 'lessons' && options.lesson) {
      this.session!.showLesson(options.lesson);
    } else if (options.tab) {
      this.session!.showTab(options.tab);
    }
  }

  simulate(args: SimulateArgs): boolean {
    this.open();
    return this.session!.simulate(args);
  }

  connectLab(lab: LabHost, config: LabConfig): vscode.Disposable {
    this.lessons.useConfig(config);
    // A program's role shows in its calls: servers bind, listen and accept; clients connect.
    // Before such a call (a setsockopt first), the terminal's name has to do.
    const roles = new Map<string, 'server' | 'client'>();
    return lab.onProgramEvent(({ name, event }) => {
      if (!roles.has(name) && ['bind', 'listen', 'accept', 'connect'].includes(event.ev)) {
        roles.set(name, event.ev === 'connect' ? 'client' : 'server');
      }
      const role = roles.get(name) ?? (/client/i.test(name) ? 'client' : 'server');
      const normalized = toProgramEvent(event, role, Date.now());
      if (normalized) {
        this.addProgramEvents([normalized]);
      }
    });
  }

  addProgramEvents(events: readonly ProgramEvent[]): void {
    // Kept while no panel is open too, so a panel opened mid-lesson shows how it began.
    this.recentEvents.push(...events);
    this.recentEvents.splice(0, Math.max(0, this.recentEvents.length - RECENT_EVENTS));
    this.session?.feed.onProgramEvents(events);
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.session?.panel.dispose();
    const session = new PanelSession(panel, this.context.extensionUri, this.watcher, this.lessons, () => {
      if (this.session === session) {
        this.session = undefined;
      }
    });
    this.session = session;
    session.feed.onProgramEvents(this.recentEvents);
  }
}

/** Registers the panel's command, serializer and test hooks; one line in extension.ts. */
export function registerPanel(context: vscode.ExtensionContext, watcher: SocketWatcherApi): PanelHost {
  return new PanelHostImpl(context, watcher);
}
