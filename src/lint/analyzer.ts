import type { Tree } from 'web-tree-sitter';
import { l10n } from '../l10n';
import { CfgBuilder } from './cfg';
import { FileFacts } from './file';
import { Flow, type FlowEvents, type FnInfo } from './flow';
import type { Grammars, LintLanguage } from './grammars';
import type { RuleContext } from './rule';
import { RULES } from './rules/index';
import { disabledLines } from './suppress';
import { copyTree, field, named, visit, type SNode } from './syntax';
import { LineIndex } from './text';
import type { Finding, LintResult, Notice, RuleId, Severity } from './types';

export interface LintOptions {
  /** Time bound for one file in milliseconds; beyond it, partial results and a notice. */
  timeoutMs?: number;
  /** Per-rule severity overrides; 'off' drops the rule. */
  rules?: Partial<Record<string, Severity | 'off'>>;
  /** A previous tree of this document, already edited with tree.edit() (incremental re-parse). */
  oldTree?: Tree;
  /** Keep the new tree (the caller then owns and deletes it). */
  keepTree?: boolean;
}

export interface LintOutput extends LintResult { tree?: Tree }

/** Lints one source text. Never throws: failures become notices. */
export function lintText(grammars: Grammars, text: string, language: LintLanguage, options: LintOptions = {}): LintOutput {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 2_000);
  const notices: Notice[] = [];
  let tree: Tree | null = null;
  try {
    const parser = grammars.parser(language);
    tree = parser.parse(text, options.oldTree ?? null, {
      progressCallback: () => Date.now() > deadline,
    });
    if (!tree) {
      parser.reset();
      notices.push({ kind: 'timeout', message: l10n.t('Parsing took longer than {ms} ms; no results for this file.', { ms: options.timeoutMs ?? 2_000 }) });
      return { language, findings: [], notices };
    }
    const root = tree.rootNode;
    if (root.hasError) {
      notices.push({ kind: 'syntax', message: l10n.t('Parts of this file could not be parsed; results there may be incomplete.') });
    }
    const copied = copyTree(root, deadline);
    if (!copied.complete) {
      notices.push({ kind: 'timeout', message: l10n.t('Analysis stopped at the time limit; results are partial.') });
    }
    const findings = analyze(copied.node, text, language, deadline, notices, options);
    const out: LintOutput = { language, findings, notices };
    if (options.keepTree) {
      out.tree = tree;
      tree = null;
    }
    return out;
  } catch (error) {
    notices.push({ kind: 'unsupported', message: l10n.t('The analyzer failed on this file: {error}', { error: error instanceof Error ? error.message : String(error) }) });
    return { language, findings: [], notices };
  } finally {
    tree?.delete();
  }
}

/** Runs the path analysis and every rule over a copied tree. */
export function analyze(root: SNode, text: string, language: LintLanguage, deadline: number, notices: Notice[], options: LintOptions = {}): Finding[] {
  const facts = new FileFacts(text, language, root);
  const lines = new LineIndex(text);
  const analyzed: { fn: FnInfo; events: FlowEvents }[] = [];
  let timedOut = false;
  for (const fn of facts.functions) {
    if (Date.now() > deadline) {
      timedOut = true;
      break;
    }
    if (!facts.touchesSockets(fn) || hasErrorOnly(fn.body)) {
      continue;
    }
    const end = fnEnd(fn, language);
    const cfg = new CfgBuilder(text, language, facts.isExit, fn.isMain).build(fn.body, end);
    const result = new Flow(fn, cfg, facts, deadline).run();
    if (!result.complete) {
      timedOut = true;
    }
    analyzed.push({ fn, events: result.events });
  }
  if (timedOut && !notices.some((n) => n.kind === 'timeout')) {
    notices.push({ kind: 'timeout', message: l10n.t('Analysis stopped at the time limit; results are partial.') });
  }
  const listenedIn = listenMap(facts);
  const ctx: RuleContext = { facts, lines, language, analyzed, listened: (fn, v) => listenedIn(fn, v) };
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
    listens.set(fn, set);
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
