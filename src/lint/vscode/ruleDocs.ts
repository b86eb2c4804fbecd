import * as vscode from 'vscode';
import { localizedDocsName, ruleSections } from './sections';

/** Internal command behind each diagnostic's code link: opens the rule's section of the docs. */
export const SHOW_RULE_DOCS_COMMAND = 'socketLifecycle.showRuleDocs';

/** The link target of a diagnostic's code: our command with the rule id as its argument. */
export function ruleDocsUri(ruleId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: 'command', path: SHOW_RULE_DOCS_COMMAND, query: JSON.stringify([ruleId]) });
}

/**
 * The rule docs for the UI language: docs/lint-rules.<language>.md when the extension ships one
 * (e.g. zh-cn), else the English docs/lint-rules.md. Both have the same `## rule-id` headings,
 * so sections and fragments work alike.
 */
export async function localizedRuleDocs(extensionUri: vscode.Uri, language = vscode.env.language): Promise<vscode.Uri> {
  const english = vscode.Uri.joinPath(extensionUri, 'docs', 'lint-rules.md');
  const name = localizedDocsName(language);
  if (!name) {
    return english;
  }
  const translated = vscode.Uri.joinPath(extensionUri, 'docs', name);
  try {
    await vscode.workspace.fs.stat(translated);
    return translated;
  } catch {
    return english;
  }
}

/** The rule explanations shipped with the extension (in the UI language when we have it), read once. */
export class RuleDocs {
  private file: Promise<vscode.Uri> | undefined;
  private sections: Promise<Map<string, string>> | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The docs file for the UI language, with the rule's heading as fragment (the preview scrolls to it). */
  async uri(ruleId?: string): Promise<vscode.Uri> {
    this.file ??= localizedRuleDocs(this.extensionUri);
    const file = await this.file;
    return ruleId ? file.with({ fragment: ruleId }) : file;
  }

  /** The explanation of one rule (markdown), or undefined when the docs are missing. */
  async section(ruleId: string): Promise<string | undefined> {
    this.sections ??= this.uri()
      .then((uri) => vscode.workspace.fs.readFile(uri))
      .then((bytes) => ruleSections(new TextDecoder().decode(bytes)))
      .catch(() => new Map<string, string>());
    return (await this.sections).get(ruleId);
  }

  /** Opens the rule's section in the markdown preview; a plain editor if the preview is missing. */
  async show(ruleId?: unknown): Promise<void> {
    const uri = await this.uri(typeof ruleId === 'string' && /^[a-z-]+$/.test(ruleId) ? ruleId : undefined);
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
