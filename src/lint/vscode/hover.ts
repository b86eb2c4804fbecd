import * as vscode from 'vscode';
import { ruleById } from '../rules/index';
import { ruleIdOf } from './convert';
import type { DocumentLinter } from './linter';
import { type RuleDocs, SHOW_RULE_DOCS_COMMAND, ruleDocsUri } from './ruleDocs';

/**
 * On one of our diagnostics: what the rule is about (the kernel's side, from the rule docs
 * in the UI language, see RuleDocs),
 * how to fix it (the quick fixes on offer), and a link to the full explanation.
 */
export class LintHover implements vscode.HoverProvider {
  constructor(private readonly linter: DocumentLinter, private readonly docs: RuleDocs) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const ours = (this.linter.collection.get(doc.uri) ?? []).filter((d) => d.range.contains(position) && ruleIdOf(d));
    if (ours.length === 0) {
      return undefined;
    }
    const md = new vscode.MarkdownString();
    md.isTrusted = { enabledCommands: [SHOW_RULE_DOCS_COMMAND] };
    const shown = new Set<string>();
    let range = ours[0].range;
    for (const d of ours) {
      const id = ruleIdOf(d)!;
      range = range.union(d.range);
      if (shown.has(id)) {
        continue;
      }
      shown.add(id);
      if (shown.size > 1) {
        md.appendMarkdown('\n\n---\n\n');
      }
      md.appendMarkdown(`**${escape(ruleById(id)?.title ?? id)}** `);
      md.appendMarkdown(`\`${id}\`\n\n`);
      const section = await this.docs.section(id);
      if (section) {
        md.appendMarkdown(`${section}\n\n`);
      }
      const fixes = this.linter.findingFor(doc, id, d.range)?.fixes ?? [];
      if (fixes.length > 0) {
        md.appendMarkdown(escape(vscode.l10n.t('Quick fix: {0}', fixes.map((f) => f.title).join('; '))) + '\n\n');
      }
      md.appendMarkdown(`[${escape(vscode.l10n.t('Read the full explanation of {0}', id))}](${ruleDocsUri(id).toString()})`);
    }
    return new vscode.Hover(md, range);
  }
}

/** Escapes markdown syntax in plain text (rule titles and messages are plain). */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
