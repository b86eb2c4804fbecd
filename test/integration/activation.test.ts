import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'socket-lifecycle.socket-lifecycle';

describe('activation', () => {
  it('activates without errors and records its activation time', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    const started = performance.now();
    await extension.activate();
    const ms = performance.now() - started;
    assert.equal(extension.isActive, true);
    const api = extension.exports as { activationMs?: number } | undefined;
    assert.equal(typeof api?.activationMs, 'number', 'activate() reports its own duration');
    console.log(`activation: ${ms.toFixed(1)} ms (activate() itself: ${api!.activationMs!.toFixed(1)} ms) in VS Code ${vscode.version}`);
  });

  it('registers every command that package.json contributes', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    const contributed = (extension.packageJSON.contributes?.commands ?? []) as { command: string }[];
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('runs inside a real VS Code workbench with our workspace open', () => {
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    assert.equal(folder.uri.path.endsWith('test/fixtures/workspace'), true, folder.uri.toString());
  });
});

describe('walkthrough', () => {
  it('names only commands that exist and media that ship', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    const nls = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, 'package.nls.json'))));
    const resolve = (text: string) => text.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? text);
    const registered = new Set(await vscode.commands.getCommands(true));
    const walkthroughs = extension.packageJSON.contributes.walkthroughs as { steps: { description: string; completionEvents: string[]; media: { markdown: string } }[] }[];
    assert.ok(walkthroughs.length > 0);
    let named = 0;
    for (const step of walkthroughs.flatMap((w) => w.steps)) {
      const fromEvents = step.completionEvents.filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
      const fromLinks = [...resolve(step.description).matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]);
      for (const id of [...fromEvents, ...fromLinks]) {
        assert.ok(registered.has(id), `walkthrough names ${id}, which is not registered`);
        named++;
      }
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(extension.extensionUri, step.media.markdown));
    }
    assert.ok(named >= 4, `only ${named} commands named`);
  });
});
