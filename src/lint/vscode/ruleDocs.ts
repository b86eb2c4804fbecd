import * as vscode from 'vscode';
import { ruleSections } from './sections';

/** Internal command behind each diagnostic's code link: opens the rule's section of the docs. */
export const SHOW_RULE_DOCS_COMMAND = 'socketLifecycle.showRuleDocs';

/** The link target of a diagnostic's code: our command with the rule id as its argument. */
export function ruleDocsUri(ruleId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: 'command', path: SHOW_RULE_DOCS_COMMAND, query: JSON.stringify([ruleId]) });
}

/** The rule explanations shipped with the extension (docs/lint-rules.md), read once. */
export class RuleDocs {
  private sections: Promise<Map<string, string>> | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** docs/lint-rules.md, with the rule's heading as fragment (the preview scrolls to it). */
  uri(ruleId?: string): vscode.Uri {
    const file = vscode.Uri.joinPath(this.extensionUri, 'docs', 'lint-rules.md');
    return ruleId ? file.with({ fragment: ruleId }) : file;
  }

  /** The explanation of one rule (markdown), or undefined when the docs are missing. */
  async section(ruleId: string): Promise<string | undefined> {
    this.sections ??= Promise.resolve(vscode.workspace.fs.readFile(this.uri()))
      .then((bytes) => ruleSections(new TextDecoder().decode(bytes)))
      .catch(() => new Map<string, string>());
    return (await this.sections).get(ruleId);
  }

  /** Opens the rule's section in the markdown preview; a plain editor if the preview is missing. */
  async show(ruleId?: unknown): Promise<void> {
    const uri = this.uri(typeof ruleId === 'string' && /^[a-z-]+$/.test(ruleId) ? ruleId : undefined);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      await vscode.commands.executeCommand('vscode.open', uri);
    }
  }

  register(): vscode.Disposable {
    return vscode.commands.registerCommand(SHOW_RULE_DOCS_COMMAND, (ruleId?: unknown) => this.show(ruleId));
  }
}
