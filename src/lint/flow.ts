import { C_ACQUIRE, C_BORROWING, C_BYTE_SINKS, C_CLOSE, C_READ, C_THREAD_STARTERS, PY_BORROWING, PY_SOCKET_METHODS } from './api';
import type { Cfg, CfgNode, Leave } from './cfg';
import { condOf } from './cfg';
import type { Expr } from './expr';
import { field, named, type SNode } from './syntax';

/** What one function looks like to the analysis. */
export interface FnInfo {
  name: string;
  node: SNode;
  body: SNode;
  params: string[];
  /** Local name -> the block that declares it (C/C++); Python: the function body. */
  locals: Map<string, SNode>;
  isMain: boolean;
  /** A thread or handler entry: owns the sockets handed to it. */
  isEntry: boolean;
  /** Names used as a socket (first argument of recv/close/..., receiver of .recv()/.close()). */
  socketUsed: Set<string>;
}

/** Facts about the whole file the analysis of one function needs. */
export interface FileContext {
  expr: Expr;
  python: boolean;
  defines: ReadonlyMap<string, string>;
  /** Same-file function: does it consume (close/store) its parameter `index`? */
  consumes(name: string, index: number): boolean | undefined;
  /** Same-file function: does it set SO_REUSEADDR on its parameter `index`? */
  setsReuse(name: string, index: number): boolean;
  /** A function with a body in this file. */
  hasBody(name: string): boolean;
}

type Kind = 'O' | 'S' | 'D' | 'C' | 'H' | 'U' | 'P' | 'R' | 'nr' | 'ra' | 'B' | 'M';
const OWN_KINDS: ReadonlySet<Kind> = new Set(['O', 'S', 'D', 'C', 'H', 'U', 'P', 'R']);

interface Tok { kind: Kind; site?: SNode; via?: SNode; at?: SNode; alias?: string }
type VarState = Map<string, Tok>;
type State = Map<string, VarState>;

export interface LeakEvent { variable: string; site?: SNode; at: SNode; definite: boolean; kind: Leave['kind'] }
export interface FlowEvents {
  leaks: LeakEvent[];
  shutdownLeaks: { variable: string; shut: SNode; site?: SNode }[];
  dropLeaks: { variable: string; drop: SNode; site?: SNode; definite: boolean }[];
  missingReuse: { variable: string; bind: SNode; site?: SNode }[];
  reuseAfterBind: { variable: string; call: SNode }[];
  readAsData: { site: SNode; use: SNode }[];
}

function key(t: Tok): string {
  return `${t.kind}:${t.site?.start ?? ''}:${t.via?.start ?? ''}:${t.at?.start ?? ''}:${t.alias ?? ''}`;
}

function one(t: Tok): VarState {
  return new Map([[key(t), t]]);
}

const SKIP_NESTED = new Set(['lambda_expression', 'lambda', 'function_definition', 'class_definition', 'class_specifier']);
const STORE_LHS = new Set(['field_expression', 'subscript_expression', 'pointer_expression', 'attribute', 'subscript',
  'qualified_identifier']);

/** Path analysis of socket ownership, SO_REUSEADDR order and read results over one CFG. */
export class Flow {
  private readonly events: FlowEvents = { leaks: [], shutdownLeaks: [], dropLeaks: [], missingReuse: [], reuseAfterBind: [], readAsData: [] };
  private reporting = false;
  private current!: CfgNode;
  private readonly seen = new Set<string>();

  constructor(private readonly fn: FnInfo, private readonly cfg: Cfg, private readonly file: FileContext, private readonly deadline: number) {}

  private get x(): Expr {
    return this.file.expr;
  }

  /** Runs to a fixpoint, then replays every node once to collect findings. */
  run(): { events: FlowEvents; complete: boolean } {
    const n = this.cfg.nodes.length;
    const ins: (State | undefined)[] = new Array(n);
    ins[this.cfg.entry.id] = this.initial();
    const work: CfgNode[] = [this.cfg.entry];
    const queued = new Uint8Array(n);
    queued[this.cfg.entry.id] = 1;
    let steps = 0;
    let complete = true;
    while (work.length > 0) {
      const node = work.pop()!;
      queued[node.id] = 0;
      if ((++steps & 255) === 0 && Date.now() > this.deadline) {
        complete = false;
        break;
      }
      if (steps > 200_000) {
        complete = false;
        break;
      }
      for (const [edge, out] of this.outs(node, ins[node.id]!)) {
        const prev = ins[edge.to.id];
        const merged = prev ? merge(prev, out) : out;
        if (!prev || !sameState(prev, merged)) {
          ins[edge.to.id] = merged;
          if (!queued[edge.to.id]) {
            queued[edge.to.id] = 1;
            work.push(edge.to);
          }
        }
      }
    }
    this.reporting = true;
    for (const node of this.cfg.nodes) {
      const s = ins[node.id];
      if (s) {
        this.outs(node, s);
      }
    }
    return { events: this.events, complete };
  }

