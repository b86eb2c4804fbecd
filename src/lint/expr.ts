import { DEFINE_JOINED, directiveMatches } from './directives';
import { field, memoOf, named, type SNode } from './syntax';

/** Expression helpers shared by the analysis and the rules (C, C++ and Python shapes). */
export class Expr {
  // Per-node memos: the path analysis asks the same questions of a statement on every visit.
  private readonly callees = new Map<SNode, string>();
  private readonly argLists = new Map<SNode, SNode[]>();
  private readonly constants = new Map<SNode, number | undefined>();
  private readonly bases = new Map<string, string>();
  private constantDefines: ReadonlyMap<string, string> | undefined;

  /**
   * Python: names bound by `import socket as net` or `from socket import socket as Sock`, to
   * what they stand for (`net` -> `socket`, `Sock` -> `socket.socket`). Callees are read
   * through them, so `net.socket()` is `socket.socket()`.
   */
  aliases: ReadonlyMap<string, string> = new Map();

  constructor(readonly text: string) {}

  src(n: SNode): string {
    return this.text.slice(n.start, n.end);
  }

  /** Strips parentheses and casts: `((int)fd)` -> `fd`. */
  unwrap(n: SNode | undefined): SNode | undefined {
    while (n) {
      if (n.type === 'await') {
        n = named(n)[0];
      } else if (n.type === 'parenthesized_expression' || n.type === 'cast_expression') {
        const inner = n.type === 'cast_expression' ? field(n, 'value') : named(n)[0];
        if (!inner) {
          return n;
        }
        n = inner;
      } else if (n.type === 'call_expression' && /^(static_cast|reinterpret_cast|std::move|move|intptr_t)\b/.test(this.calleeOf(n))) {
        const a = this.args(n)[0];
        if (!a) {
          return n;
        }
        n = a;
      } else {
        return n;
      }
    }
    return n;
  }

  /** The identifier an expression names (after unwrapping), if it is a plain name. */
  ident(n: SNode | undefined): string | undefined {
    const u = this.unwrap(n);
    return u && u.type === 'identifier' ? this.src(u) : undefined;
  }

  isCall(n: SNode | undefined): boolean {
    return !!n && (n.type === 'call_expression' || n.type === 'call');
  }

  /** The callee as written, without spaces: `close`, `sock.close`, `std::thread`, `self.sel.unregister`. */
  calleeOf(n: SNode): string {
    let c = this.callees.get(n);
    if (c === undefined) {
      c = this.computeCallee(n);
      this.callees.set(n, c);
    }
    return c;
  }

  private computeCallee(n: SNode): string {
    const f = field(n, 'function') ?? n.children[0];
    if (!f) {
      return '';
    }
    if (f.type === 'template_function') {
      const name = field(f, 'name');
      return name ? this.src(name).replace(/\s+/g, '') : '';
    }
    const callee = this.src(f).replace(/\s+/g, '');
    if (this.aliases.size > 0) {
      const dot = callee.indexOf('.');
      const real = this.aliases.get(dot < 0 ? callee : callee.slice(0, dot));
      return real === undefined ? callee : real + (dot < 0 ? '' : callee.slice(dot));
    }
    return callee;
  }

  /** The last segment of the callee: `sock.close` -> `close`, `std::move` -> `move`. */
  baseName(callee: string): string {
    let base = this.bases.get(callee);
    if (base === undefined) {
      const m = /([A-Za-z_][A-Za-z0-9_]*)$/.exec(callee);
      base = m ? m[1] : callee;
      this.bases.set(callee, base);
    }
    return base;
  }

  /** The receiver of a method call (`sock` in `sock.close()`), if it is a call on an object. */
  receiver(n: SNode): SNode | undefined {
    const f = field(n, 'function');
    if (!f) {
      return undefined;
    }
    if (f.type === 'attribute') {
      return field(f, 'object');
    }
    if (f.type === 'field_expression') {
      return field(f, 'argument');
    }
    return undefined;
  }

  /** Positional arguments (keyword arguments and comments skipped). */
  args(n: SNode): SNode[] {
    const memo = memoOf(n);
    let a = memo ? memo.argsMemo : this.argLists.get(n);
    if (!a) {
      const list = field(n, 'arguments');
      const all = list ? named(list) : NO_ARGS;
      a = all.some((x) => x.type === 'keyword_argument') ? all.filter((x) => x.type !== 'keyword_argument') : all;
      if (memo) {
        memo.argsMemo = a;
      } else {
        this.argLists.set(n, a);
      }
    }
    return a;
  }

  /** A Python keyword argument's value: `target=` in `Thread(target=f)`. */
  kwarg(n: SNode, name: string): SNode | undefined {
    const list = field(n, 'arguments');
    for (const a of list ? named(list) : []) {
      if (a.type === 'keyword_argument') {
        const k = field(a, 'name');
        if (k && this.src(k) === name) {
          return field(a, 'value');
        }
      }
    }
    return undefined;
  }

