import { promises as fs } from 'node:fs';

/** Who owns a socket inode: pid and `/proc/PID/comm`, either null when we may not know. */
export interface Owner {
  pid: number;
  process: string | null;
}

/** A directory lister and link reader; the real one is `/proc`, tests may fake it. */
export interface ProcFs {
  readdir(path: string): Promise<string[]>;
  readlink(path: string): Promise<string>;
  readFile(path: string): Promise<string>;
}

const REAL_PROC: ProcFs = {
  readdir: (p) => fs.readdir(p),
  readlink: (p) => fs.readlink(p),
  readFile: (p) => fs.readFile(p, 'utf8'),
};

/**
 * Maps socket inodes to processes through `/proc/PID/fd/N -> socket:[INODE]`.
 *
 * A scan walks every process's fds, so it runs only when a row shows an inode we have not
 * seen, at most once per `rescanMs` and at most ~1% of a core; inodes a scan could not place (other users'
 * processes, EACCES) wait 30 times longer instead of forcing a scan on every poll. Errors of any kind mean "unknown", never a throw.
 */
export class ProcessMap {
  private owners = new Map<number, Owner>();
  private lastScan = -Infinity;
  /** Inodes the last scan could not place (other users' processes); they do not force rescans. */
  private unplaced = new Set<number>();
  private lastScanMs = 0;
  /** How many scans ran; lets a caller tell whether the last resolve() scanned. */
  scanCount = 0;
  /** Wall time of the latest scan, in ms (reported apart from the poll's own cost). */
  get scanMs(): number {
    return this.lastScanMs;
  }
  private scanning: Promise<void> | undefined;

  constructor(
    private readonly proc: ProcFs = REAL_PROC,
    private readonly rescanMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Owners of `inodes` (0 = no owner is skipped), scanning /proc if one is new. */
  async resolve(inodes: Iterable<number>): Promise<Map<number, Owner>> {
    const wanted = [...inodes].filter((i) => i !== 0);
    const missing = wanted.filter((i) => !this.owners.has(i));
    const onlyUnplaced = missing.every((i) => this.unplaced.has(i));
    // A scan may use at most ~1% of a core: on a machine with many fds it waits longer.
    const wait = Math.max(onlyUnplaced ? this.rescanMs * 30 : this.rescanMs, this.lastScanMs * 100);
    if (missing.length > 0 && this.now() - this.lastScan >= wait) {
      this.scanning ??= this.scan(new Set(missing)).finally(() => (this.scanning = undefined));
      await this.scanning;
    }
    const found = new Map<number, Owner>();
    for (const inode of wanted) {
      const owner = this.owners.get(inode);
      if (owner) {
        found.set(inode, owner);
      }
    }
    // Inodes that are gone are forgotten so the map stays as small as the table.
    if (this.owners.size > found.size * 2 + 64) {
      this.owners = new Map(found);
    }
    return found;
  }

  private async scan(missing: Set<number>): Promise<void> {
    this.lastScan = this.now();
    this.scanCount++;
    try {
      await this.walk(missing);
    } finally {
      this.lastScanMs = this.now() - this.lastScan;
    }
    this.unplaced = missing;
  }

  private async walk(missing: Set<number>): Promise<void> {
    const pids = (await this.proc.readdir('/proc').catch(() => [] as string[])).filter((n) => /^\d+$/.test(n));
    // Our own process first: the lab's sockets and the tests' are usually ours.
    const self = String(process.pid);
    pids.sort((a, b) => (a === self ? -1 : b === self ? 1 : 0));
    for (const pid of pids) {
      const inodes = await this.socketsOf(pid);
      if (inodes.length === 0) {
        continue;
      }
      let comm: string | null | undefined;
      for (const inode of inodes) {
        if (!this.owners.has(inode)) {
          comm ??= await this.proc.readFile(`/proc/${pid}/comm`).then((t) => t.trim() || null, () => null);
          this.owners.set(inode, { pid: Number(pid), process: comm });
        }
        missing.delete(inode);
      }
      if (missing.size === 0) {
        return;
      }
    }
  }

  /** Socket inodes among one process's fds; empty when it has gone or is not ours (EACCES). */
  private async socketsOf(pid: string): Promise<number[]> {
    const dir = `/proc/${pid}/fd`;
    const fds = await this.proc.readdir(dir).catch(() => [] as string[]);
    const links = await Promise.all(fds.map((fd) => this.proc.readlink(`${dir}/${fd}`).catch(() => '')));
    const inodes: number[] = [];
    for (const link of links) {
      if (link.startsWith('socket:[')) {
        inodes.push(Number(link.slice(8, -1)));
      }
    }
    return inodes;
  }
}
