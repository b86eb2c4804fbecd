import { l10n } from '../../l10n';
import { runSimulation } from './simulation';
import type { AppStep, EndpointConfig, SimSetup, SimTrace } from './types';
import { duration } from './words';

/** The scenarios a panel or the CLI can offer, in teaching order. */
export const SCENARIO_IDS = [
  'normal-close', 'lost-final-ack', 'old-duplicate', 'old-duplicate-no-timewait',
  'half-open', 'half-open-no-keepalive', 'simultaneous-close', 'linger-reset',
] as const;

export type ScenarioId = (typeof SCENARIO_IDS)[number];

export function isScenarioId(value: unknown): value is ScenarioId {
  return typeof value === 'string' && (SCENARIO_IDS as readonly string[]).includes(value);
}

/** Title and one-paragraph description of a scenario, in the current locale. */
export interface ScenarioInfo {
  id: ScenarioId;
  title: string;
  description: string;
}

/** Knobs a user may turn; everything else is fixed by the scenario. */
export interface ScenarioOptions {
  /** Maximum segment lifetime; TIME_WAIT lasts twice this. Default 30 s (Linux's 60 s TIME_WAIT). */
  mslMs?: number;
}

export const DEFAULT_MSL_MS = 30_000;
const LATENCY_MS = 10;
/** Keepalive of the half-open scenario: the values of DOMAIN.md's experiment (3 s, 2 s, 3). */
export const HALF_OPEN_KEEPALIVE = { idleMs: 3000, intvlMs: 2000, cnt: 3 };

/** Linux-like defaults with a short initial RTO, so retransmissions show within a second. */
export function endpointDefaults(mslMs: number): EndpointConfig {
  return { rtoMs: 200, rtoMaxMs: 120_000, maxRetries: 6, timeWaitMs: 2 * mslMs, finWait2Ms: 60_000, keepalive: null, isn: [], window: 65_535 };
}

export function scenarioList(): ScenarioInfo[] {
  return SCENARIO_IDS.map(describeScenario);
}

export function describeScenario(id: ScenarioId): ScenarioInfo {
  switch (id) {
    case 'normal-close':
      return { id, title: l10n.t('Normal close'), description: l10n.t('Handshake, a few bytes, then the client closes first: FIN, ACK, FIN, ACK. The client waits in TIME_WAIT for 2MSL; the server is done as soon as its FIN is acknowledged.') };
    case 'lost-final-ack':
      return { id, title: l10n.t('Lost final ACK'), description: l10n.t('The last ACK of the close is lost. The server, still in LAST_ACK, retransmits its FIN; the client answers it from TIME_WAIT. Without TIME_WAIT the FIN would meet a closed port and the server would get a reset instead of a clean close.') };
    case 'old-duplicate':
      return { id, title: l10n.t('Old duplicate, with TIME_WAIT'), description: l10n.t('A copy of a data segment wanders in the network. The client closes first and wants to reconnect with the same 4-tuple at once, but TIME_WAIT holds it for 2MSL; the stray copy dies meanwhile and the new connection receives only its own bytes.') };
    case 'old-duplicate-no-timewait':
      return { id, title: l10n.t('Old duplicate, without TIME_WAIT'), description: l10n.t('The same, on a stack that skips TIME_WAIT: the new connection on the same 4-tuple starts at once, the stray copy of the old connection arrives inside its window and the server\'s program reads old bytes as new ones. This is the corruption TIME_WAIT prevents.') };
    case 'half-open':
      return { id, title: l10n.t('Half-open, with keepalive'), description: l10n.t('The server\'s host vanishes without FIN or RST. The client has keepalive on (idle {idle}, interval {intvl}, {cnt} probes): after exactly idle + interval x count of silence its program gets ETIMEDOUT. With Linux defaults (7200 s, 75 s, 9) that would be 2 h 11 min 15 s.', { idle: duration(HALF_OPEN_KEEPALIVE.idleMs), intvl: duration(HALF_OPEN_KEEPALIVE.intvlMs), cnt: HALF_OPEN_KEEPALIVE.cnt }) };
    case 'half-open-no-keepalive':
      return { id, title: l10n.t('Half-open, without keepalive'), description: l10n.t('The server\'s host vanishes and the idle client has neither keepalive nor an application heartbeat: it stays ESTABLISHED forever, because TCP only notices a dead peer when it sends something.') };
    case 'simultaneous-close':
      return { id, title: l10n.t('Simultaneous close'), description: l10n.t('Both programs call close() at the same moment. Each FIN crosses the other in the network, both sides pass through CLOSING, and both end in TIME_WAIT.') };
    case 'linger-reset':
      return { id, title: l10n.t('Abortive close (SO_LINGER 0)'), description: l10n.t('The server answers and then closes with SO_LINGER {1, 0}: a RST instead of a FIN. No TIME_WAIT anywhere, and the client\'s program gets ECONNRESET instead of end of file.') };
  }
}

