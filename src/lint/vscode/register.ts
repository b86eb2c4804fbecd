import * as vscode from 'vscode';
import type { Config } from '../../config';
import { CHECK_WORKSPACE_COMMAND, checkWorkspace } from './checkWorkspace';
import { FIX_APPLIED_COMMAND, LintCodeActions } from './codeActions';
import { LintHover } from './hover';
import { DocumentLinter } from './linter';
import { RuleDocs } from './ruleDocs';

/** Documents the hover and code actions serve: by language id, and by file name for the rest. */
const SELECTOR: vscode.DocumentSelector = [
  { language: 'c' }, { language: 'cpp' }, { language: 'python' },
  { pattern: '**/*.{c,h,cc,cpp,cxx,hpp,hh,py}' },
];

/**
 * Lint in the editor: diagnostics for open C, C++ and Python documents (re-linted after edits,
 * with the debounce from settings), hovers, quick fixes, and "Check Workspace for Socket Bugs".
 * Nothing heavy happens here: the grammars load on the first document that needs them.
 */
export function registerLint(context: vscode.ExtensionContext, config: Config): vscode.Disposable {
  const linter = new DocumentLinter(context.extensionUri, config);
  const docs = new RuleDocs(context.extensionUri);
  const lintOpen = () => {
    for (const doc of vscode.workspace.textDocuments) {
      linter.schedule(doc, 0);
    }
  };
  let lastLint = JSON.stringify(config.value.lint);
  lintOpen();
  return vscode.Disposable.from(
    linter,
    docs.register(),
    vscode.workspace.onDidOpenTextDocument((doc) => linter.schedule(doc, 0)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0) {
        linter.schedule(e.document, config.value.lint.debounceMs);
      }
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => linter.closed(doc)),
    config.onDidChange((settings) => {
      const now = JSON.stringify(settings.lint);
      if (now === lastLint) {
        return; // Another capability's setting changed.
      }
      lastLint = now;
      if (!settings.lint.enable) {
        linter.clearAll();
      } else {
        // Rules or severities changed, or lint came back on: every open document may differ.
        lintOpen();
      }
    }),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new LintCodeActions(linter), {
      providedCodeActionKinds: LintCodeActions.kinds,
    }),
    vscode.languages.registerHoverProvider(SELECTOR, new LintHover(linter, docs)),
    vscode.commands.registerCommand(FIX_APPLIED_COMMAND, () => undefined),
    vscode.commands.registerCommand(CHECK_WORKSPACE_COMMAND, () => {
      if (!config.value.lint.enable) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Socket lint is turned off (setting socketLifecycle.lint.enable).'));
        return { files: 0, filesWithFindings: 0, findings: 0, cancelled: false };
      }
      return checkWorkspace(linter);
    }),
  );
}
