// The Simulate tab: plays a trace of the TCP model step by step on the same state diagram as
// the live mode. Everything here is labeled as a simulation, at every moment.
import type { DiagramEdge, SimRunView, SimScenarioView, StateInfo, ToHost, UiStrings } from '../protocol';
import { SIM_MSL_MS } from '../protocol';
import type { SocketRow } from '../sockets/types';
import type { Side, TraceEvent } from '../tcp/sim/types';
import type { TcpState } from '../tcp/states';
import { Diagram, drawnEdges, shortestPath } from './diagram';
import { fill, h, s, setText, stateClass } from './dom';
import type { LiveRow } from './model';
import { SimSequence, simTime } from './simulateSequence';

/** Steps per second at speed 1x; the speed control multiplies it. */
const BASE_STEP_MS = 900;
export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16];
const SIDES: readonly Side[] = ['client', 'server'];
/** Marker keys of the two simulated endpoints (never a real socket's key: no `>`). */
export const SIM_KEYS: Record<Side, string> = { client: 'sim-client', server: 'sim-server' };

/** A made-up row per endpoint, so the live diagram can draw the model's sockets. */
function simRow(side: Side, state: TcpState, strings: UiStrings): SocketRow {
  const me = { address: fill(strings.simEndpoint, { side: side === 'client' ? strings.client : strings.server }), port: side === 'client' ? 50000 : 80 };
  const peer = { address: fill(strings.simEndpoint, { side: side === 'client' ? strings.server : strings.client }), port: side === 'client' ? 80 : 50000 };
  return {
    family: 'inet', local: me, remote: peer, state, timer: null, retransmits: 0, probes: 0, rxQueue: 0, txQueue: 0,
    inode: 0, pid: null, process: null,
  };
}

/** The tab's content; `banner` goes into the sticky header so it never scrolls away. */
export class SimulateView {
  readonly element: HTMLElement;
  readonly banner: HTMLElement;
  /** Built on first use: a second diagram in the page costs DOM until the tab is opened. */
  private diagram: Diagram | undefined;
  private readonly diagramBox: HTMLElement;
  private readonly sequence: SimSequence;
  private readonly picker: HTMLSelectElement;
  private readonly description: HTMLElement;
  private readonly msl: HTMLInputElement;
  private readonly position: HTMLElement;
  private readonly clock: HTMLElement;
  private readonly explanation: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly log: HTMLOListElement;
  private readonly playButton: HTMLButtonElement;
  private readonly speed: HTMLSelectElement;
  private readonly player: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly drawn: DiagramEdge[];
  private scenarios: SimScenarioView[] = [];
  private run: SimRunView | undefined;
  private step = -1;
  private timer = 0;