/** Runs a scenario and returns its trace; deterministic for given options. */
export function simulate(id: ScenarioId, options: ScenarioOptions = {}): SimTrace {
  return runSimulation(buildScenario(id, options), id);
}

/** The setup of a scenario, exposed so tests can vary it (e.g. with random faults). */
export function buildScenario(id: ScenarioId, options: ScenarioOptions = {}): SimSetup {
  const mslMs = options.mslMs ?? DEFAULT_MSL_MS;
  const client = endpointDefaults(mslMs);
  const server = endpointDefaults(mslMs);
  const label = l10n.t('Simulation: a model of TCP after RFC 9293, not your kernel. Times are simulated.');
  const setup: SimSetup = {
    mslMs, latencyMs: LATENCY_MS, endpoints: { client, server }, rules: [], horizonMs: 24 * 3_600_000,
    programs: { client: [], server: [] }, intro: [label, describeScenario(id).description],
  };
  const open: { client: AppStep[]; server: AppStep[] } = {
    server: [{ when: 'start', action: 'listen' }],
    client: [{ when: 'start', action: 'connect' }],
  };
  switch (id) {
    case 'normal-close':
    case 'lost-final-ack':
      setup.programs = {
        server: [...open.server, { when: 'eof', delayMs: 20, action: 'close' }],
        client: [...open.client, { when: 'ESTABLISHED', delayMs: 20, action: 'send', data: 'hello' }, { when: 'ESTABLISHED', delayMs: 100, action: 'close' }],
      };
      if (id === 'lost-final-ack') {
        setup.rules = [{ from: 'client', kind: 'ACK', senderState: 'TIME_WAIT', nth: 1, action: 'drop' }];
      }
      return setup;
    case 'old-duplicate':
    case 'old-duplicate-no-timewait':
      // The same ISNs in both incarnations put the stray copy inside the new window; real
      // stacks pick ISNs from a clock to make that unlikely, TIME_WAIT makes it impossible.
      client.isn = [1000, 1000];
      server.isn = [5000, 5000];
      if (id === 'old-duplicate-no-timewait') {
        client.timeWaitMs = 0;
      }
      setup.rules = [{ from: 'client', kind: 'DATA', nth: 1, action: 'duplicate', delayMs: 400 }];
      setup.programs = {
        server: [...open.server, { when: 'eof', delayMs: 10, action: 'close', repeat: true }, { when: 'CLOSE', occurrence: 1, delayMs: 10, action: 'listen' }],
        client: [
          ...open.client,
          { when: 'ESTABLISHED', delayMs: 30, action: 'send', data: 'old' },
          { when: 'ESTABLISHED', delayMs: 80, action: 'close' },
          { when: 'start', delayMs: 200, action: 'connect' },
          { when: 'ESTABLISHED', occurrence: 2, delayMs: 300, action: 'send', data: 'new' },
          { when: 'ESTABLISHED', occurrence: 2, delayMs: 400, action: 'close' },
        ],
      };
      return setup;
    case 'half-open':
    case 'half-open-no-keepalive':
      client.keepalive = id === 'half-open' ? { ...HALF_OPEN_KEEPALIVE } : null;
      setup.observeUntilMs = id === 'half-open' ? undefined : 2 * 3_600_000;
      setup.outro = id === 'half-open'
        ? undefined
        : l10n.t('Two simulated hours later nothing has happened: the client is still ESTABLISHED with a peer that no longer exists, and would stay so forever.');
      setup.programs = {
        server: [...open.server, { when: 'ESTABLISHED', delayMs: 500, action: 'crash' }],
        client: [...open.client, { when: 'ESTABLISHED', delayMs: 20, action: 'send', data: 'ping' }],
      };
      return setup;
    case 'simultaneous-close':
      // Client and server reach ESTABLISHED 10 ms apart; these delays make both close at 120 ms.
      setup.programs = {
        server: [...open.server, { when: 'ESTABLISHED', delayMs: 90, action: 'close' }],
        client: [...open.client, { when: 'ESTABLISHED', delayMs: 100, action: 'close' }],
      };
      return setup;
    case 'linger-reset':
      setup.programs = {
        server: [...open.server, { when: 'ESTABLISHED', delayMs: 40, action: 'send', data: 'error: bad request' }, { when: 'ESTABLISHED', delayMs: 40, action: 'abort' }],
        client: [...open.client, { when: 'ESTABLISHED', delayMs: 10, action: 'send', data: 'GET /' }],
      };
      return setup;
  }
}
