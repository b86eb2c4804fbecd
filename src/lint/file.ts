import { EXIT_CALLS } from './api';
import { closeSplit, type CloseSplit } from './closeSplit';
import { directiveMatches, WINSOCK_INCLUDE } from './directives';
import type { LintLanguage } from './grammars';
import { conditional, Expr, memberInits, pythonAliases } from './expr';
import { declName, type FileContext, type FnInfo, NON_TCP } from './flow';
import { type DeferBody, field, isDeferred, LOOP_TYPES, markedBelow, markedIn, named, visit, type SNode } from './syntax';
import { escapeRegExp } from './text';

const MAIN_NAMES = new Set(['main', 'wmain', '_tmain', 'WinMain', 'wWinMain']);
/** A function worth a CFG: it names a socket call somewhere in its text. */
const SOCKETISH = /\b(socket|accept4?|WSASocket\w*|close|closesocket|shutdown|setsockopt|bind|listen|recv\w*|read|create_connection|create_server|unregister|FD_CLR|FD_ISSET|epoll_ctl|sock_accept)\b/;
/** Stevens' unp.h wrappers: C code that calls only these touches sockets too (in C++ they are common method names). */
const UNPISH = /\b(Socket|Accept|Bind|Listen|Setsockopt|Shutdown|Tcp_listen|Tcp_connect)\b/;

/**
 * Function bodies the file scan and the rules' whole-file visits must see: socket calls (the
 * analysis), thread starts and `std::thread`/`async` declarations (thread entries), `#define`
 * (exit macros), SO_LINGER structs. A body mentioning none of these is copied from the wasm
 * tree only if something asks for it (a callee summary, a dying helper, a listen()).
 */
const EAGER = new RegExp(`${SOCKETISH.source}|${UNPISH.source}|thread|async|Thread|Process|submit|run_in_executor|apply_async|#\\s*define|linger`);

/** One finding of the file scan in a top-level node. */
type ScanOp = { kind: 'define'; name: string; value: string } | { kind: 'entry'; name: string; shared: number[] }
  | { kind: 'exit'; name: string; sometimes: boolean } | { kind: 'function'; node: SNode };

/** Scan findings per top-level node; reused nodes (same object after an edit) keep theirs. */
const SCANNED = new WeakMap<SNode, ScanOp[]>();

/**
 * One function as the analysis sees it. Read from the function's own subtree only, so a
 * re-lint that reuses the subtree reuses this too (with the new file's facts for what is
 * computed on first use: locals and socket names, needed only by functions analyzed).
 */
class FnRecord implements FnInfo {
  isEntry = false;
  entryBorrows: ReadonlySet<string> = NO_NAMES;
  private localsMemo: Map<string, SNode> | undefined;
  private socketUsedMemo: Set<string> | undefined;

  constructor(readonly name: string, readonly node: SNode, readonly body: SNode, readonly params: string[], readonly isMain: boolean,
    public facts: FileFacts | undefined) {}

  get locals(): Map<string, SNode> {
    this.localsMemo ??= this.analysis().localsOf(this);
    return this.localsMemo;
  }

  get socketUsed(): Set<string> {
    this.socketUsedMemo ??= this.analysis().socketUsed(this.body);
    return this.socketUsedMemo;
  }

  /** The facts of the analysis under way (see FileFacts.release). */
  private analysis(): FileFacts {
    if (!this.facts) {
      throw new Error(`function ${this.name} read outside an analysis`);
    }
    return this.facts;
  }
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** FnRecords by function node (see FnRecord). */
const FN_RECORDS = new WeakMap<SNode, FnRecord>();

/**
 * The node types FileFacts' scan acts on (see scanNode): the copy lists them per top-level node
 * (syntax.ts's markedIn), so the scan reads a few thousand nodes instead of visiting them all.
 */
export const SCAN_TYPES: ReadonlySet<string> = new Set(['preproc_def', 'preproc_function_def', 'function_definition',
  'call_expression', 'call', 'init_declarator',
  // and those a function's locals are read from (see localNode), with the scopes nested in it
  'declaration', 'for_range_loop', 'global_statement', 'nonlocal_statement', 'assignment', 'for_statement',
  'augmented_assignment', 'as_pattern', 'class_definition', 'lambda_expression', 'lambda', 'class_specifier']);

/** Scopes nested in a function whose names are not its locals. */
const NESTED_SCOPES: ReadonlySet<string> = new Set(['function_definition', 'class_definition', 'lambda_expression', 'lambda',
  'class_specifier']);

/** Callee text of every call threadStart recognizes contains one of these. */
const THREADISH = /thread|Thread|async|submit|run_in_executor|Process/;

/** The copy decision for C/C++ trees: defer bodies that mention nothing socket-related. */
export function deferBody(text: string): DeferBody {
  return (start, end) => !EAGER.test(text.slice(start, end));
}

/** deferBody for C and C++; Python's module body is analyzed as a whole, so its tree is copied whole. */
export function deferBodyIn(language: LintLanguage, text: string): DeferBody | undefined {
  return language === 'python' ? undefined : deferBody(text);
}

/** Everything known about one parsed file: functions, macros, thread entries, summaries. */
export class FileFacts implements FileContext {
  readonly expr: Expr;
  readonly python: boolean;
  readonly defines = new Map<string, string>();
  readonly exitMacros = new Set<string>();
  /** Exit macros with a definition that always ends the process (not `do { if (c) exit(1); } while (0)`). */
  readonly alwaysExitMacros = new Set<string>();
  readonly functions: FnInfo[] = [];
  readonly byName = new Map<string, FnInfo>();
  readonly threadEntries = new Set<string>();
  /** Per thread entry, the positions of its parameters that some start gives a shared socket (see sharedArgs). */
  readonly entryShared = new Map<string, Set<number>>();
  readonly dying = new Set<string>();
  /** Same-file helpers that always throw or raise (`throw_errno(what)`): a call of one is a throw. */
  readonly throwing = new Set<string>();
  /** The file includes <winsock2.h> (anywhere, also under #ifdef _WIN32). */
  readonly winsock: boolean;
  private readonly consumeMemo = new Map<string, boolean>();
  private readonly paramSocketMemo = new Map<string, boolean>();
  /** usedAsSocket()'s answers in this analysis, by function body offset and name. */
  private readonly usedMemo = new Map<string, boolean>();
  private readonly splitMemo = new Map<string, CloseSplit | undefined>();
  private readonly reuseMemo = new Map<string, boolean>();
  /** ctorSockets() by class name. */
  private readonly ctorMemo = new Map<string, string[]>();

