import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants, existsSync, promises as fs } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/** The helper's C source as shipped (dist/native/, copied by esbuild.mjs) and in the repository. */
export const SOCK_DIAG_SOURCE = 'sockDiag.c';
const BINARY = 'sock-diag';

/** Compilers tried, best first: the same the echo programs use. */
export const COMPILERS: readonly string[] = ['cc', 'gcc', 'clang'];

/**
 * Finds sockDiag.c: next to the bundle (dist/native/), else in a repository checkout above it
 * (tests and benchmarks run from out/). Undefined when it was not shipped.
 */
export function findSockDiagSource(from: string = __dirname): string | undefined {
  let dir = from;
  for (let up = 0; up < 6; up++) {
    for (const candidate of [join(dir, 'native', SOCK_DIAG_SOURCE), join(dir, 'src', 'sockets', 'native', SOCK_DIAG_SOURCE)]) {
      if (existsSync(candidate)) {
        return candidate;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) {
      break;
    }
    dir = parent;
  }
  return undefined;
}

/** A name on PATH as an executable file's path, or an explicit path checked as is. */
async function which(name: string, envPath = process.env.PATH ?? ''): Promise<string | undefined> {
  const candidates = name.includes('/') ? [name] : envPath.split(delimiter).filter(Boolean).map((d) => join(d, name));
  for (const path of candidates) {
    try {
      await fs.access(path, constants.X_OK);
      if ((await fs.stat(path)).isFile()) {
        return path;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * A folder we run binaries from must be ours and writable by nobody else: the default cache
 * may sit in a shared temp dir, where another user could otherwise plant a binary.
 */
async function assertPrivate(path: string): Promise<void> {
  const stat = await fs.stat(path);
  const uid = process.getuid?.();
  if ((uid !== undefined && stat.uid !== uid) || (stat.mode & 0o022) !== 0) {
    throw new Error(`${path} is not private to this user (owner ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)})`);
  }
}

function compile(compiler: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(compiler, args, { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${compiler} failed: ${`${stdout}${stderr}`.trim() || error.message}`));
      } else {
        resolve();
      }
    });
  });
}

/**
 * Compiles sockDiag.c once per source hash and compiler into `storageDir/sock-diag-<hash>/`
 * and returns the binary's path. Writes a temporary file and renames it, so parallel callers
 * never run a half-written binary. Throws when there is no compiler or the build fails: the
 * caller then reads /proc instead.
 */
export async function buildSockDiag(sourceFile: string, storageDir: string, compilers: readonly string[] = COMPILERS): Promise<string> {
  let compiler: string | undefined;
  for (const name of compilers) {
    compiler = await which(name);
    if (compiler) {
      break;
    }
  }
  if (!compiler) {
    throw new Error(`no C compiler found (looked for ${compilers.join(', ')})`);
  }
  const source = await fs.readFile(sourceFile);
  const hash = createHash('sha256').update(compiler).update('\0').update(source).digest('hex').slice(0, 16);
  const dir = join(storageDir, `sock-diag-${hash}`);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await assertPrivate(dir);
  const binary = join(dir, BINARY);
  if (existsSync(binary)) {
    await assertPrivate(binary);
    return binary;
  }
  const temp = `${binary}.${process.pid}.${Date.now()}.tmp`;
  try {
    await compile(compiler, ['-O2', '-o', temp, sourceFile]);
    // A umask of 002 (common on desktops) would leave it group-writable, which assertPrivate refuses.
    await fs.chmod(temp, 0o700);
    await fs.rename(temp, binary);
  } finally {
    await fs.rm(temp, { force: true });
  }
  return binary;
}
