import { DISABLE_LINE, DISABLE_NEXT_LINE } from '../suppress';
import type { LintLanguage } from '../grammars';
import type { TextEdit } from '../types';

/**
 * The edit behind "Disable <rule> for this line". Pure: it sees the document as lines.
 * - The line above already holds a disable-next-line comment: add the rule id to it.
 * - A C line inside a macro body (continued with a backslash): a block comment on the line
 *   itself, since a comment line would end the macro.
 * - Otherwise: a `disable-next-line` comment line above, at the line's own indentation.
 */
export function disableLineEdit(lines: readonly string[], line: number, language: LintLanguage, ruleId: string): TextEdit {
  const text = lines[line] ?? '';
  const above = line > 0 ? lines[line - 1] : undefined;
  const marker = language === 'python' ? '#' : '//';
  const existing = above === undefined ? null : new RegExp(`(?:#|//)\\s*${DISABLE_NEXT_LINE}\\b(.*?)\\s*$`).exec(above);
  if (above !== undefined && existing && existing[1].trim() !== '') {
    const end = { line: line - 1, character: above.replace(/\s+$/, '').length };
    return { range: { start: end, end }, newText: `, ${ruleId}` };
  }
  const continued = (s: string | undefined) => s !== undefined && /\\\s*$/.test(s);
  if (language !== 'python' && (continued(text) || continued(above))) {
    const end = text.replace(/\s+$/, '').length;
    const at = { line, character: continued(text) ? text.lastIndexOf('\\') : end };
    const comment = `/* ${DISABLE_LINE} ${ruleId} */`;
    return { range: { start: at, end: at }, newText: continued(text) ? `${comment} ` : ` ${comment}` };
  }
  const indent = /^[ \t]*/.exec(text)![0];
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText: `${indent}${marker} ${DISABLE_NEXT_LINE} ${ruleId}\n` };
}