  private initial(): State {
    const s: State = new Map();
    for (const p of this.fn.params) {
      s.set(p, one(this.fn.isEntry ? { kind: 'O', site: this.fn.node, alias: 'param' } : { kind: 'P' }));
    }
    return s;
  }

  private outs(node: CfgNode, input: State): [CfgNode['succ'][number], State][] {
    this.current = node;
    const after = this.transfer(node, input);
    return node.succ.map((edge) => {
      let s = after;
      if (edge.truth !== undefined && node.ast) {
        s = this.refine(s, node.ast, edge.truth);
      }
      if (edge.leave) {
        s = this.leave(s, edge.leave);
      }
      return [edge, s];
    });
  }

  // ---- state helpers -------------------------------------------------------------------

  private tracked(name: string | undefined): name is string {
    return !!name && (this.fn.locals.has(name) || this.fn.params.includes(name));
  }

  private setOwn(s: State, v: string, toks: Tok[]): State {
    const next = new Map(s);
    const vs: VarState = new Map();
    for (const [k, t] of s.get(v) ?? []) {
      if (!OWN_KINDS.has(t.kind)) {
        vs.set(k, t);
      }
    }
    for (const t of toks) {
      vs.set(key(t), t);
    }
    next.set(v, vs);
    return next;
  }

  private mapOwn(s: State, v: string, f: (t: Tok) => Tok): State {
    const vs = s.get(v);
    if (!vs) {
      return s;
    }
    const next = new Map(s);
    const out: VarState = new Map();
    for (const t of vs.values()) {
      const u = OWN_KINDS.has(t.kind) ? f(t) : t;
      out.set(key(u), u);
    }
    next.set(v, out);
    return next;
  }

  private setAux(s: State, v: string, remove: Kind[], add?: Tok): State {
    const next = new Map(s);
    const vs: VarState = new Map();
    for (const [k, t] of s.get(v) ?? []) {
      if (!remove.includes(t.kind)) {
        vs.set(k, t);
      }
    }
    if (add) {
      vs.set(key(add), add);
    }
    next.set(v, vs);
    return next;
  }

  private has(s: State, v: string, kind: Kind): boolean {
    for (const t of s.get(v)?.values() ?? []) {
      if (t.kind === kind) {
        return true;
      }
    }
    return false;
  }

  private once(tag: string): boolean {
    if (this.seen.has(tag)) {
      return false;
    }
    this.seen.add(tag);
    return true;
  }

  // ---- leaving scopes ----------------------------------------------------------------------

  private leave(s: State, leave: Leave): State {
    let next: State | undefined;
    for (const [v, vs] of s) {
      const block = this.fn.locals.get(v);
      const inScope = leave.leavesFunction || (!!block && leave.scopes.includes(block));
      const back = (leave.kind === 'back' || leave.kind === 'continue') && !!leave.loop;
      let touched = false;
      const kept: VarState = new Map();
      const owned = [...vs.values()].filter((t) => OWN_KINDS.has(t.kind));
      const definite = owned.length > 0 && owned.every((t) => t.kind === 'O');
      for (const [k, t] of vs) {
        const inLoop = (n: SNode | undefined): boolean => !!n && !!leave.loop && leave.loop.start <= n.start && n.end <= leave.loop.end;
        const fires = leave.kind !== 'exit' && (inScope || (back && inLoop(t.kind === 'D' ? t.at : t.site)));
        if (t.kind === 'O' && fires) {
          if (this.reporting && (t.alias !== 'param' || this.fn.socketUsed.has(v))) {
            const at = t.via ?? leave.at;
            if (this.once(`leak:${v}:${at.start}`)) {
              this.events.leaks.push({ variable: v, site: t.alias === 'param' ? undefined : t.site, at, definite, kind: t.via ? 'goto' : leave.kind });
            }
          }
          touched = true;
          continue;
        }
        if (t.kind === 'S' && fires) {
          if (this.reporting && this.once(`shut:${v}:${t.at!.start}`)) {
            this.events.shutdownLeaks.push({ variable: v, shut: t.at!, site: t.alias === 'param' ? undefined : t.site });
          }
          touched = true;
          continue;
        }
        if (t.kind === 'D' && fires) {
          if (this.reporting && this.once(`drop:${v}:${t.at!.start}`)) {
            this.events.dropLeaks.push({ variable: v, drop: t.at!, site: t.site, definite: owned.every((o) => o.kind === 'D') });
          }
          touched = true;
          continue;
        }
        if (t.kind === 'O' && leave.kind === 'goto' && !t.via) {
          const u = { ...t, via: leave.at };
          kept.set(key(u), u);
          touched = true;
          continue;
        }
        kept.set(k, t);
      }
      if (inScope && !leave.leavesFunction) {
        next ??= new Map(s);
        next.delete(v);
      } else if (touched) {
        next ??= new Map(s);
        if (![...kept.values()].some((t) => OWN_KINDS.has(t.kind))) {
          kept.set('U:::::', { kind: 'U' });
        }
        next.set(v, kept);
      }
    }
    return next ?? s;
  }

