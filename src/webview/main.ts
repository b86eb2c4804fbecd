// The panel's front end: receives ToView messages, applies them once per animation frame,
// and draws the diagram, the table and the timeline. Untrusted data only reaches the DOM as text.
import { PANEL_TABS, type DiagramEdge, type PanelTab, type StateInfo, type ToHost, type ToView, type UiStrings } from '../protocol';
import type { TransitionEntry } from '../protocol';
import { Diagram } from './diagram';
import { fill, h } from './dom';
import { peerKey, ViewModel } from './model';
import { SequenceDiagrams } from './sequence';
import { SocketTable, type SortOrder } from './table';
import { LessonsView } from './lessons';
import { SimulateView } from './simulate';
import { inferTeardowns } from './teardown';
import { Timeline } from './timeline';

/** What survives a reload (webview getState/setState). */
interface ViewState {
  tab: PanelTab;
  sort: SortOrder;
  filter: string;
  selected?: string;
  ports: number[];
}

const vscode = acquireVsCodeApi<ViewState>();
const TICK_MS = 100;

function post(message: ToHost): void {
  vscode.postMessage(message);
}

function savedState(): ViewState {
  const saved = vscode.getState();
  return {
    tab: PANEL_TABS.find((t) => t === saved?.tab) ?? 'live',
    sort: saved?.sort ?? { column: 'local', descending: false },
    filter: typeof saved?.filter === 'string' ? saved.filter : '',
    selected: saved?.selected,
    ports: Array.isArray(saved?.ports) ? saved.ports.filter((p) => Number.isInteger(p)) : [],
  };
}

/** The whole UI, built once `init` arrives. */
class App {
  private readonly model = new ViewModel();
  private readonly diagram: Diagram;
  private readonly table: SocketTable;
  private readonly timeline: Timeline;
  private readonly sequences: SequenceDiagrams;
  private readonly tabs = new Map<PanelTab, { button: HTMLButtonElement; panel: HTMLElement }>();
  private readonly empty: HTMLElement;
  private readonly live: HTMLElement;
  private readonly portList: HTMLElement;
  private readonly simulate: SimulateView;
  private readonly lessons: LessonsView;
  private timelineDirty = true;
  private view: ViewState;

  constructor(private readonly strings: UiStrings, states: StateInfo[], edges: DiagramEdge[], root: HTMLElement) {
    this.view = savedState();
    this.timeline = new Timeline(strings);
    this.sequences = new SequenceDiagrams(strings);
    this.diagram = new Diagram(strings, states, edges, (key) => this.select(key));
    this.table = new SocketTable(strings, this.view.sort, this.view.filter, (key) => this.select(key), () => this.save());
    this.table.selected = this.view.selected;
    const lessonButton = h('button', { type: 'button', class: 'primary' }, strings.startLesson);
    lessonButton.addEventListener('click', () => post({ type: 'runLesson', lesson: 'time-wait' }));
    this.empty = h('section', { class: 'empty', 'aria-labelledby': 'empty-title' },
      h('h2', { id: 'empty-title' }, strings.emptyTitle), h('p', {}, strings.emptyBody), lessonButton);
    this.portList = h('span', { class: 'ports' });
    this.live = h('div', { class: 'live' }, this.empty, h('div', { class: 'live-grid' }, this.diagram.element, this.table.element));
    this.simulate = new SimulateView(strings, states, edges, post);
    this.lessons = new LessonsView(strings, post);
    const panels: Record<PanelTab, { label: string; content: HTMLElement }> = {
      live: { label: strings.tabLive, content: this.live },
      timeline: { label: strings.tabTimeline, content: h('div', {}, this.timeline.element, this.sequences.element) },
      lessons: { label: strings.tabLessons, content: this.lessons.element },
      simulate: { label: strings.tabSimulate, content: this.simulate.element },
    };
    const tablist = h('div', { role: 'tablist', class: 'tabs', 'aria-label': strings.title });
    const body = h('div', { class: 'tab-panels' });
    for (const tab of PANEL_TABS) {
      const button = h('button', { type: 'button', role: 'tab', id: `tab-${tab}`, 'aria-controls': `panel-${tab}`, class: 'tab' }, panels[tab].label);
      const panel = h('div', { role: 'tabpanel', id: `panel-${tab}`, 'aria-labelledby': `tab-${tab}`, class: 'tab-panel' }, panels[tab].content);
      button.addEventListener('click', () => this.showTab(tab));
      button.addEventListener('keydown', (e) => this.tabKey(e, tab));
      tablist.append(button);
      body.append(panel);
      this.tabs.set(tab, { button, panel });
    }
    root.replaceChildren(h('header', { class: 'top' }, tablist, this.watchForm(), this.simulate.banner), body);
    root.setAttribute('aria-busy', 'false');
    this.showTab(this.view.tab);
    window.setInterval(() => this.table.tick(performance.now()), TICK_MS);
  }