  constructor(private readonly strings: UiStrings, private readonly states: StateInfo[], private readonly edges: DiagramEdge[],
    private readonly post: (message: ToHost) => void) {
    this.banner = h('div', { class: 'sim-banner', role: 'note', 'data-testid': 'sim-label' },
      h('strong', { class: 'sim-banner-label' }, strings.simLabel), h('span', { class: 'sim-banner-detail' }, strings.simLabelDetail));
    this.drawn = drawnEdges(edges);
    this.diagramBox = h('div', { class: 'sim-diagram-box' });
    this.sequence = new SimSequence(strings);
    this.picker = h('select', { class: 'sim-picker', 'aria-label': strings.simScenario });
    this.picker.addEventListener('change', () => this.describe());
    this.description = h('p', { class: 'sim-description' });
    this.msl = h('input', { type: 'number', class: 'sim-msl', min: SIM_MSL_MS.min / 1000, max: SIM_MSL_MS.max / 1000, step: 'any', value: 30, 'aria-label': strings.simMsl });
    const load = h('button', { type: 'submit', class: 'primary' }, strings.simLoad);
    const form = h('form', { class: 'sim-choose' }, h('label', {}, strings.simScenario, ' ', this.picker), h('label', {}, strings.simMsl, ' ', this.msl), load);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.request();
    });
    this.playButton = this.button(strings.simPlay, 'sim-play', () => this.togglePlay());
    this.speed = h('select', { class: 'sim-speed', 'aria-label': strings.simSpeed },
      ...SPEEDS.map((x) => h('option', { value: x, selected: x === 1 }, `${x}\u00d7`)));
    this.position = h('span', { class: 'sim-position', 'aria-live': 'polite' });
    this.clock = h('span', { class: 'sim-clock' });
    this.player = h('div', { class: 'sim-player', role: 'toolbar', 'aria-label': strings.simLabel },
      this.button(strings.simRestart, 'sim-restart', () => this.go(0)),
      this.button(strings.simBack, 'sim-back', () => this.go(this.step - 1)),
      this.playButton,
      this.button(strings.simForward, 'sim-forward', () => this.go(this.step + 1)),
      h('label', { class: 'sim-speed-label' }, strings.simSpeed, ' ', this.speed),
      this.position, this.clock);
    this.speed.addEventListener('change', () => {
      if (this.timer) {
        this.stop();
        this.play();
      }
    });
    this.explanation = h('p', { class: 'sim-explanation', 'aria-live': 'polite' });
    this.legend = h('ul', { class: 'sim-legend' });
    this.log = h('ol', { class: 'sim-log', 'aria-label': strings.simLog });
    this.empty = h('p', { class: 'hint sim-empty' }, strings.simNone);
    this.element = h('div', { class: 'simulate simulation', 'data-simulation': 'true' },
      form, this.description, this.empty, this.player, this.explanation,
      h('div', { class: 'sim-grid' },
        h('div', { class: 'sim-diagram' }, this.diagramBox, this.legend),
        h('div', { class: 'sim-side' }, this.sequence.element, h('h3', {}, strings.simLog), this.log)));
    this.element.addEventListener('keydown', (e) => this.key(e));
    this.render();
  }

  private button(label: string, cls: string, action: () => void): HTMLButtonElement {
    const b = h('button', { type: 'button', class: cls }, label);
    b.addEventListener('click', action);
    return b;
  }

  /**
   * The reused Diagram names its arrow heads `arrow`/`arrow-lit`; the live one has the same ids,
   * and a url(#id) may resolve into the hidden tab. Give ours their own, and a watermark.
   */
  private ensureDiagram(): Diagram {
    if (this.diagram) {
      return this.diagram;
    }
    this.diagram = new Diagram(this.strings, this.states, this.edges, () => undefined);
    this.diagramBox.replaceChildren(this.diagram.element);
    const svg = this.diagram.element.querySelector('svg');
    if (!svg) {
      return this.diagram;
    }
    svg.classList.add('sim-svg');
    for (const marker of svg.querySelectorAll('marker')) {
      marker.id = `sim-${marker.id}`;
    }
    for (const path of svg.querySelectorAll('[marker-end]')) {
      path.setAttribute('marker-end', 'url(#sim-arrow)');
    }
    svg.insertBefore(s('text', { x: 810, y: 630, 'text-anchor': 'end', class: 'sim-watermark', 'aria-hidden': 'true' }, this.strings.simLabel), svg.firstChild);
    return this.diagram;
  }

  /** The tab is shown: draw the diagram now if it was never needed before. */
  activate(): void {
    this.ensureDiagram();
    this.render();
  }

  setScenarios(scenarios: SimScenarioView[]): void {
    this.scenarios = scenarios;
    const chosen = this.run?.scenario ?? this.picker.value;
    this.picker.replaceChildren(...scenarios.map((x) => h('option', { value: x.id, selected: x.id === chosen }, x.title)));
    this.describe();
  }

  private describe(): void {
    setText(this.description, this.scenarios.find((x) => x.id === this.picker.value)?.description ?? '');
  }

  private request(): void {
    const seconds = Number(this.msl.value);
    const mslMs = Number.isFinite(seconds) && seconds > 0
      ? Math.min(SIM_MSL_MS.max, Math.max(SIM_MSL_MS.min, Math.round(seconds * 1000))) : undefined;
    this.post({ type: 'simulate', scenario: this.picker.value, mslMs });
  }

  /** A new run from the host: starts at its first step, playing when asked. */
  load(run: SimRunView, play: boolean, speed?: number): void {
    this.stop();
    if (speed !== undefined && SPEEDS.includes(speed)) {
      this.speed.value = String(speed);
    }
    this.run = run;
    this.picker.value = run.scenario;
    this.msl.value = String(run.mslMs / 1000);
    this.describe();
    this.ensureDiagram();
    this.go(0);
    if (play) {
      this.play();
    }
  }

  /** Shows step `index` (clamped); the state diagram and the sequence follow. */
  go(index: number): void {
    if (!this.run) {
      return;
    }
    const last = this.run.events.length - 1;
    this.step = Math.max(0, Math.min(last, index));
    if (this.step === last) {
      this.stop();
    }
    this.render();
  }

  private togglePlay(): void {
    if (this.timer) {
      this.stop();
    } else {
      if (this.run && this.step >= this.run.events.length - 1) {
        this.go(0);
      }
      this.play();
    }
  }

  private play(): void {
    if (!this.run || this.timer) {
      return;
    }
    const speed = Number(this.speed.value) || 1;
    this.timer = window.setInterval(() => this.go(this.step + 1), BASE_STEP_MS / speed);
    this.renderPlayer();
  }

  stop(): void {
    window.clearInterval(this.timer);
    this.timer = 0;
    this.renderPlayer();
  }

  private key(e: KeyboardEvent): void {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) {
      return;
    }
    const moves: Record<string, () => void> = {
      ArrowRight: () => this.go(this.step + 1), ArrowLeft: () => this.go(this.step - 1),
      Home: () => this.go(0), End: () => this.go(Number.MAX_SAFE_INTEGER),
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      move();
    }
  }

  private renderPlayer(): void {
    const loaded = this.run !== undefined;
    this.player.hidden = !loaded;
    this.empty.hidden = loaded;
    setText(this.playButton, this.timer ? this.strings.simPause : this.strings.simPlay);
    this.playButton.setAttribute('aria-pressed', String(this.timer !== 0));
  }

  private render(): void {
    this.renderPlayer();
    const run = this.run;
    if (!run || this.step < 0 || !this.diagram) {
      return;
    }
    const event = run.events[this.step];
    const snap = run.snapshots[this.step];
    setText(this.position, fill(this.strings.simStepOf, { step: this.step + 1, total: run.events.length }));
    setText(this.clock, fill(this.strings.simTime, { time: simTime(snap.t) }));
    setText(this.explanation, event.explanation);
    this.element.dataset.step = String(this.step);
    const rows: LiveRow[] = SIDES.map((side) => ({ key: SIM_KEYS[side], row: simRow(side, snap.states[side], this.strings), receivedAt: 0 }));
    const active = 'side' in event && event.side ? SIM_KEYS[event.side] : undefined;
    this.diagram.setSockets(rows, active, undefined);
    this.lightStep(event);
    this.legend.replaceChildren(...SIDES.map((side) => h('li', { class: `sim-legend-${side}` },
      h('span', { class: `sim-dot ${side} ${stateClass(snap.states[side])}`, 'aria-hidden': 'true' }),
      `${fill(this.strings.simEndpoint, { side: side === 'client' ? this.strings.client : this.strings.server })}: `,
      h('strong', { class: stateClass(snap.states[side]) }, snap.states[side]),
      ...snap.timers[side].map((x) => h('span', { class: 'sim-timer' }, ` \u00b7 ${fill(this.strings.simTimer, { timer: x.timer, time: simTime(x.fireAt) })}`)))));
    this.sequence.render(run.events, this.step);
    this.renderLog(run.events);
  }

  /** While a state-changed step is shown, its edge stays lit (drawn edges; shortest path). */
  private lightStep(event: TraceEvent): void {
    const svg = this.diagram?.element.querySelector('svg');
    if (!svg) {
      return;
    }
    const ids = event.kind === 'state-changed'
      ? shortestPath(this.drawn, event.from, event.to) ?? shortestPath(this.edges, event.from, event.to) ?? [] : [];
    for (const group of svg.querySelectorAll<SVGGElement>('g.edge')) {
      const lit = ids.includes(group.getAttribute('data-edge') ?? '');
      group.classList.toggle('lit', lit);
      group.querySelector('path')?.setAttribute('marker-end', lit ? 'url(#sim-arrow-lit)' : 'url(#sim-arrow)');
    }
  }

  private renderLog(events: readonly TraceEvent[]): void {
    const from = Math.max(0, this.step - 7);
    this.log.start = from + 1;
    this.log.replaceChildren(...events.slice(from, this.step + 1).map((e, i) =>
      h('li', { class: from + i === this.step ? 'current' : '', 'aria-current': from + i === this.step ? 'step' : undefined },
        h('span', { class: 'sim-log-time' }, simTime(e.t)), ' ', e.explanation)));
  }

  /** What the tab shows, for the host's probe (integration tests). */
  probe(): { scenario: string; step: number; total: number; states: { client: string; server: string }; labelVisible: boolean; markers: { key: string; state: string }[] } | undefined {
    if (!this.run) {
      return undefined;
    }
    const snap = this.run.snapshots[this.step];
    const rect = this.banner.getBoundingClientRect();
    const labelVisible = !this.banner.hidden && rect.height > 0 && rect.bottom > 0 && rect.top < window.innerHeight
      && (this.banner.textContent ?? '').includes(this.strings.simLabel);
    return {
      scenario: this.run.scenario, step: this.step, total: this.run.events.length,
      states: { client: snap?.states.client ?? '', server: snap?.states.server ?? '' },
      labelVisible, markers: this.diagram?.probe() ?? [],
    };
  }
}
