import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateC, rng } from '../../../bench/lintSource';
import { DEFINE_JOINED, DEFINE_WITH_CONTINUATIONS, directiveMatches, WINSOCK_INCLUDE } from '../../../src/lint/directives';
import { projectRoot } from './helpers';

const PATTERNS: { name: string; sticky: RegExp; lineStart: boolean }[] = [
  { name: 'DEFINE_WITH_CONTINUATIONS', sticky: DEFINE_WITH_CONTINUATIONS, lineStart: true },
  { name: 'DEFINE_JOINED', sticky: DEFINE_JOINED, lineStart: true },
  { name: 'WINSOCK_INCLUDE', sticky: WINSOCK_INCLUDE, lineStart: false },
];

/** Every match of the pattern's global scan of the whole text (what directiveMatches replaces). */
function scanned(text: string, sticky: RegExp): string[] {
  return [...text.matchAll(new RegExp(sticky.source, sticky.flags.replace('y', 'g')))].map((m) => JSON.stringify([m.index, ...m]));
}

function found(text: string, sticky: RegExp, lineStart: boolean): string[] {
  return directiveMatches(text, sticky, lineStart).map((m) => JSON.stringify([m.index, ...m]));
}

/** Pieces random text is made of: directives, blanks, every line break a regex knows, continuations. */
const PIECES = ['#', '# ', ' #', '\t', ' ', 'define', 'define ', '#define A 1\n', '#define C c \\\n#define D d\n', '#  define F(x) x \\\n + 1\n', '# define G(a,\nb) a\n',
  'include', ' <winsock2.h>', '"ws2tcpip.h"', 'WinSock.h', '#include <WINSOCK.H>\n', 'X', 'f(a, b)', '(', ')', '\\', '\n', '\r', '\r\n',
  '\\\n', '\\\r\n', '\\\r', '\u2028', '\u2029', 'x = 1;', 'abc', '//', '"#define S 1"'];

describe('lint: directives found from their #', () => {
  it('gives exactly the matches of a global scan, on every fixture, a generated file and 5,000 random texts', () => {
    const dir = join(projectRoot(), 'test', 'fixtures', 'lint');
    const texts = readdirSync(dir).map((n) => readFileSync(join(dir, n), 'utf8'));
    texts.push(generateC(2_000, 3));
    const r = rng(5);
    for (let i = 0; i < 5_000; i++) {
      let text = '';
      for (let n = 1 + Math.floor(r() * 40); n > 0; n--) {
        text += PIECES[Math.floor(r() * PIECES.length)];
      }
      texts.push(text);
    }
    let matches = 0;
    for (const text of texts) {
      for (const p of PATTERNS) {
        const expected = scanned(text, p.sticky);
        assert.deepEqual(found(text, p.sticky, p.lineStart), expected, `${p.name} on ${JSON.stringify(text.slice(0, 200))}`);
        matches += expected.length;
      }
    }
    // The random texts must exercise the patterns, not only miss them.
    assert.ok(matches > 5_000, `only ${matches} matches`);
  });
});
