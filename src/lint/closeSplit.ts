import { C_BORROWING } from './api';
import type { Expr } from './expr';
import type { FnInfo } from './flow';
import { named, visit, type SNode } from './syntax';

/**
 * A same-file helper that closes its socket parameter on some paths only, and says which by
 * what it returns: Redis's `anetListen(err, s, ...)` closes `s` and returns ANET_ERR when
 * bind() or listen() fails, and returns ANET_OK with `s` still open. Returned values are keyed
 * by their constant value, or by their text when the constant is not in the file
 * (`ANET_ERR` from a header).
 */
export interface CloseSplit {
  /** What it returns after closing the parameter. */
  closed: ReadonlySet<string>;
  /** What it returns with the parameter still open. */
  open: ReadonlySet<string>;
}

const CLOSE = /^(close|closesocket)$/;

/**
 * The split of `f` for its parameter `p`, or undefined when the helper is not that simple:
 * every close of `p` must stand in a block before a `return <constant or name>` it thereby
 * precedes on every path, no return value may occur both closed and open, the body must end
 * with a return, and `p` may only go to socket calls that borrow it (nothing that keeps it).
 */
export function closeSplit(f: FnInfo, p: string, x: Expr, defines: ReadonlyMap<string, string>): CloseSplit | undefined {
  const closes = new Set<SNode>();
  const returns: SNode[] = [];
  let kept = false;
  visit(f.body, (n) => {
    if (kept || (n !== f.body && (n.type === 'function_definition' || n.type === 'lambda_expression'))) {
      return false;
    }
    if (n.type === 'return_statement') {
      returns.push(n);
      const value = named(n)[0];
      kept ||= !!value && x.idents(value).includes(p);
    } else if (x.isCall(n)) {
      const base = x.baseName(x.calleeOf(n));
      const args = x.args(n);
      if (CLOSE.test(base) && x.ident(args[0]) === p) {
        closes.add(n);
      } else if (!C_BORROWING.has(base) && args.some((a) => x.idents(a).includes(p))) {
        kept = true;
      }
    } else if ((n.type === 'assignment_expression' || n.type === 'init_declarator') && n.children.length > 1) {
      const value = n.children[n.children.length - 1];
      kept ||= x.ident(value) === p;
    }
    return true;
  });
  const stmts = named(f.body);
  if (kept || closes.size === 0 || stmts[stmts.length - 1]?.type !== 'return_statement') {
    return undefined;
  }
  const closed = new Set<string>();
  const open = new Set<string>();
  const used = new Set<SNode>();
  for (const r of returns) {
    const value = named(r)[0];
    const c = value ? x.constant(value, defines) : undefined;
    const k = c !== undefined ? String(c) : value && value.type === 'identifier' ? x.src(value) : undefined;
    if (k === undefined) {
      return undefined;
    }
    const before = closeBefore(r, f.body, closes, x);
    if (before) {
      used.add(before);
      closed.add(k);
    } else {
      open.add(k);
    }
  }
  if (used.size !== closes.size || closed.size === 0 || open.size === 0 || [...closed].some((k) => open.has(k))) {
    return undefined;
  }
  return { closed, open };
}

/** A close among the statements that come before `r` in its block or in a block around it. */
function closeBefore(r: SNode, body: SNode, closes: ReadonlySet<SNode>, x: Expr): SNode | undefined {
  for (let node = r; node !== body && node.parent; node = node.parent) {
    const block = node.parent;
    if (block.type !== 'compound_statement') {
      continue;
    }
    for (const s of block.children) {
      if (s === node) {
        break;
      }
      const call = s.type === 'expression_statement' ? x.unwrap(named(s)[0]) : undefined;
      if (call && closes.has(call)) {
        return call;
      }
    }
  }
  return undefined;
}

/**
 * The values a call's result may have on one branch of `result <cmp> k` (k a number, or a name
 * compared with == and != only): all of `split`'s values that the branch allows. Undefined when
 * the comparison says nothing certain about them.
 */
export function valuesOnBranch(split: CloseSplit, cmp: string, k: string, truth: boolean): string[] | undefined {
  const all = [...split.closed, ...split.open];
  const numeric = /^-?\d+$/.test(k) && all.every((v) => /^-?\d+$/.test(v));
  if (!numeric && cmp !== '==' && cmp !== '!=') {
    return undefined;
  }
  if (!numeric && !all.includes(k)) {
    // `rv == SOME_OTHER_NAME`: two names whose values are unknown may still be equal.
    return undefined;
  }
  return all.filter((v) => {
    const holds = numeric ? compare(Number(v), cmp, Number(k)) : (v === k) === (cmp === '==');
    return holds === truth;
  });
}

/** `a op b` for a C comparison operator. */
export function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}
