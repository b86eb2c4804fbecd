import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RULE_IDS } from '../../../src/lint/rules/index';
import { disabledLines } from '../../../src/lint/suppress';
import { disableLineEdit } from '../../../src/lint/vscode/disableLine';
import { ruleSections } from '../../../src/lint/vscode/sections';
import type { TextEdit } from '../../../src/lint/types';
import { projectRoot } from './helpers';

/** Applies one edit to text split in lines (what the editor does with the quick fix). */
function apply(lines: string[], e: TextEdit): string {
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const text = lines.join('\n');
  return text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
}

describe('disable-for-this-line edit', () => {
  it('inserts a disable-next-line comment at the line\'s indentation (C and Python)', () => {
    const c = ['int f(void) {', '\tint fd = socket(AF_INET, SOCK_STREAM, 0);', '}'];
    const out = apply(c, disableLineEdit(c, 1, 'c', 'socket-leak'));
    assert.equal(out, 'int f(void) {\n\t// socket-lifecycle-disable-next-line socket-leak\n\tint fd = socket(AF_INET, SOCK_STREAM, 0);\n}');
    assert.deepEqual([...(disabledLines(out).get(2) ?? [])], ['socket-leak']);

    const py = ['def f():', '    s.bind(addr)'];
    const pyOut = apply(py, disableLineEdit(py, 1, 'python', 'missing-reuseaddr'));
    assert.equal(pyOut, 'def f():\n    # socket-lifecycle-disable-next-line missing-reuseaddr\n    s.bind(addr)');
    assert.deepEqual([...(disabledLines(pyOut).get(2) ?? [])], ['missing-reuseaddr']);
  });

  it('adds the rule to a disable-next-line comment already above', () => {
    const c = ['    // socket-lifecycle-disable-next-line socket-leak  ', '    return fd;'];
    const out = apply(c, disableLineEdit(c, 1, 'c', 'missing-reuseaddr'));
    assert.equal(out.split('\n')[0], '    // socket-lifecycle-disable-next-line socket-leak, missing-reuseaddr  ');
    assert.deepEqual([...(disabledLines(out).get(1) ?? [])].sort(), ['missing-reuseaddr', 'socket-leak']);
  });

  it('keeps a macro body intact: a block comment on the line itself', () => {
    const c = ['#define SERVE(fd) do { \\', '    bind(fd, a, n); \\', '    listen(fd, 1); } while (0)'];
    const mid = apply(c, disableLineEdit(c, 1, 'c', 'missing-reuseaddr'));
    assert.equal(mid.split('\n')[1], '    bind(fd, a, n); /* socket-lifecycle-disable-line missing-reuseaddr */ \\');
    assert.deepEqual([...(disabledLines(mid).get(1) ?? [])], ['missing-reuseaddr']);
    const last = apply(c, disableLineEdit(c, 2, 'c', 'socket-leak'));
    assert.equal(last.split('\n')[2], '    listen(fd, 1); } while (0) /* socket-lifecycle-disable-line socket-leak */');
    assert.equal(last.split('\n').length, 3);
  });
});

describe('rule sections of docs/lint-rules.md', () => {
  it('has an explanation for every rule id, and nothing from the intro', () => {
    const sections = ruleSections(readFileSync(join(projectRoot(), 'docs', 'lint-rules.md'), 'utf8'));
    for (const id of RULE_IDS) {
      assert.ok((sections.get(id) ?? '').length > 20, `docs/lint-rules.md explains ${id}`);
    }
    assert.deepEqual([...sections.keys()].sort(), [...RULE_IDS].sort());
  });

  it('stops a section at the next heading', () => {
    const s = ruleSections('# Title\nintro\n## a-rule\none\n\ntwo\n## b\nthree\n# Other\nfour\n');
    assert.deepEqual([...s.entries()], [['a-rule', 'one\n\ntwo'], ['b', 'three']]);
  });
});
