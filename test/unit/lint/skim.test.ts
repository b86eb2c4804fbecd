import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateC, rng } from '../../../bench/lintSource';
import { lintText, realBodies, skimmedBodiesHold } from '../../../src/lint/analyzer';
import { deferBody } from '../../../src/lint/file';
import { languageFor } from '../../../src/lint/grammars';
import { skim } from '../../../src/lint/skim';
import { copyTree, shape } from '../../../src/lint/syntax';
import { grammars, projectRoot } from './helpers';

const DIR = join(projectRoot(), 'test', 'fixtures', 'lint');

/** The fixtures in `languages`, with their text. */
function fixtures(languages: readonly string[]): { name: string; text: string }[] {
  return readdirSync(DIR).filter((n) => languages.includes(languageFor(n) ?? ''))
    .map((n) => ({ name: n, text: readFileSync(join(DIR, n), 'utf8') }));
}

/** The bodies skim() blanks in `text`, as the text of each. */
function skimmed(text: string): string[] {
  const s = skim(text, deferBody(text));
  if (!s) {
    return [];
  }
  let restored = s.text;
  for (const [start, end] of s.bodies) {
    assert.equal(s.text.slice(start, end), `{${' '.repeat(end - start - 2)}}`, 'a body is blank between its braces');
    restored = restored.slice(0, start) + text.slice(start, end) + restored.slice(end);
  }
  assert.equal(restored, text, 'nothing else changed, and every offset is kept');
  return [...s.bodies].map(([start, end]) => text.slice(start, end));
}

