/**
 * The TCP simulator: a pure, deterministic model of two endpoints and the network between
 * them, for what loopback cannot show. Everything it produces is labeled as a simulation.
 */
export { DEFAULT_MSL_MS, SCENARIO_IDS, buildScenario, describeScenario, endpointDefaults, isScenarioId, scenarioList, simulate } from './scenarios';
export type { ScenarioId, ScenarioInfo, ScenarioOptions } from './scenarios';
export { runSimulation, snapshotAt } from './simulation';
export type { SimSnapshot } from './simulation';
export type * from './types';
