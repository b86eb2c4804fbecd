import { constants, promises as fs } from 'node:fs';
import { delimiter, join } from 'node:path';
import { l10n } from '../l10n';
import type { Runtime } from '../settings';

/** A runtime that can actually run the echo programs. */
export type ConcreteRuntime = Exclude<Runtime, 'auto'>;

export const CONCRETE_RUNTIMES: readonly ConcreteRuntime[] = ['c', 'python', 'node'];

/** What detection found: the runtime and the executable it needs. */
export type RuntimeChoice =
  | { runtime: 'c'; compiler: string }
  | { runtime: 'python'; python: string }
  | { runtime: 'node'; node: string };

/** A problem the user can act on; `message` is shown as is. */
export class RuntimeError extends Error {}

/** Everything detection looks at, injected so it is testable without this machine. */
export interface RuntimeEnvironment {
  platform: NodeJS.Platform;
  /** The Node binary running us (VS Code's own in the extension host). */
  execPath: string;
  /** Finds an executable by name on PATH; undefined when absent. */
  lookup(name: string): Promise<string | undefined>;
  /** Whether an explicit path (a setting) names an executable file. */
  isExecutable(path: string): Promise<boolean>;
}

export interface RuntimeSettings {
  runtime: Runtime;
  compilerPath: string;
  pythonPath: string;
}

/** Compilers tried for C, best first. Windows has none by default (cl.exe is not cc). */
const COMPILERS = ['cc', 'gcc', 'clang'];

function pythonNames(platform: NodeJS.Platform): string[] {
  return platform === 'win32' ? ['python3', 'python', 'py'] : ['python3'];
}

async function findCompiler(settings: RuntimeSettings, env: RuntimeEnvironment): Promise<string | undefined> {
  if (settings.compilerPath) {
    return (await env.isExecutable(settings.compilerPath)) ? settings.compilerPath : undefined;
  }
  if (env.platform === 'win32') {
    return undefined;
  }
  for (const name of COMPILERS) {
    const found = await env.lookup(name);
    if (found) {
      return found;
    }
  }
  return undefined;
}

async function findPython(settings: RuntimeSettings, env: RuntimeEnvironment): Promise<string | undefined> {
  if (settings.pythonPath) {
    return (await env.isExecutable(settings.pythonPath)) ? settings.pythonPath : undefined;
  }
  for (const name of pythonNames(env.platform)) {
    const found = await env.lookup(name);
    if (found) {
      return found;
    }
  }
  return undefined;
}

/**
 * Picks the runtime: an explicit choice must be available (else a RuntimeError saying what
 * to install or set); `auto` takes C if a compiler exists, else Python 3, else Node, which
 * is always there because it runs us.
 */
export async function detectRuntime(settings: RuntimeSettings, env: RuntimeEnvironment): Promise<RuntimeChoice> {
  const wanted = settings.runtime;
  if (wanted === 'c' || wanted === 'auto') {
    const compiler = await findCompiler(settings, env);
    if (compiler) {
      return { runtime: 'c', compiler };
    }
    if (wanted === 'c') {
      throw new RuntimeError(settings.compilerPath
        ? l10n.t('The C compiler set in socketLifecycle.lab.compilerPath ({path}) is not an executable file.', { path: settings.compilerPath })
        : l10n.t('No C compiler found (looked for {names} on PATH). Install one, set socketLifecycle.lab.compilerPath, or use the python or node runtime.', { names: COMPILERS.join(', ') }));
    }
  }
  if (wanted === 'python' || wanted === 'auto') {
    const python = await findPython(settings, env);
    if (python) {
      return { runtime: 'python', python };
    }
    if (wanted === 'python') {
      throw new RuntimeError(settings.pythonPath
        ? l10n.t('The Python interpreter set in socketLifecycle.lab.pythonPath ({path}) is not an executable file.', { path: settings.pythonPath })
        : l10n.t('No Python 3 found (looked for {names} on PATH). Install it, set socketLifecycle.lab.pythonPath, or use the c or node runtime.', { names: pythonNames(env.platform).join(', ') }));
    }
  }
  return { runtime: 'node', node: env.execPath };
}

/** Whether `path` is a file we may execute. */
export async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile()) {
      return false;
    }
    await fs.access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks `name` up in the PATH of `envVars` (with PATHEXT on Windows). */
export async function findOnPath(name: string, envVars: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  const dirs = (envVars.PATH ?? envVars.Path ?? '').split(delimiter).filter(Boolean);
  const exts = platform === 'win32' ? (envVars.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = join(dir, name + ext.toLowerCase());
      if (await isExecutableFile(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** This machine, for callers that are not tests. */
export function systemEnvironment(execPath = process.execPath): RuntimeEnvironment {
  return { platform: process.platform, execPath, lookup: (name) => findOnPath(name), isExecutable: isExecutableFile };
}
