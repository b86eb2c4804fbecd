import type * as TreeSitter from 'web-tree-sitter';
import { join } from 'node:path';

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

/** The parsers, one per language, loaded once from a grammars folder (dist/grammars). */
export class Grammars {
  private readonly parsers = new Map<LintLanguage, Parser>();

  private constructor(private readonly languages: Map<LintLanguage, Language>) {}

  /** Loads the runtime and the three grammars from `dir`; never touches the network. */
  static async load(dir: string): Promise<Grammars> {
    await Parser.init({ locateFile: () => join(dir, WASM_FILES.runtime) });
    const languages = new Map<LintLanguage, Language>();
    for (const id of ['c', 'cpp', 'python'] as const) {
      languages.set(id, await Language.load(join(dir, WASM_FILES[id])));
    }
    return new Grammars(languages);
  }

  /** The parser for `language`, created on first use and reused afterwards. */
  parser(language: LintLanguage): Parser {
    let parser = this.parsers.get(language);
    if (!parser) {
      parser = new Parser();
      parser.setLanguage(this.languages.get(language)!);
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
