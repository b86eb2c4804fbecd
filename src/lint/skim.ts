/**
 * Skimming a C/C++ file for a one-shot lint: the bodies of top-level functions that name no
 * socket API (the copy defers them, see file.ts's deferBody) are handed to the parser as blank
 * space, and parsed from the real text only if the analysis reads one (a callee summary, a
 * dying helper). On the bench's generated file a quarter of the text is such bodies, and most
 * of their parse is saved. Only a body the scan below is sure of is skimmed: its braces
 * balance, it holds no preprocessor line or raw string, and it opens right after a closing
 * parenthesis at the top level. The caller then checks that the skimmed parse has no syntax
 * error and that each skimmed span parsed as a function body (see skimmedBodiesHold), and parses
 * the real text otherwise. A skimmed parse never reads a skimmed body's own errors: the notice
 * about broken code then does not come.
 * Only files from SKIM_ABOVE characters up are skimmed (analyzer.ts).
 */

/** A skimmed file: the text the parser reads, and where each blanked body starts and ends. */
export interface Skim {
  text: string;
  /** Body spans by start offset: `{` at start, `}` just before end. */
  bodies: ReadonlyMap<number, number>;
}

/**
 * What the scan acts on; the regex engine skips everything else. Comments, strings and
 * character literals are one token each (their braces do not count), and so is a preprocessor
 * line with its continuations (`#define OPEN {`), matched from the line break before it (a
 * line-start anchor would be tried at every space of the indentation).
 */
const TOKEN = /\/\/(?:[^\n\\]|\\[\s\S])*|\/\*[\s\S]*?(?:\*\/|(?![\s\S]))|"(?:[^"\\\n]|\\[\s\S])*"?|'(?:[^'\\\n]|\\[\s\S])*'?|(?:\n|^)[ \t]*#(?:[^\n\\]|\\[\s\S])*|[{}]/g;

/** What precedes a function body: the parameter list's `)`, then nothing or C++ qualifiers. */
const BEFORE_BODY = /\)\s*(?:(?:const|noexcept|override|final)\s*)*$/;

/** Comments, strings and character literals, whose brackets do not count. */
const NOT_CODE = /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|(?![\s\S]))|"(?:[^"\\\n]|\\[\s\S])*"?|'(?:[^'\\\n]|\\[\s\S])*'?/g;

/**
 * Do a body's parentheses and square brackets pair up? A body broken inside (`clients[ != from)`)
 * is parsed, not blanked: tree-sitter's recovery from it can reach the functions after it.
 */
function bracketsBalance(body: string): boolean {
  const code = body.replace(NOT_CODE, '');
  const open: number[] = [];
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 0x28 /* ( */ || c === 0x5b /* [ */) {
      open.push(c);
    } else if (c === 0x29 /* ) */ || c === 0x5d /* ] */) {
      if (open.pop() !== (c === 0x29 ? 0x28 : 0x5b)) {
        return false;
      }
    }
  }
  return open.length === 0;
}

/**
 * The text with every skimmable body blanked, or undefined when there is none. `quiet` says
 * whether a body (start and end offsets, braces included) names nothing the analysis needs.
 */
export function skim(text: string, quiet: (start: number, end: number) => boolean): Skim | undefined {
  // A C++ raw string may hold quotes and braces that this scan would take for code.
  if (text.includes('R"')) {
    return undefined;
  }
  const bodies = new Map<number, number>();
  let depth = 0;
  let bodyStart = -1;
  /** The body being scanned holds a preprocessor line: its braces may differ per branch. */
  let unsure = false;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const at = m.index;
    const c = text.charCodeAt(at);
    if (c === 0x7b /* { */) {
      if (depth === 0) {
        bodyStart = BEFORE_BODY.test(text.slice(Math.max(0, at - 80), at)) ? at : -1;
        unsure = false;
      }
      depth++;
    } else if (c === 0x7d /* } */) {
      if (depth === 0) {
        return undefined; // unbalanced: not a file this scan understands
      }
      depth--;
      if (depth === 0 && bodyStart >= 0 && !unsure && quiet(bodyStart, at + 1) && bracketsBalance(text.slice(bodyStart, at + 1))) {
        bodies.set(bodyStart, at + 1);
      }
    } else if (depth > 0 && c !== 0x2f /* / */ && c !== 0x22 /* " */ && c !== 0x27 /* ' */) {
      unsure = true; // a preprocessor line
    }
  }
  if (depth !== 0 || bodies.size === 0) {
    return undefined;
  }
  let out = '';
  let from = 0;
  for (const [start, end] of bodies) {
    out += text.slice(from, start + 1) + ' '.repeat(end - start - 2);
    from = end - 1;
  }
  return { text: out + text.slice(from), bodies };
}