  constructor(readonly text: string, readonly language: LintLanguage, readonly root: SNode) {
    this.expr = new Expr(text);
    this.python = language === 'python';
    if (this.python) {
      this.expr.aliases = pythonAliases(text);
    }
    this.winsock = !this.python && directiveMatches(text, WINSOCK_INCLUDE, false).length > 0;
    this.scan();
  }

  /**
   * Ends the analysis: the functions' records, which a re-lint reuses with their nodes, let go
   * of these facts. A record kept a dropped function's facts, and through them the whole copy
   * and text of that run, alive until the collector's next full pass: every minor collection
   * in between copied them.
   */
  release(): void {
    for (const f of this.functions) {
      if (f instanceof FnRecord && f.facts === this) {
        f.facts = undefined;
      }
    }
  }

  private scan(): void {
    const fnNodes: SNode[] = [];
    // Top-level nodes one at a time: a re-lint after an edit reuses the nodes the edit left
    // alone (see incremental.ts), and with them what this scan found in them.
    for (const top of this.root.children) {
      let ops = SCANNED.get(top);
      if (!ops) {
        ops = this.scanPart(top);
        SCANNED.set(top, ops);
      }
      for (const op of ops) {
        switch (op.kind) {
          case 'define':
            this.defines.set(op.name, op.value);
            break;
          case 'exit':
            this.exitMacros.add(op.name);
            if (!op.sometimes) {
              this.alwaysExitMacros.add(op.name);
            }
            break;
          case 'entry': {
            this.threadEntries.add(op.name);
            const shared = this.entryShared.get(op.name) ?? new Set<number>();
            op.shared.forEach((i) => shared.add(i));
            this.entryShared.set(op.name, shared);
            break;
          }
          default:
            fnNodes.push(op.node);
        }
      }
    }
    for (const n of fnNodes) {
      const info = this.fnInfo(n);
      if (info) {
        this.functions.push(info);
        if (!this.byName.has(info.name)) {
          this.byName.set(info.name, info);
        }
      }
    }
    if (this.python) {
      this.functions.push(this.moduleInfo());
    }
    // Same-file helpers that always end the process (error_handling(): fputs + exit(1)).
    for (let round = 0, grew = true; round < 3 && grew; round++) {
      grew = false;
      // A body not copied yet is read only if it names an exit call, an exit macro or a dying helper.
      const names = [...EXIT_CALLS, ...this.exitMacros, ...this.dying].map((n) => /[A-Za-z_]\w*$/.exec(n)?.[0]).filter(Boolean);
      const mentionsExit = new RegExp(`\\b(?:${[...new Set(names)].join('|')})\\b`);
      for (const f of this.functions) {
        if (!this.dying.has(f.name) && f.name !== '<module>' && (!isDeferred(f.body) || mentionsExit.test(this.text.slice(f.body.start, f.body.end)))
          && named(f.body).some((s) => this.isExit(s) && !this.exitsSometimes(s))) {
          this.dying.add(f.name);
          grew = true;
        }
      }
    }
    // (Most C files have neither word: nothing to read then, on every re-lint.)
    const throws = this.text.includes(this.python ? 'raise' : 'throw');
    for (const f of throws ? this.functions : []) {
      // A body not copied yet is read only if it names a throw or a raise.
      if (f.name !== '<module>' && (!isDeferred(f.body) || /\b(throw|raise)\b/.test(this.text.slice(f.body.start, f.body.end)))
        && named(f.body).some((st) => st.type === 'throw_statement' || st.type === 'raise_statement')) {
        this.throwing.add(f.name);
      }
    }
    for (const f of this.functions) {
      f.isEntry = this.threadEntries.has(f.name);
      if (f instanceof FnRecord) {
        // A method started as `self.handle`: its first parameter is self, not the first argument.
        const skip = f.params[0] === 'self' ? 1 : 0;
        const shared = [...this.entryShared.get(f.name) ?? []].map((i) => f.params[i + skip]).filter((p) => p !== undefined);
        f.entryBorrows = shared.length > 0 ? new Set(shared) : NO_NAMES;
      }
    }
  }