describe('skimming a one-shot parse (skim.ts)', () => {
  it('blanks the bodies of top-level functions that name no socket API, and nothing else', () => {
    const text = [
      'struct conn { int fd; char buf[64]; };',
      'static int table[] = { 1, 2, 3 };',
      'static int add(int a, int b) { return a + b; }',
      'static const char *name(void) { return "}{"; }',
      'static int brace(void) { return \'}\' + \'{\'; } /* } */',
      'int serve(int port) { int s = socket(AF_INET, SOCK_STREAM, 0); return s; }',
      'static int cond(int x) {',
      '#ifdef DEBUG',
      '    return x;',
      '#endif',
      '    return 0;',
      '}',
      'int Box::get() const { return v_; }',
      'extern "C" { int inner(void) { return 1; } }',
      '#define OPEN {',
      'int last(void) { return 2; }',
    ].join('\n');
    assert.deepEqual(skimmed(text), [
      '{ return a + b; }',
      '{ return "}{"; }',
      '{ return \'}\' + \'{\'; }',
      '{ return v_; }',
      '{ return 2; }',
    ]);
  });

  it('gives up on text whose braces it cannot be sure of', () => {
    assert.equal(skim('int f(void) { return 1; } }', () => true), undefined, 'unbalanced');
    assert.equal(skim('int f(void) { return 1;', () => true), undefined, 'unclosed');
    assert.equal(skim('int f(void) { auto s = R"(})"; return 1; }', () => true), undefined, 'raw string');
    assert.equal(skim('int f(void) { return 1; }', () => false), undefined, 'nothing quiet');
    assert.equal(skim('#define OPEN {\nint f(void) { return 1; }', () => true)?.bodies.size, 1, 'a directive on the first line is one token');
  });

  it('checks that each blanked span parsed as a function body among clean neighbours, and parses the real text when one did not', async () => {
    const g = await grammars();
    const text = [
      'static int *slot;',
      'auto keep = [](int v) { *slot = v; };',
      'static int twice(int v) { return 2 * v; }',
      'int leaky() {',
      '    int s = socket(AF_INET, SOCK_STREAM, 0);',
      '    return twice(1);',
      '}',
    ].join('\n');
    const s = skim(text, deferBody(text))!;
    assert.equal(s.bodies.size, 2, 'the lambda\'s body looks like a function\'s to the scan');
    const tree = g.parser('cpp').parse(s.text)!;
    try {
      assert.equal(skimmedBodiesHold(tree.rootNode, s.bodies), false);
      const only = skim(text.replace('auto keep = [](int v) { *slot = v; };', ''), deferBody(text))!;
      const other = g.parser('cpp').parse(only.text)!;
      assert.equal(skimmedBodiesHold(other.rootNode, only.bodies), true);
      other.delete();
    } finally {
      tree.delete();
    }
    const fast = lintText(g, text, 'cpp', { timeoutMs: 10_000, skimAbove: 0 });
    assert.deepEqual(fast, lintText(g, text, 'cpp', { timeoutMs: 10_000 }));
    assert.deepEqual(fast.findings.map((f) => `${f.ruleId}:${f.range.start.line + 1}`), ['socket-leak:6']);

    // A function typed into the middle of a prototype: tree-sitter recovers from the broken
    // line differently with the real body and with a blank one, and reads a later call of
    // loop_watch() differently. Such a function is not skimmed.
    const seed = readFileSync(join(DIR, 'cleanup_helper.c'), 'utf8');
    const at = seed.indexOf('struct ev_loop *l') + 'struct ev_loop *l'.length;
    const broken = `${seed.slice(0, at)}\nstatic int helper(int a) { return a + 1; }\n${seed.slice(at)}`;
    assert.ok(skim(broken, deferBody(broken))?.bodies.size, 'the scan finds the helper');
    assert.deepEqual(lintText(g, broken, 'c', { timeoutMs: 10_000, skimAbove: 0 }).findings, lintText(g, broken, 'c', { timeoutMs: 10_000 }).findings);
  });

  it('copies every blanked body, once read, exactly as a parse of the real text gives it', async () => {
    const g = await grammars();
    const files = fixtures(['c', 'cpp']);
    files.push({ name: 'generated.c', text: generateC(3_000, 7) });
    let bodies = 0;
    for (const { name, text } of files) {
      const language = languageFor(name)!;
      const s = skim(text, deferBody(text));
      if (!s) {
        continue;
      }
      const parser = g.parser(language);
      const real = parser.parse(text)!;
      const fast = parser.parse(s.text)!;
      const reader = realBodies(parser, text, s.bodies);
      try {
        const want = shape(copyTree(real.rootNode).node);
        const got = shape(copyTree(fast.rootNode, { defer: deferBody(text), blanked: reader }).node);
        assert.equal(got, want, name);
        bodies += s.bodies.size;
      } finally {
        reader.dispose();
        real.delete();
        fast.delete();
      }
    }
    assert.ok(bodies >= 50, `only ${bodies} bodies were skimmed`);
  });

  it('finds the same bugs with and without skimming, also where a skimmed helper decides', async () => {
    const g = await grammars();
    const helpers = [
      '#include <stdlib.h>',
      'static int *slot;',
      'static void keep(int v) { *slot = v; }',
      'static void die(const char *m) { perror(m); exit(1); }',
      'int open_server(void) {',
      '    int s = socket(AF_INET, SOCK_STREAM, 0);',
      '    if (s < 0) return -1;',
      '    if (fcntl(s, F_SETFL, O_NONBLOCK) < 0) die("fcntl");',
      '    keep(s);',
      '    return 0;',
      '}',
      'int leaky(void) {',
      '    int s = socket(AF_INET, SOCK_STREAM, 0);',
      '    if (s < 0) return -1;',
      '    return 0;',
      '}',
    ].join('\n');
    assert.deepEqual(skimmed(helpers), ['{ *slot = v; }', '{ perror(m); exit(1); }']);
    const files = fixtures(['c', 'cpp', 'python']);
    files.push({ name: 'helpers.c', text: helpers });
    for (const { name, text } of files) {
      const language = languageFor(name)!;
      const plain = lintText(g, text, language, { timeoutMs: 10_000 });
      const fast = lintText(g, text, language, { timeoutMs: 10_000, skimAbove: 0 });
      assert.deepEqual(fast, plain, name);
    }
    const leaks = lintText(g, helpers, 'c', { timeoutMs: 10_000, skimAbove: 0 }).findings.map((f) => `${f.ruleId}:${f.range.start.line + 1}`);
    assert.deepEqual(leaks, ['socket-leak:15'], 'keep() takes the socket over and die() ends the process; leaky() leaks it');
  });

  it('finds the same bugs with and without skimming in 1,000 broken variants of the fixtures', async () => {
    const g = await grammars();
    // The fixtures with a body to skim, and a generated server file.
    const seeds = fixtures(['c', 'cpp']).filter((f) => skim(f.text, deferBody(f.text)) !== undefined);
    seeds.push({ name: 'generated.c', text: generateC(600, 11) });
    const r = rng(7);
    const pieces = ['{', '}', '"', '\'', '/*', '*/', '//', '#if X\n', '#endif\n', ')', '\nstatic int helper(int a) { return a + 1; }\n'];
    let skimmedInputs = 0;
    for (let i = 0; i < 1_000; i++) {
      const { name, text: seed } = seeds[i % seeds.length];
      const at = Math.floor(r() * seed.length);
      const text = r() < 0.5
        ? seed.slice(0, at) + pieces[Math.floor(r() * pieces.length)] + seed.slice(at)
        : seed.slice(0, at) + seed.slice(at + Math.floor(r() * 40));
      const language = languageFor(name)!;
      const plain = lintText(g, text, language, { timeoutMs: 10_000 });
      const fast = lintText(g, text, language, { timeoutMs: 10_000, skimAbove: 0 });
      // Only the notice about broken code may differ: the skimmed parse never reads a quiet body's errors.
      assert.deepEqual(fast.findings, plain.findings, `${name}, variant ${i}`);
      skimmedInputs += skim(text, deferBody(text)) ? 1 : 0;
    }
    assert.ok(skimmedInputs > 700, `only ${skimmedInputs} variants had a body to skim`);
  });
});
