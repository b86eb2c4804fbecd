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
