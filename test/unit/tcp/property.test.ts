import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildScenario, runSimulation, type ScenarioId, type SimSetup, type TraceEvent } from '../../../src/tcp/sim';
import { seededRandom } from '../../../src/tcp/sim/random';
import type { TcpState } from '../../../src/tcp/states';
import { isLegalEdge } from '../../../src/tcp/transitions';

const RUNS = 3000;
const BASES: ScenarioId[] = ['normal-close', 'lost-final-ack', 'simultaneous-close', 'linger-reset', 'old-duplicate', 'old-duplicate-no-timewait', 'half-open'];
/** Simulated time a run may take at most; the longest legitimate chain is far shorter. */
const HORIZON_MS = 6 * 3_600_000;

/** A scenario under seeded random drops, delays and duplicates, with programs that always end. */
function randomSetup(seed: number): SimSetup {
  const pick = seededRandom(seed * 7919 + 1);
  const setup = buildScenario(BASES[seed % BASES.length], { mslMs: 2000 });
  const heavy = pick() < 0.2;
  setup.random = { seed, drop: heavy ? 0.5 + pick() * 0.3 : pick() * 0.35, duplicate: pick() * 0.2, maxDelayMs: Math.round(pick() * 400) };
  setup.horizonMs = HORIZON_MS;
  for (const side of ['client', 'server'] as const) {
    // A survivor whose peer silently gave up must find out, or it would rightly stay ESTABLISHED.
    setup.endpoints[side].keepalive = { idleMs: 5000, intvlMs: 1000, cnt: 3 };
  }
  // A listener whose client never arrives stops listening after a while.
  setup.programs.server = [...setup.programs.server, { when: 'LISTEN', delayMs: 30_000, action: 'close', onlyIn: ['LISTEN'], repeat: true }];
  return setup;
}

describe('simulator properties under random faults', () => {
  it(`${RUNS} seeded runs: both endpoints end CLOSED, never stuck, only legal edges`, () => {
    const faults = { dropped: 0, duplicated: 0, timeWaits: 0, resets: 0 };
    for (let seed = 1; seed <= RUNS; seed++) {
      const trace = runSimulation(randomSetup(seed));
      const where = `seed ${seed} (${BASES[seed % BASES.length]})`;
      assert.equal(trace.endedBy, 'quiet', `${where}: stuck until the horizon`);
      assert.deepEqual(trace.final, { client: 'CLOSE', server: 'CLOSE' }, where);
      const current: Record<string, TcpState> = { client: 'CLOSE', server: 'CLOSE' };
      let previous: TraceEvent | undefined;
      for (const e of trace.events) {
        assert.ok(!previous || e.t >= previous.t, `${where}: time runs forward`);
        previous = e;
        if (e.kind === 'state-changed') {
          assert.equal(e.from, current[e.side], `${where}: step ${e.step} starts from the current state`);
          assert.ok(isLegalEdge(e.from, e.to), `${where}: illegal ${e.from} -> ${e.to} at step ${e.step}`);
          current[e.side] = e.to;
          faults.timeWaits += e.to === 'TIME_WAIT' ? 1 : 0;
        }
        faults.dropped += e.kind === 'segment-dropped' ? 1 : 0;
        faults.duplicated += e.kind === 'segment-duplicated' ? 1 : 0;
        faults.resets += e.kind === 'app-error' && e.error === 'ECONNRESET' ? 1 : 0;
      }
    }
    // The faults really happened, and the runs still reached the normal paths.
    assert.ok(faults.dropped > RUNS && faults.duplicated > RUNS / 2 && faults.timeWaits > RUNS / 2 && faults.resets > 0, JSON.stringify(faults));
  });

  it('the same seed gives the same trace', () => {
    assert.deepEqual(runSimulation(randomSetup(42)), runSimulation(randomSetup(42)));
  });
});
