import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Grammars } from '../../../src/lint/grammars';

/** The project root, found from the bundled test's location (out/test/unit/lint/...). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) {
    dir = dirname(dir);
  }
  return dir;
}

let loaded: Promise<Grammars> | undefined;

/** The grammars from dist/grammars (run `node esbuild.mjs` first). */
export function grammars(): Promise<Grammars> {
  loaded ??= Grammars.load(join(projectRoot(), 'dist', 'grammars'));
  return loaded;
}

export interface Expectation { line: number; column: number; rule: string }

/**
 * Reads the expectations a fixture holds: a comment line of carets under the offending
 * code, naming the rule (`//  ^^^^ socket-leak`, `#   ^^^ missing-reuseaddr`). The finding
 * is expected on the nearest code line above (caret lines stack).
 */
export function expectations(text: string): Expectation[] {
  const lines = text.split('\n');
  const out: Expectation[] = [];
  let codeLine = -1;
  lines.forEach((line, i) => {
    const m = /^(\s*(?:\/\/|#)\s*)(\^+)\s+([a-z-]+(?:\s*,\s*[a-z-]+)*)\s*$/.exec(line);
    if (!m) {
      codeLine = i;
      return;
    }
    for (const rule of m[3].split(/\s*,\s*/)) {
      out.push({ line: codeLine, column: line.indexOf('^'), rule });
    }
  });
  return out;
}
