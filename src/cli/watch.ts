import { l10n } from '../l10n';
import { rowToJson, transitionToJson } from '../sockets/json';
import { parsePorts } from '../sockets/ports';
import { pickSocketSource } from '../sockets/reader';
import { formatEndpoint, LiveFrame, renderTable } from '../sockets/table';
import type { Transition } from '../sockets/types';
import { SocketWatcher } from '../sockets/watcher';
import { DEFAULT_SETTINGS } from '../settings';
import { type CliCommand, type CliIo, parseFlags, UsageError } from './command';

function usage(): string {
  return l10n.t('Usage: socket-lifecycle watch [--port N]... [--once] [--json] [--interval MS]\n\n  --port N       watch port N (local or remote end); repeat for more; default: every port\n  --once         print the current table once and exit\n  --json         rows as a JSON array (with --once) or transitions as JSON lines\n  --interval MS  poll interval in milliseconds (default {ms})', { ms: DEFAULT_SETTINGS.watcher.intervalMs });
}

function describeTransition(t: Transition): string {
  const time = new Date(t.at).toISOString().slice(11, 23);
  const where = `${formatEndpoint(t.row.local)} > ${formatEndpoint(t.row.remote)}`;
  const what = t.kind === 'changed' ? `${t.from} -> ${t.row.state}` : t.kind === 'appeared' ? `+ ${t.row.state}` : `- ${t.row.state}`;
  return `${time}  ${where}  ${what}`;
}

/** `socket-lifecycle watch`: the live socket table on a terminal, JSON for tools. */
export const watchCommand: CliCommand = {
  name: 'watch',
  summary: l10n.t('show the kernel\'s TCP sockets live, with timers and transitions'),
  get usage() {
    return usage();
  },
  async run(args: string[], io: CliIo): Promise<number> {
    const { flags, positional } = parseFlags(args, { port: 'string[]', once: 'boolean', json: 'boolean', interval: 'string' });
    if (positional.length > 0) {
      throw new UsageError(`unexpected argument '${positional[0]}'`);
    }
    let ports: number[] = [];
    if (flags.port) {
      const parsed = parsePorts((flags.port as string[]).join(','));
      if ('error' in parsed) {
        throw new UsageError(parsed.error);
      }
      ports = parsed.ports;
    }
    const intervalMs = flags.interval === undefined ? DEFAULT_SETTINGS.watcher.intervalMs : Number(flags.interval);
    if (!Number.isInteger(intervalMs) || intervalMs < 20 || intervalMs > 10_000) {
      throw new UsageError(l10n.t('--interval takes whole milliseconds from 20 to 10000'));
    }
    const watcher = new SocketWatcher(pickSocketSource(), { value: { watcher: { intervalMs } } });
    const watching = ports.length > 0 ? watcher.watchPorts(ports) : watcher.watchAllPorts();
    try {
      return flags.once ? await once(watcher, ports, io, flags.json === true) : await live(watcher, ports, io, flags.json === true);
    } finally {
      watching.dispose();
      watcher.dispose();
    }
  },
};

async function once(watcher: SocketWatcher, ports: number[], io: CliIo, json: boolean): Promise<number> {
  const rows = await watcher.refresh();
  if (watcher.lastError) {
    io.stderr.write(`${watcher.lastError.message}\n`);
    return 1;
  }
  if (json) {
    io.stdout.write(`${JSON.stringify(rows.map(rowToJson))}\n`);
  } else {
    const color = io.stdout.isTTY === true && !process.env.NO_COLOR;
    const now = Date.now();
    io.stdout.write(renderTable({
      rows, ports, at: watcher.snapshotAt, now, hasTimers: watcher.hasTimers, color, width: io.stdout.columns ?? 200, live: false,
      configuredIntervalMs: watcher.configuredIntervalMs, effectiveIntervalMs: watcher.effectiveIntervalMs,
    }).join('\n') + '\n');
  }
  return 0;
}

async function live(watcher: SocketWatcher, ports: number[], io: CliIo, json: boolean): Promise<number> {
  const tty = io.stdout.isTTY === true && !json;
  const frame = new LiveFrame();
  let error: string | undefined;
  const draw = () => io.stdout.write(frame.render(renderTable({
    rows: watcher.rows, ports, at: watcher.snapshotAt, now: Date.now(), hasTimers: watcher.hasTimers,
    color: !process.env.NO_COLOR, width: io.stdout.columns ?? 120, error,
    configuredIntervalMs: watcher.configuredIntervalMs, effectiveIntervalMs: watcher.effectiveIntervalMs,
  })));
  const subscriptions = [
    watcher.onDidFail((e) => {
      error = e.message;
      if (tty) {
        draw();
      } else {
        io.stderr.write(`${e.message}\n`);
      }
    }),
    tty
      ? watcher.onDidPoll(() => {
        error = undefined;
        draw();
      })
      : watcher.onDidChange(({ transitions }) => {
        for (const t of transitions) {
          io.stdout.write(json ? `${JSON.stringify(transitionToJson(t))}\n` : `${describeTransition(t)}\n`);
        }
      }),
  ];
  // Between polls (which may be stretched to seconds) the countdowns keep moving.
  const ticker = tty ? setInterval(draw, 250) : undefined;
  if (tty) {
    io.stdout.write('\x1b[?25l');
  }
  try {
    await io.interrupted;
  } finally {
    clearInterval(ticker);
    subscriptions.forEach((s) => s.dispose());
    if (tty) {
      io.stdout.write('\x1b[?25h');
    }
  }
  return 0;
}
