import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lintText } from '../../../src/lint/analyzer';
import { languageFor } from '../../../src/lint/grammars';
import { LineIndex } from '../../../src/lint/text';
import type { TextEdit } from '../../../src/lint/types';
import { grammars, projectRoot } from './helpers';

const DIR = join(projectRoot(), 'test', 'fixtures', 'lint');

function apply(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const offsets = edits.map((e) => ({
    start: lines.lineStart(e.range.start.line) + e.range.start.character,
    end: lines.lineStart(e.range.end.line) + e.range.end.character, text: e.newText,
  })).sort((a, b) => b.start - a.start);
  for (const o of offsets) {
    text = text.slice(0, o.start) + o.text + text.slice(o.end);
  }
  return text;
}

describe('lint quick fixes', () => {
  it('every fix removes its finding and adds none', async () => {
    const g = await grammars();
    let applied = 0;
    for (const name of readdirSync(DIR).sort()) {
      const language = languageFor(name);
      if (!language) {
        continue;
      }
      const text = readFileSync(join(DIR, name), 'utf8');
      const original = lintText(g, text, language);
      const before = original.findings;
      const parsedBefore = !original.notices.some((n) => n.kind === 'syntax');
      for (const f of before) {
        for (const fix of f.fixes) {
          const fixed = apply(text, fix.edits);
          const relinted = lintText(g, fixed, language);
          const after = relinted.findings;
          // A fix must leave a file that parses: no new syntax errors.
          assert.ok(!parsedBefore || !relinted.notices.some((n) => n.kind === 'syntax'), `${name}:${f.range.start.line + 1} ${f.ruleId}: "${fix.title}" broke the syntax\n${fixed}`);
          const key = (x: { ruleId: string; message: string }): string => `${x.ruleId}|${x.message.replace(/\d+/g, "#")}`;
          const count = (list: typeof before): Map<string, number> => {
            const m = new Map<string, number>();
            for (const x of list) {
              m.set(key(x), (m.get(key(x)) ?? 0) + 1);
            }
            return m;
          };
          const b = count(before);
          const a = count(after);
          assert.ok((a.get(key(f)) ?? 0) < (b.get(key(f)) ?? 0), `${name}:${f.range.start.line + 1} ${f.ruleId}: "${fix.title}" left the finding\n${fixed}`);
          for (const [k, n] of a) {
            assert.ok(n <= (b.get(k) ?? 0), `${name}:${f.range.start.line + 1} ${f.ruleId}: "${fix.title}" added ${k}`);
          }
          applied++;
        }
      }
    }
    console.log(`fixes applied and re-linted: ${applied}`);
    assert.ok(applied >= 7);
  });

  it('offers no close() before a macro that returns only when its check fails', async () => {
    // `TRY(bind(...));` leaks when bind() fails; a close() inserted before it would close the
    // socket on the good path as well.
    const text = readFileSync(join(DIR, 'c_macro_jumps.c'), 'utf8');
    const leaks = lintText(await grammars(), text, 'c').findings.filter((f) => f.ruleId === 'socket-leak');
    const viaMacro = leaks.filter((f) => text.split('\n')[f.range.start.line].trim().startsWith('TRY('));
    assert.equal(viaMacro.length, 4);
    assert.deepEqual(viaMacro.map((f) => f.fixes.length), [0, 0, 0, 0]);
  });
});