  // ---- branch refinement ---------------------------------------------------------------------

  private refine(s: State, cond: SNode, truth: boolean): State {
    const e = this.x.unwrap(cond);
    if (!e) {
      return s;
    }
    const op = operator(e, this.x);
    if ((e.type === 'unary_expression' && op === '!') || e.type === 'not_operator') {
      const arg = field(e, 'argument') ?? named(e)[0];
      return arg ? this.refine(s, arg, !truth) : s;
    }
    if ((e.type === 'binary_expression' || e.type === 'boolean_operator') && (op === '&&' || op === 'and' || op === '||' || op === 'or')) {
      const l = field(e, 'left');
      const r = field(e, 'right');
      const conj = op === '&&' || op === 'and';
      if (l && r && conj === truth) {
        return this.refine(this.refine(s, l, truth), r, truth);
      }
      return s;
    }
    let left: SNode | undefined;
    let right: SNode | undefined;
    let cmp: string | undefined;
    if (e.type === 'binary_expression') {
      left = field(e, 'left');
      right = field(e, 'right');
      cmp = op;
    } else if (e.type === 'comparison_operator') {
      const ops = named(e);
      if (ops.length === 2) {
        [left, right] = ops;
        cmp = e.children.find((c) => !c.named)?.type;
      }
    }
    if (!left || !right || !cmp || !['==', '!=', '<', '<=', '>', '>='].includes(cmp)) {
      return s;
    }
    let v = this.varOf(left);
    let c = this.x.constant(right, this.file.defines);
    if (v === undefined || c === undefined) {
      v = this.varOf(right);
      c = this.x.constant(left, this.file.defines);
      cmp = flip(cmp);
    }
    if (v === undefined || c === undefined || !s.has(v)) {
      return s;
    }
    const pred = (n: number): boolean => compare(n, cmp!, c!);
    let next = s;
    if (pred(-1) === truth && pred(3) !== truth && this.has(s, v, 'O')) {
      next = this.setOwn(next, v, [{ kind: 'U' }]);
    }
    if (pred(-1) !== truth && this.has(s, v, 'M')) {
      next = this.setAux(next, v, ['M']);
    }
    return next;
  }

  /** The variable a condition operand names: `fd`, `(fd = socket(...))`. */
  private varOf(n: SNode): string | undefined {
    const u = this.x.unwrap(n);
    if (u && (u.type === 'assignment_expression' || u.type === 'assignment' || u.type === 'named_expression')) {
      return this.x.ident(field(u, 'left') ?? field(u, 'name'));
    }
    return this.x.ident(u);
  }

  // ---- statements ----------------------------------------------------------------------------

  private transfer(node: CfgNode, s: State): State {
    const ast = node.ast;
    if (!ast) {
      return s;
    }
    switch (node.kind) {
      case 'with':
        return this.withItems(ast, s);
      case 'iter':
        return this.iterate(ast, s);
      case 'stmt':
      case 'cond':
        if (ast.type === 'except_clause' || ast.type === 'catch_clause') {
          return s;
        }
        return this.walk(ast, s);
      default:
        return s;
    }
  }

