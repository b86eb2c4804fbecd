import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { l10n } from '../l10n';
import { type ConcreteRuntime, type RuntimeChoice, RuntimeError } from './runtimes';

export type ProgramKind = 'server' | 'client';

/** One program ready to spawn: file + argument array (never a shell line) + extra env. */
export interface ProgramCommand {
  runtime: ConcreteRuntime;
  kind: ProgramKind;
  file: string;
  args: string[];
  env: Record<string, string>;
}

/** Source files per runtime, relative to the programs folder (dist/programs). */
const SOURCES = {
  c: { server: 'echo-server.c', client: 'echo-client.c', shared: ['echo-common.h'] },
  python: { server: 'echo-server.py', client: 'echo-client.py', shared: ['echo_common.py'] },
  node: { server: 'echo-server.mjs', client: 'echo-client.mjs', shared: ['echo-common.mjs'] },
} as const;

/** The source a user can open to read the program ("Open Echo Server Source"). */
export function sourcePath(programsDir: string, runtime: ConcreteRuntime, kind: ProgramKind): string {
  return join(programsDir, SOURCES[runtime][kind]);
}

/**
 * Where the CLI keeps compiled programs: $XDG_CACHE_HOME/socket-lifecycle, else a per-user
 * folder in the temp dir (the extension uses its globalStorageUri instead).
 */
export function cliStorageDir(envVars: NodeJS.ProcessEnv = process.env): string {
  if (envVars.XDG_CACHE_HOME) {
    return join(envVars.XDG_CACHE_HOME, 'socket-lifecycle');
  }
  let user = 'user';
  try {
    user = String(userInfo().uid >= 0 ? userInfo().uid : userInfo().username);
  } catch {
    user = homedir().split(/[\\/]/).pop() || user;
  }
  return join(tmpdir(), `socket-lifecycle-${user}`);
}

function run(file: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { encoding: 'utf8', timeout: 60_000, windowsHide: true }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      if (error) {
        const code = typeof error.code === 'number' ? error.code : -1;
        resolve({ code, output: output || error.message });
      } else {
        resolve({ code: 0, output });
      }
    });
  });
}

/**
 * Compiles echo-server.c and echo-client.c once per source hash (and compiler) into
 * `storageDir/c-<hash>/`. Writes to a temporary name and renames, so parallel callers never
 * run a half-written binary. A failed compile throws the compiler's own message.
 */
export async function compilePrograms(programsDir: string, storageDir: string, compiler: string): Promise<Record<ProgramKind, string>> {
  const hash = createHash('sha256').update(compiler);
  const names = [SOURCES.c.server, SOURCES.c.client, ...SOURCES.c.shared];
  for (const name of names) {
    try {
      hash.update(name).update(await fs.readFile(join(programsDir, name)));
    } catch (error) {
      throw new RuntimeError(l10n.t('The echo program source {file} is missing: {reason}', { file: join(programsDir, name), reason: reason(error) }));
    }
  }
  const dir = join(storageDir, `c-${hash.digest('hex').slice(0, 16)}`);
  try {
    await fs.mkdir(dir, { recursive: true });
    await fs.access(dir, constants.W_OK);
  } catch (error) {
    throw new RuntimeError(l10n.t('Cannot write the compiled echo programs to {dir}: {reason}. Check the folder\'s permissions or use the python or node runtime.', { dir, reason: reason(error) }));
  }
  const binaries = { server: join(dir, 'echo-server'), client: join(dir, 'echo-client') };
  for (const kind of ['server', 'client'] as const) {
    if (await exists(binaries[kind])) {
      continue;
    }
    const temp = `${binaries[kind]}.${process.pid}.${Date.now()}.tmp`;
    const source = join(programsDir, SOURCES.c[kind]);
    const result = await run(compiler, ['-Wall', '-O2', '-o', temp, source]);
    if (result.code !== 0) {
      await fs.rm(temp, { force: true });
      throw new RuntimeError(l10n.t('Compiling {file} with {compiler} failed:\n{output}', { file: source, compiler, output: result.output }));
    }
    await fs.rename(temp, binaries[kind]);
  }
  return binaries;
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Turns a detected runtime into commands for the server and the client. */
export class EchoPrograms {
  private constructor(
    readonly choice: RuntimeChoice,
    readonly programsDir: string,
    private readonly binaries: Record<ProgramKind, string> | undefined,
  ) {}

  /** Compiles when the runtime is C; otherwise only checks that the sources exist. */
  static async prepare(choice: RuntimeChoice, programsDir: string, storageDir: string): Promise<EchoPrograms> {
    if (choice.runtime === 'c') {
      return new EchoPrograms(choice, programsDir, await compilePrograms(programsDir, storageDir, choice.compiler));
    }
    for (const kind of ['server', 'client'] as const) {
      const path = sourcePath(programsDir, choice.runtime, kind);
      if (!(await exists(path))) {
        throw new RuntimeError(l10n.t('The echo program source {file} is missing.', { file: path }));
      }
    }
    return new EchoPrograms(choice, programsDir, undefined);
  }

  get runtime(): ConcreteRuntime {
    return this.choice.runtime;
  }

  command(kind: ProgramKind, args: string[]): ProgramCommand {
    const choice = this.choice;
    switch (choice.runtime) {
      case 'c':
        return { runtime: 'c', kind, file: this.binaries![kind], args, env: {} };
      case 'python':
        // -u: unbuffered, so output reaches the terminal as it happens.
        return { runtime: 'python', kind, file: choice.python, args: ['-u', sourcePath(this.programsDir, 'python', kind), ...args], env: {} };
      case 'node':
        // VS Code's own binary behaves as plain Node with ELECTRON_RUN_AS_NODE (harmless for node).
        return { runtime: 'node', kind, file: choice.node, args: [sourcePath(this.programsDir, 'node', kind), ...args], env: { ELECTRON_RUN_AS_NODE: '1' } };
    }
  }
}

/** Quotes one word for a POSIX shell only when needed. */
function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The shell line equivalent to a command, printed first so the user can reproduce it. */
export function shellLine(command: ProgramCommand): string {
  const env = Object.entries(command.env).map(([k, v]) => `${k}=${quote(v)}`);
  return [...env, quote(command.file), ...command.args.map(quote)].join(' ');
}
