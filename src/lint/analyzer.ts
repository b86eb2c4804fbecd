import type { Node, Parser, Tree } from 'web-tree-sitter';
import { l10n } from '../l10n';
import { CfgBuilder } from './cfg';
import { DEFINE_WITH_CONTINUATIONS, directiveMatches } from './directives';
import { deferBodyIn, FileFacts, SCAN_TYPES } from './file';
import { Flow, type FlowEvents, type FnInfo, mayFollowFlags } from './flow';
import type { Grammars, LintLanguage } from './grammars';
import type { RuleContext } from './rule';
import { RULES } from './rules/index';
import { disabledLines } from './suppress';
import { skim } from './skim';
import { type BlankedBodies, type CopiedTree, copyTree, field, named, visit, type SNode } from './syntax';
import { LineIndex, nameIn, occurrences } from './text';
import type { Finding, LintResult, Notice, RuleId, Severity } from './types';

export interface LintOptions {
  /** Time bound for one file in milliseconds; beyond it, partial results and a notice. */
  timeoutMs?: number;
  /** Per-rule severity overrides; 'off' drops the rule. */
  rules?: Partial<Record<string, Severity | 'off'>>;
  /**
   * A C/C++ text of at least this many characters: parse the function bodies that name no
   * socket API as blank space, and each one from the real text only if the analysis reads it
   * (see skim.ts). The command line sets SKIM_ABOVE; the editor, which keeps the tree for the
   * next edit, never skims.
   */
  skimAbove?: number;
}

/** Lints one source text. Never throws: failures become notices. */
export function lintText(grammars: Grammars, text: string, language: LintLanguage, options: LintOptions = {}): LintResult {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 2_000;
  let deadline = started + timeoutMs;
  const notices: Notice[] = [];
  let tree: Tree | null = null;
  try {
    const parser = grammars.parser(language);
    const reached = { chars: 0 };
    const quiet = deferBodyIn(language, text);
    let skimmed = quiet && text.length >= (options.skimAbove ?? Infinity) ? skim(text, quiet) : undefined;
    tree = parseInSlices(parser, skimmed?.text ?? text, null, deadline, PARSE_SLICE_MS, reached);
    if (tree && skimmed && !skimmedBodiesHold(tree.rootNode, skimmed.bodies)) {
      // The scan took something else for a function body, or the file has broken code: parse
      // the real text after all.
      tree.delete();
      skimmed = undefined;
      tree = parseInSlices(parser, text, null, deadline, PARSE_SLICE_MS, reached);
    }
    if (!tree) {
      skimmed = undefined;
      const prefix = parsePrefix(parser, text, reached, timeoutMs, notices);
      if (!prefix) {
        return { language, findings: [], notices };
      }
      ({ tree, text } = prefix);
      deadline = Date.now() + timeoutMs / 4;
    }
    const bodies = skimmed && realBodies(parser, text, skimmed.bodies);
    try {
      return { language, findings: lintRoot(tree.rootNode, text, language, deadline, timeoutMs, notices, options, bodies), notices };
    } finally {
      bodies?.dispose();
    }
  } catch (error) {
    return failed(language, notices, error);
  } finally {
    tree?.delete();
  }
}

/**
 * Lints `text` from a tree parsed from it (its real text, not skimmed); the caller keeps the tree.
 * `deadline` (Date.now() time) defaults to the bound from now; `notices` may hold some already.
 * Never throws.
 */
export function lintTree(tree: Tree, text: string, language: LintLanguage, options: LintOptions = {}, deadline?: number, notices: Notice[] = []): LintResult {
  const timeoutMs = options.timeoutMs ?? 2_000;
  try {
    return { language, findings: lintRoot(tree.rootNode, text, language, deadline ?? Date.now() + timeoutMs, timeoutMs, notices, options), notices };
  } catch (error) {
    return failed(language, notices, error);
  }
}

/**
 * The copy and the analysis of a parsed file, and the notices they give. A parse that used up
 * the bound still leaves the copy and the analysis a quarter of it each: partial results rather
 * than none.
 */