  private withItems(w: SNode, s: State): State {
    const clause = w.children.find((c) => c.type === 'with_clause');
    for (const item of clause ? named(clause) : []) {
      let value = field(item, 'value') ?? named(item)[0];
      let target: string | undefined;
      if (value && value.type === 'as_pattern') {
        const alias = field(value, 'alias') ?? named(value)[1];
        target = alias ? this.x.ident(named(alias)[0] ?? alias) ?? this.x.src(alias) : undefined;
        value = named(value)[0];
      }
      if (!value) {
        continue;
      }
      s = this.walk(value, s);
      if (target && this.tracked(target)) {
        s = this.setOwn(s, target, [{ kind: 'H' }]);
      }
      for (const id of this.x.idents(value, SKIP_NESTED)) {
        if (this.tracked(id) && s.has(id)) {
          s = this.setOwn(s, id, [{ kind: 'H' }]);
        }
      }
    }
    return s;
  }

  private iterate(loop: SNode, s: State): State {
    const right = field(loop, 'right');
    if (right) {
      s = this.walk(right, s);
    }
    const left = field(loop, 'left') ?? field(loop, 'declarator');
    for (const id of left ? this.x.idents(left) : []) {
      if (this.tracked(id)) {
        s = this.setOwn(s, id, [{ kind: 'R' }]);
      }
    }
    return s;
  }

  /** Evaluates the effects of an expression or simple statement, inner expressions first. */
  private walk(n: SNode, s: State): State {
    switch (n.type) {
      case 'lambda_expression':
      case 'lambda':
        return this.handOffMentions(n, s);
      case 'function_definition':
      case 'class_definition':
      case 'class_specifier':
      case 'struct_specifier':
      case 'comment':
      case 'string_literal':
      case 'string':
        return s;
      case 'assignment_expression':
      case 'assignment':
      case 'augmented_assignment': {
        const right = field(n, 'right');
        if (right) {
          s = this.walk(right, s);
        }
        const left = field(n, 'left');
        if (left && left.type !== 'identifier' && left.type !== 'pattern_list' && left.type !== 'tuple_pattern') {
          s = this.walk(left, s);
        }
        const op = operator(n, this.x);
        if (op !== '=' && right) {
          this.countUse(right, s);
          return s;
        }
        return left && right ? this.assign(left, right, n, s) : s;
      }
      case 'init_declarator': {
        const value = field(n, 'value');
        const decl = field(n, 'declarator');
        if (value) {
          s = this.walk(value, s);
        }
        if (!value || !decl) {
          return s;
        }
        if (value.type === 'argument_list' || value.type === 'initializer_list') {
          return this.handOffMentions(value, s);
        }
        return this.assign(declName(decl, this.x) ?? decl, value, n, s);
      }
      case 'call_expression':
      case 'call': {
        for (const c of n.children) {
          s = this.walk(c, s);
        }
        return this.call(n, s);
      }
      case 'return_statement': {
        for (const c of n.children) {
          s = this.walk(c, s);
        }
        const value = named(n)[0];
        return value ? this.handOffMentions(value, s, true) : s;
      }
      case 'delete_statement': {
        for (const target of named(n)) {
          const t = target.type === 'expression_list' ? named(target) : [target];
          for (const d of t) {
            if (d.type === 'subscript') {
              const sub = field(d, 'subscript');
              const v = this.x.ident(sub);
              if (this.tracked(v)) {
                s = this.drop(s, v, this.stmt());
              }
            }
          }
        }
        return s;
      }
      case 'subscript_expression': {
        for (const c of n.children) {
          s = this.walk(c, s);
        }
        const index = field(n, 'index') ?? field(n, 'indices') ?? named(n)[1];
        if (index) {
          this.countUse(index, s);
        }
        return s;
      }
      case 'binary_expression': {
        for (const c of n.children) {
          s = this.walk(c, s);
        }
        const op = operator(n, this.x);
        if (op === '+' || op === '-') {
          for (const side of [field(n, 'left'), field(n, 'right')]) {
            if (side) {
              this.countUse(side, s);
            }
          }
        }
        return s;
      }
      default:
        for (const c of n.children) {
          s = this.walk(c, s);
        }
        return s;
    }
  }

  /** The statement being evaluated, where a drop is reported. */
  private stmt(): SNode {
    return this.current.ast!;
  }

  /** read-error-as-data: a maybe -1 read result used as a byte count. */
  private countUse(n: SNode, s: State): void {
    if (this.file.python || !this.reporting) {
      return;
    }
    const v = this.x.ident(n);
    if (!v) {
      return;
    }
    for (const t of s.get(v)?.values() ?? []) {
      if (t.kind === 'M' && t.site && this.once(`read:${t.site.start}`)) {
        this.events.readAsData.push({ site: t.site, use: n });
      }
    }
  }

