import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as vscode from 'vscode';

const EXTENSION_ID = 'socket-lifecycle.socket-lifecycle';

interface Transcript {
  name: string;
  transcript: string;
  running: boolean;
}

async function transcripts(): Promise<Transcript[]> {
  return vscode.commands.executeCommand<Transcript[]>('socketLifecycle.lab.transcripts');
}

/** Polls the terminals' transcripts until `predicate` holds for the named one. */
async function waitFor(name: string, predicate: (t: Transcript) => boolean, what: string, timeoutMs = 15_000): Promise<Transcript> {
  const deadline = Date.now() + timeoutMs;
  let last: Transcript | undefined;
  while (Date.now() < deadline) {
    last = (await transcripts()).find((t) => t.name === name);
    if (last && predicate(last)) {
      return last;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what}; terminal ${name} shows:\n${last?.transcript ?? '(no such terminal)'}`);
}

async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
    });
    if (free) {
      return port;
    }
  }
}

describe('echo lab', function () {
  this.timeout(90_000);

  after(async () => {
    await vscode.commands.executeCommand('socketLifecycle.stopAll');
    for (const terminal of vscode.window.terminals) {
      terminal.dispose();
    }
  });

  it('runs server and client from the commands, echoes a typed line, and annotates Ctrl+C', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    const port = await freePort();
    const server = await vscode.commands.executeCommand<{ name: string }>('socketLifecycle.startServer', { port, reuseaddr: false });
    assert.ok(server, 'the server started');
    const serverShown = await waitFor(server.name, (t) => /listening on 127\.0\.0\.1:\d+/.test(t.transcript), 'the server listens');
    assert.match(serverShown.transcript.split('\n')[0], new RegExp(`^\\$ \\S*echo-server\\S* .*--port ${port}$`), 'the first line is the shell command');

    const client = await vscode.commands.executeCommand<{ name: string }>('socketLifecycle.startClient', { port });
    assert.ok(client, 'the client started');
    await waitFor(client.name, (t) => /connected to 127\.0\.0\.1:\d+ from 127\.0\.0\.1:\d+/.test(t.transcript), 'the client connects');

    const clientTerminal = vscode.window.terminals.find((t) => t.name === client.name)!;
    clientTerminal.sendText('hello lab', true);
    const echoed = await waitFor(client.name, (t) => (t.transcript.match(/hello lab\n/g) ?? []).length >= 2, 'the typed line comes back');
    console.log(`client terminal:\n${echoed.transcript}`);
    await waitFor(server.name, (t) => /echoed 10 bytes/.test(t.transcript), 'the server echoed');

    const serverTerminal = vscode.window.terminals.find((t) => t.name === server.name)!;
    serverTerminal.sendText('\x03', false);
    const annotated = await waitFor(server.name, (t) =>
      /Ctrl\+C: the server closes its sockets .* the SERVER sends the first FIN/.test(t.transcript)
      && /kernel: 127\.0\.0\.1:\d+ <-> 127\.0\.0\.1:\d+ .*TIME_WAIT \(\d+ s; this side sent the first FIN\)/.test(t.transcript)
      && !t.running, 'Ctrl+C is annotated with the FIN and the TIME_WAIT');
    console.log(`server terminal:\n${annotated.transcript}`);
    await waitFor(client.name, (t) => /server closed the connection \(recv returned 0\)/.test(t.transcript) && !t.running, 'the client saw the FIN');

    // Restart without SO_REUSEADDR: bind() fails and the terminal explains why.
    const again = await vscode.commands.executeCommand<{ name: string }>('socketLifecycle.startServer', { port, reuseaddr: false });
    const failed = await waitFor(again.name, (t) => /bind\(\) failed: EADDRINUSE/.test(t.transcript) && /Fix: set SO_REUSEADDR before bind\(\)/.test(t.transcript), 'the restart fails with an explanation');
    assert.match(failed.transcript, /in TIME_WAIT \(about \d+ s left\)/);
  });

  it('reports a port held by another program by name, without starting', async () => {
    const port = await freePort();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen({ host: '127.0.0.1', port }, resolve));
    try {
      const before = (await transcripts()).length;
      const result = await vscode.commands.executeCommand('socketLifecycle.startServer', { port });
      assert.equal(result, undefined, 'nothing started');
      assert.equal((await transcripts()).length, before);
    } finally {
      holder.close();
    }
  });

  it('runs a lesson in terminals and every step holds', async () => {
    const passed = await vscode.commands.executeCommand<boolean>('socketLifecycle.runLesson', 'client-closes-first');
    const narration = (await transcripts()).find((t) => t.name === 'Lesson: client-closes-first');
    assert.equal(passed, true, narration?.transcript);
    assert.match(narration!.transcript, /\[2\/3\] Ctrl\+D in the client: it closes first[\s\S]*✓ expected: client side of the client connection: TIME_WAIT/);
    const names = (await transcripts()).map((t) => t.name);
    assert.ok(names.some((n) => /^server \(client-closes-first\)/.test(n)), names.join(', '));
    assert.ok(names.some((n) => /^client \(client-closes-first\)/.test(n)), names.join(', '));
    assert.ok(vscode.window.terminals.some((t) => t.name === 'Lesson: client-closes-first'));
    const client = (await transcripts()).find((t) => /^client \(client-closes-first\)/.test(t.name))!;
    // The watcher reports on its own poll, a moment after the lesson saw the row.
    await waitFor(client.name, (t) => /kernel: .* TIME_WAIT \(\d+ s; this side sent the first FIN\)/.test(t.transcript), 'the client terminal explains its TIME_WAIT');
  });

  it('opens the shipped C source of the server', async () => {
    await vscode.commands.executeCommand('socketLifecycle.openServerSource');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor?.document.uri.fsPath.endsWith('dist/programs/echo-server.c'), editor?.document.uri.toString());
    assert.match(editor!.document.getText(), /setsockopt|SO_REUSEADDR/);
  });
});
