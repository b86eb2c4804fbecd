import { conditional, functionMacros, macroReturn, statementMacro } from './expr';
import { field, named, type SNode } from './syntax';

/**
 * A control-flow graph over the statements of one function. Nodes hold the statement or
 * condition they evaluate; edges that leave a scope carry where the path leaves it.
 */
export interface CfgNode {
  id: number;
  /** 'stmt' runs `ast` for effects; 'cond' evaluates `ast` and branches on `truth`. */
  kind: 'entry' | 'stmt' | 'cond' | 'join' | 'exit' | 'with' | 'iter';
  ast?: SNode;
  succ: Edge[];
}

export interface Leave {
  kind: 'return' | 'break' | 'continue' | 'goto' | 'throw' | 'fall' | 'back' | 'exit' | 'block';
  /** The statement (or closing brace) a finding is reported on. */
  at: SNode;
  /** Blocks whose end this edge passes (C/C++ block scopes). */
  scopes: SNode[];
  /** Leaves the function (return, throw, falling off the end). */
  leavesFunction: boolean;
  /** For back edges: the loop that iterates again; for break: the loop it leaves. */
  loop?: SNode;
}

/**
 * `loopExit`: this edge leaves the loop because its condition failed (not through break).
 * `exc`: an exception raised by the statement, into a handler (before its assignment happens).
 * `cases`: what a switch's value is on this edge (see SwitchCases).
 * `raiseAt`: from a try into a handler, for an exception raised before the body's first statement
 * took effect; that statement, when it is a simple one or a `with` (whose items it then owns).
 */
export interface Edge { to: CfgNode; truth?: boolean; leave?: Leave; loopExit?: SNode; exc?: boolean; cases?: SwitchCases; raiseAt?: SNode }

/**
 * On an edge out of a switch into its cases: the switch's value equals `value` (a `case`), or
 * none of `others` (`default`, or past the switch when it has none).
 */
export type SwitchCases = { value: SNode } | { others: SNode[] };

export interface Cfg { entry: CfgNode; nodes: CfgNode[]; exit: CfgNode }

/** Tells the builder which calls end the process (exit(), err(), macros, same-file dying helpers). */
export type IsExitStatement = (stmt: SNode) => boolean;

interface Ctx {
  scopes: SNode[];
  breakTo?: { node: CfgNode; depth: number; loop?: SNode };
  continueTo?: { node: CfgNode; depth: number; loop: SNode };
  handlers: CfgNode[];
  /** Scope depth of the innermost try whose handlers catch here (blocks a throw leaves). */
  handlerDepth?: number;
  finallies: { block: SNode; depth: number }[];
}

const PY_SKIP = new Set(['function_definition', 'class_definition', 'decorated_definition', 'pass_statement',
  'import_statement', 'import_from_statement', 'global_statement', 'nonlocal_statement', 'comment']);

/** `except KeyboardInterrupt:`, `except (KeyboardInterrupt, SystemExit) as e:` */
const STOP_CLAUSE = /^except\s*\(?\s*(?:KeyboardInterrupt|SystemExit)(?:\s*,\s*(?:KeyboardInterrupt|SystemExit))*\s*\)?\s*(?:as\s+\w+\s*)?:/;

/** Builds the CFG of a C/C++ function body or a Python function body / module. */
export class CfgBuilder {
  private nodes: CfgNode[] = [];
  private labels = new Map<string, CfgNode>();
  /**
   * Python handlers only of the user or the interpreter stopping the program (`except
   * KeyboardInterrupt:`): such an exception may arrive anywhere, but it is not a path of the
   * code's own (only an explicit raise reaches them from inside their try).
   */
  private readonly stopHandlers = new Set<CfgNode>();
  private labelSites = new Map<string, SNode>();
  private exitNode!: CfgNode;
  private python: boolean;

