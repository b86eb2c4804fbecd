import { l10n } from '../../l10n';
import { finding, type Rule } from '../rule';
import { field, type SNode } from '../syntax';
import type { Finding, Fix } from '../types';

/** read-error-as-data: a read()/recv() result that may be -1 is used as a byte count. */
export const readErrorAsData: Rule = {
  id: 'read-error-as-data',
  defaultSeverity: 'error',
  languages: ['c', 'cpp'],
  title: l10n.t('-1 from read()/recv() used as a length'),
  check(ctx) {
    const out: Finding[] = [];
    for (const { events } of ctx.analyzed) {
      for (const r of events.readAsData) {
        const fix = loopFix(ctx.facts.text, r.site, ctx);
        out.push(finding(ctx, readErrorAsData, r.site,
          l10n.t('This result can be -1 (error) when it is used as a byte count on line {line}: a negative length or pointer step corrupts data or loops forever. Check for n < 0 before using it.', { line: ctx.lines.position(r.use.start).line + 1 }),
          fix ? [fix] : []));
      }
    }
    return out;
  },
};

/** `(n = read(...)) != 0` -> `(n = read(...)) > 0`: the loop then also ends on an error. */
function loopFix(text: string, call: SNode, ctx: Parameters<Rule['check']>[0]): Fix | undefined {
  let cur: SNode | undefined = call.parent;
  while (cur && (cur.type === 'parenthesized_expression' || cur.type === 'assignment_expression')) {
    cur = cur.parent;
  }
  if (!cur || cur.type !== 'binary_expression') {
    return undefined;
  }
  // Operator tokens carry no offsets in our copy of the tree; find it between the operands.
  const left = field(cur, 'left');
  const right = field(cur, 'right');
  if (!left || !right || text.slice(right.start, right.end).trim() !== '0') {
    return undefined;
  }
  const at = text.slice(left.end, right.start).indexOf('!=');
  if (at < 0) {
    return undefined;
  }
  const start = left.end + at;
  return {
    title: l10n.t('Stop the loop on errors too (> 0)'),
    preferred: true,
    edits: [{ range: ctx.lines.range(start, start + 2), newText: '>' }],
  };
}
