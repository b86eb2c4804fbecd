import * as vscode from 'vscode';
import type { Finding, Range, Severity, TextEdit } from '../types';
import { ruleDocsUri } from './ruleDocs';

/** Every diagnostic we publish carries this source; code actions and hovers filter on it. */
export const SOURCE = 'socketLifecycle';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function toTextEdit(e: TextEdit): vscode.TextEdit {
  return new vscode.TextEdit(toRange(e.range), e.newText);
}

/** Identifies a finding by rule and range, so a diagnostic finds its finding again. */
export function findingKey(ruleId: string, range: vscode.Range | Range): string {
  return `${ruleId}@${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** The rule id of one of our diagnostics, or undefined for anyone else's. */
export function ruleIdOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== SOURCE || d.code === undefined) {
    return undefined;
  }
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** A finding as a diagnostic: severity as the settings made it, code linking to the rule's docs. */
export function toDiagnostic(uri: vscode.Uri, f: Finding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f.range), f.message, SEVERITY[f.severity]);
  d.source = SOURCE;
  d.code = { value: f.ruleId, target: ruleDocsUri(f.ruleId) };
  if (f.related) {
    d.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(f.related.range)), f.related.message)];
  }
  return d;
}