function lintRoot(root: Node, text: string, language: LintLanguage, deadline: number, timeoutMs: number, notices: Notice[], options: LintOptions,
  blanked?: BlankedBodies): Finding[] {
  noteSyntaxErrors(root, notices);
  const copied = copyTree(root, { deadline: Math.max(deadline, Date.now() + timeoutMs / 4), defer: deferBodyIn(language, text), blanked, mark: SCAN_TYPES });
  try {
    return analyze(copied.node, text, language, Math.max(deadline, Date.now() + timeoutMs / 4), notices, options);
  } finally {
    copied.detach();
    notePartialCopy(copied, notices);
  }
}

/** The notice for a tree with syntax errors. */
export function noteSyntaxErrors(root: Node, notices: Notice[]): void {
  if (root.hasError) {
    notices.push({ kind: 'syntax', message: l10n.t('Parts of this file could not be parsed; results there may be incomplete.') });
  }
}

/** The notice for a copy the time bound cut short, unless a timeout was noted already. */
export function notePartialCopy(copied: CopiedTree, notices: Notice[]): void {
  if ((!copied.complete || copied.truncated()) && !notices.some((n) => n.kind === 'timeout')) {
    notices.push({ kind: 'timeout', message: l10n.t('Analysis stopped at the time limit; results are partial.') });
  }
}

/** The result of a lint that threw: no findings, and a notice saying why. */
export function failed(language: LintLanguage, notices: Notice[], error: unknown): LintResult {
  notices.push({ kind: 'unsupported', message: l10n.t('The analyzer failed on this file: {error}', { error: error instanceof Error ? error.message : String(error) }) });
  return { language, findings: [], notices };
}

/**
 * Files below this size (characters) are parsed whole even by the command line: skimming saves
 * a few milliseconds there, and the real text is the plainer thing to be sure of.
 */
export const SKIM_ABOVE = 64 * 1024;

/**
 * Is the skimmed parse free of syntax errors, with every blanked span a function's body (see
 * skim.ts)? Where tree-sitter recovers from broken code, what it makes of the rest of the file
 * can depend on any text, a blanked body's too: a missing bracket in one function, recovered from
 * differently, hid the next function from a parse of the real text and not from the skimmed one.
 */
export function skimmedBodiesHold(root: Node, bodies: ReadonlyMap<number, number>): boolean {
  if (root.hasError) {
    return false;
  }
  for (const [start, end] of bodies) {
    const body = root.descendantForIndex(start, end);
    if (body?.type !== 'compound_statement' || body.startIndex !== start || body.endIndex !== end || body.parent?.type !== 'function_definition') {
      return false;
    }
  }
  return true;
}

/**
 * Where the copy reads a blanked body the analysis asks for: a parse of just that body's real
 * text (tree-sitter's included ranges keep its offsets), kept until the copy is detached.
 */
export function realBodies(parser: Parser, text: string, spans: ReadonlyMap<number, number>): BlankedBodies & { dispose(): void } {
  const trees: Tree[] = [];
  let lines: LineIndex | undefined;
  const point = (offset: number): { row: number; column: number } => {
    const p = (lines ??= new LineIndex(text)).position(offset);
    return { row: p.line, column: p.character };
  };
  return {
    spans,
    parse: (start, end) => {
      const range = { startIndex: start, endIndex: end, startPosition: point(start), endPosition: point(end) };
      const tree = parser.parse(text, null, { includedRanges: [range] });
      if (!tree) {
        return undefined;
      }
      trees.push(tree);
      const body = tree.rootNode.firstChild;
      return body?.type === 'compound_statement' && body.startIndex === start && body.endIndex === end ? body : undefined;
    },
    dispose: () => trees.forEach((t) => t.delete()),
  };
}

/**
 * How long one call into the parser runs before it returns to be called again. V8 runs a wasm
 * function on the code it had when the call began: in a cold process tree-sitter's parse loop
 * starts on the baseline tier and would stay there for the whole parse, while its optimized code
 * is ready after about 100 ms. A parse resumed every slice runs on the optimized code from the
 * first resume after that. Measured on the bench's 500 KiB file in a new process that only
 * parses: 338 ms -> 292 ms (median of 12 each, in turns); in the CLI, where V8 compiles more
 * at the same time, about 285 ms -> 265 ms. Warm parses and small files take less than a slice
 * and never return early.
 */
