import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sleep, waitFor } from './wait';

const EXTENSION_ID = 'socket-lifecycle.socket-lifecycle';
const SOURCE = 'socketLifecycle';

function fixture(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders![0].uri;
  return vscode.Uri.joinPath(folder, 'lint', name);
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function codes(uri: vscode.Uri): string[] {
  return ours(uri).map(codeOf).sort();
}


/** Waits until our diagnostics for `uri` are exactly `expected` and stay so past a re-lint. */
async function settlesTo(uri: vscode.Uri, expected: string[]): Promise<void> {
  const want = [...expected].sort().join(',');
  await waitFor(`diagnostics ${want}`, () => codes(uri).join(',') === want);
  await sleep(800); // longer than the default debounce (300 ms) plus a lint: nothing new appears
  assert.deepEqual(codes(uri), [...expected].sort());
}

async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fixture(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Throws away our edits (auto-save is off during the suite, so nothing reached the disk). */
async function revert(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  assert.equal(doc.isDirty, false, `${doc.uri.path} was reverted`);
}

const FIXTURES = ['echo_server.c', 'echo_server.py'];

/** The first line at or after `from` whose text matches `re`. */
function lineOf(doc: vscode.TextDocument, re: RegExp, from = 0): number {
  for (let i = from; i < doc.lineCount; i++) {
    if (re.test(doc.lineAt(i).text)) {
      return i;
    }
  }
  throw new Error(`no line matches ${re}`);
}

/** Our diagnostics for `uri` as [rule, line], in order. */
function placed(uri: vscode.Uri): [string, number][] {
  return ours(uri).map((d): [string, number] => [codeOf(d), d.range.start.line]).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}

/** All of our diagnostics for `uri`: rule, range, message. */
function full(uri: vscode.Uri): string {
  return JSON.stringify(ours(uri).map((d) => [codeOf(d), d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.message]).sort());
}

async function replace(doc: vscode.TextDocument, range: vscode.Range, text: string): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, range, text);
  return vscode.workspace.applyEdit(edit);
}

let freshCopies = 0;

/**
 * Waits until the diagnostics of the edited `doc` equal those of an unsaved copy of its text,
 * which the extension lints from scratch, and checks they stay so past a re-lint.
 */
async function sameAsFresh(doc: vscode.TextDocument): Promise<void> {
  // A name of its own: VS Code gives a closed buffer's name (Untitled-1) to the next one, and the
  // closed buffer's last diagnostics could then be taken for the new one's.
  const name = vscode.Uri.from({ scheme: 'untitled', path: `/fresh-${++freshCopies}-${Date.now()}${doc.uri.path.slice(doc.uri.path.lastIndexOf('.'))}` });
  const copy = await vscode.workspace.openTextDocument(name);
  const fill = new vscode.WorkspaceEdit();
  fill.insert(copy.uri, new vscode.Position(0, 0), doc.getText());
  assert.equal(await vscode.workspace.applyEdit(fill), true);
  await vscode.window.showTextDocument(copy);
  try {
    await waitFor('the edited document\'s diagnostics to equal a fresh lint\'s', () => full(doc.uri) === full(copy.uri) && full(copy.uri) !== '[]');
    await sleep(800);
    assert.equal(full(doc.uri), full(copy.uri));
  } finally {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.window.showTextDocument(doc);
  }
}


async function actionsFor(doc: vscode.TextDocument, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const all = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
  // The command hands back title, kind, edit and isPreferred, not the diagnostics an action fixes;
  // the range holds only `d` of ours, so every action offered there is about it.
  return all.filter((a): a is vscode.CodeAction => 'edit' in a && a.edit !== undefined);
}

async function applyPreferred(doc: vscode.TextDocument, rule: string): Promise<vscode.CodeAction> {
  const d = ours(doc.uri).find((x) => codeOf(x) === rule);
  assert.ok(d, `a ${rule} diagnostic`);
  const actions = await actionsFor(doc, d);
  const fix = actions.find((a) => a.isPreferred);
  assert.ok(fix?.edit, `a preferred quick fix for ${rule}; got ${actions.map((a) => a.title).join(' | ')}`);
  assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
  return fix;
}