  /** Does `n` contain a call (outside nested functions)? */
  hasCall(n: SNode): boolean {
    const stack = [n];
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (this.isCall(c)) {
        return true;
      }
      if (c.type !== 'lambda' && c.type !== 'lambda_expression') {
        stack.push(...c.children);
      }
    }
    return false;
  }

  /** Identifiers mentioned in `n`, not descending into `skip` node types. */
  idents(n: SNode, skip: ReadonlySet<string> = NO_SKIP): string[] {
    const out: string[] = [];
    const stack = [n];
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (c.type === 'identifier') {
        // `a.b`: only the object counts, not the attribute or field name.
        if (c.field !== 'field' && c.field !== 'attribute') {
          out.push(this.src(c));
        }
        continue;
      }
      if (c !== n && skip.has(c.type)) {
        continue;
      }
      for (const k of c.children) {
        stack.push(k);
      }
    }
    return out;
  }

  /** A numeric constant, folding -1, INVALID_SOCKET, SOCKET_ERROR, NULL, simple #defines. */
  constant(n: SNode | undefined, defines?: ReadonlyMap<string, string>): number | undefined {
    if (!n) {
      return undefined;
    }
    this.constantDefines ??= defines;
    const memo = defines === this.constantDefines;
    if (memo && this.constants.has(n)) {
      return this.constants.get(n);
    }
    const u = this.unwrap(n);
    const c = !u || NEVER_CONSTANT.has(u.type) ? undefined
      : constantText(u.type === 'identifier' ? this.src(u) : this.src(u).replace(/\s+/g, ''), defines, 0);
    if (memo) {
      this.constants.set(n, c);
    }
    return c;
  }
}

const NO_SKIP: ReadonlySet<string> = new Set();
const NO_ARGS: SNode[] = [];

/** Expressions whose text is never a number, a constant's name or a #define's name. */
const NEVER_CONSTANT: ReadonlySet<string> = new Set(['call_expression', 'call', 'field_expression', 'subscript_expression', 'subscript',
  'attribute', 'binary_expression', 'binary_operator', 'comparison_operator', 'boolean_operator', 'assignment_expression',
  'string_literal', 'string', 'pointer_expression', 'argument_list', 'update_expression', 'conditional_expression']);

export function constantText(t: string, defines: ReadonlyMap<string, string> | undefined, depth: number): number | undefined {
  t = t.replace(/^\((.*)\)$/, '$1');
  if (/^-?(0x[0-9a-f]+|\d+)[uUlL]*$/i.test(t)) {
    return Number.parseInt(t.replace(/[uUlL]+$/, ''), t.toLowerCase().includes('0x') ? 16 : 10) * (t.startsWith('-') && t.toLowerCase().includes('0x') ? -1 : 1);
  }
  switch (t) {
    case 'INVALID_SOCKET': case 'SOCKET_ERROR': case '~0': return -1;
    case 'NULL': case 'nullptr': case 'None': case 'false': case 'False': return 0;
    case 'true': case 'True': return 1;
  }
  // A cast to an integer type: `(SOCKET)-1`, `(size_t)-1` (an unsigned variable's -1, see Flow.unsigned).
  const cast = /^\((?:unsigned|signed|int|long|short|size_t|ssize_t|SOCKET|DWORD|u_int|uint32_t|uint64_t|socklen_t)+\)(.+)$/.exec(t);
  if (cast && depth < 4) {
    return constantText(cast[1], defines, depth + 1);
  }
  // `on ? 1 : 0` with `on` known (a helper's parameter given a constant, see linger-abortive).
  const choice = /^([\w!]+)\?([^?:]+):([^?:]+)$/.exec(t);
  if (choice && depth < 4) {
    const c = constantText(choice[1].replace(/^!/, ''), defines, depth + 1);
    return c === undefined ? undefined : constantText((c !== 0) !== choice[1].startsWith('!') ? choice[2] : choice[3], defines, depth + 1);
  }
  const def = defines?.get(t);
  if (def !== undefined && depth < 4) {
    return constantText(def.replace(/\s+/g, ''), defines, depth + 1);
  }
  return undefined;
}

/** A function-like `#define`: its parameter names and body text. */
export type Macro = { params: string[]; body: string };