  private handOffMentions(n: SNode, s: State, isReturn = false): State {
    const skip = isReturn ? RETURN_SKIP : SKIP_NONE;
    for (const id of this.x.idents(n, skip)) {
      if (this.tracked(id) && s.has(id) && !this.has(s, id, 'C')) {
        s = this.setOwn(s, id, [{ kind: 'H' }]);
      }
    }
    return s;
  }

  private drop(s: State, v: string, at: SNode): State {
    if (!s.has(v)) {
      s = this.setOwn(s, v, [{ kind: 'R' }]);
    }
    return this.mapOwn(s, v, (t) => (t.kind === 'R' || t.kind === 'P' || t.kind === 'U' || t.kind === 'D'
      ? { kind: 'D', at, site: t.site, alias: t.alias } : t));
  }

  private close(s: State, target: SNode): State {
    const v = this.x.ident(target);
    const text = this.x.src(this.x.unwrap(target) ?? target).replace(/\s+/g, '');
    if (v && s.has(v)) {
      s = this.setOwn(s, v, [{ kind: 'C' }]);
    }
    for (const [name, vs] of s) {
      if (name === text || [...vs.values()].some((t) => t.alias !== undefined && t.alias === text)) {
        s = this.setOwn(s, name, [{ kind: 'C' }]);
      }
    }
    return s;
  }

  private assign(left: SNode, right: SNode, whole: SNode, s: State): State {
    const r = this.x.unwrap(right);
    if (!r) {
      return s;
    }
    let lv = this.x.ident(left);
    if (!lv && (left.type === 'pattern_list' || left.type === 'tuple_pattern')) {
      lv = this.x.ident(named(left)[0]);
    }
    if (this.isCallNode(r)) {
      const acquired = this.acquisition(r);
      if (acquired) {
        if (this.tracked(lv)) {
          if (acquired.tcpServerCandidate) {
            s = this.setAux(s, lv, ['nr', 'ra', 'B'], { kind: 'nr' });
          } else {
            s = this.setAux(s, lv, ['nr', 'ra', 'B']);
          }
          return this.setOwn(s, lv, [{ kind: 'O', site: r }]);
        }
        return s;
      }
      if (this.tracked(lv)) {
        s = this.setAux(s, lv, ['M']);
        if (!this.file.python && C_READ.has(this.x.baseName(this.x.calleeOf(r))) && !this.x.receiver(r)) {
          s = this.setAux(s, lv, [], { kind: 'M', site: r });
        }
        if (s.has(lv) && !this.has(s, lv, 'O')) {
          s = this.setOwn(s, lv, [{ kind: 'U' }]);
        }
      }
      return s;
    }
    if (this.tracked(lv)) {
      s = this.setAux(s, lv, ['M']);
      if (this.fn.isEntry && this.mentionsEntryParam(r, s)) {
        return this.setOwn(s, lv, [{ kind: 'O', site: whole }]);
      }
      const w = this.x.ident(r);
      if (this.tracked(w) && w !== lv) {
        if (s.has(w) && !this.has(s, w, 'C')) {
          s = this.setOwn(s, w, [{ kind: 'H' }]);
        }
        return this.setOwn(s, lv, [{ kind: 'H' }]);
      }
      if (isRegisteredLoad(r, this.x.text)) {
        if (this.has(s, lv, 'O')) {
          return s;
        }
        return this.setOwn(s, lv, [{ kind: 'R', alias: this.x.src(r).replace(/\s+/g, '') }]);
      }
      if (s.has(lv)) {
        return this.setOwn(s, lv, [{ kind: 'U' }]);
      }
      return s;
    }
    // Storing into a field, array slot, global or attribute hands the socket off...
    if (STORE_LHS.has(left.type) || (left.type === 'identifier' && !this.tracked(lv))) {
      const c = this.x.constant(r, this.file.defines);
      if (c !== undefined && c <= 0) {
        // ...and clearing a table slot drops the reference it held.
        const text = this.x.src(left).replace(/\s+/g, '');
        for (const [name, vs] of s) {
          if (name === text || [...vs.values()].some((t) => t.alias === text && t.kind !== 'C')) {
            s = this.drop(s, name, this.stmt());
          }
        }
        return s;
      }
      return this.handOffMentions(r, s);
    }
    return s;
  }

  private mentionsEntryParam(r: SNode, s: State): boolean {
    return this.x.idents(r, SKIP_NESTED).some((id) => this.fn.params.includes(id)
      && [...(s.get(id)?.values() ?? [])].some((t) => t.kind === 'O' && t.alias === 'param'));
  }

