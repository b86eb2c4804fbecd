import * as vscode from 'vscode';
import type { Config } from '../../config';
import { lintText } from '../analyzer';
import { Grammars, languageFor, type LintLanguage } from '../grammars';
import { DocumentLinter as IncrementalLinter } from '../incremental';
import type { Finding, LintResult, Notice } from '../types';
import { findingKey, SOURCE, toDiagnostic } from './convert';

/** Schemes whose documents we lint: files on disk and unsaved buffers, not diffs or output. */
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote']);
/** Time bound for one document in the editor; beyond it the analyzer reports partial results. */
const EDITOR_TIMEOUT_MS = 2_000;

interface DocState {
  /**
   * The document's analysis, kept between runs: its tree, the copy the rules read and the path
   * analysis of each function. A run after an edit re-parses incrementally and analyzes again
   * only the functions the edit may have changed (see ../incremental.ts).
   */
  session?: IncrementalLinter;
  /** The language and rule settings the session was made for: another of either starts a new one. */
  sessionKey?: string;
  /**
   * The document the session reads. An untitled buffer's name is given again once it is closed
   * (`Untitled-1`), and the old buffer's last events may arrive after the new one opened.
   */
  doc?: vscode.TextDocument;
  timer?: ReturnType<typeof setTimeout>;
  /** Bumped on every scheduled or started run, so an older run never publishes over a newer one. */
  generation: number;
}

/** The findings behind the published diagnostics of one document, by rule and range. */
interface Published {
  /** Document version they were computed for; undefined when read from disk (not open). */
  version: number | undefined;
  findings: Map<string, Finding>;
}

/**
 * Lints documents and publishes the results: one diagnostic collection, the grammars loaded
 * once on first use, one incremental analysis per open document.
 */
