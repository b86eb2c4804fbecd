import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lintText } from '../../../src/lint/analyzer';
import { languageFor } from '../../../src/lint/grammars';
import { grammars, projectRoot } from './helpers';

const DIR = join(projectRoot(), 'src', 'programs');

/**
 * The bundled echo programs are careful code: the only findings are the intended ones, the
 * servers' bind() without SO_REUSEADDR (they set it only with --reuseaddr, for the lessons).
 */
describe('lint on the bundled echo programs', () => {
  it('reports only the intended missing-reuseaddr on each server bind()', async () => {
    const g = await grammars();
    const names = readdirSync(DIR).filter((n) => languageFor(n)).sort();
    assert.ok(names.some((n) => n.endsWith('.c')) && names.some((n) => n.endsWith('.py')), 'C and Python programs present');
    for (const name of names) {
      const text = readFileSync(join(DIR, name), 'utf8');
      const result = lintText(g, text, languageFor(name)!, { timeoutMs: 10_000 });
      const got = result.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`);
      const lines = text.split('\n');
      const expected = /^echo-server\.(c|py)$/.test(name)
        ? lines.flatMap((l, i) => (/^\s*(if \()?(listener\.)?bind\(/.test(l) ? [`missing-reuseaddr@${i + 1}`] : []))
        : [];
      if (/^echo-server\./.test(name)) {
        assert.equal(expected.length, 1, `${name}: one bind() call`);
      }
      assert.deepEqual(got, expected, name);
    }
  });
});
