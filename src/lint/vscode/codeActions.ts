import * as vscode from 'vscode';

/** Internal: executed after one of our quick fixes was applied (no contribution, no UI). */
export const FIX_APPLIED_COMMAND = 'socketLifecycle.lint.fixApplied';
import type { Fix } from '../types';
import { ruleIdOf, toRange, toTextEdit } from './convert';
import { disableLineEdit } from './disableLine';
import type { DocumentLinter } from './linter';

/** Quick fixes from the findings behind our diagnostics, plus "disable for this line". */
export class LintCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly linter: DocumentLinter) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix) && !vscode.CodeActionKind.QuickFix.contains(context.only)) {
      return [];
    }
    const language = this.linter.languageOf(doc);
    const actions: vscode.CodeAction[] = [];
    const disabled = new Set<string>();
    for (const diagnostic of context.diagnostics) {
      const ruleId = ruleIdOf(diagnostic);
      const finding = ruleId ? this.linter.findingFor(doc, ruleId, diagnostic.range) : undefined;
      if (!ruleId || !finding || !language) {
        continue;
      }
      for (const fix of finding.fixes) {
        actions.push(this.fixAction(doc, fix, diagnostic));
      }
      const line = diagnostic.range.start.line;
      if (!disabled.has(`${ruleId}:${line}`)) {
        disabled.add(`${ruleId}:${line}`);
        const lines: string[] = [];
        lines[line] = doc.lineAt(line).text;
        if (line > 0) {
          lines[line - 1] = doc.lineAt(line - 1).text;
        }
        const edit = disableLineEdit(lines, line, language, ruleId);
        const action = new vscode.CodeAction(vscode.l10n.t('Disable {0} for this line', ruleId), vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, toRange(edit.range), edit.newText);
        action.diagnostics = [diagnostic];
        actions.push(action);
      }
    }
    return actions;
  }

  private fixAction(doc: vscode.TextDocument, fix: Fix, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    action.edit = new vscode.WorkspaceEdit();
    action.edit.set(doc.uri, fix.edits.map(toTextEdit));
    action.diagnostics = [diagnostic];
    action.isPreferred = fix.preferred === true;
    // Runs after the edit: the walkthrough's "apply the quick fix" step completes on it.
    action.command = { command: FIX_APPLIED_COMMAND, title: fix.title, arguments: [diagnostic.code] };
    return action;
  }
}
