import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { l10n } from '../l10n';
import { DiagSource, type DiagSourceOptions } from './native/diagSource';
import { parseNetstatMac, NETSTAT_MAC_COMMAND } from './netstatMac';
import { parseNetstatWindows, NETSTAT_WINDOWS_COMMANDS } from './netstatWindows';
import { parseProcNetTcp, PROC_NET_TCP_FILES } from './procNetTcp';
import { ProcessMap } from './processMap';
import type { ParseResult, Snapshot, SocketRow, SocketSource } from './types';

/** Raised by a source that cannot read the table here; its message is meant for users. */
export class SourceUnavailableError extends Error {}

/**
 * Reads one /proc file; a missing tcp6 (IPv6 disabled) is an empty table, not an error.
 * Synchronous on purpose: the kernel formats the text on the spot (no disk to wait for) and
 * hands it out 4 KB per read(), so the async API's thread-pool hop per 4 KB doubled the cost.
 */
export function readProcFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

/** Linux: `/proc/net/tcp{,6}` read with fs (no child process), owners from `/proc/PID/fd`. */
export class ProcNetTcpSource implements SocketSource {
  readonly name = '/proc/net/tcp';
  private readonly littleEndian = endianness() === 'LE';

  constructor(
    private readonly owners = new ProcessMap(),
    private readonly files: readonly { path: string; family: SocketRow['family'] }[] = PROC_NET_TCP_FILES,
  ) {}

  async read(ports: readonly number[]): Promise<Snapshot> {
    const texts = this.files.map((f) => readProcFile(f.path));
    if (texts.every((t) => t === undefined)) {
      throw new SourceUnavailableError(l10n.t('Cannot read /proc/net/tcp: is /proc mounted?'));
    }
    const rows: SocketRow[] = [];
    let skipped = 0;
    texts.forEach((text, i) => {
      const result = parseProcNetTcp(text ?? '', this.files[i].family, { littleEndian: this.littleEndian, ports });
      // A loop, not push(...rows): spreading a 100,000-row table overflows the call stack.
      for (const row of result.rows) {
        rows.push(row);
      }
      skipped += result.skipped;
    });
    const scansBefore = this.owners.scanCount;
    const owners = await this.owners.resolve(rows.map((r) => r.inode));
    const sideMs = this.owners.scanCount !== scansBefore ? this.owners.scanMs : 0;
    for (const row of rows) {
      const owner = owners.get(row.inode);
      if (owner) {
        row.pid = owner.pid;
        row.process = owner.process;
      }
    }
    return { at: Date.now(), rows, skipped, hasTimers: true, sideMs };
  }
}

function run(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, windowsHide: true, timeout: 10_000 }, (error, stdout) => {
      if (error) {
        reject(error);
      } else {
        resolve(stdout);
      }
    });
  });
}

/** macOS and Windows: run netstat (file + argument array, no shell) and parse its output. */
export class NetstatSource implements SocketSource {
  constructor(
    readonly name: string,
    private readonly commands: readonly { file: string; args: readonly string[] }[],
    private readonly parse: (text: string) => ParseResult,
  ) {}

  async read(ports: readonly number[]): Promise<Snapshot> {
    let outputs: string[];
    try {
      outputs = await Promise.all(this.commands.map((c) => run(c.file, c.args)));
    } catch (error) {
      const command = this.commands.map((c) => [c.file, ...c.args].join(' ')).join(', ');
      throw new SourceUnavailableError(l10n.t('Cannot run {command}: {reason}', {
        command, reason: error instanceof Error ? error.message : String(error),
      }));
    }
    const result = this.parse(outputs.join('\n'));
    const wanted = new Set(ports);
    const rows = wanted.size === 0 ? result.rows : result.rows.filter((r) => wanted.has(r.local.port) || wanted.has(r.remote.port));
    return { at: Date.now(), rows, skipped: result.skipped, hasTimers: false };
  }
}

/** Where nothing works: every read fails with one clear message. */
export class UnavailableSource implements SocketSource {
  readonly name = 'unavailable';
  constructor(private readonly platform: string) {}

  read(): Promise<Snapshot> {
    return Promise.reject(new SourceUnavailableError(l10n.t(
      'Reading the socket table is not supported on {platform}: Socket Lifecycle knows Linux (/proc/net/tcp), macOS and Windows (netstat).',
      { platform: this.platform })));
  }
}

/**
 * The source for this machine: on Linux netlink sock_diag through the C helper when it can be
 * built and started, else /proc (decided on the first read); netstat on macOS and Windows.
 */
export function pickSocketSource(platform: NodeJS.Platform = process.platform, native: DiagSourceOptions = {}): SocketSource {
  switch (platform) {
    case 'linux': {
      const owners = new ProcessMap();
      return new DiagSource(new ProcNetTcpSource(owners), owners, native);
    }
    case 'android':
      return new ProcNetTcpSource();
    case 'darwin':
      return new NetstatSource('netstat -anv', [NETSTAT_MAC_COMMAND], parseNetstatMac);
    case 'win32':
      return new NetstatSource('netstat -ano', NETSTAT_WINDOWS_COMMANDS, parseNetstatWindows);
    default:
      return new UnavailableSource(platform);
  }
}
