import { setFlagsFromString } from 'node:v8';
import { Grammars, type LintLanguage } from '../lint/grammars';

// V8 settings for one command-line lint: a short-lived process, where the time V8 spends
// compiling is a large part of the whole. (JavaScript's are set as the process starts: start.ts.)

/**
 * Below this much source (bytes, all files of one run), the command line keeps web-tree-sitter's
 * own module on V8's baseline compiler (Liftoff) too. V8 otherwise recompiles the parser loop
 * with its optimizing compiler (TurboFan) in the background, and a process cannot exit before
 * those jobs end: on a small run the optimized code arrives too late to help, and the exit waits
 * for it. Measured on this project's 2-core machine (Node 20): a 25-line file 0.26 s -> 0.19 s,
 * the 72 lint fixtures (125 KiB) 0.70 s -> 0.50 s, a 250 KiB file about even.
 */
export const BASELINE_ONLY_BELOW = 256 * 1024;

/** Where a run keeps its wasm on the baseline tier: the grammars always, the runtime on small runs. */
export function wasmTiers(totalBytes: number): { runtime: 'baseline' | 'both'; grammars: 'baseline' } {
  return { runtime: totalBytes < BASELINE_ONLY_BELOW ? 'baseline' : 'both', grammars: 'baseline' };
}

/**
 * Loads the grammars of `languages` for a run over `totalBytes` of source, with each wasm module
 * on its tier. A grammar's code is its lexer: one huge function (the C grammar's is 40 KB of
 * wasm) that TurboFan took about 0.25 s of CPU to recompile, for no measurable gain: a warm parse
 * of the bench's 500 KiB file takes as long with the lexer on the baseline tier, and a cold one
 * about 50 ms less, since the recompile no longer competes for the two cores. V8 reads the flag
 * when it compiles a module, so the runtime compiled before it keeps tiering up.
 */
export async function loadGrammarsForRun(dir: string, languages: readonly LintLanguage[], totalBytes: number): Promise<Grammars> {
  if (process.env.SOCKET_LIFECYCLE_CODE_CACHE_OUT) {
    // The build's run that writes the code cache (start.ts) keeps V8's flags as they were at
    // start: V8 takes a cache only under the flags it was made with.
    return Grammars.load(dir, languages);
  }
  const tiers = wasmTiers(totalBytes);
  if (tiers.runtime === 'baseline') {
    setFlagsFromString('--liftoff-only');
  }
  await Grammars.loadRuntime(dir);
  setFlagsFromString('--liftoff-only');
  return Grammars.load(dir, languages);
}