const PARSE_SLICE_MS = 15;

/**
 * Parses `text`, resuming after each slice (see PARSE_SLICE_MS); null when the deadline passed
 * first. `reached.chars` tells how far the parse got (UTF-16 code units).
 */
export function parseInSlices(parser: Pick<Parser, 'parse'>, text: string, oldTree: Tree | null, deadline: number, sliceMs = PARSE_SLICE_MS,
  reached: { chars: number } = { chars: 0 }): Tree | null {
  let halt = 0;
  const options = {
    progressCallback: (state: { currentOffset: number }): boolean => {
      // tree-sitter counts bytes of the UTF-16 input: two per code unit.
      reached.chars = Math.max(reached.chars, state.currentOffset / 2);
      const now = Date.now();
      return now > halt || now > deadline;
    },
  };
  for (;;) {
    halt = Date.now() + sliceMs;
    // tree-sitter resumes a halted parse where it stopped when called again with the same input.
    const tree = parser.parse(text, oldTree, options);
    if (tree || Date.now() > deadline) {
      return tree;
    }
  }
}

/**
 * Path-analysis results of an earlier run, by function body, for re-lints after an edit:
 * a body the new copy reused (see copyTreeReusing) keeps its events unless what it depends
 * on outside itself may have changed. `null`: the function needed no analysis.
 */
export interface FlowCache {
  /** What the cached results read outside their own bodies, as of the run that made them. */
  summary?: FileSummary;
  byBody: Map<SNode, FlowEvents | null>;
  /**
   * What each cached body started from besides its parameters: the members its class's
   * constructor filled (initSockets). A body whose class, constructor or helpers changed
   * starts from something else and is analyzed again.
   */
  seeds?: Map<SNode, string>;
  /** How many functions the last run analyzed (the others reused their results or needed none). */
  analyzed?: number;
}

/** The file-level facts one function's path analysis reads besides its own body. */
interface FileSummary {
  names: Set<string>;
  /** Every #define, object- or function-like, by name (the path analysis expands both). */
  defines: ReadonlyMap<string, string>;
  exitMacros: ReadonlySet<string>;
  dying: ReadonlySet<string>;
  throwing: ReadonlySet<string>;
  entries: ReadonlySet<string>;
  winsock: boolean;
  /** Python: the socket modules' other names (`import socket as net`), one `alias=module` line each. */
  aliases: string;
  /** Python: the containers the file fills (see FileFacts.socketTables), one per line. */
  tables: string;
}

/**
 * After a parse of `text` ran out of time (`reached` tells how far it got): parses a prefix that
 * parses quickly, within a further quarter of the bound, so that the file gets partial results
 * rather than none. The prefix is at most a quarter of what the whole bound parsed, so a loaded
 * machine gets a shorter one. Pushes the notice that says which; undefined when even the prefix
 * did not parse in time.
 */
export function parsePrefix(parser: Parser, text: string, reached: { chars: number }, timeoutMs: number, notices: Notice[]): { tree: Tree; text: string } | undefined {
  parser.reset();
  const cut = prefixEnd(text, Math.min(PREFIX_CHARS, Math.max(PREFIX_MIN_CHARS, Math.floor(reached.chars / 4))));
  const deadline = Date.now() + timeoutMs / 4;
  const tree = cut < text.length ? parser.parse(text.slice(0, cut), null, { progressCallback: () => Date.now() > deadline }) : null;
  if (!tree) {
    parser.reset();
    notices.push({ kind: 'timeout', message: l10n.t('Parsing took longer than {ms} ms; no results for this file.', { ms: timeoutMs }) });
    return undefined;
  }
  const prefix = text.slice(0, cut);
  notices.push({ kind: 'timeout', message: l10n.t('This file is too large to parse within {ms} ms; only its first {lines} lines were checked.', { ms: timeoutMs, lines: new LineIndex(prefix).lineCount }) });
  return { tree, text: prefix };
}

