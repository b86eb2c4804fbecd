import type { LintLanguage } from './grammars';

/** The seven rule ids; part of the public interface (CLI, diagnostics' code, settings). */
export type RuleId = 'missing-reuseaddr' | 'reuseaddr-after-bind' | 'socket-leak' | 'read-error-as-data'
  | 'linger-abortive' | 'winsock-reuseaddr-hijack' | 'shutdown-without-close';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Zero-based line and column (UTF-16 code units), as VS Code counts them. */
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

/** One text replacement; insertions have an empty range. */
export interface TextEdit { range: Range; newText: string }
export interface Fix { title: string; edits: TextEdit[]; preferred?: boolean }

export interface Finding {
  ruleId: RuleId;
  severity: Severity;
  range: Range;
  message: string;
  /** Where the socket was created (socket()/accept()), for relatedInformation. */
  related?: { range: Range; message: string };
  fixes: Fix[];
}

/** Why results may be incomplete (syntax errors, time bound). */
export interface Notice { kind: 'syntax' | 'timeout' | 'unsupported'; message: string }

export interface LintResult { language: LintLanguage; findings: Finding[]; notices: Notice[] }
