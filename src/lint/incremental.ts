import type * as TreeSitter from 'web-tree-sitter';
import { analyze, failed, type FlowCache, lintTree, type LintOptions, noteSyntaxErrors, notePartialCopy, parseInSlices, parsePrefix } from './analyzer';
import { deferBodyIn, SCAN_TYPES } from './file';
import type { Grammars, LintLanguage } from './grammars';
import { copyTreeReusing, type CopiedTree, shiftSpans, type SNode } from './syntax';
import { errorSpans, functionTransplant, movedBy } from './transplant';
import type { Finding, LintResult, Notice } from './types';

// require(): see grammars.ts (esbuild must pick the package's CommonJS build).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Edit } = require('web-tree-sitter') as typeof TreeSitter;

/** A row and column (UTF-16 code units), as tree-sitter counts them for JavaScript strings. */
export interface TextPoint { row: number; column: number }

/** One text replacement in tree-sitter's terms: offsets before and after, in UTF-16 code units. */
export interface TextChange {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: TextPoint;
  oldEndPosition: TextPoint;
  newEndPosition: TextPoint;
}

function pointAt(text: string, offset: number): TextPoint {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** The change that replaces `oldText[start, oldEnd)` with `inserted`. */
export function replacement(oldText: string, start: number, oldEnd: number, inserted: string): TextChange {
  const startPosition = pointAt(oldText, start);
  const rows = inserted.split('\n');
  const last = rows[rows.length - 1];
  return {
    startIndex: start, oldEndIndex: oldEnd, newEndIndex: start + inserted.length,
    startPosition, oldEndPosition: pointAt(oldText, oldEnd),
    newEndPosition: rows.length === 1 ? { row: startPosition.row, column: startPosition.column + last.length } : { row: startPosition.row + rows.length - 1, column: last.length },
  };
}

/**
 * The one replacement that turns `before` into `after`: what lies between their common start
 * and their common end. Undefined when the texts are equal. Several edits made between two
 * updates (a multi-cursor edit, typing during the debounce) become one change around them all;
 * the parse reuses what lies outside it.
 */
export function textChange(before: string, after: string): TextChange | undefined {
  const shorter = Math.min(before.length, after.length);
  let start = common(before, after, shorter, false);
  if (start === before.length && start === after.length) {
    return undefined;
  }
  let end = common(before, after, shorter - start, true);
  // Never split a surrogate pair: the change covers both halves of a character it touches.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) {
    start--;
  }
  if (end > 0 && start < before.length - end && isHighSurrogate(before.charCodeAt(before.length - end - 1))) {
    end--;
  }
  return replacement(before, start, before.length - end, after.slice(start, after.length - end));
}

/**
 * How many code units `a` and `b` share at their start (at their end with `fromEnd`), at most
 * `limit`. Equal blocks are skipped a kilobyte and then 32 units at a time: comparing two
 * substrings is one memory comparison, where a loop over the units of a 50 KiB text took
 * 0.3-0.5 ms of a 3 ms re-lint.
 */
function common(a: string, b: string, limit: number, fromEnd: boolean): number {
  const same = (n: number, len: number): boolean => (fromEnd
    ? a.slice(a.length - n - len, a.length - n) === b.slice(b.length - n - len, b.length - n)
    : a.slice(n, n + len) === b.slice(n, n + len));
  let n = 0;
  for (const block of [1024, 32]) {
    while (n + block <= limit && same(n, block)) {
      n += block;
    }
  }
  while (n < limit && (fromEnd ? a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n) : a.charCodeAt(n) === b.charCodeAt(n))) {
    n++;
  }
  return n;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** What one update reused: top-level nodes and moved functions; and how many functions it analyzed. */
export interface UpdateCounts { reused: number; transplanted: number; analyzed: number }

/**
 * Lints one document as it is edited (the editor's use): keeps the syntax tree, the copy the
 * analysis read and its per-function results; after an edit, re-parses incrementally, copies
 * only the top-level nodes the edit touched (taking from the previous copy the functions inside
 * them that the edit left alone, see transplant.ts), and re-runs the path analysis only for
 * functions that changed or that name a changed function. The results equal lintText() on the same
 * tree; that is a fresh lint's tree too, except where tree-sitter recovers from a syntax error
 * differently when parsing incrementally.
 */
export class DocumentLinter {
  private tree: TreeSitter.Tree | undefined;
  private copy: CopiedTree | undefined;
  private text = '';
  private readonly cache: FlowCache = { byBody: new Map() };
  private counts: UpdateCounts = { reused: 0, transplanted: 0, analyzed: 0 };

  constructor(private readonly grammars: Grammars, readonly language: LintLanguage, private readonly options: LintOptions = {}) {}

