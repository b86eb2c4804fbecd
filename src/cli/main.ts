import { l10n } from '../l10n';
import { type CliCommand, type CliIo, UsageError } from './command';
import { lintCommand } from './lint';

declare const SOCKET_LIFECYCLE_VERSION: string;

/**
 * Subcommands in the order `--help` lists them; each issue adds its own. Only the one a run
 * names is loaded: `watch` and `lesson` bring in child processes, sockets and the lab, which a
 * lint run has no use for (a lint then starts about 5 ms sooner). The bundle stays one file;
 * esbuild runs a module required here only when the require runs.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, () => CliCommand> = {
  lint: () => lintCommand,
  watch: () => (require('./watch') as typeof import('./watch')).watchCommand,
  simulate: () => (require('./simulate') as typeof import('./simulate')).simulateCommand,
  lesson: () => (require('./lesson') as typeof import('./lesson')).lessonCommand,
};
/* eslint-enable @typescript-eslint/no-require-imports */

function help(): string {
  const lines = [
    l10n.t('Usage: socket-lifecycle <command> [options]'),
    '',
    l10n.t('Watch TCP sockets on the real kernel, run socket lessons, and lint socket code.'),
    '',
    l10n.t('Commands:'),
    ...Object.values(COMMANDS).map((load) => load()).map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    l10n.t('Options:'),
    `  --help     ${l10n.t('show this help (or a command\'s help: socket-lifecycle <command> --help)')}`,
    `  --version  ${l10n.t('print the version')}`,
  ];
  return lines.join('\n') + '\n';
}

/** Runs the command line `args` (without node and script) and returns the exit code. */
export async function main(args: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${SOCKET_LIFECYCLE_VERSION}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name]() : undefined;
  if (!command) {
    io.stderr.write(l10n.t('socket-lifecycle: unknown command \'{name}\'. Run \'socket-lifecycle --help\' for the list.', { name }) + '\n');
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`socket-lifecycle ${command.name}: ${error.message}\n${command.usage}\n`);
      return 2;
    }
    io.stderr.write(`socket-lifecycle ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
