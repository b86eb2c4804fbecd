import { SIM_MSL_MS, type SimRunView, type SimScenarioView } from '../protocol';
import { describeScenario, isScenarioId, scenarioList, simulate, snapshotAt } from '../tcp/sim/index';

/** The scenarios the Simulate tab offers, localized through the shared l10n. */
export function simScenarios(): SimScenarioView[] {
  return scenarioList().map(({ id, title, description }) => ({ id, title, description }));
}

/**
 * Runs a scenario on the model (pure, deterministic) and packs the trace with the state of
 * both endpoints after every step, so the view can jump to any step without replaying.
 * Undefined for an id the simulator does not know (the view is untrusted).
 */
export function simRun(scenario: string, mslMs?: number): SimRunView | undefined {
  if (!isScenarioId(scenario)) {
    return undefined;
  }
  const msl = mslMs === undefined ? undefined : Math.min(SIM_MSL_MS.max, Math.max(SIM_MSL_MS.min, Math.round(mslMs)));
  const trace = simulate(scenario, { mslMs: msl });
  const info = describeScenario(scenario);
  return {
    scenario, title: info.title, description: info.description, mslMs: trace.mslMs,
    events: trace.events,
    // Quadratic, but traces are about a hundred events long.
    snapshots: trace.events.map((_, i) => snapshotAt(trace.events, i)),
    final: trace.final, endedBy: trace.endedBy,
  };
}