describe('lint in the editor', function () {
  this.timeout(90_000);
  const touched: vscode.TextDocument[] = [];

  const onDisk = new Map<string, Uint8Array>();
  let autoSave: string | undefined;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    // Quick fixes edit the fixtures in memory only: no auto-save may write them out.
    const files = vscode.workspace.getConfiguration('files');
    autoSave = files.inspect<string>('autoSave')?.globalValue;
    await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    for (const name of FIXTURES) {
      onDisk.set(name, await vscode.workspace.fs.readFile(fixture(name)));
    }
  });

  after(async () => {
    await vscode.workspace.getConfiguration('files').update('autoSave', autoSave, vscode.ConfigurationTarget.Global);
    // The fixtures must be as they were; if a test saved one anyway, put it back and fail.
    const changed: string[] = [];
    for (const [name, bytes] of onDisk) {
      const now = await vscode.workspace.fs.readFile(fixture(name));
      if (Buffer.compare(Buffer.from(now), Buffer.from(bytes)) !== 0) {
        changed.push(name);
        await vscode.workspace.fs.writeFile(fixture(name), bytes);
      }
    }
    assert.deepEqual(changed, [], 'fixtures changed on disk');
  });

  afterEach(async () => {
    for (const doc of touched.splice(0)) {
      await revert(doc);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('publishes diagnostics for a C file: codes, docs links, related socket() site, hover', async () => {
    const doc = await open('echo_server.c');
    await waitFor('C diagnostics', () => codes(doc.uri).length >= 2);
    assert.deepEqual(codes(doc.uri), ['missing-reuseaddr', 'socket-leak']);
    for (const d of ours(doc.uri)) {
      assert.equal(typeof d.code, 'object');
      const target = (d.code as { target: vscode.Uri }).target;
      assert.equal(target.scheme, 'command');
      assert.equal(target.path, 'socketLifecycle.showRuleDocs');
      assert.deepEqual(JSON.parse(target.query), [codeOf(d)]);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    }
    const leak = ours(doc.uri).find((d) => codeOf(d) === 'socket-leak')!;
    const related = leak.relatedInformation?.[0];
    assert.ok(related, 'the leak points at where the socket was created');
    assert.equal(related.location.uri.toString(), doc.uri.toString());
    assert.match(doc.lineAt(related.location.range.start.line).text, /accept\(/);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, leak.range.start);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /CLOSE_WAIT/, 'the hover explains what the kernel does');
    assert.match(text, /command:socketLifecycle\.showRuleDocs/, 'the hover links to the rule docs');
  });

  it('opens a rule\'s explanation in the markdown preview (the target of a diagnostic\'s code)', async () => {
    await vscode.commands.executeCommand('socketLifecycle.showRuleDocs', 'socket-leak');
    const tab = await waitFor('a markdown preview tab', () => {
      const t = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((x) => x.input instanceof vscode.TabInputWebview);
      return t && (t.input as vscode.TabInputWebview).viewType.includes('markdown.preview') ? t : undefined;
    });
    assert.match(tab.label, /lint-rules/);
  });

  it('applies the SO_REUSEADDR and close() quick fixes in C and re-lints clean', async () => {
    const doc = await open('echo_server.c');
    touched.push(doc);
    await waitFor('C diagnostics', () => codes(doc.uri).length >= 2);
    await applyPreferred(doc, 'missing-reuseaddr');
    assert.ok(doc.getText().includes('\n    int opt = 1;\n    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &opt, sizeof(opt));\n    if (bind('),
      'declared and set before bind(), at its indentation');
    await settlesTo(doc.uri, ['socket-leak']);
    await applyPreferred(doc, 'socket-leak');
    await settlesTo(doc.uri, []);
  });

  it('applies the SO_REUSEADDR quick fix in Python and re-lints clean', async () => {
    const doc = await open('echo_server.py');
    touched.push(doc);
    await waitFor('Python diagnostics', () => codes(doc.uri).length >= 1);
    assert.deepEqual(codes(doc.uri), ['missing-reuseaddr']);
    await applyPreferred(doc, 'missing-reuseaddr');
    assert.ok(doc.getText().includes('\n    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n    srv.bind('),
      'set before bind(), at its indentation');
    await settlesTo(doc.uri, []);
  });

  it('disables a rule for one line with a comment at the line\'s indentation', async () => {
    const doc = await open('echo_server.c');
    touched.push(doc);
    await waitFor('C diagnostics', () => codes(doc.uri).length >= 2);
    const leak = ours(doc.uri).find((d) => codeOf(d) === 'socket-leak')!;
    const line = leak.range.start.line;
    const indent = /^\s*/.exec(doc.lineAt(line).text)![0];
    const disable = (await actionsFor(doc, leak)).find((a) => a.title === 'Disable socket-leak for this line');
    assert.ok(disable?.edit, 'a disable-for-this-line action');
    assert.notEqual(disable.isPreferred, true, 'disabling is never the preferred fix');
    assert.equal(await vscode.workspace.applyEdit(disable.edit), true);
    assert.equal(doc.lineAt(line).text, `${indent}// socket-lifecycle-disable-next-line socket-leak`);
    await settlesTo(doc.uri, ['missing-reuseaddr']);
  });

  it('re-lints after edits as a fresh lint of the same text does: two changes in one edit, a brace deleted and put back', async () => {
    const doc = await open('echo_server.c');
    touched.push(doc);
    await waitFor('C diagnostics', () => codes(doc.uri).length >= 2);
    const bindLine = lineOf(doc, /if \(bind\(/);
    const continueLine = lineOf(doc, /continue;/, lineOf(doc, /recv\(/));
    // One edit event with two changes: lines added above everything, and the leak's close().
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), '// one\n// two\n');
    edit.insert(doc.uri, new vscode.Position(continueLine, 0), '            close(client);\n');
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    await waitFor('the leak fixed and the bind moved down', () => JSON.stringify(placed(doc.uri)) === JSON.stringify([['missing-reuseaddr', bindLine + 2]]));
    await sameAsFresh(doc);

    // A deleted brace makes the parser nest the rest of the function differently.
    const braceLine = lineOf(doc, /^ {4}\}$/);
    const brace = doc.lineAt(braceLine).rangeIncludingLineBreak;
    assert.equal(await replace(doc, brace, ''), true);
    await sameAsFresh(doc);
    assert.equal(await replace(doc, new vscode.Range(brace.start, brace.start), '    }\n'), true);
    await settlesTo(doc.uri, ['missing-reuseaddr']);
    assert.deepEqual(placed(doc.uri), [['missing-reuseaddr', bindLine + 2]]);
  });

  it('lints an unsaved buffer with syntax errors: partial results, no crash', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'import socket\n\ndef serve(port):\n    srv = socket.socket()\n    srv.bind(("127.0.0.1", port))\n    srv.listen(1)\n    return srv\n\ndef broken(:\n    pass ((\n',
    });
    await vscode.window.showTextDocument(doc);
    try {
      await waitFor('diagnostics on the untitled buffer', () => codes(doc.uri).length >= 1);
      assert.deepEqual(codes(doc.uri), ['missing-reuseaddr']);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('follows the settings: per-rule severity and off, and lint.enable false clears everything', async () => {
    const lint = () => vscode.workspace.getConfiguration('socketLifecycle.lint');
    const doc = await open('echo_server.c');
    await waitFor('C diagnostics', () => codes(doc.uri).length >= 2);
    try {
      await lint().update('rules', { 'socket-leak': 'error', 'missing-reuseaddr': 'off' }, vscode.ConfigurationTarget.Global);
      await settlesTo(doc.uri, ['socket-leak']);
      assert.equal(ours(doc.uri)[0].severity, vscode.DiagnosticSeverity.Error);
      await lint().update('enable', false, vscode.ConfigurationTarget.Global);
      await settlesTo(doc.uri, []);
    } finally {
      await lint().update('rules', undefined, vscode.ConfigurationTarget.Global);
      await lint().update('enable', undefined, vscode.ConfigurationTarget.Global);
    }
    await settlesTo(doc.uri, ['missing-reuseaddr', 'socket-leak']);
  });

  it('checks the workspace: returns the counts and publishes diagnostics for files not open', async () => {
    const c = fixture('echo_server.c');
    const py = fixture('echo_server.py');
    const summary = await vscode.commands.executeCommand<{ files: number; filesWithFindings: number; findings: number; cancelled: boolean }>(
      'socketLifecycle.checkWorkspace');
    assert.ok(summary, 'the command returns its summary');
    assert.equal(summary.cancelled, false);
    assert.ok(summary.files >= 2, `files checked: ${summary.files}`);
    assert.ok(summary.filesWithFindings >= 2);
    assert.ok(summary.findings >= 3, `findings: ${summary.findings}`);
    assert.deepEqual(codes(c), ['missing-reuseaddr', 'socket-leak']);
    assert.deepEqual(codes(py), ['missing-reuseaddr']);
  });
});