  constructor(
    private readonly text: string,
    language: 'c' | 'cpp' | 'python',
    private readonly isExit: IsExitStatement,
    private readonly isMain: boolean,
    /** A call of a same-file helper that always throws: a throw of its own. */
    private readonly isThrow: IsExitStatement = () => false,
  ) {
    this.python = language === 'python';
  }

  /** `fnEnd` is where falling off the end is reported (C: the closing brace). */
  build(body: SNode, fnEnd: SNode): Cfg {
    this.exitNode = this.node('exit');
    const entry = this.node('entry');
    const scopes = this.python ? [] : [body];
    const ctx: Ctx = { scopes, handlers: [], finallies: [] };
    const fall = this.leaveNode({ kind: this.isMain ? 'exit' : 'fall', at: fnEnd, scopes, leavesFunction: true }, this.exitNode);
    // Labels matter only as goto targets: a body without `goto` (written, or in a macro of the
    // file) is not searched for them.
    if (!this.python && (this.text.slice(body.start, body.end).includes('goto') || gotoMacros(this.text))) {
      this.collectLabels(body);
    }
    entry.succ.push({ to: this.seq(named(body), fall, ctx) });
    return { entry, nodes: this.nodes, exit: this.exitNode };
  }

  private node(kind: CfgNode['kind'], ast?: SNode): CfgNode {
    const n: CfgNode = { id: this.nodes.length, kind, ast, succ: [] };
    this.nodes.push(n);
    return n;
  }

  private leaveNode(leave: Leave, to: CfgNode): CfgNode {
    const n = this.node('join');
    n.succ.push({ to, leave });
    return n;
  }

