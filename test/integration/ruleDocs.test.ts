import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './wait';

// The rule explanations follow the display language: docs/lint-rules.zh-cn.md in a Chinese
// VS Code (SOCKET_LIFECYCLE_LOCALE=zh-cn), docs/lint-rules.md otherwise; hover and preview alike.
const LOCALE = process.env.SOCKET_LIFECYCLE_LOCALE ?? 'en';
const CHINESE = LOCALE.startsWith('zh');


describe(`rule docs in the display language (${LOCALE})`, function () {
  it('the hover quotes the socket-leak section of the docs in that language', async () => {
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'lint', 'echo_server.c');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const leak = await waitFor('a socket-leak diagnostic', () => vscode.languages.getDiagnostics(uri)
      .find((d) => d.source === 'socketLifecycle' && typeof d.code === 'object' && d.code.value === 'socket-leak'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, leak.range.start);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, CHINESE ? /既没有被关闭，也没有交给别处负责/ : /neither closed nor handed off/, text);
  });

  it('the docs link opens the docs file of that language in the markdown preview', async () => {
    await vscode.commands.executeCommand('socketLifecycle.showRuleDocs', 'socket-leak');
    const want = CHINESE ? `lint-rules.${LOCALE}.md` : 'lint-rules.md';
    await waitFor(`a preview of ${want}`, () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.label.includes(want)));
  });
});
