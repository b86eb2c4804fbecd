/**
 * Disable comments:
 *   `// socket-lifecycle-disable-line [rule-id, ...]`       on the offending line
 *   `// socket-lifecycle-disable-next-line [rule-id, ...]`  on the line above
 * (`#` in Python). Without ids, every rule is disabled for that line.
 */
export const DISABLE_LINE = 'socket-lifecycle-disable-line';
export const DISABLE_NEXT_LINE = 'socket-lifecycle-disable-next-line';

const PATTERN = /(?:\/\/|\/\*|#)\s*socket-lifecycle-disable-(next-)?line\b([^\n*]*)/g;

/** Line number (zero-based) -> disabled rule ids ('*' = all). */
export function disabledLines(text: string): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  if (!text.includes('socket-lifecycle-disable-')) {
    return out;
  }
  for (const m of text.matchAll(PATTERN)) {
    const line = countLines(text, m.index ?? 0) + (m[1] ? 1 : 0);
    const ids = m[2].split(/[\s,]+/).filter((s) => /^[a-z-]+$/.test(s));
    const set = out.get(line) ?? new Set<string>();
    for (const id of ids.length > 0 ? ids : ['*']) {
      set.add(id);
    }
    out.set(line, set);
  }
  return out;
}

function countLines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) {
    n++;
  }
  return n;
}

/** The comment a "disable for this line" quick fix appends. */
export function disableComment(language: 'c' | 'cpp' | 'python', ruleId: string): string {
  return `${language === 'python' ? '  #' : ' //'} ${DISABLE_LINE} ${ruleId}`;
}
