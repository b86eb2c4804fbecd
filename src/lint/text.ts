import type { Position, Range } from './types';

/** Converts string offsets to line/character positions with a precomputed line table. */
export class LineIndex {
  /** Where each line starts. Sized by a first count: grown by push(), it left three times its size as garbage on every re-lint. */
  private readonly starts: Uint32Array;

  constructor(readonly text: string) {
    let lines = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      lines++;
    }
    this.starts = new Uint32Array(lines);
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      this.starts[line++] = i + 1;
    }
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  lineStart(line: number): number {
    return this.starts[Math.min(line, this.starts.length - 1)];
  }

  /** The text of a zero-based line, without its line break. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length + 1;
    return this.text.slice(start, next - 1).replace(/\r$/, '');
  }

  /** Leading whitespace of the line holding `offset`. */
  indentAt(offset: number): string {
    const line = this.lineText(this.position(offset).line);
    return /^[ \t]*/.exec(line)![0];
  }

  get lineCount(): number {
    return this.starts.length;
  }
}

/** `s` as a regular expression that matches it literally. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Is the code unit at `i` of `text` a word character of a regex's `\b` ([A-Za-z0-9_])? */
function isWordAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * Where `name` occurs in `text`, overlapping occurrences too, in order: for nameIn(), which then
 * answers for any span of the text without scanning it.
 */
export function occurrences(text: string, name: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(name); i >= 0 && name.length > 0; i = text.indexOf(name, i + 1)) {
    at.push(i);
  }
  return at;
}

/** The index in `at` (offsets in ascending order) of the first offset at or after `start`. */
export function firstAtOrAfter(at: readonly number[], start: number): number {
  let lo = 0;
  let hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at[mid] < start) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/**
 * Does `text.slice(start, end)` contain `name` as a whole word, as `/\bname\b/` tested on that
 * slice would say (`\b` is one of [A-Za-z0-9_] against another character or the slice's edge)?
 * `at`: occurrences(text, name).
 */
export function nameIn(text: string, name: string, at: readonly number[], start: number, end: number): boolean {
  if (name.length === 0) {
    // `\b\b` holds wherever a word character meets a non-word one or the slice's edge.
    for (let i = start; i < end; i++) {
      if (isWordAt(text, i)) {
        return true;
      }
    }
    return false;
  }
  const word = (i: number): boolean => i >= start && i < end && isWordAt(text, i);
  for (let k = firstAtOrAfter(at, start); k < at.length && at[k] + name.length <= end; k++) {
    const p = at[k];
    const q = p + name.length;
    if (word(p - 1) !== word(p) && word(q - 1) !== word(q)) {
      return true;
    }
  }
  return false;
}