/** How much of a file too large to parse in time is checked instead (UTF-16 code units), at most and at least. */
const PREFIX_CHARS = 256 * 1024;
const PREFIX_MIN_CHARS = 16 * 1024;

/** Where to cut `text` near `limit`: after a line that closes a top-level block, else at a line end. */
function prefixEnd(text: string, limit: number): number {
  if (text.length <= limit) {
    return text.length;
  }
  const block = text.lastIndexOf('\n}', limit);
  if (block > limit / 2) {
    const eol = text.indexOf('\n', block + 1);
    return eol < 0 ? text.length : eol + 1;
  }
  const eol = text.lastIndexOf('\n', limit);
  return eol > 0 ? eol + 1 : limit;
}

/** Runs the path analysis and every rule over a copied tree; with `cache`, reuses and refills it. */
export function analyze(root: SNode, text: string, language: LintLanguage, deadline: number, notices: Notice[], options: LintOptions = {}, cache?: FlowCache): Finding[] {
  const facts = new FileFacts(text, language, root);
  try {
    return analyzeWith(facts, text, language, deadline, notices, options, cache);
  } finally {
    facts.release();
  }
}

function analyzeWith(facts: FileFacts, text: string, language: LintLanguage, deadline: number, notices: Notice[], options: LintOptions, cache?: FlowCache): Finding[] {
  const lines = new LineIndex(text);
  const analyzed: { fn: FnInfo; events: FlowEvents }[] = [];
  const summary = cache ? summarize(facts) : undefined;
  const reusable = cache?.summary && summary ? stillValid(facts, cache.summary, summary, cache.byBody) : undefined;
  const byBody = new Map<SNode, FlowEvents | null>();
  const seeds = new Map<SNode, string>();
  let timedOut = false;
  let ran = 0;
  for (const fn of facts.functions) {
    if (Date.now() > deadline) {
      timedOut = true;
      break;
    }
    let known: FlowEvents | null | undefined;
    if (cache) {
      const seed = facts.initSockets(fn).join('\n');
      seeds.set(fn.body, seed);
      known = cache.seeds?.get(fn.body) === seed ? reusable?.get(fn.body) : undefined;
    }
    if (known !== undefined) {
      byBody.set(fn.body, known);
      if (known) {
        analyzed.push({ fn, events: known });
      }
      continue;
    }
    if (!facts.touchesSockets(fn) || hasErrorOnly(fn.body)) {
      byBody.set(fn.body, null);
      continue;
    }
    const end = fnEnd(fn, language);
    const cfg = new CfgBuilder(text, language, facts.isExit, fn.isMain, facts.isThrow).build(fn.body, end);
    let result = new Flow(fn, cfg, facts, deadline).run();
    if (result.complete && (result.events.leaks.length > 0 || result.events.dropLeaks.length > 0 || result.events.shutdownLeaks.length > 0)
      && mayFollowFlags(text.slice(fn.body.start, fn.body.end))) {
      // A leak, and a flag tested before a close: run again following flags (see Flow.flags).
      result = new Flow(fn, cfg, facts, deadline, true).run();
    }
    ran++;
    if (!result.complete) {
      timedOut = true;
    } else {
      byBody.set(fn.body, result.events);
    }
    analyzed.push({ fn, events: result.events });
  }
  if (cache) {
    cache.summary = summary;
    cache.byBody = byBody;
    cache.seeds = seeds;
    cache.analyzed = ran;
  }
  if (timedOut && !notices.some((n) => n.kind === 'timeout')) {
    notices.push({ kind: 'timeout', message: l10n.t('Analysis stopped at the time limit; results are partial.') });
  }
  // Built on the first question only: most files have no bind() without SO_REUSEADDR.
  let listenedIn: ((fn: FnInfo, v: string) => boolean) | undefined;
  const ctx: RuleContext = { facts, lines, language, analyzed, listened: (fn, v) => (listenedIn ??= listenMap(facts))(fn, v) };
  const disabled = disabledLines(text);
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const severity = options.rules?.[rule.id];
    if (severity === 'off' || !rule.languages.includes(language)) {
      continue;
    }
    for (const f of rule.check(ctx)) {
      const off = disabled.get(f.range.start.line);
      if (off && (off.has('*') || off.has(f.ruleId))) {
        continue;
      }
      if (severity) {
        f.severity = severity;
      }
      findings.push(f);
    }
  }
  return dedupe(findings);
}

