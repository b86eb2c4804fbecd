/**
 * Preprocessor lines found without letting a regex try every offset of a file. A pattern for a
 * directive starts with `#` (after blanks at a line start, or anywhere): it can match only where
 * a `#` is, and indexOf finds those many times faster than a regex scan of the whole text tries
 * its first character. The matches are the same as a global scan's, in the same order
 * (directives.test.ts checks that on the fixtures and on random text).
 */

/** Where `^` and `$` of a multiline regex match, and what `.` does not match. */
function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * The matches of `sticky` (flags `y`, and `m` when it starts with `^[ \t]*#`) that a global scan
 * of `text` with the same pattern would find. With `lineStart`, the pattern is tried at the start
 * of each line whose first non-blank is `#`; without, at each `#`.
 */
export function directiveMatches(text: string, sticky: RegExp, lineStart: boolean): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  // A global scan goes on from where its last match ended.
  let from = 0;
  for (let i = text.indexOf('#'); i >= 0; i = text.indexOf('#', i + 1)) {
    let at = i;
    if (lineStart) {
      while (at > 0 && (text.charCodeAt(at - 1) === 32 || text.charCodeAt(at - 1) === 9)) {
        at--;
      }
      if (at > 0 && !isLineBreak(text.charCodeAt(at - 1))) {
        continue;
      }
    }
    if (at < from) {
      continue;
    }
    sticky.lastIndex = at;
    const m = sticky.exec(text);
    if (m) {
      out.push(m);
      from = at + m[0].length;
    }
  }
  return out;
}

/** A #define: its name, and the rest with its continuation lines. */
export const DEFINE_WITH_CONTINUATIONS = /^[ \t]*#[ \t]*define[ \t]+(\w+)((?:[^\n\\]|\\[\s\S])*)/my;

/**
 * A #define in text whose continuation lines are joined: its name, its parameters when `(`
 * follows the name right away (function-like), and its body.
 */
export const DEFINE_JOINED = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?:\(([^)]*)\)|(?![\w(]))(.*)$/my;

/** An #include of a Winsock header. */
export const WINSOCK_INCLUDE = /#\s*include\s*[<"](winsock2?|ws2tcpip)\.h[>"]/iy;
