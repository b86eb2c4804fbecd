import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

// Runs in every integration run: in English by default, and in Chinese when the launcher starts
// VS Code with SOCKET_LIFECYCLE_LOCALE=zh-cn (npm test does both). The command titles the
// palette shows are checked by the launcher itself, in the page (test/runIntegration.mjs).
const LOCALE = process.env.SOCKET_LIFECYCLE_LOCALE ?? 'en';
const HAN = /[\u4e00-\u9fff]/;

describe(`display language (${LOCALE})`, () => {
  it('VS Code runs in the requested display language', () => {
    assert.equal(vscode.env.language.toLowerCase(), LOCALE === 'en' ? 'en' : LOCALE);
  });

  it('translates text the extension shows at run time', async () => {
    // The bundle for the display language is loaded when the extension activates.
    await vscode.extensions.getExtension('socket-lifecycle.socket-lifecycle')!.activate();
    const message = vscode.l10n.t('waiting for connections (listen() was called)');
    console.log(`l10n uri ${vscode.l10n.uri?.toString()} bundle keys ${Object.keys(vscode.l10n.bundle ?? {}).length}`);
    assert.equal(HAN.test(message), LOCALE.startsWith('zh'), message);
  });
});
