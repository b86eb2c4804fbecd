#!/usr/bin/env node
/**
 * dist/cli.js: starts the command line, whose code is dist/cli-main.js, with V8's code cache.
 *
 * Node compiles a script's functions to bytecode as they are first called: for the lint of a
 * small file that is a fifth of the run (the 590 KiB bundle, then every function the lint
 * calls). The build runs the command line once with SOCKET_LIFECYCLE_CODE_CACHE_OUT set, and this
 * file then keeps the bytecode V8 made in that run (dist/cli-main.js.cache); later runs start
 * from it. Measured here (Node 20, in turns, 15 runs each): the lint of the 130-line echo server
 * 177 ms -> 142 ms median.
 *
 * V8 takes a cache only from its own version and under the same flags, and otherwise runs
 * without it (a user's other Node version). It checks the source by its length only: the cache
 * starts with the SHA-256 of the source it was made from, and a cache of other source is not
 * used.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { wrap } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/**
 * The optimizing compiler (TurboFan) does not inline calls. In a run that lasts under a second,
 * the larger compile jobs inlining makes cost more than the faster code saves: on the bench's
 * 500 KiB file, measured in turns over 11 runs each, the lint took 0.87 s instead of 1.00 s
 * (median wall) and 1.30 s of CPU instead of 1.52 s. Set before the bundle is compiled, since a
 * code cache is only taken under the flags it was made with. The editor keeps V8's defaults.
 */
const JS_FLAG = '--no-turbo-inlining';
/** Where a build run writes the cache (esbuild.mjs); unset in every other run. */
const CACHE_OUT = process.env.SOCKET_LIFECYCLE_CODE_CACHE_OUT;
const DIGEST_BYTES = 32;

setFlagsFromString(JS_FLAG);
const main = join(__dirname, 'cli-main.js');
const source = readFileSync(main, 'utf8');
/** The source's SHA-256, hashed only when there is a cache to check or to write. */
const digest = (): Buffer => createHash('sha256').update(source).digest();

function cachedData(): Buffer | undefined {
  if (CACHE_OUT) {
    return undefined;
  }
  let file: Buffer;
  try {
    file = readFileSync(main + '.cache');
  } catch {
    return undefined; // no cache (the .vsix ships none): compile as Node would
  }
  return file.subarray(0, DIGEST_BYTES).equals(digest()) ? file.subarray(DIGEST_BYTES) : undefined;
}

const data = cachedData();
const script = new Script(wrap(source), { filename: main, cachedData: data });
if (process.env.SOCKET_LIFECYCLE_DEBUG_CODE_CACHE) {
  // For the tests (and anyone wondering why a start is slow): was the cache there, and taken?
  process.stderr.write(`code cache: ${!data ? 'none' : script.cachedDataRejected ? 'rejected by V8' : 'taken'}\n`);
}
if (CACHE_OUT) {
  // At exit: the cache then holds every function the run compiled, not just the top level.
  process.once('exit', () => writeFileSync(CACHE_OUT, Buffer.concat([digest(), script.createCachedData()])));
}
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, main, __dirname);
