/**
 * Our settings as one typed value, normalized from whatever the user wrote.
 * Pure: `config.ts` feeds it `workspace.getConfiguration('socketLifecycle')`, tests feed it junk.
 */
export type Runtime = 'auto' | 'c' | 'python' | 'node';
export type LintSeverity = 'off' | 'error' | 'warning' | 'information' | 'hint';

export interface Settings {
  watcher: { intervalMs: number };
  lab: { runtime: Runtime; compilerPath: string; pythonPath: string; defaultPort: number };
  lint: { enable: boolean; rules: Record<string, LintSeverity>; debounceMs: number };
}

export const DEFAULT_SETTINGS: Settings = {
  watcher: { intervalMs: 100 },
  lab: { runtime: 'auto', compilerPath: '', pythonPath: '', defaultPort: 7865 },
  lint: { enable: true, rules: {}, debounceMs: 300 },
};

const RUNTIMES: readonly Runtime[] = ['auto', 'c', 'python', 'node'];
const SEVERITIES: readonly LintSeverity[] = ['off', 'error', 'warning', 'information', 'hint'];

/** Reads a dotted key from a nested object or from a flat `{ 'a.b': v }` one. */
function pick(raw: unknown, key: string): unknown {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const record = raw as Record<string, unknown>;
  if (key in record) {
    return record[key];
  }
  const dot = key.indexOf('.');
  return dot < 0 ? undefined : pick(record[key.slice(0, dot)], key.slice(dot + 1));
}

function int(value: unknown, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return fallback;
  }
  return Math.min(max, Math.max(min, Math.round(value)));
}

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value.trim() : fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** Defaults for missing keys, clamps numbers to their bounds, drops values of the wrong type. */
export function parseSettings(raw: unknown): Settings {
  const d = DEFAULT_SETTINGS;
  const rules: Record<string, LintSeverity> = {};
  const rawRules = pick(raw, 'lint.rules');
  if (typeof rawRules === 'object' && rawRules !== null) {
    for (const [id, severity] of Object.entries(rawRules)) {
      if (SEVERITIES.includes(severity as LintSeverity)) {
        rules[id] = severity as LintSeverity;
      }
    }
  }
  return {
    watcher: { intervalMs: int(pick(raw, 'watcher.intervalMs'), d.watcher.intervalMs, 20, 10_000) },
    lab: {
      runtime: oneOf(pick(raw, 'lab.runtime'), RUNTIMES, d.lab.runtime),
      compilerPath: str(pick(raw, 'lab.compilerPath'), d.lab.compilerPath),
      pythonPath: str(pick(raw, 'lab.pythonPath'), d.lab.pythonPath),
      defaultPort: int(pick(raw, 'lab.defaultPort'), d.lab.defaultPort, 1024, 65535),
    },
    lint: {
      enable: typeof pick(raw, 'lint.enable') === 'boolean' ? (pick(raw, 'lint.enable') as boolean) : d.lint.enable,
      rules,
      debounceMs: int(pick(raw, 'lint.debounceMs'), d.lint.debounceMs, 0, 5_000),
    },
  };
}
