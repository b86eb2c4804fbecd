import { setFlagsFromString } from 'node:v8';

/**
 * Below this much source (bytes, all files of one run), the command line keeps tree-sitter's wasm
 * on V8's baseline compiler (Liftoff). V8 otherwise recompiles the hottest functions (the C
 * grammar's lexer, the parser loop) with its optimizing compiler in the background: about 0.4 s
 * of CPU, and a process cannot exit before those jobs end. On a small run the optimized code
 * arrives too late to help, and the exit waits about 100 ms for it. Measured on this project's
 * 2-core machine (Node 20): a 25-line file 0.26 s -> 0.19 s, the 72 lint fixtures (125 KiB)
 * 0.70 s -> 0.50 s, a 250 KiB file about even; the bench's 500 KiB file keeps both tiers.
 */
export const BASELINE_ONLY_BELOW = 256 * 1024;

/** The V8 flag for a run over `totalBytes` of source, if it needs one. */
export function wasmTierFlag(totalBytes: number): string | undefined {
  return totalBytes < BASELINE_ONLY_BELOW ? '--liftoff-only' : undefined;
}

/** Sets the flag for `totalBytes` (before any grammar is compiled: it applies to later compiles only). */
export function chooseWasmTier(totalBytes: number): void {
  const flag = wasmTierFlag(totalBytes);
  if (flag) {
    setFlagsFromString(flag);
  }
}
