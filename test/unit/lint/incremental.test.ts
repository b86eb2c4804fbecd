import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateC, pickLine, rng } from '../../../bench/lintSource';
import { lintText } from '../../../src/lint/analyzer';
import { languageFor, type LintLanguage } from '../../../src/lint/grammars';
import { DocumentLinter, replacement } from '../../../src/lint/incremental';
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
 */
async function check(name: string, text: string, language: LintLanguage, count: number, r: () => number): Promise<{ fresh: number; divergent: number }> {
  const g = await grammars();
  const doc = new DocumentLinter(g, language, { timeoutMs: 10_000 });
  let reference = lintText(g, text, language, { timeoutMs: 10_000, keepTree: true });
  let fresh = 0;
  let divergent = 0;
  try {
    assert.equal(comparable(doc.update(text)), comparable(reference), `${name}: first lint`);
    for (let i = 0; i < count; i++) {
      const e = lineEdit(text, r);
      const next = text.slice(0, e.start) + e.inserted + text.slice(e.end);
      const change = replacement(text, e.start, e.end, e.inserted);
      const incremental = doc.update(next, change);
      const old = reference.tree!;
      old.edit(new Edit(change));
      reference = lintText(g, next, language, { timeoutMs: 10_000, oldTree: old, keepTree: true });
      old.delete();
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
  } finally {
    reference.tree?.delete();
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
    const reference = lintText(g, text, 'c', { timeoutMs: 10_000, keepTree: true });
    try {
      doc.update(text);
      const socketFunctions = doc.lastCounts.analyzed;
      const change = replacement(text, start, end, '');
      const incremental = doc.update(next, change);
      const counts = doc.lastCounts;
      reference.tree!.edit(new Edit(change));
      const again = lintText(g, next, 'c', { timeoutMs: 10_000, oldTree: reference.tree });
      assert.equal(comparable(incremental), comparable(again));
      assertCopyExact(doc, 'after the brace was deleted');
      doc.update(text, replacement(next, start, start, text.slice(start, end)));
      assert.ok(doc.lastCounts.transplanted >= 20, `only ${doc.lastCounts.transplanted} functions were moved back`);
      assertCopyExact(doc, 'after the brace was put back');
      console.log(`structural edit at line ${at + 1}: ${counts.transplanted} functions moved whole, ${counts.analyzed} of ${socketFunctions} analyzed again`);
      assert.ok(counts.transplanted >= 20, `only ${counts.transplanted} functions were moved`);
      assert.ok(counts.analyzed <= 5, `${counts.analyzed} functions were analyzed again`);
    } finally {
      reference.tree?.delete();
      doc.dispose();
    }
  });
});
