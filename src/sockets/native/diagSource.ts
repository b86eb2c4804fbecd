import { cliStorageDir } from '../../lab/programs';
import type { Disposable } from '../../util/disposable';
import type { ProcessMap } from '../processMap';
import type { Snapshot, SocketRow, SocketSource } from '../types';
import { buildSockDiag, COMPILERS, findSockDiagSource } from './build';
import { SockDiagProcess } from './helperProcess';
import { parseSockDiag } from './sockDiagParse';

/** More ports than the helper's filter takes: ask for every socket and filter here. */
const MAX_FILTER_PORTS = 64;

export interface DiagSourceOptions {
  /** sockDiag.c; found next to the bundle or in the checkout when absent. */
  sourceFile?: string;
  /** Where the compiled helper is cached (the extension's global storage; the CLI's cache dir). */
  storageDir?: string;
  compilers?: readonly string[];
}

/**
 * Linux: the socket table over netlink sock_diag through a small C helper (sockDiag.c) that is
 * compiled on first use and kept running; the kernel filters by port, so a poll costs what the
 * watched sockets cost, not the whole table. When the helper cannot be built or started, or
 * dies, reads go to `fallback` (/proc) from then on and `failure` says why.
 */
export class DiagSource implements SocketSource, Disposable {
  private starting: Promise<SockDiagProcess | undefined> | undefined;
  private helper: SockDiagProcess | undefined;
  private disposed = false;
  /** Why the helper is not in use; undefined while it is (or before the first read). */
  failure: Error | undefined;

  constructor(
    private readonly fallback: SocketSource,
    private readonly owners: ProcessMap,
    private readonly options: DiagSourceOptions = {},
  ) {}

  get name(): string {
    return this.failure ? this.fallback.name : 'sock_diag';
  }

  /** The helper's pid while it runs. */
  get helperPid(): number | undefined {
    return this.helper?.pid;
  }

  /** Builds and starts the helper now (else the first read does); false when /proc will be used. */
  async start(): Promise<boolean> {
    return (await (this.starting ??= this.launch())) !== undefined;
  }

  async read(ports: readonly number[]): Promise<Snapshot> {
    const helper = await (this.starting ??= this.launch());
    if (!helper) {
      return this.fallback.read(ports);
    }
    const wanted = ports.length > MAX_FILTER_PORTS ? [] : ports;
    let text: string;
    try {
      text = await helper.request(wanted);
    } catch (error) {
      this.giveUp(error);
      return this.fallback.read(ports);
    }
    const answer = parseSockDiag(text);
    if (answer.error !== undefined) {
      // The kernel refused (a kernel without sock_diag for TCP, a seccomp filter): /proc can still work.
      this.giveUp(new Error(`sock_diag: ${answer.error}`));
      return this.fallback.read(ports);
    }
    let rows = answer.rows;
    if (wanted.length === 0 && ports.length > 0) {
      const set = new Set(ports);
      rows = rows.filter((r) => set.has(r.local.port) || set.has(r.remote.port));
    }
    const sideMs = await this.attachOwners(rows);
    return { at: Date.now(), rows, skipped: answer.skipped, hasTimers: true, sideMs };
  }

  dispose(): void {
    this.disposed = true;
    this.helper?.dispose();
    this.helper = undefined;
  }

  private async launch(): Promise<SockDiagProcess | undefined> {
    try {
      const source = this.options.sourceFile ?? findSockDiagSource();
      if (!source) {
        throw new Error('sockDiag.c is not shipped with this build');
      }
      const binary = await buildSockDiag(source, this.options.storageDir ?? cliStorageDir(), this.options.compilers ?? COMPILERS);
      if (this.disposed) {
        return undefined;
      }
      const helper = new SockDiagProcess(binary);
      // A small request (port 0: listeners only) proves it runs and the kernel answers, before a poll relies on it.
      const probe = parseSockDiag(await helper.request([0]));
      if (probe.error !== undefined) {
        helper.dispose();
        throw new Error(`sock_diag: ${probe.error}`);
      }
      this.helper = helper;
      return helper;
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      return undefined;
    }
  }

  private giveUp(error: unknown): void {
    this.failure = error instanceof Error ? error : new Error(String(error));
    this.helper?.dispose();
    this.helper = undefined;
    this.starting = Promise.resolve(undefined);
  }

  /** Same owner lookup as the /proc source: pid and process name per inode, cached. */
  private async attachOwners(rows: SocketRow[]): Promise<number> {
    const scansBefore = this.owners.scanCount;
    const owners = await this.owners.resolve(rows.map((r) => r.inode));
    for (const row of rows) {
      const owner = owners.get(row.inode);
      if (owner) {
        row.pid = owner.pid;
        row.process = owner.process;
      }
    }
    return this.owners.scanCount !== scansBefore ? this.owners.scanMs : 0;
  }
}
