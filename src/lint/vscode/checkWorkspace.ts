import * as vscode from 'vscode';
import type { DocumentLinter } from './linter';

export const CHECK_WORKSPACE_COMMAND = 'socketLifecycle.checkWorkspace';

/** Files the command lints; files.exclude applies through findFiles, node_modules is dropped here. */
const INCLUDE = '**/*.{c,h,cc,cpp,cxx,hpp,hh,py}';

/** What the command returns (tests and other callers read it). */
export interface CheckSummary { files: number; filesWithFindings: number; findings: number; cancelled: boolean }

/**
 * "Check Workspace for Socket Bugs": lints every C, C++ and Python file of the workspace with a
 * cancellable progress notification, publishes the diagnostics, and reports a summary.
 */
export async function checkWorkspace(linter: DocumentLinter): Promise<CheckSummary> {
  const summary: CheckSummary = { files: 0, filesWithFindings: 0, findings: 0, cancelled: false };
  await vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification,
    title: vscode.l10n.t('Checking the workspace for socket bugs'),
    cancellable: true,
  }, async (progress, token) => {
    const found = await vscode.workspace.findFiles(INCLUDE, undefined, undefined, token);
    const files = found.filter((u) => !u.path.split('/').includes('node_modules'))
      .sort((a, b) => a.toString().localeCompare(b.toString()));
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    for (const uri of files) {
      if (token.isCancellationRequested) {
        summary.cancelled = true;
        break;
      }
      progress.report({
        increment: 100 / Math.max(1, files.length),
        message: vscode.l10n.t('{0} of {1} files, {2} findings', summary.files, files.length, summary.findings),
      });
      const doc = open.get(uri.toString());
      const findings = doc ? await linter.lintDocument(doc) : await lintFromDisk(linter, uri);
      summary.files++;
      if (findings && findings.length > 0) {
        summary.filesWithFindings++;
        summary.findings += findings.length;
      }
      // Let the extension host breathe between files: each lint runs synchronously.
      await new Promise((r) => setImmediate(r));
    }
    summary.cancelled ||= token.isCancellationRequested;
  });
  showSummary(summary);
  return summary;
}

async function lintFromDisk(linter: DocumentLinter, uri: vscode.Uri) {
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    return await linter.lintFile(uri, new TextDecoder().decode(bytes));
  } catch {
    return undefined; // Deleted or unreadable since findFiles: nothing to report.
  }
}

/** The result as a message; not awaited, so the command returns while the message stays up. */
function showSummary(s: CheckSummary): void {
  const text = s.cancelled
    ? vscode.l10n.t('Check cancelled: {0} socket findings in {1} of the {2} files checked so far.', s.findings, s.filesWithFindings, s.files)
    : vscode.l10n.t('{0} socket findings in {1} files ({2} files checked).', s.findings, s.filesWithFindings, s.files);
  if (s.findings === 0) {
    void vscode.window.showInformationMessage(text);
    return;
  }
  const openProblems = vscode.l10n.t('Open Problems');
  void vscode.window.showInformationMessage(text, openProblems).then((choice) => {
    if (choice === openProblems) {
      void vscode.commands.executeCommand('workbench.actions.view.problems');
    }
  });
}
