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

/** Insert the missing close before the statement (or closing brace) where the path leaves. */
export function closeFix(ctx: RuleContext, variable: string, at: SNode, fallsThrough: boolean): Fix | undefined {
  const call = closeCall(ctx, variable);
  let edits;
  if (at.type === '}') {
    edits = insertBeforeBrace(ctx, at, call);
  } else if (fallsThrough && ctx.language === 'python') {
    edits = insertAfter(ctx, at, call);
  } else if (/_statement$/.test(at.type)) {
    edits = insertBeforeStatement(ctx, at, [call]);
  } else {
    edits = insertBefore(ctx, at, [call]);
  }
  if (edits.length === 0) {
    return undefined;
  }
  return { title: l10n.t('Close {name} here', { name: variable }), edits, preferred: true };
}
