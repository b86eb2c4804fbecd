import type { FileFacts } from './file';
import type { FlowEvents, FnInfo } from './flow';
import type { LintLanguage } from './grammars';
import type { SNode } from './syntax';
import type { LineIndex } from './text';
import type { Finding, Fix, Range, RuleId, Severity } from './types';

/** What a rule sees: the file, and the path analysis of each function that touches sockets. */
export interface RuleContext {
  facts: FileFacts;
  lines: LineIndex;
  language: LintLanguage;
  analyzed: { fn: FnInfo; events: FlowEvents }[];
  /** Names of variables that some function listen()s on (for sockets bound in a helper). */
  listened: (fn: FnInfo, variable: string) => boolean;
}

/** A rule is data plus one function from the analysis to findings. */
export interface Rule {
  id: RuleId;
  defaultSeverity: Severity;
  languages: readonly LintLanguage[];
  /** One line for hovers and docs. */
  title: string;
  check(ctx: RuleContext): Finding[];
}

/** Builds a finding with the range of `node` (first line only, as the rules report one line). */
export function finding(ctx: RuleContext, rule: Rule, node: SNode, message: string, fixes: Fix[] = [], site?: SNode, siteMessage?: string): Finding {
  const f: Finding = { ruleId: rule.id, severity: rule.defaultSeverity, range: lineRange(ctx, node), message, fixes };
  if (site) {
    f.related = { range: ctx.lines.range(site.start, site.end), message: siteMessage ?? '' };
  }
  return f;
}

export function lineRange(ctx: RuleContext, node: SNode): Range {
  const r = ctx.lines.range(node.start, node.end);
  if (r.end.line !== r.start.line) {
    r.end = { line: r.start.line, character: ctx.lines.lineText(r.start.line).length };
  }
  return r;
}