  private watchForm(): HTMLElement {
    const input = h('input', { type: 'number', min: 1, max: 65535, class: 'port-input', 'aria-label': this.strings.watchLabel, placeholder: this.strings.watchLabel });
    const button = h('button', { type: 'submit' }, this.strings.watchAdd);
    const form = h('form', { class: 'watch' }, h('span', { class: 'watching' }, this.strings.watching), this.portList, input, button);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const port = Number(input.value);
      if (Number.isInteger(port) && port > 0 && port < 65536 && !this.model.watchedPorts.includes(port)) {
        post({ type: 'watchPorts', ports: [...this.model.watchedPorts, port] });
      }
      input.value = '';
    });
    return form;
  }

  private renderPorts(): void {
    this.portList.replaceChildren(...this.model.watchedPorts.map((port) => {
      const remove = h('button', { type: 'button', class: 'port-chip', 'aria-label': fill(this.strings.watchRemove, { port }), title: fill(this.strings.watchRemove, { port }) }, `${port} \u00d7`);
      remove.addEventListener('click', () => post({ type: 'watchPorts', ports: this.model.watchedPorts.filter((p) => p !== port) }));
      return remove;
    }));
    this.view.ports = this.model.watchedPorts;
    this.save();
  }

  private tabKey(e: KeyboardEvent, tab: PanelTab): void {
    const i = PANEL_TABS.indexOf(tab);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : undefined;
    if (next !== undefined) {
      const target = PANEL_TABS[(next + PANEL_TABS.length) % PANEL_TABS.length];
      this.showTab(target);
      this.tabs.get(target)?.button.focus();
      e.preventDefault();
    }
  }

  showTab(tab: PanelTab): void {
    this.view.tab = tab;
    for (const [id, { button, panel }] of this.tabs) {
      button.setAttribute('aria-selected', String(id === tab));
      button.tabIndex = id === tab ? 0 : -1;
      panel.hidden = id !== tab;
    }
    // The simulation label sits in the sticky header, so it is on screen whenever the tab is.
    this.simulate.banner.hidden = tab !== 'simulate';
    document.body.classList.toggle('simulating', tab === 'simulate');
    if (tab === 'simulate') {
      this.simulate.activate();
    } else {
      this.simulate.stop();
    }
    if (tab === 'timeline') {
      this.renderTimeline();
    }
    this.save();
  }

  private select(key: string | undefined): void {
    this.view.selected = key;
    this.table.select(key);
    this.renderSockets();
    this.save();
  }

  private save(): void {
    this.view.sort = this.table.sort;
    this.view.filter = this.table.filter;
    vscode.setState(this.view);
  }

  /** Applies a batch of messages (one animation frame's worth), then redraws once. */
  apply(messages: ToView[]): void {
    const now = performance.now();
    let rowsChanged = false;
    const probes: number[] = [];
    for (const message of messages) {
      switch (message.type) {
        case 'init':
        case 'state': {
          this.model.replace(message.state, now);
          rowsChanged = true;
          this.timelineDirty = true;
          this.renderPorts();
          if (message.type === 'init' && message.tab) {
            this.showTab(message.tab);
          }
          if (message.type === 'init' && message.state.watchedPorts.length === 0 && this.view.ports.length > 0) {
            // Revived after a reload: ask the host to watch what this panel watched before.
            post({ type: 'watchPorts', ports: this.view.ports });
          }
          break;
        }
        case 'update':
          if (message.rows) {
            this.model.setRows(message.rows, now, message.at);
            this.model.hasTimers = message.hasTimers ?? this.model.hasTimers;
            rowsChanged = true;
          }
          if (message.watchedPorts) {
            this.model.watchedPorts = message.watchedPorts;
            this.renderPorts();
          }
          if (message.entries.length > 0) {
            this.model.addEntries(message.entries);
            this.timelineDirty = true;
          }
          this.model.at = message.at;
          break;
        case 'showTab':
          this.showTab(message.tab);
          break;
        case 'probe':
          probes.push(message.id);
          break;
        case 'simulation':
          this.simulate.setScenarios(message.scenarios);
          if (message.run) {
            this.simulate.load(message.run, message.play === true, message.speed);
          }
          break;
        case 'lessons':
          this.lessons.setLessons(message.lessons, message.progress, message.run, message.select);
          break;
        case 'lessonRun':
          this.lessons.setRun(message.run, message.progress);
          break;
        default: {
          const never: never = message;
          console.error('unknown message', never);
        }
      }
    }
    if (rowsChanged) {
      this.renderSockets();
    }
    const fresh = this.model.fresh.filter((e): e is TransitionEntry => e.kind === 'transition');
    this.model.fresh = [];
    this.diagram.light(fresh);
    if (this.timelineDirty && this.view.tab === 'timeline') {
      this.renderTimeline();
    }
    for (const id of probes) {
      post({ type: 'probeResult', id, result: this.probe() });
    }
  }

  private renderSockets(): void {
    const rows = [...this.model.rows.values()];
    this.empty.hidden = rows.length > 0;
    this.table.setRows(rows, this.model.hasTimers);
    const selected = this.view.selected ? this.model.rows.get(this.view.selected) : undefined;
    this.diagram.setSockets(rows, selected?.key, selected ? peerKey(selected.row) : undefined);
  }

  private renderTimeline(): void {
    this.timelineDirty = false;
    this.timeline.render(this.model.timeline, this.model.at);
    const listening = new Set([...this.model.rows.values()].filter((r) => r.row.state === 'LISTEN').map((r) => r.row.local.port));
    this.sequences.render(inferTeardowns(this.model.timeline, listening));
  }

  private probe() {
    const listening = new Set([...this.model.rows.values()].filter((r) => r.row.state === 'LISTEN').map((r) => r.row.local.port));
    return {
      tab: this.view.tab,
      empty: !this.empty.hidden,
      tableRows: this.table.probe(),
      markers: this.diagram.probe(),
      sequences: inferTeardowns(this.model.timeline, listening).map((t) => ({
        key: t.id, firstFin: t.firstCloser === 0 || t.firstCloser === 1 ? t.sides[t.firstCloser].endpoint : String(t.firstCloser),
      })),
      simulation: this.simulate.probe(),
      lesson: this.lessons.probe(),
    };
  }
}

let app: App | undefined;
let queue: ToView[] = [];
let frame = 0;

function flush(): void {
  frame = 0;
  const batch = queue;
  queue = [];
  performance.mark('socketLifecycle.apply.start');
  if (!app) {
    // Nothing can be drawn before `init`; anything earlier is superseded by it.
    const start = batch.findIndex((m) => m.type === 'init');
    const init = batch[start];
    if (init?.type === 'init') {
      app = new App(init.strings, init.states, init.edges, document.getElementById('app')!);
      app.apply(batch.slice(start));
    }
  } else {
    app.apply(batch);
  }
  performance.measure('socketLifecycle.apply', 'socketLifecycle.apply.start');
}

window.addEventListener('message', (event: MessageEvent<ToView>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null || typeof message.type !== 'string') {
    return;
  }
  queue.push(message);
  if (frame === 0) {
    frame = requestAnimationFrame(flush);
  }
});

post({ type: 'ready' });