  private isCallNode(n: SNode): boolean {
    return this.x.isCall(n) || (n.type === 'subscript' && this.x.isCall(field(n, 'value')));
  }

  /** Is `call` an acquisition; is the new socket a TCP server candidate for missing-reuseaddr? */
  private acquisition(call: SNode): { tcpServerCandidate: boolean } | undefined {
    if (call.type === 'subscript') {
      const v = field(call, 'value');
      return v && this.x.isCall(v) ? this.acquisition(v) : undefined;
    }
    const callee = this.x.calleeOf(call);
    const args = this.x.src(field(call, 'arguments') ?? call);
    if (this.file.python) {
      if (/^(socket\.)?socket$/.test(callee) || callee === 'socket.fromfd') {
        return { tcpServerCandidate: !/SOCK_DGRAM|AF_UNIX|SOCK_RAW/.test(args) && callee !== 'socket.fromfd' };
      }
      if (/^(socket\.)?(create_connection|create_server|socketpair)$/.test(callee)) {
        return { tcpServerCandidate: false };
      }
      if (/\.accept$/.test(callee) || callee === 'accept') {
        return { tcpServerCandidate: false };
      }
      return undefined;
    }
    const base = callee.replace(/^::/, '');
    if (!C_ACQUIRE.has(base)) {
      return undefined;
    }
    const server = (base === 'socket' || base.startsWith('WSASocket')) && !/SOCK_DGRAM|AF_UNIX|AF_LOCAL|PF_UNIX|PF_LOCAL|SOCK_RAW|IPPROTO_UDP/.test(args);
    return { tcpServerCandidate: server };
  }

  private call(n: SNode, s: State): State {
    const x = this.x;
    const callee = x.calleeOf(n);
    const base = x.baseName(callee);
    const args = x.args(n);
    const recv = x.receiver(n);
    if (this.file.python) {
      return this.pyCall(n, callee, base, args, recv, s);
    }
    const a0 = args[0];
    const v0 = x.ident(a0);
    if (recv && !this.file.hasBody(base)) {
      // C++ methods: erase/remove drop a registered socket; anything else that receives one keeps it.
      if (base === 'erase' || base === 'remove') {
        for (const a of args) {
          for (const id of x.idents(a, SKIP_NESTED)) {
            if (this.tracked(id) && !this.has(s, id, 'O')) {
              s = this.drop(s, id, this.stmt());
            }
          }
        }
        return s;
      }
      if (!C_BORROWING.has(base)) {
        return this.handOffArgs(args, s);
      }
      return s;
    }
    if (C_BYTE_SINKS.has(base)) {
      for (const a of args.slice(1)) {
        this.countUse(a, s);
      }
    }
    if (C_CLOSE.has(base) && a0) {
      return this.close(s, a0);
    }
    switch (base) {
      case 'shutdown':
        return v0 && this.has(s, v0, 'O') ? this.mapOwn(s, v0, (t) => (t.kind === 'O' ? { kind: 'S', site: t.site, at: n, alias: t.alias } : t)) : s;
      case 'setsockopt':
        return this.setsockopt(n, v0, args[2], s);
      case 'bind':
        return this.bind(n, v0, s);
      case 'FD_SET':
        return v0 && s.has(v0) && !this.has(s, v0, 'C') ? this.setOwn(s, v0, [{ kind: 'H' }]) : s;
      case 'FD_ISSET':
        if (this.tracked(v0) && !this.has(s, v0, 'O') && !this.has(s, v0, 'S') && !this.has(s, v0, 'D') && !this.has(s, v0, 'C')
          && !this.has(s, v0, 'R')) {
          return this.setOwn(s, v0, [{ kind: 'R' }]);
        }
        return this.pseudo(a0, s);
      case 'FD_CLR':
        return this.tracked(v0) && !this.has(s, v0, 'O') ? this.drop(s, v0, this.stmt()) : s;
      case 'epoll_ctl': {
        const op = args[1] ? x.src(args[1]) : '';
        const v2 = x.ident(args[2]);
        if (!this.tracked(v2)) {
          return s;
        }
        if (/DEL/.test(op)) {
          return this.has(s, v2, 'O') ? s : this.drop(s, v2, this.stmt());
        }
        return /ADD/.test(op) && !this.has(s, v2, 'C') ? this.setOwn(s, v2, [{ kind: 'H' }]) : s;
      }
      case 'fdopen':
      case '_open_osfhandle':
        return v0 && s.has(v0) ? this.setOwn(s, v0, [{ kind: 'H' }]) : s;
    }
    if (base in C_THREAD_STARTERS) {
      return this.handOffMentions(field(n, 'arguments') ?? n, s);
    }
    if (C_READ.has(base) || base === 'write' || base === 'send' || base === 'recv') {
      return this.pseudo(a0, s);
    }
    if (this.file.hasBody(base)) {
      return this.summarized(base, args, s);
    }
    if (C_BORROWING.has(base) || C_BORROWING.has(callee) || /^(std::)?(printf|cout|cerr)/.test(callee)) {
      return s;
    }
    return this.handOffArgs(args, s);
  }

