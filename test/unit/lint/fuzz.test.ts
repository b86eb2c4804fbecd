import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lintText } from '../../../src/lint/analyzer';
import { languageFor } from '../../../src/lint/grammars';
import { DocumentLinter } from '../../../src/lint/incremental';
import { grammars, projectRoot } from './helpers';

const DIR = join(projectRoot(), 'test', 'fixtures', 'lint');
const INPUTS = 10_000;
const PER_FILE_MS = 2_000;

/** A small deterministic PRNG so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

function mutate(text: string, r: () => number): string {
  switch (Math.floor(r() * 5)) {
    case 0:
      return text.slice(0, Math.floor(r() * text.length));
    case 1: {
      const at = Math.floor(r() * text.length);
      const junk = Array.from({ length: 1 + Math.floor(r() * 8) }, () => String.fromCharCode(Math.floor(r() * 0x3000))).join('');
      return text.slice(0, at) + junk + text.slice(at + Math.floor(r() * 4));
    }
    case 2: {
      const depth = 50 + Math.floor(r() * 400);
      return text + `\nvoid deep(int s) {${'if (s) {'.repeat(depth)} close(s); ${'}'.repeat(depth)}}\n`;
    }
    case 3: {
      const a = Math.floor(r() * text.length);
      const b = Math.floor(r() * text.length);
      return text.slice(0, Math.min(a, b)) + text.slice(Math.max(a, b));
    }
    default:
      return text.replace(/[{}():]/g, (c) => (r() < 0.02 ? '' : c));
  }
}

describe('lint fuzzing', () => {
  it(`survives ${INPUTS} mutated inputs and a 5 MB file within the time bound`, async () => {
    const g = await grammars();
    const seeds = readdirSync(DIR).filter((n) => languageFor(n)).map((n) => ({ text: readFileSync(join(DIR, n), 'utf8'), language: languageFor(n)! }));
    const r = rng(42);
    let slowest = 0;
    for (let i = 0; i < INPUTS; i++) {
      const seed = seeds[i % seeds.length];
      const text = mutate(seed.text, r);
      const started = Date.now();
      // Every other input as the command line lints it (skim.ts: quiet bodies parsed as blanks).
      const result = lintText(g, text, seed.language, { timeoutMs: PER_FILE_MS, skimAbove: i % 2 === 1 ? 0 : undefined });
      const ms = Date.now() - started;
      slowest = Math.max(slowest, ms);
      assert.ok(!result.notices.some((n) => n.kind === 'unsupported'), `input ${i}: ${JSON.stringify(result.notices)}`);
      assert.ok(ms <= PER_FILE_MS * 2, `input ${i} took ${ms} ms`);
    }
    // A fixture with findings, so that partial results can show.
    const withFindings = seeds.find((f) => lintText(g, f.text, f.language).findings.length > 0)!;
    const big = withFindings.text.repeat(Math.ceil(5_000_000 / withFindings.text.length));
    const started = Date.now();
    const result = lintText(g, big, withFindings.language, { timeoutMs: PER_FILE_MS });
    const ms = Date.now() - started;
    console.log(`fuzz: ${INPUTS} inputs, slowest ${slowest} ms; 5 MB file: ${ms} ms, ${result.findings.length} findings, notices ${result.notices.map((n) => n.kind).join(',') || 'none'}`);
    assert.ok(ms <= PER_FILE_MS * 3, `5 MB file took ${ms} ms`);
    // Beyond the bound: partial results (a prefix is checked) and a notice saying so.
    assert.ok(result.notices.some((n) => n.kind === 'timeout'), JSON.stringify(result.notices));
    assert.ok(result.findings.length > 0, '5 MB file: no partial results');
  });
});

describe('lint fuzzing of the editor\'s linter (one document edited again and again)', () => {
  it('survives 1,500 successive mutations, equals a fresh lint where the trees agree, and gives a document too large to parse in time partial results', async () => {
    const g = await grammars();
    const seeds = readdirSync(DIR).filter((n) => languageFor(n)).map((n) => ({ text: readFileSync(join(DIR, n), 'utf8'), language: languageFor(n)! }));
    const r = rng(7);
    let compared = 0;
    let slowest = 0;
    for (let i = 0; i < 1_500;) {
      const seed = seeds[Math.floor(r() * seeds.length)];
      const doc = new DocumentLinter(g, seed.language, { timeoutMs: PER_FILE_MS });
      try {
        let text = seed.text;
        doc.updateText(text);
        // Each version is a mutation of the one before, as edits pile up in a document.
        for (let k = 0; k < 30; k++, i++) {
          text = text.length > 100_000 ? seed.text : mutate(text, r);
          const started = Date.now();
          const result = doc.updateText(text);
          const ms = Date.now() - started;
          slowest = Math.max(slowest, ms);
          assert.ok(!result.notices.some((n) => n.kind === 'unsupported'), `update ${i}: ${JSON.stringify(result.notices)}`);
          assert.ok(ms <= PER_FILE_MS * 2, `update ${i} took ${ms} ms`);
          if (k % 5 === 4 && doc.syntaxTree) {
            const fresh = g.parser(seed.language).parse(text)!;
            const same = fresh.rootNode.toString() === doc.syntaxTree.rootNode.toString();
            fresh.delete();
            if (same) {
              const expected = lintText(g, text, seed.language, { timeoutMs: PER_FILE_MS });
              assert.equal(JSON.stringify(result), JSON.stringify(expected), `update ${i}: the re-lint differs from a fresh lint of the same text`);
              compared++;
            }
          }
        }
      } finally {
        doc.dispose();
      }
    }
    // 20 MB: more than this machine parses within the bound even in its fast phases (5 MB
    // sometimes parsed in time there), so the prefix is what gets checked.
    // A fixture with findings, so that partial results can show.
    const withFindings = seeds.find((f) => lintText(g, f.text, f.language).findings.length > 0)!;
    const big = withFindings.text.repeat(Math.ceil(20_000_000 / withFindings.text.length));
    const doc = new DocumentLinter(g, withFindings.language, { timeoutMs: PER_FILE_MS });
    try {
      const started = Date.now();
      const result = doc.updateText(big);
      const ms = Date.now() - started;
      console.log(`editor fuzz: 1,500 updates, slowest ${slowest} ms, ${compared} compared with a fresh lint; 20 MB document: ${ms} ms, ${result.findings.length} findings, notices ${result.notices.map((n) => n.kind).join(',')}`);
      assert.ok(compared >= 100, `only ${compared} updates compared with a fresh lint`);
      assert.ok(ms <= PER_FILE_MS * 3, `20 MB document took ${ms} ms`);
      assert.equal(result.notices.filter((n) => n.kind === 'timeout').length, 1, JSON.stringify(result.notices));
      assert.ok(result.findings.length > 0, '20 MB document: no partial results');
      // Nothing kept from a lint that could not parse the whole text: the next update starts over.
      assert.equal(doc.syntaxTree, undefined);
    } finally {
      doc.dispose();
    }
  });
});