  /** Lints `text`; with `change` (what turned the previous text into it), incrementally. */
  update(text: string, change?: TextChange): LintResult {
    const started = Date.now();
    const timeoutMs = this.options.timeoutMs ?? 2_000;
    const deadline = started + timeoutMs;
    const notices: Notice[] = [];
    const previous = change ? this.tree : undefined;
    let tree: TreeSitter.Tree | null = null;
    try {
      if (previous) {
        previous.edit(new Edit(change!));
      }
      const parser = this.grammars.parser(this.language);
      const reached = { chars: 0 };
      tree = parseInSlices(parser, text, previous ?? null, deadline, undefined, reached);
      if (!tree) {
        // Too big to parse in time: a fresh lint of a prefix, as lintText does, and nothing
        // kept for the next update, which then parses from scratch.
        this.reset();
        const prefix = parsePrefix(parser, text, reached, timeoutMs, notices);
        if (!prefix) {
          return { language: this.language, findings: [], notices };
        }
        tree = prefix.tree;
        // The same further quarter of the bound as lintText gives a prefix, and one timeout notice.
        return lintTree(tree, prefix.text, this.language, this.options, Date.now() + timeoutMs / 4, notices);
      }
      const root = tree.rootNode;
      noteSyntaxErrors(root, notices);
      const changed = previous && this.copy ? previous.getChangedRanges(tree) : undefined;
      // Where either tree has a syntax error, the changed ranges can miss a change (tokens in an
      // ERROR node lexed anew: `int` once a primitive_type, then an identifier): nothing
      // there is reused. Read before the copy starts, as everything from the trees.
      const errors = changed ? [...errorSpans(root), ...errorSpans(previous!.rootNode)] : [];
      const reuse = changed ? reuser(this.copy!, change!, changed, errors) : undefined;
      let reused = 0;
      // Functions an edit left alone below a top level it changed (a deleted brace nests them).
      // The previous copy's functions by their offsets in the previous text (reused nodes move).
      const before = changed ? previousFunctions(this.cache) : undefined;
      const transplant = before ? functionTransplant(root, before, this.text, text, change!) : undefined;
      // As lintText: past the bound, the copy and the analysis still get a quarter of it each.
      const copied = copyTreeReusing(root, (type, start, end) => {
        const old = reuse?.(type, start, end);
        if (old) {
          reused++;
        }
        return old;
      }, { deadline: Math.max(deadline, Date.now() + timeoutMs / 4), defer: deferBodyIn(this.language, text), mark: SCAN_TYPES, transplant });
      if (!previous) {
        this.cache.byBody.clear();
        this.cache.summary = undefined;
      }
      const findings: Finding[] = analyze(copied.node, text, this.language, Math.max(deadline, Date.now() + timeoutMs / 4), notices, this.options, this.cache);
      this.counts = { reused, transplanted: copied.moved, analyzed: this.cache.analyzed ?? 0 };
      notePartialCopy(copied, notices);
      if (!copied.complete) {
        // A partial copy must not be reused: start from scratch next time.
        copied.detach();
        this.reset();
        return { language: this.language, findings, notices };
      }
      this.copy?.detach();
      this.tree?.delete();
      this.tree = tree;
      this.copy = copied;
      this.text = text;
      tree = null;
      return { language: this.language, findings, notices };
    } catch (error) {
      this.reset();
      return failed(this.language, notices, error);
    } finally {
      tree?.delete();
    }
  }

  /**
   * Lints `text`, the document as it is now: what changed since the previous update is found by
   * comparing the two texts (see textChange), so any number of edits in between count as one,
   * and none (edits undone before the update, a re-run) as an empty one.
   */
  updateText(text: string): LintResult {
    return this.update(text, this.tree ? textChange(this.text, text) ?? replacement(text, 0, 0, '') : undefined);
  }

  /** What the last update reused and redid (for tests and benchmarks). */
  get lastCounts(): UpdateCounts {
    return this.counts;
  }

  /** The syntax tree of the last successful update (owned by this linter: do not delete it). */
  get syntaxTree(): TreeSitter.Tree | undefined {
    return this.tree;
  }

  /** The copy of syntaxTree the last update analyzed, partly reused from earlier ones (for tests). */
  get syntaxCopy(): SNode | undefined {
    return this.copy?.node;
  }

  /** The text of the last successful update. */
  get current(): string {
    return this.text;
  }

  private reset(): void {
    this.copy?.detach();
    this.copy = undefined;
    this.tree?.delete();
    this.tree = undefined;
    this.cache.byBody.clear();
    this.cache.summary = undefined;
  }

  dispose(): void {
    this.reset();
  }
}

/** The function definitions the previous run saw (by their bodies in the cache), by start offset. */
function previousFunctions(cache: FlowCache): [number, SNode][] {
  const out: [number, SNode][] = [];
  for (const body of cache.byBody.keys()) {
    const f = body.parent;
    if (f && f.type === 'function_definition') {
      out.push([f.start, f]);
    }
  }
  return out;
}

/**
 * Offers old top-level subtrees for new top-level nodes: same type, the same span once moved
 * by the edit, outside the edited text, every range whose structure changed and every syntax
 * error of either tree. Their deferred bodies not copied yet are copied from the new tree from
 * then on (see copyTreeReusing).
 */
function reuser(old: CopiedTree, change: TextChange, changed: TreeSitter.Range[], errors: readonly number[]): (type: string, start: number, end: number) => SNode | undefined {
  const tops = old.node.children;
  // Their offsets in the previous text, read before the copy moves any node.
  const starts = Int32Array.from(tops, (c) => c.start);
  let next = 0;
  return (type, start, end) => {
    const shift = movedBy(start, end, change);
    if (shift === undefined) {
      return undefined;
    }
    for (const r of changed) {
      if (r.startIndex <= end && start <= r.endIndex) {
        return undefined;
      }
    }
    for (let i = 0; i < errors.length; i += 2) {
      if (errors[i] <= end && start <= errors[i + 1]) {
        return undefined;
      }
    }
    // Asked in document order, so an old node starting at `at` is at `next` or after it.
    const at = start - shift;
    while (next < starts.length && starts[next] < at) {
      next++;
    }
    const node = next < starts.length && starts[next] === at ? tops[next] : undefined;
    if (!node || node.type !== type || node.end !== end - shift) {
      return undefined;
    }
    next++;
    if (shift !== 0) {
      shiftSpans(node, shift);
    }
    return node;
  };
}
