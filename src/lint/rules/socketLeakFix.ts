import { insertAfter, insertBefore, insertBeforeBrace, insertBeforeStatement } from '../fixes';
import type { RuleContext } from '../rule';
import type { SNode } from '../syntax';
import type { Fix } from '../types';
import { l10n } from '../../l10n';

/** The close call for `variable` in this file's idiom (closesocket in Winsock-only code). */
export function closeCall(ctx: RuleContext, variable: string): string {
  if (ctx.language === 'python') {
    return `${variable}.close()`;
  }
  return `${ctx.facts.closeName}(${variable});`;
}

/**
 * Insert the missing close before the statement (or closing brace) where the path leaves: of
 * every socket in `variables` that leaks there (`return` with both the listener and the
 * connection open), or of the first where only one line fits (a closing brace, Python's end of
 * a loop body).
 */
export function closeFix(ctx: RuleContext, variables: readonly string[], at: SNode, fallsThrough: boolean): Fix | undefined {
  let names = variables;
  let edits;
  if (at.type === '}') {
    names = variables.slice(0, 1);
    edits = insertBeforeBrace(ctx, at, closeCall(ctx, names[0]));
  } else if (fallsThrough && ctx.language === 'python') {
    names = variables.slice(0, 1);
    edits = insertAfter(ctx, at, closeCall(ctx, names[0]));
  } else if (/_statement$/.test(at.type)) {
    edits = insertBeforeStatement(ctx, at, names.map((v) => closeCall(ctx, v)));
  } else {
    edits = insertBefore(ctx, at, names.map((v) => closeCall(ctx, v)));
  }
  if (edits.length === 0) {
    return undefined;
  }
  return { title: l10n.t('Close {name} here', { name: names.join(', ') }), edits, preferred: true };
}
