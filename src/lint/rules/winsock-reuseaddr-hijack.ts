import { l10n } from '../../l10n';
import { finding, type Rule } from '../rule';
import { field, visit, type SNode } from '../syntax';
import type { Finding } from '../types';

const WINDOWS = /\b(_WIN32|_WIN64|WIN32|_WINDOWS|_MSC_VER|__MINGW32__|__CYGWIN__)\b/;
const UNIX = /\b(__linux__|__unix__|__unix|unix|__APPLE__|__FreeBSD__|__NetBSD__|__OpenBSD__|_POSIX_VERSION|__linux)\b/;

/** winsock-reuseaddr-hijack: Winsock SO_REUSEADDR without SO_EXCLUSIVEADDRUSE. */
export const winsockReuseaddrHijack: Rule = {
  id: 'winsock-reuseaddr-hijack',
  defaultSeverity: 'warning',
  languages: ['c', 'cpp'],
  title: l10n.t('SO_REUSEADDR on Windows allows port hijacking'),
  check(ctx) {
    const out: Finding[] = [];
    if (!ctx.facts.winsock) {
      return out;
    }
    const x = ctx.facts.expr;
    visit(ctx.facts.root, (n) => {
      if (!x.isCall(n) || x.baseName(x.calleeOf(n)) !== 'setsockopt') {
        return true;
      }
      const opt = x.args(n)[2];
      if (!opt || !/\bSO_REUSEADDR\b/.test(x.src(opt)) || onlyOffWindows(n, x.text)) {
        return true;
      }
      const fn = enclosingFunction(n);
      if (fn && /SO_EXCLUSIVEADDRUSE/.test(x.src(fn))) {
        return true;
      }
      const token = /\bSO_REUSEADDR\b/.exec(x.src(opt))!;
      const start = opt.start + token.index;
      out.push(finding(ctx, winsockReuseaddrHijack, n,
        l10n.t('On Windows, SO_REUSEADDR lets another process bind the same port and steal its connections. Use SO_EXCLUSIVEADDRUSE instead (setting both fails with WSAEINVAL).'),
        [{ title: l10n.t('Use SO_EXCLUSIVEADDRUSE'), preferred: true, edits: [{ range: ctx.lines.range(start, start + 12), newText: 'SO_EXCLUSIVEADDRUSE' }] }]));
      return true;
    });
    return out;
  },
};

function enclosingFunction(n: SNode): SNode | undefined {
  let p = n.parent;
  while (p && p.type !== 'function_definition') {
    p = p.parent;
  }
  return p;
}

/** Is `n` inside a preprocessor branch that only non-Windows builds compile? */
function onlyOffWindows(n: SNode, text: string): boolean {
  let child = n;
  for (let p = n.parent; p; child = p, p = p.parent) {
    if (p.type !== 'preproc_ifdef' && p.type !== 'preproc_if' && p.type !== 'preproc_elif') {
      continue;
    }
    const cond = field(p, 'name') ?? field(p, 'condition');
    const condText = cond ? text.slice(cond.start, cond.end) : '';
    const head = text.slice(p.start, cond ? cond.start : p.start);
    const negated = /#\s*ifndef/.test(head) || /!\s*defined/.test(condText);
    let windowsWhenTrue: boolean | undefined;
    if (WINDOWS.test(condText)) {
      windowsWhenTrue = !negated;
    } else if (UNIX.test(condText)) {
      windowsWhenTrue = negated;
    }
    if (windowsWhenTrue === undefined) {
      continue;
    }
    const inElse = child.field === 'alternative';
    const windowsBranch = inElse ? !windowsWhenTrue : windowsWhenTrue;
    if (!windowsBranch) {
      return true;
    }
  }
  return false;
}
