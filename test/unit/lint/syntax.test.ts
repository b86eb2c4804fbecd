import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type * as TreeSitter from 'web-tree-sitter';
import { generateC } from '../../../bench/lintSource';
import { languageFor } from '../../../src/lint/grammars';
import { parseInSlices } from '../../../src/lint/analyzer';
import { deferBodyIn, FileFacts, SCAN_TYPES } from '../../../src/lint/file';
import { copyTree, markedIn, named, type SNode } from '../../../src/lint/syntax';
import { grammars, projectRoot } from './helpers';

const DIR = join(projectRoot(), 'test', 'fixtures', 'lint');

/**
 * Walks tree-sitter's named nodes and the copy's named nodes side by side (comments aside):
 * same types, field names and spans. The copy leaves punctuation and keywords out, which must change no
 * named node and no span.
 */
function compare(wasm: TreeSitter.Node, copy: SNode, where: string): number {
  let checked = 0;
  const stack: [TreeSitter.Node, SNode][] = [[wasm, copy]];
  while (stack.length > 0) {
    const [w, c] = stack.pop()!;
    const at = `${where}: ${w.type} at ${w.startIndex}`;
    assert.equal(c.type, w.type, at);
    assert.equal(c.start, w.startIndex, `${at}: start`);
    assert.equal(c.end, w.endIndex, `${at}: end`);
    checked++;
    const wk: [TreeSitter.Node, string][] = [];
    w.namedChildren.forEach((k, i) => {
      if (k && k.type !== 'comment') {
        wk.push([k, w.fieldNameForNamedChild(i) ?? '']);
      }
    });
    const ck = named(c);
    // Field names too: the analysis finds a statement's parts by field (`body`, `condition`).
    assert.deepEqual(ck.map((k) => `${k.field}:${k.type}`), wk.map(([k, f]) => `${f}:${k.type}`), `${at}: named children and their fields`);
    wk.forEach(([k], i) => stack.push([k, ck[i]]));
  }
  return checked;
}

describe('lint: tree copy', () => {
  it('has the named nodes, field names and spans tree-sitter has, for every fixture and a generated server', async () => {
    const g = await grammars();
    const inputs: [string, string][] = readdirSync(DIR).sort().map((name) => [name, readFileSync(join(DIR, name), 'utf8')]);
    inputs.push(['generated.c', generateC(1_500, 9)]);
    let files = 0;
    let nodes = 0;
    for (const [name, text] of inputs) {
      const language = languageFor(name);
      if (!language) {
        continue;
      }
      const tree = g.parser(language).parse(text)!;
      try {
        const copied = copyTree(tree.rootNode);
        nodes += compare(tree.rootNode, copied.node, name);
        copied.detach();
      } finally {
        tree.delete();
      }
      files++;
    }
    console.log(`tree copy: ${nodes} named nodes in ${files} files match tree-sitter's`);
    assert.ok(files > 50 && nodes > 10_000);
  });
});

describe('parsing in slices', () => {
  it('a parse halted and resumed many times gives the tree one call gives', async () => {
    const g = await grammars();
    const text = generateC(4_000, 21);
    const parser = g.parser('c');
    const once = parser.parse(text)!;
    let calls = 0;
    const counting = { parse: (...args: Parameters<typeof parser.parse>) => { calls++; return parser.parse(...args); } };
    const sliced = parseInSlices(counting, text, null, Date.now() + 60_000, 1)!;
    try {
      assert.ok(calls > 3, `the parse was never halted (${calls} calls)`);
      assert.equal(sliced.rootNode.toString(), once.rootNode.toString());
      assert.equal(sliced.rootNode.descendantCount, once.rootNode.descendantCount);
      assert.equal(compare(once.rootNode, copyTree(sliced.rootNode).node, 'sliced') > 1000, true);
    } finally {
      once.delete();
      sliced.delete();
    }
  });

  it('stops at the deadline between slices (null, as a parse that timed out), saying how far it got', async () => {
    const g = await grammars();
    const parser = g.parser('c');
    const started = Date.now();
    const text = generateC(20_000, 22);
    const reached = { chars: 0 };
    const tree = parseInSlices(parser, text, null, Date.now() + 30, 5, reached);
    assert.equal(tree, null);
    assert.ok(Date.now() - started < 1_000);
    // How far it got, in characters: what sizes the prefix checked instead (lintText).
    assert.ok(reached.chars > 1_000 && reached.chars < text.length, `reached ${reached.chars} of ${text.length}`);
    parser.reset();
  });
});

describe('nodes the copy lists for the file scan (CopyOptions.mark)', () => {
  it('give the scan and every function\'s locals exactly what visiting every node gives', async () => {
    const g = await grammars();
    const inputs = readdirSync(DIR).filter((n) => languageFor(n)).map((n) => ({ name: n, text: readFileSync(join(DIR, n), 'utf8') }));
    inputs.push({ name: 'generated.c', text: generateC(2_000, 9) });
    let functions = 0;
    for (const { name, text } of inputs) {
      const language = languageFor(name)!;
      const tree = g.parser(language).parse(text)!;
      try {
        const defer = deferBodyIn(language, text);
        const listed = copyTree(tree.rootNode, { defer, mark: SCAN_TYPES });
        assert.ok(listed.node.children.some((top) => (markedIn(top)?.length ?? 0) > 0), `${name}: nothing listed`);
        const facts = (root: SNode): string => {
          const f = new FileFacts(text, language, root);
          return JSON.stringify({
            functions: f.functions.map((fn) => [fn.name, fn.isEntry, [...fn.locals].map(([k, v]) => `${k}@${v.start}`)]),
            defines: [...f.defines], exits: [...f.exitMacros], dying: [...f.dying],
          });
        };
        const want = facts(copyTree(tree.rootNode, { defer }).node);
        assert.equal(facts(listed.node), want, name);
        functions += JSON.parse(want).functions.length;
      } finally {
        tree.delete();
      }
    }
    assert.ok(functions > 500, `only ${functions} functions`);
  });
});
