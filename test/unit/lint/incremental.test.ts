import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateC, pickLine, rng } from '../../../bench/lintSource';
import { lintText, lintTree } from '../../../src/lint/analyzer';
import { languageFor, type LintLanguage } from '../../../src/lint/grammars';
import { DocumentLinter, replacement, textChange } from '../../../src/lint/incremental';
import { SCAN_TYPES } from '../../../src/lint/file';
import { copyTree, markedIn, shape, type SNode, visit } from '../../../src/lint/syntax';
import type { LintResult } from '../../../src/lint/types';
import type * as TreeSitter from 'web-tree-sitter';
import { grammars, projectRoot } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Edit } = require('web-tree-sitter') as typeof TreeSitter;

const DIR = join(projectRoot(), 'test', 'fixtures', 'lint');

/** One-line edits of the kinds a user makes: retype a line, add or drop a statement, comment out, break a brace. */
function lineEdit(text: string, r: () => number): { start: number; end: number; inserted: string } {
  const { start, end, old } = pickLine(text, r);
  const indent = /^\s*/.exec(old)![0];
  switch (Math.floor(r() * 7)) {
    case 0:
      return { start, end, inserted: old.replace(/\d+/, (d) => String(Number(d) + 1)) };
    case 1:
      return { start: end, end, inserted: `\n${indent}close(fd);` };
    case 2:
      return { start, end: end + 1, inserted: '' };
    case 3:
      return { start, end: start, inserted: '// ' };
    case 4:
      return { start: end, end, inserted: ' {' };
    case 5: {
      const at = start + Math.floor(r() * (end - start + 1));
      return { start: at, end: at, inserted: 'x' };
    }
    default:
      return { start, end, inserted: old.replace(/\bclose\(/, 'shutdown(') };
  }
}

const comparable = (r: LintResult): string => JSON.stringify({ findings: r.findings, notices: r.notices });

/**
 * The linter's copy, made of nodes reused and moved from earlier copies and nodes copied anew,
 * must be exactly a full copy of its tree: that checks every subtree the re-lint took from an
 * earlier copy instead of reading it (transplant.ts relies on the same text parsing the same way).
 */
function assertCopyExact(doc: DocumentLinter, what: string): void {
  // The nodes each top-level node lists for the file scan (see markedIn) are still exactly the
  // ones a visit of it meets, moved subtrees and all.
  for (const top of doc.syntaxCopy!.children) {
    const listed = markedIn(top);
    if (listed) {
      const met: SNode[] = [];
      visit(top, (n) => {
        if (SCAN_TYPES.has(n.type)) {
          met.push(n);
        }
      });
      assert.ok(listed.length === met.length && listed.every((n, i) => n === met[i]), `${what}: the nodes listed for the scan of ${top.type} ${top.start}-${top.end} are not the ones a visit meets`);
    }
  }
  const reused = shape(doc.syntaxCopy!);
  const full = shape(copyTree(doc.syntaxTree!.rootNode).node);
  let at = 0;
  while (at < reused.length && reused[at] === full[at]) {
    at++;
  }
  assert.ok(reused === full, `${what}: the re-lint's copy differs from a full copy at\n  ${reused.slice(at - 80, at + 80)}\n  ${full.slice(at - 80, at + 80)}`);
}

/**
 * Edits `text` `count` times with a DocumentLinter and checks each result against lintText() on
 * the same incremental parse (which it must equal), and against a fresh lint of the new text
 * (which it must equal whenever tree-sitter's incremental tree equals a fresh parse: with
 * syntax errors, its error recovery may differ). Returns how many fresh comparisons were made.
 * With `upTo` above 1, each update gets 1 to `upTo` edits at once and only the new text, as the
 * editor gives it (updateText finds the change).
 */
async function check(name: string, text: string, language: LintLanguage, count: number, r: () => number, upTo = 1): Promise<{ fresh: number; divergent: number }> {
  const g = await grammars();
  const doc = new DocumentLinter(g, language, { timeoutMs: 10_000 });
  const parser = g.parser(language);
  let tree = parser.parse(text)!;
  let fresh = 0;
  let divergent = 0;
  try {
    assert.equal(comparable(doc.update(text)), comparable(lintTree(tree, text, language, { timeoutMs: 10_000 })), `${name}: first lint`);
    const socketFunctions = doc.lastCounts.analyzed;
    const brokeClean = !tree.rootNode.hasError;
    let analyzed = 0;
    let updates = 0;
    for (let i = 0; i < count; i++) {
      const edits = [];
      let next = text;
      for (let k = upTo > 1 ? 1 + Math.floor(r() * upTo) : 1; k > 0; k--) {
        const e = lineEdit(next, r);
        next = next.slice(0, e.start) + e.inserted + next.slice(e.end);
        edits.push(e);
      }
      const e = edits.length === 1 ? edits[0] : edits;
      const change = upTo > 1 ? textChange(text, next) : replacement(text, edits[0].start, edits[0].end, edits[0].inserted);
      const incremental = upTo > 1 ? doc.updateText(next) : doc.update(next, change!);
      if (!change) {
        continue; // An edit undone by the next: the update linted the same text again.
      }
      // Once the edits break a clean file (a deleted brace nests what follows), an edit near
      // the break rightly reaches everything the broken node holds: count the other updates.
      if (!brokeClean || !doc.syntaxTree!.rootNode.hasError) {
        analyzed += doc.lastCounts.analyzed;
        updates++;
      }
      const old = tree;
      old.edit(new Edit(change));
      tree = parser.parse(next, old)!;
      old.delete();
      const reference = lintTree(tree, next, language, { timeoutMs: 10_000 });
      const what = `${name} edit ${i}: ${JSON.stringify(e)}`;
      assert.equal(comparable(incremental), comparable(reference), what);
      assertCopyExact(doc, what);
      const freshTree = g.parser(language).parse(next)!;
      const same = freshTree.rootNode.toString() === doc.syntaxTree!.rootNode.toString();
      freshTree.delete();
      if (same) {
        assert.equal(comparable(incremental), comparable(lintText(g, next, language, { timeoutMs: 10_000 })), `${what} (fresh)`);
        fresh++;
      } else {
        divergent++;
      }
      text = next;
    }
    // Each update analyzed again only the functions its edits reached, not the whole file. (On
    // average over three updates or more, and up to 60% of them: one edit of a helper that most
    // functions call, such as py_mini_httpd.py's parse_request, rightly reaches them all, and so
    // does one of a method named like a socket call, such as py_reactor_echo.py's close(), which
    // every body with a conn.close() names. A re-lint that analyzed everything would be at 100%.)
    assert.ok(socketFunctions < 10 || updates < 3 || analyzed < socketFunctions * updates * 0.6, `${name}: ${analyzed} functions analyzed in ${updates} updates of a file with ${socketFunctions}`);
  } finally {
    tree.delete();
    doc.dispose();
  }
  return { fresh, divergent };
}

describe('lint: incremental re-lint', () => {
  it('after each of 30 one-line edits of a 2,000-line file, equals a lint of the same text', async () => {
    const { fresh, divergent } = await check('generated.c', generateC(2_000, 3), 'c', 30, rng(7));
    console.log(`incremental: 30 edits, ${fresh} also equal to a fresh parse's lint, ${divergent} where tree-sitter's incremental tree differs`);
    assert.ok(fresh >= 15);
  });

  it('equals a lint of the same text after random edits of every fixture (C, C++, Python)', async () => {
    const r = rng(11);
    let fresh = 0;
    let divergent = 0;
    for (const name of readdirSync(DIR).sort()) {
      const language = languageFor(name);
      if (language) {
        const n = await check(name, readFileSync(join(DIR, name), 'utf8'), language, 8, r);
        fresh += n.fresh;
        divergent += n.divergent;
      }
    }
    console.log(`incremental: fixtures, ${fresh} edits also equal to a fresh parse's lint, ${divergent} where tree-sitter's incremental tree differs`);
    assert.ok(fresh > divergent);
  });

  it('given only the new text after up to three edits at once (as the editor gives it), equals a lint of the same text', async () => {
    const { fresh, divergent } = await check('generated.c', generateC(1_200, 9), 'c', 25, rng(23), 3);
    console.log(`incremental, several edits per update: ${fresh} also equal to a fresh parse's lint, ${divergent} where tree-sitter's incremental tree differs`);
    assert.ok(fresh >= 10);
  });
});

describe('lint: DocumentLinter.updateText', () => {
  it('re-runs on the same text (edits undone before the update) reuse everything and analyze nothing', async () => {
    const g = await grammars();
    const text = generateC(600, 4);
    const doc = new DocumentLinter(g, 'c', { timeoutMs: 10_000 });
    try {
      const first = doc.updateText(text);
      assert.ok(first.findings.length > 0);
      assert.equal(comparable(doc.updateText(text.slice(0, 10) + text.slice(10))), comparable(first));
      assert.equal(doc.lastCounts.analyzed, 0);
      assert.ok(doc.lastCounts.reused > 10, `reused ${doc.lastCounts.reused}`);
    } finally {
      doc.dispose();
    }
  });
});

describe('lint: textChange', () => {
  it('finds the one replacement that turns a text into another, without splitting a character', () => {
    const r = rng(5);
    const alphabet = ['a', 'b', '\n', '{', '}', ' ', '\u00e9', '\ud83d\ude00', '\ud83d\ude01', '\ud83e\ude00'];
    const word = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    for (let i = 0; i < 5_000; i++) {
      let before: string;
      let after: string;
      if (i % 2 === 0) {
        before = word(Math.floor(r() * 12));
        after = r() < 0.1 ? before : word(Math.floor(r() * 12));
      } else {
        // Long texts that differ in one or two places: the comparison skips equal blocks.
        before = word(Math.floor(r() * 4_000));
        after = before;
        for (let k = Math.floor(r() * 3); k > 0; k--) {
          const at = Math.floor(r() * (after.length + 1));
          after = after.slice(0, at) + word(Math.floor(r() * 3)) + after.slice(Math.min(after.length, at + Math.floor(r() * 3)));
        }
      }
      const c = textChange(before, after);
      if (before === after) {
        assert.equal(c, undefined);
        continue;
      }
      assert.ok(c, `${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
      const inserted = after.slice(c.startIndex, c.newEndIndex);
      assert.equal(before.slice(0, c.startIndex) + inserted + before.slice(c.oldEndIndex), after);
      assert.equal(after.length - c.newEndIndex, before.length - c.oldEndIndex, 'the same text follows the change in both');
      assert.deepEqual(c, replacement(before, c.startIndex, c.oldEndIndex, inserted));
      for (const at of [c.startIndex, c.oldEndIndex]) {
        const code = before.charCodeAt(at);
        assert.ok(!(code >= 0xdc00 && code <= 0xdfff), `the change starts or ends inside a character: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
      }
      // Nothing more could be left out: the texts differ right after the common start (or one
      // unit later, where the change took in the first half of a character), and so at the end.
      const tail = before.length - c.oldEndIndex;
      assert.ok(c.startIndex + tail <= Math.min(before.length, after.length));
      assert.ok(before.slice(0, c.startIndex + 2) !== after.slice(0, c.startIndex + 2) || c.startIndex + 2 > Math.min(before.length, after.length) - tail,
        `the change could start later: ${c.startIndex}`);
      assert.ok(before.slice(before.length - tail - 2) !== after.slice(after.length - tail - 2) || c.startIndex + tail + 2 > Math.min(before.length, after.length),
        `the change could end earlier: ${c.oldEndIndex}`);
    }
  });
});

/**
 * Lints `text` (one missing-reuseaddr, in a method other than the constructor), then inserts
 * `inserted` after the line holding `anchor` in the constructor: the re-lint, which reuses the
 * unchanged method, must find nothing, as a fresh lint does.
 */
async function constructorEdit(language: LintLanguage, text: string, anchor: string, inserted: string): Promise<void> {
  const g = await grammars();
  const doc = new DocumentLinter(g, language, { timeoutMs: 10_000 });
  try {
    assert.deepEqual(doc.update(text).findings.map((f) => f.ruleId), ['missing-reuseaddr']);
    const at = text.indexOf('\n', text.indexOf(anchor)) + 1;
    const next = text.slice(0, at) + inserted + text.slice(at);
    const incremental = doc.update(next, replacement(text, at, at, inserted));
    assert.deepEqual(incremental.findings, []);
    assert.equal(comparable(incremental), comparable(lintText(g, next, language, { timeoutMs: 10_000 })));
  } finally {
    doc.dispose();
  }
}

describe('lint: incremental re-lint of a class (methods start from what the constructor put in members)', () => {
  it('Python: an edit of __init__ reaches start()', async () => {
    const text = [
      'import socket', '', '', 'class Server:', '    def __init__(self, port):', '        self.port = port',
      '        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)', '', '    def start(self):',
      '        self.sock.bind(("", self.port))', '        self.sock.listen(5)', '',
    ].join('\n');
    await constructorEdit('python', text, 'self.sock = ', '        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n');
  });

  it('C++: an edit of the constructor reaches start()', async () => {
    const text = [
      '#include <sys/socket.h>', 'class Server {', 'public:', '    Server()', '    {', '        fd_ = socket(AF_INET, SOCK_STREAM, 0);',
      '    }', '    bool start()', '    {', '        if (bind(fd_, 0, 0) < 0)', '            return false;', '        return listen(fd_, 8) == 0;',
      '    }', 'private:', '    int fd_;', '};', '',
    ].join('\n');
    await constructorEdit('cpp', text, 'fd_ = socket', '        int on = 1; setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);\n');
  });
});

describe('lint: incremental re-lint of a Python file whose module aliases change', () => {
  it('an edit of `import socket as net` reaches the functions that call net.socket()', async () => {
    const g = await grammars();
    const text = ['import socket as net', '', '', 'def serve(port):', '    s = net.socket(net.AF_INET, net.SOCK_STREAM)',
      '    s.bind(("", port))', '    s.listen(5)', '    return s', ''].join('\n');
    const doc = new DocumentLinter(g, 'python', { timeoutMs: 10_000 });
    try {
      assert.deepEqual(doc.updateText(text).findings.map((f) => f.ruleId), ['missing-reuseaddr']);
      // `net` no longer names the socket module: serve()'s body is unchanged, but not what it calls.
      const next = text.replace('import socket as net', 'import socket as sk');
      const incremental = doc.updateText(next);
      assert.deepEqual(incremental.findings, []);
      assert.equal(comparable(incremental), comparable(lintText(g, next, 'python', { timeoutMs: 10_000 })));
      assert.deepEqual(doc.updateText(text).findings.map((f) => f.ruleId), ['missing-reuseaddr']);
    } finally {
      doc.dispose();
    }
  });
});

describe('lint: incremental re-lint of a Python file whose socket tables change', () => {
  it('an edit that stops putting sockets in a dict reaches the method that deletes from it', async () => {
    const g = await grammars();
    const text = ['import socket', '', '', 'class Hub:', '    def __init__(self):', '        self.conns = {}', '',
      '    def add(self, conn):', '        self.conns[conn.fileno()] = conn', '',
      '    def on_data(self, conn):', '        fd = conn.fileno()', '        data = conn.recv(1024)', '        if not data:',
      '            del self.conns[fd]', '            return', '        conn.sendall(data)', ''].join('\n');
    const doc = new DocumentLinter(g, 'python', { timeoutMs: 10_000 });
    try {
      // The del drops the last reference to conn, a socket the dict held: a leak.
      assert.deepEqual(doc.updateText(text).findings.map((f) => `${f.ruleId}:${f.range.start.line + 1}`), ['socket-leak:15']);
      // The dict now holds flags: on_data() is unchanged, but its del drops no socket.
      const next = text.replace('self.conns[conn.fileno()] = conn', 'self.conns[conn.fileno()] = 1');
      const incremental = doc.updateText(next);
      assert.deepEqual(incremental.findings, []);
      assert.equal(comparable(incremental), comparable(lintText(g, next, 'python', { timeoutMs: 10_000 })));
      assert.deepEqual(doc.updateText(text).findings.map((f) => `${f.ruleId}:${f.range.start.line + 1}`), ['socket-leak:15']);
    } finally {
      doc.dispose();
    }
  });
});

describe('lint: incremental re-lint after a structural edit', () => {
  it('deleting a closing brace nests the later functions, which keep their analysis', async () => {
    const g = await grammars();
    const text = generateC(2_000, 5);
    const lines = text.split('\n');
    // The first line holding only the brace that closes an inner block (an if or a loop).
    const at = lines.findIndex((l, i) => i > 40 && /^ {4}\}$/.test(l) && lines[i + 1] !== '}');
    assert.ok(at > 0);
    const start = lines.slice(0, at).join('\n').length + 1;
    const end = start + lines[at].length + 1;
    const next = text.slice(0, start) + text.slice(end);
    const doc = new DocumentLinter(g, 'c', { timeoutMs: 10_000 });
    const reference = g.parser('c').parse(text)!;
    try {
      doc.update(text);
      const socketFunctions = doc.lastCounts.analyzed;
      const change = replacement(text, start, end, '');
      const incremental = doc.update(next, change);
      const counts = doc.lastCounts;
      reference.edit(new Edit(change));
      const again = g.parser('c').parse(next, reference)!;
      try {
        assert.equal(comparable(incremental), comparable(lintTree(again, next, 'c', { timeoutMs: 10_000 })));
      } finally {
        again.delete();
      }
      assertCopyExact(doc, 'after the brace was deleted');
      doc.update(text, replacement(next, start, start, text.slice(start, end)));
      assert.ok(doc.lastCounts.transplanted >= 20, `only ${doc.lastCounts.transplanted} functions were moved back`);
      assertCopyExact(doc, 'after the brace was put back');
      console.log(`structural edit at line ${at + 1}: ${counts.transplanted} functions moved whole, ${counts.analyzed} of ${socketFunctions} analyzed again`);
      assert.ok(counts.transplanted >= 20, `only ${counts.transplanted} functions were moved`);
      assert.ok(counts.analyzed <= 5, `${counts.analyzed} functions were analyzed again`);
    } finally {
      reference.delete();
      doc.dispose();
    }
  });
});