  /** A table slot used as a socket (`read(fds[i].fd, ...)`) is tracked by its text. */
  private pseudo(a: SNode | undefined, s: State): State {
    const u = this.x.unwrap(a);
    if (!u || !isRegisteredLoad(u, this.x.text)) {
      return s;
    }
    const text = this.x.src(u).replace(/\s+/g, '');
    for (const vs of s.values()) {
      for (const t of vs.values()) {
        if (t.alias === text) {
          return s;
        }
      }
    }
    return s.has(text) ? s : this.setOwn(s, text, [{ kind: 'R' }]);
  }

  private summarized(name: string, args: SNode[], s: State): State {
    args.forEach((a, i) => {
      const v = this.x.ident(a) ?? this.x.ident(a.type === 'pointer_expression' ? field(a, 'argument') : undefined);
      if (!this.tracked(v)) {
        return;
      }
      if (this.file.setsReuse(name, i)) {
        s = this.setAux(s, v, ['nr'], { kind: 'ra' });
      }
      if (this.file.consumes(name, i) && s.has(v) && !this.has(s, v, 'C')) {
        s = this.setOwn(s, v, [{ kind: 'H' }]);
      }
    });
    return s;
  }

  private handOffArgs(args: SNode[], s: State): State {
    for (const a of args) {
      let u = this.x.unwrap(a);
      if (u && (u.type === 'pointer_expression' || u.type === 'unary_expression') && this.x.src(u).startsWith('&')) {
        u = field(u, 'argument');
      }
      const v = this.x.ident(u);
      if (this.tracked(v) && s.has(v) && !this.has(s, v, 'C')) {
        s = this.setOwn(s, v, [{ kind: 'H' }]);
      }
      if (u && (u.type === 'tuple' || u.type === 'list' || u.type === 'initializer_list')) {
        s = this.handOffMentions(u, s);
      }
    }
    return s;
  }

  private setsockopt(n: SNode, v: string | undefined, opt: SNode | undefined, s: State): State {
    if (!v || !opt || !this.tracked(v)) {
      return s;
    }
    const o = this.x.src(opt);
    if (/SO_REUSEADDR|SO_EXCLUSIVEADDRUSE/.test(o)) {
      if (/SO_REUSEADDR/.test(o) && this.has(s, v, 'B') && this.reporting && this.once(`rab:${n.start}`)) {
        this.events.reuseAfterBind.push({ variable: v, call: n });
      }
      return this.setAux(s, v, ['nr'], { kind: 'ra' });
    }
    return s;
  }

  private bind(n: SNode, v: string | undefined, s: State): State {
    if (!v || !this.tracked(v)) {
      return s;
    }
    if (this.has(s, v, 'nr') && this.reporting && this.once(`mr:${n.start}`)) {
      const site = [...(s.get(v)?.values() ?? [])].find((t) => t.kind === 'O' || t.kind === 'S')?.site;
      this.events.missingReuse.push({ variable: v, bind: n, site });
    }
    return this.setAux(s, v, ['B'], { kind: 'B', site: n });
  }

