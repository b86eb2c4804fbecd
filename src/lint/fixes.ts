import { field, named, type SNode } from './syntax';
import type { RuleContext } from './rule';
import type { TextEdit } from './types';

/** Text edits the quick fixes make; each keeps the surrounding indentation. */

/** The statement that contains `n` (whose parent is a block / case / module). */
export function statementOf(n: SNode): SNode {
  let cur = n;
  while (cur.parent) {
    const p = cur.parent;
    if (p.type === 'compound_statement' || p.type === 'block' || p.type === 'case_statement'
      || p.type === 'module' || p.type === 'translation_unit' || p.type === 'labeled_statement') {
      return cur;
    }
    if (isStatement(cur) && !isStatement(p) && p.type !== 'else_clause') {
      return cur;
    }
    cur = p;
  }
  return cur;
}

function isStatement(n: SNode): boolean {
  return n.type.endsWith('_statement') || n.type === 'declaration';
}

/** Inserts `lines` on their own lines before the statement holding `n`, at its indentation. */
export function insertBefore(ctx: RuleContext, n: SNode, lines: string[]): TextEdit[] {
  const stmt = statementOf(n);
  const pos = ctx.lines.position(stmt.start);
  const lineText = ctx.lines.lineText(pos.line);
  const indent = /^[ \t]*/.exec(lineText)![0];
  if (lineText.slice(0, pos.character).trim() !== '' || !stmtInBlock(stmt)) {
    // `if (x) return -1;` on one line, or a body without braces: wrap it in a block.
    if (ctx.language === 'python') {
      return [];
    }
    const text = ctx.lines.text.slice(stmt.start, stmt.end);
    return [{ range: ctx.lines.range(stmt.start, stmt.end), newText: `{ ${lines.join(' ')} ${text} }` }];
  }
  const at = { line: pos.line, character: 0 };
  return [{ range: { start: at, end: at }, newText: lines.map((l) => `${indent}${l}\n`).join('') }];
}

/**
 * Inserts `lines` right before the statement `stmt` itself (a return, continue, break...),
 * not before the statement enclosing it: `if (n == 0) continue;` becomes
 * `if (n == 0) { close(c); continue; }`.
 */
export function insertBeforeStatement(ctx: RuleContext, stmt: SNode, lines: string[]): TextEdit[] {
  const pos = ctx.lines.position(stmt.start);
  const lineText = ctx.lines.lineText(pos.line);
  if (stmtInBlock(stmt) && lineText.slice(0, pos.character).trim() === '') {
    const indent = /^[ \t]*/.exec(lineText)![0];
    const at = { line: pos.line, character: 0 };
    return [{ range: { start: at, end: at }, newText: lines.map((l) => `${indent}${l}\n`).join('') }];
  }
  if (ctx.language === 'python') {
    return [];
  }
  const text = ctx.lines.text.slice(stmt.start, stmt.end);
  return [{ range: ctx.lines.range(stmt.start, stmt.end), newText: `{ ${lines.join(' ')} ${text} }` }];
}

function stmtInBlock(stmt: SNode): boolean {
  const p = stmt.parent;
  return !!p && (p.type === 'compound_statement' || p.type === 'block' || p.type === 'case_statement'
    || p.type === 'module' || p.type === 'translation_unit' || p.type === 'labeled_statement');
}

/** Inserts a line before a closing brace, one indentation step deeper than the brace. */
export function insertBeforeBrace(ctx: RuleContext, brace: SNode, line: string): TextEdit[] {
  const pos = ctx.lines.position(brace.start);
  const lineText = ctx.lines.lineText(pos.line);
  const braceIndent = /^[ \t]*/.exec(lineText)![0];
  const block = brace.parent;
  const first = block ? named(block)[0] : undefined;
  const inner = first ? ctx.lines.indentAt(first.start) : `${braceIndent}    `;
  if (lineText.slice(0, pos.character).trim() !== '') {
    const at = ctx.lines.position(brace.start);
    return [{ range: { start: at, end: at }, newText: `${line} ` }];
  }
  const at = { line: pos.line, character: 0 };
  return [{ range: { start: at, end: at }, newText: `${inner.length > braceIndent.length ? inner : braceIndent + '    '}${line}\n` }];
}

/** Inserts a line after the statement `stmt` (Python loop bodies falling through). */
export function insertAfter(ctx: RuleContext, stmt: SNode, line: string): TextEdit[] {
  const indent = ctx.lines.indentAt(stmt.start);
  const end = ctx.lines.position(stmt.end);
  const at = { line: end.line, character: ctx.lines.lineText(end.line).length };
  return [{ range: { start: at, end: at }, newText: `\n${indent}${line}` }];
}

/** Deletes the whole lines of `stmt` (when nothing else shares them). */
export function deleteStatement(ctx: RuleContext, stmt: SNode): TextEdit[] {
  const start = ctx.lines.position(stmt.start);
  const end = ctx.lines.position(stmt.end);
  const before = ctx.lines.lineText(start.line).slice(0, start.character);
  const after = ctx.lines.lineText(end.line).slice(end.character);
  if (before.trim() !== '' || after.trim() !== '') {
    return [];
  }
  return [{ range: { start: { line: start.line, character: 0 }, end: { line: end.line + 1, character: 0 } }, newText: '' }];
}

/** The Python spelling of the socket module's constants in this file (`socket.` or bare). */
export function pySocketPrefix(text: string): string {
  return /^\s*import\s+socket\b/m.test(text) || !/^\s*from\s+socket\s+import\s+\*/m.test(text) ? 'socket.' : '';
}

export { field };
