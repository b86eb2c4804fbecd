import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rng } from '../../../bench/lintSource';
import { nameIn, occurrences } from '../../../src/lint/text';

/** What nameIn answers without a regex: the regex the analysis used to build for each body. */
function byRegex(text: string, name: string, start: number, end: number): boolean {
  return new RegExp(`\\b(?:${name.replace(/\W/g, '\\$&')})\\b`).test(text.slice(start, end));
}

const PIECES = ['f', 'fd', 'ffd', 'f_d', 'x', '_', '1', ' ', '(', ')', ';', '\n', '::', 'A::f', '.', '->', 'é', 'aé'];
const NAMES = ['f', 'fd', 'f_d', '_', 'A::f', '::f', 'fd1', '1', '', '->', 'é'];

describe('lint: names found in a span of text', () => {
  it('answers as a \\bname\\b regex on the span would, on 20,000 random texts, names and spans', () => {
    const r = rng(3);
    let found = 0;
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      for (let n = Math.floor(r() * 24); n > 0; n--) {
        text += PIECES[Math.floor(r() * PIECES.length)];
      }
      const name = NAMES[Math.floor(r() * NAMES.length)];
      const start = Math.floor(r() * (text.length + 1));
      const end = start + Math.floor(r() * (text.length - start + 1));
      const expected = byRegex(text, name, start, end);
      assert.equal(nameIn(text, name, occurrences(text, name), start, end), expected, `${JSON.stringify(name)} in ${JSON.stringify(text.slice(start, end))} of ${JSON.stringify(text)}`);
      found += expected ? 1 : 0;
    }
    // Both answers must come up often.
    assert.ok(found > 1_000 && found < 19_000, `${found} found`);
  });
});