export class DocumentLinter implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(SOURCE);
  private grammars: Promise<Grammars> | undefined;
  private readonly docs = new Map<string, DocState>();
  private readonly published = new Map<string, Published>();
  private readonly noticed = new Map<string, Set<string>>();
  private log: vscode.LogOutputChannel | undefined;
  private loadFailed = false;
  private disposed = false;

  constructor(private readonly extensionUri: vscode.Uri, private readonly config: Config) {}

  /** The language we lint `doc` as, or undefined for documents we leave alone. */
  languageOf(doc: vscode.TextDocument): LintLanguage | undefined {
    return SCHEMES.has(doc.uri.scheme) ? languageFor(doc.uri.path, doc.languageId) : undefined;
  }

  /** Lints `doc` after `delayMs`, replacing a run still waiting for the same document. */
  schedule(doc: vscode.TextDocument, delayMs: number): void {
    // A closed buffer's late events must not delay the document that has its name now.
    if (!this.config.value.lint.enable || !this.languageOf(doc) || doc.isClosed || !vscode.workspace.textDocuments.includes(doc)) {
      return;
    }
    const state = this.state(doc.uri);
    clearTimeout(state.timer);
    const generation = ++state.generation;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      if (state.generation === generation) {
        void this.lintDocument(doc);
      }
    }, delayMs);
  }

  /** Lints an open document now and publishes its diagnostics; returns the findings. */
  async lintDocument(doc: vscode.TextDocument): Promise<Finding[] | undefined> {
    const language = this.languageOf(doc);
    if (!language || !this.config.value.lint.enable) {
      return undefined;
    }
    const state = this.state(doc.uri);
    const generation = ++state.generation;
    const grammars = await this.loadGrammars();
    // While the grammars loaded the document may have closed, changed or been re-linted, and
    // another document may have taken its name.
    if (!grammars || doc.isClosed || state.generation !== generation || this.docs.get(doc.uri.toString()) !== state
      || !vscode.workspace.textDocuments.includes(doc)) {
      return undefined;
    }
    const rules = this.config.value.lint.rules;
    const key = JSON.stringify([language, rules]);
    if (!state.session || state.sessionKey !== key || state.doc !== doc) {
      state.doc = doc;
      state.session?.dispose();
      state.session = new IncrementalLinter(grammars, language, { rules, timeoutMs: EDITOR_TIMEOUT_MS });
      state.sessionKey = key;
    }
    const result = state.session.updateText(doc.getText());
    this.publish(doc.uri, doc.version, result);
    return result.findings;
  }

  /** Lints text that is not open in an editor (Check Workspace) and publishes the result. */
  async lintFile(uri: vscode.Uri, text: string): Promise<Finding[] | undefined> {
    const language = languageFor(uri.path);
    const grammars = await this.loadGrammars();
    if (!language || !grammars || !this.config.value.lint.enable) {
      return undefined;
    }
    const result = lintText(grammars, text, language, { rules: this.config.value.lint.rules, timeoutMs: 10_000 });
    this.publish(uri, undefined, result);
    return result.findings;
  }

  /** The finding behind one of our diagnostics, if it is still current for `doc`. */
  findingFor(doc: vscode.TextDocument, ruleId: string, range: vscode.Range): Finding | undefined {
    const p = this.published.get(doc.uri.toString());
    if (!p || (p.version === undefined ? doc.isDirty : p.version !== doc.version)) {
      return undefined;
    }
    return p.findings.get(findingKey(ruleId, range));
  }

  /** A document closed: forgets it, unless a newer document of the same name is open already. */
  closed(doc: vscode.TextDocument): void {
    const newer = this.docs.get(doc.uri.toString())?.doc;
    if (newer && newer !== doc && !newer.isClosed) {
      return;
    }
    this.forget(doc.uri);
  }

  /** Forgets a document: its diagnostics, its tree, a pending run. */
  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const state = this.docs.get(key);
    if (state) {
      clearTimeout(state.timer);
      state.session?.dispose();
      this.docs.delete(key);
    }
    this.published.delete(key);
    this.noticed.delete(key);
    this.collection.delete(uri);
  }

  /** Forgets every document (lint turned off). */
  clearAll(): void {
    for (const state of this.docs.values()) {
      clearTimeout(state.timer);
      state.generation++;
      state.session?.dispose();
    }
    this.docs.clear();
    this.published.clear();
    this.noticed.clear();
    this.collection.clear();
  }

  private publish(uri: vscode.Uri, version: number | undefined, result: LintResult): void {
    const key = uri.toString();
    const findings = new Map<string, Finding>();
    for (const f of result.findings) {
      findings.set(findingKey(f.ruleId, f.range), f);
    }
    this.published.set(key, { version, findings });
    this.collection.set(uri, result.findings.map((f) => toDiagnostic(uri, f)));
    this.report(uri, result.notices);
  }

  /** Notices (syntax errors, time limit) go to the output channel, once per document and kind. */
  private report(uri: vscode.Uri, notices: Notice[]): void {
    if (notices.length === 0) {
      return;
    }
    const key = uri.toString();
    const seen = this.noticed.get(key) ?? new Set<string>();
    this.noticed.set(key, seen);
    for (const n of notices) {
      if (!seen.has(n.kind)) {
        seen.add(n.kind);
        this.channel().info(`${vscode.workspace.asRelativePath(uri)}: ${n.message}`);
      }
    }
  }

  private channel(): vscode.LogOutputChannel {
    this.log ??= vscode.window.createOutputChannel(vscode.l10n.t('Socket Lifecycle Lint'), { log: true });
    return this.log;
  }

  private state(uri: vscode.Uri): DocState {
    const key = uri.toString();
    let state = this.docs.get(key);
    if (!state) {
      state = { generation: 0 };
      this.docs.set(key, state);
    }
    return state;
  }

  /** Loads the parsers from dist/grammars on first use; undefined (logged once) if that fails. */
  private async loadGrammars(): Promise<Grammars | undefined> {
    this.grammars ??= Grammars.load(vscode.Uri.joinPath(this.extensionUri, 'dist', 'grammars').fsPath);
    try {
      const g = await this.grammars;
      return this.disposed ? undefined : g;
    } catch (error) {
      if (!this.loadFailed) {
        this.loadFailed = true;
        this.channel().error(vscode.l10n.t('The C, C++ and Python grammars could not be loaded: {0}', error instanceof Error ? error.message : String(error)));
      }
      return undefined;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.clearAll();
    this.collection.dispose();
    this.log?.dispose();
    void this.grammars?.then((g) => g.dispose(), () => undefined);
  }
}