function summarize(facts: FileFacts): FileSummary {
  return {
    names: new Set(facts.functions.map((f) => f.name)), defines: macroDefinitions(facts.text), exitMacros: new Set(facts.exitMacros),
    dying: new Set(facts.dying), throwing: new Set(facts.throwing), entries: new Set([...facts.threadEntries].map((e) => facts.entryKey(e))), winsock: facts.winsock,
    aliases: [...facts.expr.aliases].map(([alias, module]) => `${alias}=${module}`).join('\n'),
    tables: facts.python ? [...facts.socketTables].sort().join('\n') : '',
  };
}

/** Each macro's definitions (all of them, joined: #ifdef branches may define it twice). */
function macroDefinitions(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of directiveMatches(text, DEFINE_WITH_CONTINUATIONS, true)) {
    const prev = out.get(m[1]);
    out.set(m[1], prev === undefined ? m[2] : `${prev}\n${m[2]}`);
  }
  return out;
}

/** Names in one set and not the other. */
function differ(a: ReadonlySet<string>, b: ReadonlySet<string>, into: Set<string>): void {
  for (const x of a) {
    if (!b.has(x)) {
      into.add(x);
    }
  }
  for (const x of b) {
    if (!a.has(x)) {
      into.add(x);
    }
  }
}

/**
 * Cached results still valid: the body was reused and names nothing whose meaning may have
 * changed: a function whose body is new or that came or went (its summary as a callee may
 * differ), a #define, exit macro or dying helper that changed, or, through a chain of such
 * names, any of these; and the function did not become or stop being a thread entry.
 */
function stillValid(facts: FileFacts, before: FileSummary, now: FileSummary, byBody: Map<SNode, FlowEvents | null>): Map<SNode, FlowEvents | null> | undefined {
  // Each changes what calls anywhere mean (a Winsock file, `net.socket()` with `import socket as
  // net`, `conns.pop(fd)` once `conns[fd] = conn` is written somewhere).
  if (before.winsock !== now.winsock || before.aliases !== now.aliases || before.tables !== now.tables) {
    return undefined;
  }
  const changed = new Set(facts.functions.filter((f) => !byBody.has(f.body)).map((f) => f.name));
  differ(before.names, now.names, changed);
  differ(before.exitMacros, now.exitMacros, changed);
  differ(before.dying, now.dying, changed);
  differ(before.throwing, now.throwing, changed);
  const defines = new Set<string>();
  for (const [k, v] of now.defines) {
    if (before.defines.get(k) !== v) {
      defines.add(k);
    }
  }
  for (const k of before.defines.keys()) {
    if (!now.defines.has(k)) {
      defines.add(k);
    }
  }
  // A define whose value names a changed define folds differently too.
  for (let grew = defines.size > 0; grew;) {
    grew = false;
    const re = mentions(defines);
    for (const [k, v] of now.defines) {
      if (!defines.has(k) && re.test(v)) {
        defines.add(k);
        grew = true;
      }
    }
  }
  defines.forEach((d) => changed.add(d));
  const entries = new Set<string>();
  differ(before.entries, now.entries, entries);
  // A broken line can parse as a "function" named `if` or `while`: no call names a keyword.
  KEYWORDS.forEach((k) => changed.delete(k));
  const candidates = facts.functions.filter((f) => byBody.has(f.body) && !entries.has(f.name));
  // Rounds: a body that names a changed name changes its function's meaning too. A name is
  // looked for once, in the whole text (see nameIn), not in every body by a regex.
  for (let names = [...changed]; names.length > 0 && candidates.length > 0;) {
    const added: string[] = [];
    for (const name of names) {
      const at = occurrences(facts.text, name);
      for (let i = candidates.length - 1; i >= 0; i--) {
        const f = candidates[i];
        if (nameIn(facts.text, name, at, f.body.start, f.body.end)) {
          if (!changed.has(f.name)) {
            changed.add(f.name);
            added.push(f.name);
          }
          candidates.splice(i, 1);
        }
      }
    }
    names = added;
  }
  return new Map(candidates.map((f) => [f.body, byBody.get(f.body)!]));
}