  /** A thread entry as the incremental re-lint compares them: its name and its shared parameter positions. */
  entryKey(name: string): string {
    const shared = [...this.entryShared.get(name) ?? []].sort();
    return shared.length > 0 ? `${name}/${shared.join(',')}` : name;
  }

  /** What the scan finds in one top-level node, in order. */
  private scanPart(top: SNode): ScanOp[] {
    const ops: ScanOp[] = [];
    const marked = markedIn(top);
    if (marked) {
      // The copy listed the nodes of SCAN_TYPES as visit() would meet them (none below a #define).
      for (const n of marked) {
        this.scanNode(n, ops);
      }
    } else {
      visit(top, (n) => this.scanNode(n, ops));
    }
    return ops;
  }

  /** Adds what one node tells the scan to `ops`; false: nothing below it matters. */
  private scanNode(n: SNode, ops: ScanOp[]): boolean {
    const x = this.expr;
    switch (n.type) {
      case 'preproc_def': {
        const name = field(n, 'name');
        const value = field(n, 'value');
        if (name && value) {
          ops.push({ kind: 'define', name: x.src(name), value: x.src(value).trim() });
          if (this.bodyExits(x.src(value))) {
            ops.push({ kind: 'exit', name: x.src(name), sometimes: conditional(x.src(value)) });
          }
        }
        return false;
      }
      case 'preproc_function_def': {
        const name = field(n, 'name');
        const value = field(n, 'value');
        if (name && value && this.bodyExits(x.src(value))) {
          ops.push({ kind: 'exit', name: x.src(name), sometimes: conditional(x.src(value)) });
        }
        return false;
      }
      case 'function_definition':
        ops.push({ kind: 'function', node: n });
        return true;
      case 'call_expression':
      case 'call': {
        // Every thread starter's callee names one of these; most calls are skipped unread.
        const f = field(n, 'function') ?? n.children[0];
        if (f && THREADISH.test(x.src(f))) {
          const shared = this.sharedArgs(n);
          for (const entry of this.threadStart(n)) {
            ops.push({ kind: 'entry', name: entry, shared });
          }
        }
        return true;
      }
      case 'init_declarator': {
        const value = field(n, 'value');
        const decl = n.parent ? field(n.parent, 'type') : undefined;
        if (value && value.type === 'argument_list' && decl && /thread|async/.test(x.src(decl))) {
          const first = x.ident(named(value)[0]);
          if (first) {
            ops.push({ kind: 'entry', name: first, shared: this.sharedArgs(value, named(value).slice(1)) });
          }
        }
        return true;
      }
      default:
        return true;
    }
  }