  private pyCall(n: SNode, callee: string, base: string, args: SNode[], recv: SNode | undefined, s: State): State {
    const x = this.x;
    const rv = recv ? x.ident(recv) : undefined;
    if (rv && this.tracked(rv)) {
      switch (base) {
        case 'close':
        case '__exit__':
          return s.has(rv) ? this.setOwn(s, rv, [{ kind: 'C' }]) : s;
        case 'shutdown':
          return this.has(s, rv, 'O') ? this.mapOwn(s, rv, (t) => (t.kind === 'O' ? { kind: 'S', site: t.site, at: n, alias: t.alias } : t)) : s;
        case 'detach':
          return s.has(rv) ? this.setOwn(s, rv, [{ kind: 'H' }]) : s;
        case 'setsockopt':
          return this.setsockopt(n, rv, args[1], s);
        case 'bind':
          return this.bind(n, rv, s);
      }
      if (PY_SOCKET_METHODS.has(base)) {
        return s;
      }
    }
    if (recv && (base === 'unregister' || base === 'remove' || base === 'discard' || base === 'pop')) {
      for (const a of args) {
        const v = x.ident(a);
        if (this.tracked(v) && !this.has(s, v, 'O')) {
          s = this.drop(s, v, this.stmt());
        }
      }
      return s;
    }
    if (callee === 'contextlib.closing' || callee === 'closing') {
      return s;
    }
    if (/(^|\.)Thread$/.test(callee) || callee.endsWith('start_new_thread') || base === 'submit' || base === 'apply_async') {
      return this.handOffMentions(field(n, 'arguments') ?? n, s);
    }
    if (this.file.hasBody(base) && !recv) {
      return this.summarized(base, args, s);
    }
    if (this.file.hasBody(base) && rv === 'self') {
      return this.summarized(base, args, s);
    }
    if (PY_BORROWING.has(callee) || PY_BORROWING.has(base) || PY_SOCKET_METHODS.has(base) && !recv) {
      return s;
    }
    let list = args;
    const list2 = field(n, 'arguments');
    if (list2) {
      list = named(list2).map((a) => (a.type === 'keyword_argument' ? field(a, 'value') ?? a : a));
    }
    return this.handOffArgs(list, s);
  }
}

const RETURN_SKIP: ReadonlySet<string> = new Set(['call_expression', 'call', 'binary_expression', 'comparison_operator',
  'lambda', 'lambda_expression']);
const SKIP_NONE: ReadonlySet<string> = new Set(['lambda', 'function_definition']);

/** `client[i]`, `fds[i].fd`, `events[i].data.fd`, `*it`, `it->fd`, `key.fileobj`: a slot of a table. */
export function isRegisteredLoad(r: SNode, text: string): boolean {
  if (r.type === 'subscript_expression' || r.type === 'subscript') {
    return true;
  }
  if (r.type === 'field_expression') {
    const arg = field(r, 'argument');
    return !!arg && (isRegisteredLoad(arg, text) || arg.type === 'identifier' && /->/.test(r.children.map((c) => c.type).join('')));
  }
  if (r.type === 'pointer_expression') {
    const arg = field(r, 'argument');
    return !!arg && arg.type === 'identifier' && r.children[0]?.type === '*';
  }
  if (r.type === 'attribute') {
    const attr = field(r, 'attribute');
    return !!attr && text.slice(attr.start, attr.end) === 'fileobj';
  }
  return false;
}

/** The operator token of a binary/assignment node. */
export function operator(n: SNode, x: Expr): string | undefined {
  const op = field(n, 'operator') ?? n.children.find((c) => !c.named && c.type !== '(' && c.type !== ')');
  return op ? (op.named ? x.src(op) : op.type) : undefined;
}

/** The declared name of a declarator (`*p`, `fd`, `fds[10]`). */
export function declName(d: SNode, x: Expr): SNode | undefined {
  let cur: SNode | undefined = d;
  while (cur && cur.type !== 'identifier') {
    cur = field(cur, 'declarator') ?? named(cur)[0];
  }
  void x;
  return cur;
}

function flip(op: string): string {
  return ({ '<': '>', '>': '<', '<=': '>=', '>=': '<=' } as Record<string, string>)[op] ?? op;
}

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}

function merge(a: State, b: State): State {
  const out: State = new Map(a);
  for (const [v, vs] of b) {
    const prev = out.get(v);
    if (!prev) {
      // Absent on the other path: nothing obtained there.
      out.set(v, vs);
      continue;
    }
    if (prev === vs) {
      continue;
    }
    let merged: VarState | undefined;
    for (const [k, t] of vs) {
      if (!prev.has(k)) {
        merged ??= new Map(prev);
        merged.set(k, t);
      }
    }
    if (merged) {
      out.set(v, merged);
    }
  }
  return out;
}

function sameState(a: State, b: State): boolean {
  if (a.size !== b.size) {
    return false;
  }
  for (const [v, vs] of a) {
    const o = b.get(v);
    if (!o || o.size !== vs.size) {
      return false;
    }
    for (const k of vs.keys()) {
      if (!o.has(k)) {
        return false;
      }
    }
  }
  return true;
}

export { condOf };