  private collectLabels(root: SNode): void {
    const stack = [root];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.type === 'labeled_statement') {
        const label = field(n, 'label');
        if (label) {
          this.labelSites.set(this.text.slice(label.start, label.end), n);
        }
      }
      for (const c of n.children) {
        // Labels belong to their function: a nested one (a deleted brace nests the functions
        // after it) is not searched, nor copied if its body was deferred.
        if (c.type !== 'function_definition' && c.children.length > 0) {
          stack.push(c);
        }
      }
    }
  }

  private label(name: string): CfgNode {
    let n = this.labels.get(name);
    if (!n) {
      n = this.node('join');
      this.labels.set(name, n);
    }
    return n;
  }

  /** A statement node that may raise into the enclosing handlers. */
  private effect(kind: CfgNode['kind'], ast: SNode, ctx: Ctx): CfgNode {
    const n = this.node(kind, ast);
    // An implicit exception unwinds the blocks inside the try; what they hold is not a finding
    // (only an explicit throw is a path), so they are left like an exit: quietly.
    const scopes = ctx.handlers.length > 0 ? ctx.scopes.slice(ctx.handlerDepth ?? ctx.scopes.length) : [];
    for (const h of ctx.handlers) {
      if (this.stopHandlers.has(h)) {
        continue;
      }
      const to = scopes.length > 0 ? this.leaveNode({ kind: 'exit', at: ast, scopes, leavesFunction: false }, h) : h;
      n.succ.push({ to, exc: true });
    }
    return n;
  }

  private seq(stmts: SNode[], next: CfgNode, ctx: Ctx): CfgNode {
    let cur = next;
    for (let i = stmts.length - 1; i >= 0; i--) {
      cur = this.stmt(stmts[i], cur, ctx);
    }
    return cur;
  }

  /** Where a jump goes: through enclosing finally blocks, then along a leaving edge. */
  private jump(stmt: SNode, leave: Leave, target: CfgNode, targetDepth: number, ctx: Ctx): CfgNode {
    let to = this.leaveNode(leave, target);
    const crossed = ctx.finallies.filter((f) => f.depth >= targetDepth);
    for (const f of crossed) {
      to = this.stmt(f.block, to, { ...ctx, finallies: [], handlers: [] });
    }
    // A break, continue or bare return raises nothing: no edge into the handlers.
    const n = named(stmt).length > 0 ? this.effect('stmt', stmt, ctx) : this.node('stmt', stmt);
    n.succ.push({ to });
    return n;
  }

  /** `stmt` jumps to label `name`, leaving the blocks the label is not in. */
  private goto(stmt: SNode, name: string, ctx: Ctx): CfgNode {
    const site = this.labelSites.get(name);
    const scopes = site ? ctx.scopes.filter((b) => !(b.start <= site.start && site.end <= b.end)) : [];
    const n = this.effect('stmt', stmt, ctx);
    n.succ.push({ to: this.leaveNode({ kind: 'goto', at: stmt, scopes, leavesFunction: false }, this.label(name)) });
    return n;
  }

  private stmt(s: SNode, next: CfgNode, ctx: Ctx): CfgNode {
    switch (s.type) {
      case 'compound_statement':
      case 'declaration_list':
      case 'block':
      case 'translation_unit':
        return this.block(s, next, ctx);
      case 'if_statement':
        return this.ifStmt(s, next, ctx);
      case 'while_statement':
        return this.whileStmt(s, next, ctx);
      case 'for_statement':
      case 'for_range_loop':
        return this.python ? this.pyFor(s, next, ctx) : s.type === 'for_range_loop' ? this.rangeFor(s, next, ctx) : this.forStmt(s, next, ctx);
      case 'do_statement':
        return this.doStmt(s, next, ctx);
      case 'switch_statement':
        return this.switchStmt(s, next, ctx);
      case 'break_statement': {
        const b = ctx.breakTo;
        if (!b) {
          return next;
        }
        return this.jump(s, { kind: 'break', at: s, scopes: ctx.scopes.slice(b.depth), leavesFunction: false, loop: b.loop }, b.node, b.depth, ctx);
      }
      case 'continue_statement': {
        const c = ctx.continueTo;
        if (!c) {
          return next;
        }
        return this.jump(s, { kind: 'continue', at: s, scopes: ctx.scopes.slice(c.depth), leavesFunction: false, loop: c.loop }, c.node, c.depth, ctx);
      }
      case 'return_statement':
        return this.jump(s, { kind: this.isMain ? 'exit' : 'return', at: s, scopes: ctx.scopes, leavesFunction: true }, this.exitNode, 0, ctx);
      case 'throw_statement':
      case 'raise_statement':
        return this.throwFrom(s, ctx);
      case 'goto_statement': {
        const label = field(s, 'label');
        return this.goto(s, label ? this.text.slice(label.start, label.end) : '', ctx);
      }
      case 'labeled_statement': {
        const label = field(s, 'label');
        const join = this.label(label ? this.text.slice(label.start, label.end) : '');
        const inner = named(s).filter((c) => c !== label);
        join.succ.push({ to: this.seq(inner, next, ctx) });
        return join;
      }
      case 'try_statement':
        return this.python ? this.pyTry(s, next, ctx) : this.cppTry(s, next, ctx);
      case 'with_statement':
        return this.withStmt(s, next, ctx);
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_else':
      case 'preproc_elif':
      case 'preproc_elifdef':
        return this.preproc(s, next, ctx);
      case 'case_statement':
        return this.seq(named(s).filter((c) => c.field !== 'value'), next, ctx);
      case 'match_statement':
        return this.branches(named(field(s, 'body') ?? s).map((c) => named(c).filter((x) => x.type === 'block')), next, ctx, s);
      case 'expression_statement':
      case 'declaration':
      case 'delete_statement':
      case 'assert_statement':
      case 'print_statement':
      case 'exec_statement':
        return this.simple(s, next, ctx);
      default:
        if (PY_SKIP.has(s.type) || s.type.startsWith('preproc_') || s.type === 'function_definition'
          || s.type === 'type_definition' || s.type === 'struct_specifier' || s.type === 'empty_statement'
          || s.type === 'comment' || s.type === ';' || !s.named) {
          return next;
        }
        return this.simple(s, next, ctx);
    }
  }

  /** A throw or raise (`s`), or a call of a helper that always throws: into the handlers, or out of the function. */
  private throwFrom(s: SNode, ctx: Ctx): CfgNode {
    if (ctx.handlers.length > 0) {
      // Into the handlers, leaving the blocks between the throw and its try.
      const n = this.node('stmt', s);
      const scopes = ctx.scopes.slice(ctx.handlerDepth ?? ctx.scopes.length);
      for (const h of ctx.handlers) {
        n.succ.push({ to: scopes.length > 0 ? this.leaveNode({ kind: 'throw', at: s, scopes, leavesFunction: false }, h) : h });
      }
      return n;
    }
    const exits = /\bSystemExit\b/.test(this.text.slice(s.start, s.end));
    return this.jump(s, { kind: exits || this.isMain ? 'exit' : 'throw', at: s, scopes: ctx.scopes, leavesFunction: true }, this.exitNode, 0, ctx);
  }

  private simple(s: SNode, next: CfgNode, ctx: Ctx): CfgNode {
    if (this.isThrow(s)) {
      return this.throwFrom(s, ctx);
    }
    if (this.isExit(s)) {
      const n = this.effect('stmt', s, ctx);
      n.succ.push({ to: this.exitNode, leave: { kind: 'exit', at: s, scopes: ctx.scopes, leavesFunction: true } });
      if (this.exitsOnlySometimes(s)) {
        n.succ.push({ to: next });
      }
      return n;
    }
    const macro = this.macroJump(s);
    if (macro) {
      // As the return or goto written in the macro would, then on when its condition fails.
      const n = macro.kind === 'return'
        ? this.jump(s, { kind: this.isMain ? 'exit' : 'return', at: s, scopes: ctx.scopes, leavesFunction: true }, this.exitNode, 0, ctx)
        : this.goto(s, macro.label, ctx);
      if (macro.sometimes) {
        n.succ.push({ to: next });
      }
      return n;
    }
    const n = this.effect('stmt', s, ctx);
    n.succ.push({ to: next });
    return n;
  }

  /**
   * `TRY(bind(...));` with `#define TRY(x) if ((x) < 0) { perror(#x); return -1; }` (or
   * `goto fail;`), or `BAIL;` with `#define BAIL return -1`: a statement that is a same-file
   * macro whose body returns or jumps, under a condition or always. (One that returns its
   * argument, or a variable, hands it out: the path analysis reads that from the same macro.)
   */
  private macroJump(s: SNode): { kind: 'return' | 'goto'; label: string; sometimes: boolean } | undefined {
    const defs = statementMacro(s, this.text);
    if (!defs || defs.length !== 1) {
      return undefined;
    }
    const { params, body } = defs[0];
    const sometimes = conditional(body);
    if (macroReturn(defs[0])) {
      return { kind: 'return', label: '', sometimes };
    }
    const go = /\bgoto\s+([A-Za-z_]\w*)/.exec(body);
    if (go && !params.includes(go[1]) && this.labelSites.has(go[1])) {
      return { kind: 'goto', label: go[1], sometimes };
    }
    return undefined;
  }

  /** `CHECK(bind(...), "bind")` with `#define CHECK(c, m) do { if ((c) < 0) { perror(m); exit(1); } } while (0)`. */
  private exitsOnlySometimes(s: SNode): boolean {
    const call = named(s)[0];
    const f = call && call.type === 'call_expression' ? field(call, 'function') : undefined;
    const defs = f ? functionMacros(this.text).get(this.text.slice(f.start, f.end)) : undefined;
    return !!defs && defs.every((d) => conditional(d.body));
  }

  private block(s: SNode, next: CfgNode, ctx: Ctx, back?: { loop: SNode }): CfgNode {
    const stmts = named(s);
    if (this.python) {
      if (back) {
        const end = this.leaveNode({ kind: 'back', at: stmts[stmts.length - 1] ?? s, scopes: [], leavesFunction: false, loop: back.loop }, next);
        return this.seq(stmts, end, ctx);
      }
      return this.seq(stmts, next, ctx);
    }
    const brace = s.children[s.children.length - 1];
    const at = brace && brace.type === '}' ? brace : s;
    const end = this.leaveNode({ kind: back ? 'back' : 'block', at, scopes: [s], leavesFunction: false, loop: back?.loop }, next);
    const inner: Ctx = { ...ctx, scopes: [...ctx.scopes, s] };
    return this.seq(stmts, end, inner);
  }

  /** A loop body: a block (its end is a back edge) or a single statement. */
  private body(s: SNode | undefined, head: CfgNode, ctx: Ctx, loop: SNode): CfgNode {
    if (!s) {
      return head;
    }
    if (s.type === 'compound_statement' || s.type === 'block') {
      return this.block(s, head, ctx, { loop });
    }
    const end = this.leaveNode({ kind: 'back', at: s, scopes: [], leavesFunction: false, loop }, head);
    return this.stmt(s, end, ctx);
  }

  private cond(ast: SNode | undefined, ifTrue: CfgNode, ifFalse: CfgNode, ctx: Ctx, loop?: SNode): CfgNode {
    if (!ast) {
      const j = this.node('join');
      j.succ.push({ to: ifTrue }, { to: ifFalse });
      return j;
    }
    const n = this.effect('cond', ast, ctx);
    n.succ.push({ to: ifTrue, truth: true }, { to: ifFalse, truth: false, loopExit: loop });
    return n;
  }

  private ifStmt(s: SNode, next: CfgNode, ctx: Ctx): CfgNode {
    const cons = field(s, 'consequence');
    const alts = s.children.filter((c) => c.field === 'alternative');
    const thenEntry = cons ? this.stmt(cons, next, ctx) : next;
    let elseEntry = next;
    for (let i = alts.length - 1; i >= 0; i--) {
      const alt = alts[i];
      if (alt.type === 'elif_clause') {
        const c = field(alt, 'consequence');
        elseEntry = this.cond(field(alt, 'condition'), c ? this.stmt(c, next, ctx) : next, elseEntry, ctx);
      } else {
        // C: else_clause wraps the statement; Python: else_clause has a body block.
        const inner = field(alt, 'body') ?? named(alt)[0];
        elseEntry = inner ? this.stmt(inner, next, ctx) : next;
      }
    }
    return this.cond(condOf(s), thenEntry, elseEntry, ctx);
  }

  private whileStmt(s: SNode, next: CfgNode, ctx: Ctx): CfgNode {
    const head = this.node('join');
    const alt = field(s, 'alternative');
    const after = alt ? this.stmt(field(alt, 'body') ?? alt, next, ctx) : next;
    const depth = ctx.scopes.length;
    const inner: Ctx = { ...ctx, breakTo: { node: next, depth, loop: s }, continueTo: { node: head, depth, loop: s } };
    const bodyEntry = this.body(field(s, 'body'), head, inner, s);
    const c = condOf(s);
    if (c && isTrueLiteral(this.text.slice(c.start, c.end))) {
      head.succ.push({ to: bodyEntry });
    } else {
      head.succ.push({ to: this.cond(c, bodyEntry, after, ctx, s) });
    }
    return head;
  }

  private doStmt(s: SNode, next: CfgNode, ctx: Ctx): CfgNode {
    const head = this.node('join');
    const condHead = this.node('join');
    const depth = ctx.scopes.length;
    const inner: Ctx = { ...ctx, breakTo: { node: next, depth, loop: s }, continueTo: { node: condHead, depth, loop: s } };
    const bodyEntry = this.body(field(s, 'body'), condHead, inner, s);
    condHead.succ.push({ to: this.cond(condOf(s), head, next, ctx, s) });
    head.succ.push({ to: bodyEntry });
    return head;
  }

  private forStmt(s: SNode, next: CfgNode, ctx: Ctx): CfgNode {
    const head = this.node('join');
    const updateNodes = s.children.filter((c) => c.field === 'update');
    let update: CfgNode = head;
    for (let i = updateNodes.length - 1; i >= 0; i--) {
      const u = this.node('stmt', updateNodes[i]);
      u.succ.push({ to: update });
      update = u;
    }
    const depth = ctx.scopes.length;
    const inner: Ctx = { ...ctx, breakTo: { node: next, depth, loop: s }, continueTo: { node: update, depth, loop: s } };
    const bodyEntry = this.body(field(s, 'body'), update, inner, s);
    const c = field(s, 'condition');
    head.succ.push({ to: c ? this.cond(c, bodyEntry, next, ctx, s) : bodyEntry });
    const init = field(s, 'initializer');
    if (init) {
      const n = this.node('stmt', init);
      n.succ.push({ to: head });
      return n;
    }
    return head;
  }

  private rangeFor(s: SNode, next: CfgNode, ctx: Ctx): CfgNode {
    const head = this.node('iter', s);
    const depth = ctx.scopes.length;
    const inner: Ctx = { ...ctx, breakTo: { node: next, depth, loop: s }, continueTo: { node: head, depth, loop: s } };
    const bodyEntry = this.body(field(s, 'body'), head, inner, s);
    head.succ.push({ to: bodyEntry }, { to: next });
    return head;
  }

  private pyFor(s: SNode, next: CfgNode, ctx: Ctx): CfgNode {
    const head = this.node('iter', s);
    const alt = field(s, 'alternative');
    const after = alt ? this.stmt(field(alt, 'body') ?? alt, next, ctx) : next;
    const depth = ctx.scopes.length;
    const inner: Ctx = { ...ctx, breakTo: { node: next, depth, loop: s }, continueTo: { node: head, depth, loop: s } };
    const bodyEntry = this.body(field(s, 'body'), head, inner, s);
    head.succ.push({ to: bodyEntry }, { to: after });
    return head;
  }

  private switchStmt(s: SNode, next: CfgNode, ctx: Ctx): CfgNode {
    const body = field(s, 'body');
    const cases = body ? named(body) : [];
    const inner: Ctx = { ...ctx, breakTo: { node: next, depth: ctx.scopes.length } };
    const entries: { to: CfgNode; value: SNode | undefined }[] = [];
    let fall = next;
    let hasDefault = false;
    for (let i = cases.length - 1; i >= 0; i--) {
      const c = cases[i];
      const value = c.type === 'case_statement' ? field(c, 'value') : undefined;
      if (c.type === 'case_statement' && !value) {
        hasDefault = true;
      }
      fall = this.stmt(c, fall, inner);
      if (c.type === 'case_statement') {
        entries.push({ to: fall, value });
      }
    }
    const n = this.effect('stmt', condOf(s) ?? s, ctx);
    const others = entries.flatMap((e) => (e.value ? [e.value] : []));
    for (const e of entries) {
      n.succ.push({ to: e.to, cases: e.value ? { value: e.value } : { others } });
    }
    if (!hasDefault || entries.length === 0) {
      n.succ.push({ to: next, cases: { others } });
    }
    return n;
  }

  private branches(alternatives: SNode[][], next: CfgNode, ctx: Ctx, s: SNode): CfgNode {
    const n = this.effect('stmt', s, ctx);
    n.kind = 'join';
    for (const alt of alternatives) {
      n.succ.push({ to: this.seq(alt, next, ctx) });
    }
    n.succ.push({ to: next });
    return n;
  }

  /** #if/#ifdef inside a function: each branch is a possible path (no condition known). */
  private preproc(s: SNode, next: CfgNode, ctx: Ctx): CfgNode {
    const alt = s.children.find((c) => c.field === 'alternative');
    const body = named(s).filter((c) => c !== alt && c.field !== 'name' && c.field !== 'condition');
    if (s.type === 'preproc_else') {
      return this.seq(body, next, ctx);
    }
    const j = this.node('join');
    j.succ.push({ to: this.seq(body, next, ctx) });
    j.succ.push({ to: alt ? this.stmt(alt, next, ctx) : next });
    return j;
  }

  private cppTry(s: SNode, next: CfgNode, ctx: Ctx): CfgNode {
    const handlers = s.children.filter((c) => c.type === 'catch_clause')
      .map((c) => { const b = field(c, 'body'); return b ? this.stmt(b, next, ctx) : next; });
    const body = field(s, 'body');
    const inner: Ctx = { ...ctx, handlers, handlerDepth: ctx.scopes.length };
    const entry = body ? this.stmt(body, next, inner) : next;
    return this.tryEntry(body, entry, handlers);
  }

  /**
   * Where a try starts: into its body, or straight into a handler for an exception raised before
   * the body's first statement took effect (that statement rides along on the edge, see Edge).
   */
  private tryEntry(body: SNode | undefined, entry: CfgNode, handlers: CfgNode[]): CfgNode {
    const first = body && named(body).find((c) => c.type !== 'comment');
    const raiseAt = first?.type === 'expression_statement' || first?.type === 'with_statement' ? first : undefined;
    const j = this.node('join');
    j.succ.push({ to: entry }, ...handlers.map((h) => ({ to: h, raiseAt })));
    return j;
  }

  private pyTry(s: SNode, next: CfgNode, ctx: Ctx): CfgNode {
    const fin = s.children.find((c) => c.type === 'finally_clause');
    const finBlock = fin ? named(fin).find((c) => c.type === 'block') : undefined;
    const afterAll = finBlock ? this.stmt(finBlock, next, ctx) : next;
    const outer: Ctx = finBlock ? { ...ctx, finallies: [...ctx.finallies, { block: finBlock, depth: ctx.scopes.length }] } : ctx;
    const handlers = s.children.filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause')
      .map((c) => {
        const b = named(c).find((x) => x.type === 'block');
        const h = this.node('stmt', c);
        h.succ.push({ to: b ? this.stmt(b, afterAll, outer) : afterAll });
        if (STOP_CLAUSE.test(this.text.slice(c.start, b ? b.start : c.end))) {
          this.stopHandlers.add(h);
        }
        return h;
      });
    const elseClause = s.children.find((c) => c.type === 'else_clause');
    const elseEntry = elseClause ? this.stmt(field(elseClause, 'body') ?? named(elseClause)[0], afterAll, outer) : afterAll;
    const body = field(s, 'body');
    const inner: Ctx = { ...outer, handlers: [...handlers], handlerDepth: ctx.scopes.length };
    const entry = body ? this.stmt(body, elseEntry, inner) : elseEntry;
    return this.tryEntry(body, entry, handlers);
  }

  private withStmt(s: SNode, next: CfgNode, ctx: Ctx): CfgNode {
    const body = field(s, 'body');
    const w = this.effect('with', s, ctx);
    w.succ.push({ to: body ? this.stmt(body, next, ctx) : next });
    return w;
  }
}

/** Does the file define a function-like macro that jumps to a label? */
function gotoMacros(text: string): boolean {
  for (const defs of functionMacros(text).values()) {
    if (defs.some((d) => /\bgoto\b/.test(d.body))) {
      return true;
    }
  }
  return false;
}

/** The condition of an if/while/do/switch, unwrapped from condition_clause. */
export function condOf(s: SNode): SNode | undefined {
  const c = field(s, 'condition');
  if (c && c.type === 'condition_clause') {
    return field(c, 'value') ?? named(c)[named(c).length - 1];
  }
  return c;
}

function isTrueLiteral(t: string): boolean {
  return /^\(?\s*(1|true|True|TRUE)\s*\)?$/.test(t);
}