/** Words that cannot name a called function in C, C++ or Python. */
const KEYWORDS: ReadonlySet<string> = new Set(['if', 'else', 'while', 'for', 'do', 'switch', 'case', 'default', 'return', 'goto',
  'break', 'continue', 'sizeof', 'typedef', 'struct', 'union', 'enum', 'static', 'const', 'int', 'char', 'void', 'unsigned',
  'signed', 'long', 'short', 'float', 'double', 'extern', 'volatile', 'register', 'auto', 'inline', 'class', 'new', 'delete',
  'try', 'catch', 'throw', 'namespace', 'template', 'public', 'private', 'protected', 'def', 'elif', 'with', 'as', 'in',
  'not', 'and', 'or', 'is', 'lambda', 'pass', 'raise', 'except', 'finally', 'import', 'from', 'yield', 'async', 'await']);

/** Matches any of `names` as a whole word (an empty name matches everything). */
function mentions(names: ReadonlySet<string>): RegExp {
  return new RegExp(`\\b(?:${[...names].map((n) => n.replace(/\W/g, '\\$&')).join('|')})\\b`);
}

function hasErrorOnly(body: SNode): boolean {
  return body.type === 'ERROR';
}

/** Where falling off the end is reported: C's closing brace, Python's last statement. */
function fnEnd(fn: FnInfo, language: LintLanguage): SNode {
  if (language !== 'python') {
    const last = fn.body.children[fn.body.children.length - 1];
    return last && last.type === '}' ? last : fn.body;
  }
  const stmts = named(fn.body).filter((s) => s.type !== 'function_definition' && s.type !== 'class_definition' && s.type !== 'decorated_definition');
  return stmts[stmts.length - 1] ?? fn.body;
}

/** listen() calls per function, and helpers whose returned socket a caller listen()s on. */
function listenMap(facts: FileFacts): (fn: FnInfo, variable: string) => boolean {
  const x = facts.expr;
  const listens = new Map<FnInfo, Set<string>>();
  const returnsListened = new Set<string>();
  for (const fn of facts.functions) {
    const set = new Set<string>();
    const assignedFrom = new Map<string, string>();
    listens.set(fn, set);
    // No listen() in the text: nothing to record (and a deferred body stays uncopied).
    if (!/\blisten\b/.test(facts.text.slice(fn.body.start, fn.body.end))) {
      continue;
    }
    visit(fn.body, (n) => {
      if (x.isCall(n)) {
        const base = x.baseName(x.calleeOf(n));
        if (base === 'listen') {
          const recv = x.receiver(n);
          const v = recv && facts.python ? x.ident(recv) : x.ident(x.args(n)[0]);
          if (v) {
            set.add(v);
          }
        }
      }
      if (n.type === 'init_declarator' || n.type === 'assignment_expression' || n.type === 'assignment') {
        const l = x.ident(field(n, 'declarator') ?? field(n, 'left'));
        const r = x.unwrap(field(n, 'value') ?? field(n, 'right'));
        if (l && r && x.isCall(r)) {
          assignedFrom.set(l, x.baseName(x.calleeOf(r)));
        }
      }
      return true;
    });
    for (const v of set) {
      const from = assignedFrom.get(v);
      if (from) {
        returnsListened.add(from);
      }
    }
  }
  return (fn, v) => listens.get(fn)?.has(v) === true || (returnsListened.has(fn.name) && returns(fn, v, facts));
}

function returns(fn: FnInfo, v: string, facts: FileFacts): boolean {
  let found = false;
  visit(fn.body, (n) => {
    if (n.type === 'return_statement' && facts.expr.ident(named(n)[0]) === v) {
      found = true;
    }
    return !found;
  });
  return found;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.ruleId}:${f.range.start.line}:${f.range.start.character}`;
    if (seen.has(k)) {
      return false;
    }
    seen.add(k);
    return true;
  }).sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

export type { RuleId };