/** A macro body that acts only under a condition (`if (...)`, `?:`, `&&`, `||`). */
export function conditional(body: string): boolean {
  return /\bif\s*\(|\?|&&|\|\|/.test(body);
}

/**
 * Whether a macro's body returns from the function it is used in: 'param' when the returned
 * value names one of its parameters (`#define PASS(fd) return (fd)`: what it is given leaves
 * with it), 'value' for any other return (`return -1;`), undefined when it never returns.
 */
export function macroReturn(m: Macro): 'param' | 'value' | undefined {
  const words = returnedNames(m);
  if (!words) {
    return undefined;
  }
  return m.params.some((p) => words.includes(p)) ? 'param' : 'value';
}

/** The names in what a macro's body returns (`return (fd)` -> ['fd']); undefined when it never returns. */
export function returnedNames(m: Macro): string[] | undefined {
  const ret = /\breturn\b\s*([^;}]*)/.exec(m.body);
  return ret ? ret[1].match(/[A-Za-z_]\w*/g) ?? [] : undefined;
}

/** The `#define`s of one source text, function-like and object-like (every definition, as #ifdef branches may differ). */
interface Macros { functions: Map<string, Macro[]>; objects: Map<string, Macro[]> }

let macroText: string | undefined;
let macroSets: Macros = { functions: new Map(), objects: new Map() };

function macrosOf(text: string): Macros {
  // `===` compares content when the objects differ: remember the object even when its content
  // was equal (the same document read again), so that later calls only compare pointers instead
  // of the whole text every time (25 us per call on a 500 KiB file, thousands of calls per run).
  if (text !== macroText) {
    macroSets = { functions: new Map(), objects: new Map() };
    const joined = text.replace(/\\\r?\n/g, ' ');
    // A name with `(` right after it takes parameters; any other is object-like.
    for (const hit of directiveMatches(joined, DEFINE_JOINED, true)) {
      const map = hit[2] === undefined ? macroSets.objects : macroSets.functions;
      const list = map.get(hit[1]) ?? [];
      list.push({ params: (hit[2] ?? '').split(',').map((p) => p.trim()).filter(Boolean), body: hit[3].trim() });
      map.set(hit[1], list);
    }
  }
  macroText = text;
  return macroSets;
}

/** Function-like `#define`s of a source text. */
export function functionMacros(text: string): Map<string, Macro[]> {
  return macrosOf(text).functions;
}

/** Object-like `#define`s of a source text (`#define BAIL return -1`), as macros without parameters. */
export function objectMacros(text: string): Map<string, Macro[]> {
  return macrosOf(text).objects;
}

/**
 * The definitions of the macro a statement consists of: `TRY(x);` (function-like) or `BAIL;`
 * (object-like, a name alone); undefined for any other statement.
 */
export function statementMacro(s: SNode, text: string): Macro[] | undefined {
  const e = s.type === 'expression_statement' ? named(s) : [];
  if (e.length !== 1) {
    return undefined;
  }
  if (e[0].type === 'identifier') {
    return objectMacros(text).get(text.slice(e[0].start, e[0].end));
  }
  const f = e[0].type === 'call_expression' ? field(e[0], 'function') : undefined;
  return f && f.type === 'identifier' ? functionMacros(text).get(text.slice(f.start, f.end)) : undefined;
}

/** A C++ constructor's member initializers with a value: `fd_(socket(...))` or `fd_{socket(...)}` as ['fd_', the call]. */
export function memberInits(fnNode: SNode, x: Expr): [string, SNode][] {
  const list = fnNode.children.find((c) => c.type === 'field_initializer_list');
  const out: [string, SNode][] = [];
  for (const init of list ? named(list) : []) {
    const [member, args] = named(init);
    const value = args && (args.type === 'argument_list' || args.type === 'initializer_list') ? x.unwrap(named(args)[0]) : undefined;
    if (member && value) {
      out.push([x.src(member), value]);
    }
  }
  return out;
}

/** Python modules whose names the rules read in callees (socket.socket, socketserver.TCPServer, ...). */
const ALIASED_MODULES = /^(socket|socketserver|selectors|select|contextlib|threading|asyncio|struct)$/;

/** A Python text's `import M as A` and `from M import N as A` for the modules above (see Expr.aliases). */
export function pythonAliases(text: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!/\bas\b/.test(text)) {
    return out;
  }
  for (const m of text.matchAll(/^[ \t]*import[ \t]+([\w., \t]+)$/gm)) {
    for (const [name, alias] of renamed(m[1])) {
      if (ALIASED_MODULES.test(name)) {
        out.set(alias, name);
      }
    }
  }
  for (const m of text.matchAll(/^[ \t]*from[ \t]+(\w+)[ \t]+import[ \t]+\(?([\w, \t]+)\)?[ \t]*$/gm)) {
    for (const [name, alias] of ALIASED_MODULES.test(m[1]) ? renamed(m[2]) : []) {
      out.set(alias, `${m[1]}.${name}`);
    }
  }
  return out;
}

/** The `name as alias` pairs of an import list (`socket as net, sys` -> [['socket', 'net']]). */
function renamed(list: string): [string, string][] {
  return list.split(',').map((part) => part.trim().split(/\s+as\s+/)).filter((p) => p.length === 2 && p[0] && p[1])
    .map(([name, alias]) => [name, alias.trim()]);
}
