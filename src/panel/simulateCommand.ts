import * as vscode from 'vscode';
import { SIM_MSL_MS } from '../protocol';
import { isScenarioId } from '../tcp/sim/index';
import { simScenarios } from './simulate';

export const SIMULATE_COMMAND = 'socketLifecycle.simulate';

/** What socketLifecycle.simulate accepts: a scenario id, or an object (tests, walkthrough links). */
export interface SimulateArgs {
  scenario: string;
  mslMs?: number;
  play: boolean;
  speed?: number;
}

/** Reads the command's argument; undefined when it names no known scenario. */
export function readSimulateArgs(value: unknown): SimulateArgs | undefined {
  if (isScenarioId(value)) {
    return { scenario: value, play: true };
  }
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const raw = value as Record<string, unknown>;
  if (!isScenarioId(raw.scenario)) {
    return undefined;
  }
  const msl = raw.mslMs;
  const speed = raw.speed;
  return {
    scenario: raw.scenario,
    mslMs: typeof msl === 'number' && Number.isFinite(msl) ? Math.min(SIM_MSL_MS.max, Math.max(SIM_MSL_MS.min, msl)) : undefined,
    play: raw.play !== false,
    speed: typeof speed === 'number' && Number.isFinite(speed) ? speed : undefined,
  };
}

/** "Simulate Scenario...": a quick pick of the scenarios with their descriptions. */
export async function pickScenario(): Promise<SimulateArgs | undefined> {
  const picked = await vscode.window.showQuickPick(simScenarios().map((s) => ({ label: s.title, description: s.id, detail: s.description, id: s.id })), {
    title: vscode.l10n.t('Simulate a TCP scenario (a model, not your kernel)'),
    matchOnDescription: true, matchOnDetail: true,
  });
  return picked ? { scenario: picked.id, play: true } : undefined;
}
