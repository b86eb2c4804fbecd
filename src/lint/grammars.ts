import type * as TreeSitter from 'web-tree-sitter';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useCursorExports, verifyCursorExports } from './syntax';

// require() makes esbuild pick the package's CommonJS build; its ESM build reads
// import.meta.url, which a CommonJS bundle (dist/extension.js, dist/cli.js) does not have.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Language, Parser } = require('web-tree-sitter') as typeof TreeSitter;
type Language = TreeSitter.Language;
type Parser = TreeSitter.Parser;

/** Languages the analyzer understands. */
export type LintLanguage = 'c' | 'cpp' | 'python';

/**
 * Wasm file names as esbuild.mjs copies them into dist/grammars/. Names differ across
 * web-tree-sitter versions, so they live here only.
 */
export const WASM_FILES = {
  runtime: 'web-tree-sitter.wasm',
  c: 'tree-sitter-c.wasm',
  cpp: 'tree-sitter-cpp.wasm',
  python: 'tree-sitter-python.wasm',
} as const;

const EXTENSIONS: Record<string, LintLanguage> = {
  '.c': 'c', '.h': 'c', '.cc': 'cpp', '.cpp': 'cpp', '.cxx': 'cpp', '.hpp': 'cpp', '.hh': 'cpp', '.py': 'python',
};

/** Picks the language from a VS Code language id, else from the file name's extension. */
export function languageFor(fileName: string, languageId?: string): LintLanguage | undefined {
  if (languageId === 'c' || languageId === 'cpp' || languageId === 'python') {
    return languageId;
  }
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? undefined : EXTENSIONS[fileName.slice(dot).toLowerCase()];
}

/** The web-tree-sitter runtime module, initialized once per process. */
let runtime: Promise<Record<string, unknown>> | undefined;

/** A snippet every grammar parses into a tree of some depth, to check the fast copy against. */
const CHECK_SOURCE = 'int f(int s) { if (s > 0) { close(s); } else return -1; }\ndef g(x):\n    return x\n';

/** The parsers, one per language, loaded once from a grammars folder (dist/grammars). */
export class Grammars {
  private readonly parsers = new Map<LintLanguage, Parser>();

  private constructor(private readonly languages: Map<LintLanguage, Language>) {}

  /**
   * Loads the runtime and the grammars of `only` (default: all three) from `dir`; never
   * touches the network. A command-line run loads just the languages of its files.
   */
  static async load(dir: string, only: readonly LintLanguage[] = ['c', 'cpp', 'python']): Promise<Grammars> {
    await Grammars.loadRuntime(dir);
    const ids = [...new Set(only)];
    // Bytes, not a path: given a path, web-tree-sitter reads it through a dynamic import of
    // fs/promises, which starts Node's ES module loader (a cold start's cost for nothing).
    const loaded = await Promise.all(ids.map((id) => Language.load(readFileSync(join(dir, WASM_FILES[id])))));
    const grammars = new Grammars(new Map(ids.map((id, i) => [id, loaded[i]])));
    if (ids.length > 0) {
      const tree = grammars.parser(ids[0]).parse(CHECK_SOURCE);
      if (tree) {
        verifyCursorExports(tree.rootNode);
        tree.delete();
      }
    }
    return grammars;
  }

  /**
   * Compiles web-tree-sitter's own module (once per process), without any grammar: the
   * command line sets V8 flags between the two compiles (see cli/v8Tuning.ts).
   */
  static async loadRuntime(dir: string): Promise<void> {
    runtime ??= (async () => {
      // Emscripten makes the options object the module itself; its cursor exports speed up
      // copies. web-tree-sitter makes the module once per process: later init() calls leave
      // their options object empty, so the first one is kept.
      const module: Record<string, unknown> = { locateFile: () => join(dir, WASM_FILES.runtime) };
      await Parser.init(module);
      return module;
    })().catch((error: unknown) => {
      runtime = undefined; // a later load (say, from the right folder) tries again
      throw error;
    });
    useCursorExports(await runtime);
  }

  /** Is `language` loaded (see load's `only`)? */
  has(language: LintLanguage): boolean {
    return this.languages.has(language);
  }

  /** The parser for `language`, created on first use and reused afterwards. */
  parser(language: LintLanguage): Parser {
    let parser = this.parsers.get(language);
    if (!parser) {
      const grammar = this.languages.get(language);
      if (!grammar) {
        throw new Error(`the ${language} grammar was not loaded`);
      }
      parser = new Parser();
      parser.setLanguage(grammar);
      this.parsers.set(language, parser);
    }
    return parser;
  }

  dispose(): void {
    for (const parser of this.parsers.values()) {
      parser.delete();
    }
    this.parsers.clear();
  }
}