  private bodyExits(body: string): boolean {
    return /\b(exit|_exit|_Exit|abort|err|errx|ExitProcess|quick_exit)\s*\(/.test(body);
  }

  /**
   * The positions (among the entry's parameters) of the arguments a thread start inside a loop
   * gives every thread it starts: names the loop never assigns, such as `follower` in
   * `while True: conn, addr = lsock.accept(); Thread(target=handle, args=(conn, addr, follower))`.
   * Each thread gets its own `conn`, but all share `follower`: none of them owns it.
   */
  private sharedArgs(n: SNode, given?: SNode[]): number[] {
    const x = this.expr;
    let loop: SNode | undefined;
    for (let p = n.parent; p && !loop; p = p.parent) {
      if (NESTED_SCOPES.has(p.type)) {
        return [];
      }
      loop = LOOP_TYPES.has(p.type) ? p : undefined;
    }
    const args = given ?? this.startArgs(n);
    if (!loop || args.length === 0) {
      return [];
    }
    const text = x.src(loop);
    const out: number[] = [];
    args.forEach((a, i) => {
      const v = x.ident(x.unwrap(a));
      // Bound in the loop: `v = ...`, `v, w = ...`, `int v = ...`, `for v in`, `as v`.
      if (v && !new RegExp(`\\b${v}\\s*(?:,[^=\\n]*)?=(?!=)|\\b(?:for|as)\\s+[\\w\\s,(]*\\b${v}\\b`).test(text)) {
        out.push(i);
      }
    });
    return out;
  }

  /** The arguments a thread start passes to its entry, in order (none known for pthread_create's one pointer). */
  private startArgs(n: SNode): SNode[] {
    const x = this.expr;
    const callee = x.calleeOf(n);
    const base = x.baseName(callee);
    const args = x.args(n);
    if (/(^|\.)(Thread|Process)$/.test(callee) || base === 'apply_async') {
      const tuple = x.unwrap(x.kwarg(n, 'args'));
      return tuple && (tuple.type === 'tuple' || tuple.type === 'list') ? named(tuple) : [];
    }
    if (callee.endsWith('start_new_thread')) {
      const tuple = x.unwrap(args[1]);
      return tuple && tuple.type === 'tuple' ? named(tuple) : [];
    }
    if (/(^|::)(thread|jthread)$/.test(callee) || base === 'submit') {
      return args.slice(1);
    }
    return base === 'run_in_executor' ? args.slice(2) : [];
  }

  /** The functions a thread-starting call may run (every candidate of `c ? f : g`), if `n` is one. */
  private threadStart(n: SNode): string[] {
    const x = this.expr;
    const callee = x.calleeOf(n);
    const base = x.baseName(callee);
    const args = x.args(n);
    let target: SNode | undefined;
    if (base === 'pthread_create' || base === 'CreateThread' || base === '_beginthreadex') {
      target = args[2];
    } else if (base === '_beginthread' || /(^|::)(thread|jthread|async)$/.test(callee) || callee.endsWith('start_new_thread')
      || base === 'submit' || base === 'apply_async' || base === 'run_in_executor') {
      target = base === 'run_in_executor' ? args[1] : args[0];
    } else if (/(^|\.)(Thread|Process)$/.test(callee)) {
      target = x.kwarg(n, 'target');
    }
    const out: string[] = [];
    const stack = target ? [target] : [];
    while (stack.length > 0) {
      let t = x.unwrap(stack.pop());
      if (t && t.type === 'conditional_expression') {
        // `argc > 1 ? worker : worker_ok` (C), `worker if fast else slow` (Python): either may run.
        const c = field(t, 'consequence');
        const branches = c ? [c, field(t, 'alternative')] : [named(t)[0], named(t)[2]];
        stack.push(...branches.filter((b): b is SNode => !!b));
        continue;
      }
      if (t && (t.type === 'pointer_expression' || t.type === 'unary_expression')) {
        t = field(t, 'argument');
      }
      const m = /([A-Za-z_]\w*)$/.exec(t ? x.src(t) : '');
      if (m) {
        out.push(m[1]);
      }
    }
    return out;
  }

  /** A statement calling an exit macro that ends the process only under a condition. */
  private exitsSometimes(s: SNode): boolean {
    const e = named(s)[0];
    const callee = e && this.expr.isCall(e) ? this.expr.calleeOf(e) : e && e.type === 'identifier' ? this.expr.src(e) : undefined;
    return !!callee && this.exitMacros.has(callee) && !this.alwaysExitMacros.has(callee);
  }

  /** A statement that ends the process: exit(), err(), a dying helper, or a macro expanding to one. */
  isExit = (s: SNode): boolean => {
    if (s.type !== 'expression_statement') {
      return false;
    }
    const e = named(s)[0];
    if (!e) {
      return false;
    }
    const calls = e.type === 'comma_expression' ? named(e) : [e];
    for (const c of calls) {
      if (this.expr.isCall(c)) {
        const callee = this.expr.calleeOf(c);
        if (EXIT_CALLS.has(callee) || (callee.startsWith('::') && EXIT_CALLS.has(callee.slice(2))) || this.exitMacros.has(callee) || this.dying.has(callee)
          || (this.python && (callee === 'exit' || callee === 'sys.exit' || callee === 'os._exit'))) {
          return true;
        }
      } else if (c.type === 'identifier' && this.exitMacros.has(this.expr.src(c))) {
        return true;
      }
    }
    return false;
  };

  /** A statement that calls a helper that always throws (see throwing). */
  isThrow = (s: SNode): boolean => {
    if (this.throwing.size === 0 || s.type !== 'expression_statement') {
      return false;
    }
    const e = named(s)[0];
    return !!e && this.expr.isCall(e) && this.throwing.has(this.expr.calleeOf(e).replace(/^(::|self\.|this->)/, ''));
  };

  private fnInfo(n: SNode): FnInfo | undefined {
    // A function node a re-lint reused (its text unchanged) keeps what was read from it.
    const known = FN_RECORDS.get(n);
    if (known) {
      known.facts = this;
      return known;
    }
    const x = this.expr;
    const body = field(n, 'body');
    if (!body) {
      return undefined;
    }
    let name = '';
    const params: string[] = [];
    if (this.python) {
      const id = field(n, 'name');
      name = id ? x.src(id) : '';
      const ps = field(n, 'parameters');
      for (const p of ps ? named(ps) : []) {
        const id2 = p.type === 'identifier' ? p : named(p).find((c) => c.type === 'identifier');
        if (id2 && x.src(id2) !== 'self' && x.src(id2) !== 'cls') {
          params.push(x.src(id2));
        }
      }
    } else {
      let d = field(n, 'declarator');
      while (d && d.type !== 'function_declarator') {
        d = field(d, 'declarator');
      }
      if (!d) {
        return undefined;
      }
      const id = field(d, 'declarator');
      name = id ? x.baseName(x.src(id)) : '';
      const ps = field(d, 'parameters');
      for (const p of ps ? named(ps) : []) {
        const decl = field(p, 'declarator');
        const id2 = decl ? declName(decl, x) : undefined;
        if (id2) {
          params.push(x.src(id2));
        }
      }
    }
    const record = new FnRecord(name, n, body, params, MAIN_NAMES.has(name), this);
    FN_RECORDS.set(n, record);
    return record;
  }

  /** Locals of a function, its parameters among them (see FnInfo.locals). */
  localsOf(fn: FnInfo): Map<string, SNode> {
    const m = this.locals(fn.body);
    for (const p of fn.params) {
      m.set(p, fn.body);
    }
    return m;
  }

  private moduleInfo(): FnInfo {
    return {
      name: '<module>', node: this.root, body: this.root, params: [], locals: this.locals(this.root),
      isMain: true, isEntry: false, socketUsed: this.socketUsed(this.root),
    };
  }

  /** Declared locals and the block declaring each (Python: every assigned name, minus globals). */
  private locals(body: SNode): Map<string, SNode> {
    const out = new Map<string, SNode>();
    const globals = new Set<string>();
    const marked = isDeferred(body) ? undefined : markedBelow(body);
    if (marked) {
      // The copy listed every node localNode() acts on, in visit() order: skip those inside a
      // nested function, class or lambda, as visit() would.
      let skipTo = -1;
      for (const n of marked) {
        if (n.start < skipTo) {
          continue;
        }
        if (!this.localNode(n, body, out, globals)) {
          skipTo = n.end;
        }
      }
    } else {
      visit(body, (n) => this.localNode(n, body, out, globals));
    }
    for (const g of globals) {
      out.delete(g);
    }
    return out;
  }

  /** What one node of `body` declares, into `out` (Python's globals into `globals`); false: a nested scope, skip it. */
  private localNode(n: SNode, body: SNode, out: Map<string, SNode>, globals: Set<string>): boolean {
    const x = this.expr;
    if (n !== body && NESTED_SCOPES.has(n.type)) {
      return false;
    }
    if (this.python) {
      if (n.type === 'global_statement' || n.type === 'nonlocal_statement') {
        for (const id of named(n)) {
          globals.add(x.src(id));
        }
      }
      if (n.type === 'assignment' || n.type === 'for_statement' || n.type === 'augmented_assignment') {
        const left = field(n, 'left');
        for (const id of left && left.type !== 'attribute' && left.type !== 'subscript' ? x.idents(left, NO_ATTR) : []) {
          out.set(id, body);
        }
      }
      if (n.type === 'as_pattern') {
        const alias = field(n, 'alias') ?? named(n)[1];
        for (const id of alias ? x.idents(alias) : []) {
          out.set(id, body);
        }
      }
      return true;
    }
    if (n.type === 'declaration' || n.type === 'for_range_loop') {
      const block = enclosingBlock(n) ?? body;
      for (const d of n.children) {
        if (d.field !== 'declarator') {
          continue;
        }
        const id = declName(d, x);
        if (id && !out.has(x.src(id)) && d.type !== 'function_declarator') {
          out.set(x.src(id), block);
        }
      }
    }
    return true;
  }

  /** Names used as a socket in a function's body (see FnInfo.socketUsed). */
  socketUsed(body: SNode): Set<string> {
    const x = this.expr;
    const out = new Set<string>();
    visit(body, (n) => {
      if (x.isCall(n)) {
        const callee = x.calleeOf(n);
        const base = x.baseName(callee);
        const recv = x.receiver(n);
        if (recv && this.python) {
          const v = x.ident(recv);
          if (v && /^(recv\w*|send\w*|close|shutdown|setsockopt|makefile|accept|settimeout|fileno|getpeername)$/.test(base)) {
            out.add(v);
          }
        } else if (/^(read|write|recv|send|recvfrom|sendto|close|closesocket|shutdown|setsockopt|getsockopt|FD_SET|FD_ISSET|fcntl|getpeername|readn|writen|readline|sendfile|SSL_set_fd)$/.test(base)) {
          const v = x.ident(x.args(n)[0]);
          if (v) {
            out.add(v);
          }
        }
      }
      return true;
    });
    return out;
  }

  private closeNameMemo: string | undefined;

  /** `closesocket` in Winsock-only code, else `close`. */
  get closeName(): string {
    this.closeNameMemo ??= /\bclosesocket\s*\(/.test(this.text) && !/\bclose\s*\(/.test(this.text) ? 'closesocket' : 'close';
    return this.closeNameMemo;
  }

  hasBody(name: string): boolean {
    return this.byName.has(name);
  }

  closesOn(name: string, index: number): CloseSplit | undefined {
    const k = `${name}#${index}`;
    if (!this.splitMemo.has(k)) {
      const f = this.byName.get(name);
      const p = f?.params[index];
      this.splitMemo.set(k, f && p && !this.python ? closeSplit(f, p, this.expr, this.defines) : undefined);
    }
    return this.splitMemo.get(k);
  }

  consumes(name: string, index: number, depth = 0): boolean {
    const memo = `${name}#${index}`;
    const known = this.consumeMemo.get(memo);
    if (known !== undefined) {
      return known;
    }
    this.consumeMemo.set(memo, false);
    const f = this.byName.get(name);
    const p = f?.params[index];
    let result = false;
    if (f && p) {
      result = this.paramConsumed(f, p, depth);
    }
    this.consumeMemo.set(memo, result);
    return result;
  }

  /**
   * See FileContext.usedAsSocket: `v` is used as a socket in `fn` itself, or passed to a
   * same-file function (a few calls deep) whose parameter is: `send_line(conn, ...)` with
   * `def send_line(conn, text): conn.sendall(...)`. Not memoized on the function (FnInfo.socketUsed
   * is): the answer depends on other functions' bodies, which an edit may change.
   */
  usedAsSocket(fn: FnInfo, v: string, depth = 0): boolean {
    if (fn.socketUsed.has(v)) {
      return true;
    }
    if (depth >= 3) {
      return false;
    }
    const memo = `${fn.body.start}:${v}`;
    const known = depth === 0 ? this.usedMemo.get(memo) : undefined;
    if (known !== undefined) {
      return known;
    }
    const x = this.expr;
    let found = false;
    visit(fn.body, (n) => {
      if (found) {
        return false;
      }
      if (x.isCall(n)) {
        const base = x.baseName(x.calleeOf(n));
        const recv = x.receiver(n);
        // A plain call, or a Python method called on self (whose first parameter is self).
        const offset = !recv ? 0 : this.python && x.ident(recv) === 'self' ? 1 : -1;
        if (offset >= 0 && this.byName.has(base)) {
          x.args(n).forEach((a, i) => {
            found ||= x.ident(a) === v && this.paramUsedAsSocket(base, i + offset, depth + 1);
          });
        }
      }
      return true;
    });
    if (depth === 0) {
      this.usedMemo.set(memo, found);
    }
    return found;
  }

  /** Does same-file function `name` use its parameter `index` as a socket (see usedAsSocket)? */
  private paramUsedAsSocket(name: string, index: number, depth: number): boolean {
    const k = `${name}#${index}`;
    let known = this.paramSocketMemo.get(k);
    if (known === undefined) {
      this.paramSocketMemo.set(k, false);
      const f = this.byName.get(name);
      const p = f?.params[index];
      // A deferred body names no socket API (and reading it would copy it).
      known = !!f && !!p && !isDeferred(f.body) && this.usedAsSocket(f, p, depth);
      this.paramSocketMemo.set(k, known);
    }
    return known;
  }

  /** See FileContext.closesOnRaise. */
  closesOnRaise(name: string, index: number): boolean {
    const f = this.byName.get(name);
    const p = f?.params[index];
    if (!f || !p) {
      return false;
    }
    const stmts = named(f.body).filter((n) => n.type !== 'comment');
    return this.python ? this.closedInFinallyOrWith(stmts, p) : this.closedInCatchAll(stmts, p);
  }

  /**
   * Python: the first statement past a docstring holds the rest of the body (nothing runs
   * outside it) and closes `p` on the way out: `with p:`, `with closing(p):` (not
   * `with p.makefile() as f:`), or `try: ... finally: p.close()`.
   */
  private closedInFinallyOrWith(stmts: SNode[], p: string): boolean {
    const x = this.expr;
    const first = stmts[0]?.type === 'expression_statement' && named(stmts[0])[0]?.type === 'string' ? stmts[1] : stmts[0];
    if (first?.type === 'with_statement') {
      const clause = first.children.find((c) => c.type === 'with_clause');
      return !!clause && named(clause).some((item) => {
        const value = x.unwrap(field(item, 'value') ?? named(item)[0]);
        const inner = value && x.isCall(value) && /^(contextlib\.)?closing$/.test(x.calleeOf(value)) ? x.unwrap(x.args(value)[0]) : value;
        return x.ident(inner) === p;
      });
    }
    const fin = first?.type === 'try_statement' ? first.children.find((c) => c.type === 'finally_clause') : undefined;
    let closes = false;
    if (fin) {
      visit(fin, (n) => {
        if (x.isCall(n) && x.baseName(x.calleeOf(n)) === 'close' && x.ident(x.receiver(n)) === p) {
          closes = true;
        }
        return !closes;
      });
    }
    return closes;
  }

  /**
   * C++: `try { ... } catch (...) { close(p); ... }` first, then nothing but closing `p` and
   * returning: whatever the body throws, `p` is closed on the way out.
   */
  private closedInCatchAll(stmts: SNode[], p: string): boolean {
    const x = this.expr;
    const closing = (n: SNode): boolean => {
      const call = x.unwrap(named(n)[0]);
      return n.type === 'expression_statement' && !!call && x.isCall(call) && /^(close|closesocket)$/.test(x.baseName(x.calleeOf(call)))
        && x.ident(x.args(call)[0]) === p;
    };
    const [first, ...rest] = stmts;
    if (first?.type !== 'try_statement' || !rest.every((n) => n.type === 'return_statement' || closing(n))) {
      return false;
    }
    const all = first.children.find((c) => c.type === 'catch_clause' && x.src(field(c, 'parameters') ?? c).replace(/\s+/g, '') === '(...)');
    const body = all && field(all, 'body');
    return !!body && named(body).some(closing);
  }

  private paramConsumed(f: FnInfo, p: string, depth: number): boolean {
    const x = this.expr;
    let found = false;
    visit(f.body, (n) => {
      if (found) {
        return false;
      }
      if (x.isCall(n)) {
        const callee = x.calleeOf(n);
        const base = x.baseName(callee);
        const args = x.args(n);
        const recv = x.receiver(n);
        if (this.python && recv && x.ident(recv) === p && (base === 'close' || base === 'detach')) {
          found = true;
        } else if (/^(close|closesocket|Close|fdopen|FD_SET|pthread_create|CreateThread|_beginthreadex)$/.test(base)
          && args.some((a) => x.idents(a).includes(p))) {
          found = true;
        } else if (this.byName.has(base) && depth < 4) {
          args.forEach((a, i) => {
            if (x.ident(a) === p && this.consumes(base, i, depth + 1)) {
              found = true;
            }
          });
        } else if (/(^|\.)Thread$/.test(callee) && x.idents(n).includes(p)) {
          found = true;
        }
      } else if (n.type === 'with_statement' && x.idents(n.children.find((c) => c.type === 'with_clause') ?? n).includes(p)) {
        found = true;
      } else if (n.type === 'return_statement' && named(n)[0] && x.ident(named(n)[0]) === p) {
        found = true;
      } else if ((n.type === 'assignment_expression' || n.type === 'assignment') && x.ident(field(n, 'right')) === p) {
        const left = field(n, 'left');
        if (left && left.type !== 'identifier') {
          found = true;
        }
      }
      return !found;
    });
    return found;
  }

  private socketTablesMemo: Set<string> | undefined;

  /**
   * Python: the containers this file puts objects in by name (`conns[fd] = conn`,
   * `clients.append(conn)`, `sel.register(conn, ...)`), as their text without spaces. A
   * `pop`/`remove`/`del` on any other container (`last_seen.pop(fd)`, whose values are times)
   * drops no socket.
   */
  isSocketTable(container: string): boolean {
    return this.socketTables.has(container);
  }

  /** See isSocketTable. */
  get socketTables(): ReadonlySet<string> {
    if (!this.socketTablesMemo) {
      const x = this.expr;
      const out = new Set<string>();
      const key = (n: SNode | undefined): void => {
        if (n) {
          out.add(x.src(n).replace(/\s+/g, ''));
        }
      };
      visit(this.root, (n) => {
        if (n.type === 'assignment') {
          const left = field(n, 'left');
          const right = x.unwrap(field(n, 'right'));
          if (left?.type === 'subscript' && right && x.ident(right)) {
            key(field(left, 'value') ?? named(left)[0]);
          }
        } else if (x.isCall(n) && /^(append|add|insert|register|setdefault|appendleft|put)$/.test(x.baseName(x.calleeOf(n)))
          && x.args(n).some((a) => x.ident(a) !== undefined)) {
          key(x.receiver(n));
        }
        return true;
      });
      this.socketTablesMemo = out;
    }
    return this.socketTablesMemo;
  }

  /**
   * Python: attributes (`self.sock`) that the class's `__init__` sets to a new TCP socket, with
   * no SO_REUSEADDR set on them anywhere in the class, for another method `fn` of it to start
   * from (a bind() in `start()` then still needs the option first). Empty for `__init__` itself
   * and for functions outside a class.
   */
  initSockets(fn: FnInfo): string[] {
    if (this.language === 'cpp') {
      return this.ctorSockets(fn);
    }
    const block = fn.node.parent?.type === 'decorated_definition' ? fn.node.parent.parent : fn.node.parent;
    if (!this.python || !block || block.parent?.type !== 'class_definition' || fn.name === '__init__') {
      return [];
    }
    const init = named(block).find((d) => d.type === 'function_definition' && this.expr.src(field(d, 'name') ?? d) === '__init__');
    const body = init ? field(init, 'body') : undefined;
    if (!body) {
      return [];
    }
    const x = this.expr;
    // Set anywhere in the class (a helper method `__init__` calls, say): not known to be missing.
    const text = x.src(block);
    const out: string[] = [];
    visit(body, (n) => {
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') {
        return false;
      }
      const left = n.type === 'assignment' ? field(n, 'left') : undefined;
      const right = n.type === 'assignment' ? x.unwrap(field(n, 'right')) : undefined;
      if (left && left.type === 'attribute' && right && x.isCall(right) && /^(socket\.)?socket$/.test(x.calleeOf(right))
        && !NON_TCP.test(x.src(right))) {
        const key = x.src(left).replace(/\s+/g, '');
        const k = escapeRegExp(key);
        if (!new RegExp(`${k}\\s*\\.\\s*setsockopt\\s*\\([^)]*SO_REUSEADDR`).test(text)) {
          out.push(key);
        }
      }
      return true;
    });
    return out;
  }

  /**
   * C++: members (`fd_`) that a constructor of `fn`'s class sets to a new TCP socket, in its
   * member initializers or its body, with no SO_REUSEADDR set on them in any method of the
   * class: what another method starts from (see initSockets). Methods defined in the class or
   * as `Class::method`.
   */
  private ctorSockets(fn: FnInfo): string[] {
    const cls = this.classOf(fn);
    if (!cls || fn.name === cls) {
      return [];
    }
    const known = this.ctorMemo.get(cls);
    if (known) {
      return known;
    }
    const x = this.expr;
    const out: string[] = [];
    this.ctorMemo.set(cls, out);
    const methods = this.functions.filter((f) => this.classOf(f) === cls);
    // Set in any method of the class (a helper the constructor calls, say): not known to be missing.
    const text = methods.map((f) => x.src(f.node)).join('\n');
    for (const ctor of methods.filter((f) => f.name === cls)) {
      const found = memberInits(ctor.node, x);
      visit(ctor.body, (n) => {
        if (n.type === 'lambda_expression' || n.type === 'class_specifier') {
          return false;
        }
        const left = n.type === 'assignment_expression' ? field(n, 'left') : undefined;
        const right = n.type === 'assignment_expression' ? x.unwrap(field(n, 'right')) : undefined;
        const key = left && (left.type === 'identifier' || left.type === 'field_expression')
          ? x.src(left).replace(/\s+/g, '').replace(/^this->/, '') : undefined;
        if (key && right && !ctor.locals.has(key)) {
          found.push([key, right]);
        }
        return true;
      });
      for (const [key, value] of found) {
        const k = escapeRegExp(key);
        if (x.isCall(value) && /^(::)?socket$/.test(x.calleeOf(value)) && !NON_TCP.test(x.src(value))
          && !new RegExp(`setsockopt\\s*\\(\\s*(this\\s*->\\s*)?${k}\\b[^;]*SO_REUSEADDR`).test(text)) {
          out.push(key);
        }
      }
    }
    return out;
  }

  /** The class a C++ function belongs to: the one it is defined in, or `Class` of `Class::name`. */
  private classOf(fn: FnInfo): string | undefined {
    const list = fn.node.parent;
    if (list?.type === 'field_declaration_list') {
      const name = list.parent ? field(list.parent, 'name') : undefined;
      return name ? this.expr.src(name) : undefined;
    }
    let d = field(fn.node, 'declarator');
    while (d && d.type !== 'function_declarator') {
      d = field(d, 'declarator');
    }
    const id = d ? field(d, 'declarator') : undefined;
    if (!id || id.type !== 'qualified_identifier') {
      return undefined;
    }
    const scope = field(id, 'scope');
    return scope ? this.expr.src(scope).replace(/\s+/g, '') : undefined;
  }

  setsReuse(name: string, index: number): boolean {
    const memo = `${name}#${index}`;
    const known = this.reuseMemo.get(memo);
    if (known !== undefined) {
      return known;
    }
    this.reuseMemo.set(memo, false);
    const f = this.byName.get(name);
    const p = f?.params[index];
    let result = false;
    if (f && p) {
      const x = this.expr;
      visit(f.body, (n) => {
        if (x.isCall(n) && !result) {
          const base = x.baseName(x.calleeOf(n));
          const args = x.args(n);
          const recv = x.receiver(n);
          if (base === 'setsockopt' && /SO_REUSEADDR/.test(x.src(n))
            && ((recv && x.ident(recv) === p) || x.ident(args[0]) === p)) {
            result = true;
          } else if (this.byName.has(base) && base !== name) {
            args.forEach((a, i) => {
              if (x.ident(a) === p && this.setsReuse(base, i)) {
                result = true;
              }
            });
          }
        }
        return !result;
      });
    }
    this.reuseMemo.set(memo, result);
    return result;
  }

  /** Should the function get a CFG? Only when it touches sockets. */
  touchesSockets(f: FnInfo): boolean {
    const body = this.text.slice(f.body.start, f.body.end);
    return f.isEntry || SOCKETISH.test(body) || (this.language === 'c' && UNPISH.test(body));
  }
}

const NO_ATTR: ReadonlySet<string> = new Set(['attribute', 'subscript']);


function enclosingBlock(n: SNode): SNode | undefined {
  let p = n.parent;
  while (p && p.type !== 'compound_statement') {
    if (p.type === 'function_definition') {
      return undefined;
    }
    p = p.parent;
  }
  return p;
}
