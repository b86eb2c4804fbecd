import { l10n } from '../../l10n';
import { deleteStatement, statementOf } from '../fixes';
import { finding, type Rule, type RuleContext } from '../rule';
import { field, named, visit, type SNode } from '../syntax';
import { firstAtOrAfter, occurrences } from '../text';
import type { Finding, Fix } from '../types';
import { constantText } from '../expr';

/** linger-abortive: SO_LINGER {l_onoff != 0, l_linger == 0} turns close() into a reset. */
export const lingerAbortive: Rule = {
  id: 'linger-abortive',
  defaultSeverity: 'warning',
  languages: ['c', 'cpp', 'python'],
  title: l10n.t('Abortive close with SO_LINGER {1, 0}'),
  check(ctx) {
    const x = ctx.facts.expr;
    const out: Finding[] = [];
    if (!ctx.facts.text.includes('SO_LINGER')) {
      return out;
    }
    // One walk finds the calls and the statements that may fill a struct linger.
    const calls: SNode[] = [];
    const writes: SNode[] = [];
    const lingers = mentionsOf(ctx.facts.text, 'SO_LINGER');
    visit(ctx.facts.root, (n) => {
      // A write counts only at file level or in the function of the call (see lingerValue),
      // whose text names SO_LINGER: functions that do not are passed over.
      if (n.type === 'function_definition' && !lingers(n.start, n.end)) {
        return false;
      }
      if (n.type === 'init_declarator' || n.type === 'assignment_expression') {
        writes.push(n);
      } else if (x.isCall(n) && x.baseName(x.calleeOf(n)) === 'setsockopt' && /SO_LINGER/.test(x.src(n))) {
        calls.push(n);
      }
      return true;
    });
    WRITE_NODES.set(ctx.facts, writes);
    for (const n of calls) {
      const args = x.args(n);
      const value = ctx.language === 'python' ? args[2] : args[3];
      const pair = value ? lingerValue(ctx, value, n) : undefined;
      if (pair && pair[0] !== 0 && pair[1] === 0) {
        const stmt = statementOf(n);
        // A helper's call given the pair by one caller serves the others too: no deletion there.
        const edits = stmt.type === 'expression_statement' && !pair[2] ? deleteStatement(ctx, stmt) : [];
        const fix: Fix = { title: l10n.t('Remove the abortive linger (close normally)'), preferred: true, edits };
        out.push(finding(ctx, lingerAbortive, n,
          l10n.t('SO_LINGER with l_onoff=1 and l_linger=0 makes close() send RST: TIME_WAIT is skipped and anything still queued, such as a final reply or error message, may never reach the peer, who sees ECONNRESET.'),
          edits.length > 0 ? [fix] : []));
      }
    }
    return out;
  },
};

/**
 * Folds the {l_onoff, l_linger} pair the option points at, if it is known; a third element, true,
 * says a caller's arguments made it (see callArguments).
 */
