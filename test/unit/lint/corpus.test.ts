import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lintText } from '../../../src/lint/analyzer';
import { languageFor } from '../../../src/lint/grammars';
import { RULE_IDS } from '../../../src/lint/rules/index';
import { expectations, grammars, projectRoot } from './helpers';

const DIR = join(projectRoot(), 'test', 'fixtures', 'lint');
const TARGET = 0.95;

describe('lint corpus (expectations written in test/fixtures/lint)', () => {
  it(`scores precision and recall >= ${TARGET} per rule, and meets every expectation written there`, async () => {
    const g = await grammars();
    const stats = new Map(RULE_IDS.map((id) => [id as string, { tp: 0, fp: 0, fn: 0 }]));
    const misses: string[] = [];
    for (const name of readdirSync(DIR).sort()) {
      const language = languageFor(name);
      if (!language) {
        continue;
      }
      const text = readFileSync(join(DIR, name), 'utf8');
      const expected = expectations(text);
      const result = lintText(g, text, language, { timeoutMs: 10_000 });
      const got = result.findings.map((f) => ({ line: f.range.start.line, rule: f.ruleId as string }));
      for (const e of expected) {
        const s = stats.get(e.rule);
        assert.ok(s, `${name}:${e.line + 1}: unknown rule id ${e.rule}`);
        if (got.some((f) => f.line === e.line && f.rule === e.rule)) {
          s.tp++;
        } else {
          s.fn++;
          misses.push(`missed    ${name}:${e.line + 1} ${e.rule}`);
        }
      }
      for (const f of got) {
        if (!expected.some((e) => e.line === f.line && e.rule === f.rule)) {
          stats.get(f.rule)!.fp++;
          misses.push(`unexpected ${name}:${f.line + 1} ${f.rule}`);
        }
      }
    }
    const rows = [...stats].map(([rule, s]) => {
      const precision = s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
      const recall = s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
      return { rule, ...s, precision, recall };
    });
    console.log(['rule                        tp  fp  fn  precision recall',
      ...rows.map((r) => `${r.rule.padEnd(27)} ${String(r.tp).padStart(3)} ${String(r.fp).padStart(3)} ${String(r.fn).padStart(3)}  ${r.precision.toFixed(2).padStart(9)} ${r.recall.toFixed(2).padStart(6)}`),
      ...misses].join('\n'));
    for (const r of rows) {
      assert.ok(r.tp + r.fn > 0, `${r.rule}: no positive case in the corpus`);
      assert.ok(r.precision >= TARGET && r.recall >= TARGET, `${r.rule}: precision ${r.precision.toFixed(2)}, recall ${r.recall.toFixed(2)}`);
    }
    // Every case written in the corpus is met: one lost (or a finding added) is a regression,
    // even while the scores stay above the target.
    assert.deepEqual(misses, []);
  });
});
