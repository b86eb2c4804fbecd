import { l10n } from '../l10n';

/** What every `socket-lifecycle` subcommand provides; one file per subcommand in src/cli/. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
  /** Resolves when the user interrupts (Ctrl+C); long-running commands stop on it. */
  interrupted: Promise<void>;
}

export interface CliCommand {
  name: string;
  /** One line for `--help`. */
  summary: string;
  usage: string;
  /** Returns the exit code: 0 ok, 1 findings / failed expectation, 2 usage error. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Thrown for bad arguments; the dispatcher prints it with the usage and exits 2. */
export class UsageError extends Error {}

/**
 * Splits `args` by a spec of flags. `--name value`, `--name=value` and repeated flags
 * (collected into arrays) are accepted; anything else is a UsageError.
 */
export function parseFlags(
  args: string[],
  spec: Record<string, 'boolean' | 'string' | 'string[]'>,
): { flags: Record<string, boolean | string | string[]>; positional: string[] } {
  const flags: Record<string, boolean | string | string[]> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (!kind) {
      throw new UsageError(l10n.t('unknown option --{name}', { name }));
    }
    if (kind === 'boolean') {
      if (eq >= 0) {
        throw new UsageError(l10n.t('option --{name} takes no value', { name }));
      }
      flags[name] = true;
      continue;
    }
    let value: string | undefined = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) {
      throw new UsageError(l10n.t('option --{name} needs a value', { name }));
    }
    value = String(value);
    if (kind === 'string[]') {
      flags[name] = [...((flags[name] as string[] | undefined) ?? []), value];
    } else {
      flags[name] = value;
    }
  }
  return { flags, positional };
}