function lingerValue(ctx: RuleContext, value: SNode, call: SNode): [number, number, boolean?] | undefined {
  const x = ctx.facts.expr;
  const assigned = ctx.language === 'python' ? pyAssignmentsBefore(ctx, call) : [];
  const defs = ctx.language === 'python' ? pyConstants(ctx, assigned) : ctx.facts.defines;
  const pack = (t: string): [number, number] | undefined => {
    const m = /struct\.pack\(\s*['"][@=<>!]?[a-zA-Z]+['"]\s*,\s*([^,]+),\s*([^,)]+)\)/.exec(t);
    const a = m ? constantText(m[1].trim(), defs, 0) : undefined;
    const b = m ? constantText(m[2].trim(), defs, 0) : undefined;
    return a !== undefined && b !== undefined ? [a, b] : undefined;
  };
  if (ctx.language === 'python') {
    const direct = pack(x.src(value));
    if (direct) {
      return direct;
    }
    // A module constant or a local of the calling function holding the packed pair.
    const name = x.ident(value);
    let found: [number, number] | undefined;
    for (const n of assigned) {
      if (x.ident(field(n, 'left')) === name) {
        found = pack(x.src(field(n, 'right') ?? n)) ?? found;
      }
    }
    return found;
  }
  const t = x.src(value).replace(/\s+/g, '');
  // `(const char *)&lg`, `reinterpret_cast<const char*>(&lg)`, `&lg`
  const m = /&([A-Za-z_]\w*)\)?$/.exec(t.replace(/^\([^)]*\)/, '').replace(/^(?:reinterpret_cast|static_cast|const_cast)<[^>]*>\(/, ''));
  if (!m) {
    return undefined;
  }
  const name = m[1];
  let onoff: string | undefined;
  let linger: string | undefined;
  // The struct is a global (file-level code first) or a local of the calling function; the
  // last write before the call wins.
  const fn = enclosingFunction(call);
  const writes = lingerWrites(ctx);
  for (const scope of fn ? [undefined, fn] : [undefined]) {
    for (const w of writes) {
      if (w.fn === scope && w.start < call.start && w.name === name) {
        if (w.onoff !== NOT_SET) {
          onoff = w.onoff;
        }
        if (w.linger !== NOT_SET) {
          linger = w.linger;
        }
      }
    }
  }
  if (onoff === undefined || linger === undefined) {
    return undefined;
  }
  const pair = (defs: ReadonlyMap<string, string>): [number, number] | undefined => {
    const a = constantText(onoff!, defs, 0);
    const b = constantText(linger!, defs, 0);
    return a !== undefined && b !== undefined ? [a, b] : undefined;
  };
  const direct = pair(ctx.facts.defines);
  const info = !direct && fn ? ctx.facts.functions.find((f) => f.node === fn) : undefined;
  if (!info || info.params.length === 0) {
    return direct;
  }
  // Set from the helper's parameters (`set_linger(fd, true, 0)`): the pair of each same-file
  // call with constant arguments, an abortive one first.
  let found: [number, number, boolean] | undefined;
  for (const args of callArguments(ctx.facts.text, info.name, info.body.start)) {
    const defs = new Map(ctx.facts.defines);
    info.params.forEach((p, i) => args[i] !== undefined && defs.set(p, args[i]));
    const p = pair(defs);
    if (p && (!found || (p[0] !== 0 && p[1] === 0))) {
      found = [p[0], p[1], true];
    }
  }
  return found;
}

/**
 * The argument texts (spaces removed) of each call of `name` in `text`, but the definition
 * (the one whose parameter list ends before `bodyStart` and whose body opens there).
 */
function callArguments(text: string, name: string, bodyStart: number): string[][] {
  const out: string[][] = [];
  for (const at of occurrences(text, name)) {
    let i = at + name.length;
    while (i < text.length && /\s/.test(text[i])) {
      i++;
    }
    if (text[i] !== '(' || /\w/.test(text[at - 1] ?? '')) {
      continue;
    }
    const args: string[] = [];
    let depth = 0;
    let from = i + 1;
    let end = -1;
    for (let j = i; j < text.length && end < 0; j++) {
      const c = text[j];
      if (c === '(' || c === '[' || c === '{') {
        depth++;
      } else if (c === ')' || c === ']' || c === '}') {
        if (--depth === 0) {
          end = j;
        }
      } else if (c === ',' && depth === 1) {
        args.push(text.slice(from, j).replace(/\s+/g, ''));
        from = j + 1;
      } else if (c === ';' && depth <= 1) {
        break;
      }
    }
    if (end < 0 || /^\s*(const\s*)?\{/.test(text.slice(end + 1, bodyStart + 1)) && end < bodyStart) {
      continue;
    }
    args.push(text.slice(from, end).replace(/\s+/g, ''));
    out.push(args);
  }
  return out;
}

/**
 * Python assignments before `call` at module level and in its function, in order (nested
 * definitions are not searched).
 */
function pyAssignmentsBefore(ctx: RuleContext, call: SNode): SNode[] {
  const out: SNode[] = [];
  for (const scope of new Set([ctx.facts.root, enclosingFunction(call) ?? ctx.facts.root])) {
    visit(scope, (n) => {
      if (n !== scope && (n.type === 'function_definition' || n.type === 'class_definition')) {
        return false;
      }
      if (n.type === 'assignment' && n.start < call.start) {
        out.push(n);
      }
      return true;
    });
  }
  return out;
}

/** The file's defines plus the names `assigned` binds to a number (`l_onoff = 1`), the last binding winning. */
function pyConstants(ctx: RuleContext, assigned: readonly SNode[]): ReadonlyMap<string, string> {
  const x = ctx.facts.expr;
  const out = new Map(ctx.facts.defines);
  for (const n of assigned) {
    const name = x.ident(field(n, 'left'));
    const value = x.src(field(n, 'right') ?? n).trim();
    if (name && /^(-?\d+|True|False)$/.test(value)) {
      out.set(name, value);
    }
  }
  return out;
}

const NOT_SET = Symbol('not set');
/** A field's value as written (spaces removed), folded against the call's constants later. */
type Value = string | typeof NOT_SET;
/** One write of a struct linger's fields: `struct linger l = {1, 0};` or `l.l_linger = 0;`. */
interface LingerWrite { start: number; fn: SNode | undefined; name: string; onoff: Value; linger: Value }

const WRITES = new WeakMap<object, LingerWrite[]>();
/** The declarations and assignments check() passed, for lingerWrites. */
const WRITE_NODES = new WeakMap<object, SNode[]>();

/**
 * Every write that may set a linger pair, in document order, collected once per file (one
 * walk, not one per setsockopt call).
 */
function lingerWrites(ctx: RuleContext): LingerWrite[] {
  let out = WRITES.get(ctx.facts);
  if (out) {
    return out;
  }
  out = [];
  const x = ctx.facts.expr;
  const text = (n: SNode): string => x.src(n).replace(/\s+/g, '');
  const list = out;
  for (const n of WRITE_NODES.get(ctx.facts) ?? []) {
    if (n.type === 'init_declarator') {
      const v = field(n, 'value');
      if (v && v.type === 'initializer_list') {
        const w: LingerWrite = { start: n.start, fn: enclosingFunction(n), name: x.src(field(n, 'declarator') ?? n), onoff: NOT_SET, linger: NOT_SET };
        named(v).forEach((it, i) => {
          if (it.type === 'initializer_pair') {
            const d = x.src(named(it)[0]);
            const c = text(named(it)[named(it).length - 1]);
            if (/l_onoff/.test(d)) {
              w.onoff = c;
            } else if (/l_linger/.test(d)) {
              w.linger = c;
            }
          } else if (i === 0) {
            w.onoff = text(it);
          } else if (i === 1) {
            w.linger = text(it);
          }
        });
        list.push(w);
      }
    } else if (n.type === 'assignment_expression' && field(n, 'left')?.type === 'field_expression') {
      const l = x.src(field(n, 'left')!).replace(/\s+/g, '');
      const f = /^(.*)\.(l_onoff|l_linger)$/.exec(l);
      if (f) {
        const r = text(field(n, 'right') ?? n);
        list.push({ start: n.start, fn: enclosingFunction(n), name: f[1], onoff: f[2] === 'l_onoff' ? r : NOT_SET, linger: f[2] === 'l_linger' ? r : NOT_SET });
      }
    }
  }
  WRITES.set(ctx.facts, out);
  return out;
}

function enclosingFunction(n: SNode): SNode | undefined {
  let p = n.parent;
  while (p && p.type !== 'function_definition') {
    p = p.parent;
  }
  return p;
}

/** Does `text` name `word` between two offsets? (One scan for all questions, then binary search.) */
function mentionsOf(text: string, word: string): (start: number, end: number) => boolean {
  const at = occurrences(text, word);
  return (start, end) => {
    const k = firstAtOrAfter(at, start);
    return k < at.length && at[k] + word.length <= end;
  };
}
