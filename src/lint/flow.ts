import { C_ACQUIRE, C_BORROWING, C_BYTE_SINKS, C_CLOSE, C_LOOKUP_METHODS, C_READ, C_THREAD_STARTERS, PY_BORROWING, PY_SOCKET_METHODS, UNP_ACQUIRE, UNP_WRAPPERS } from './api';
import type { Cfg, CfgNode, Leave, SwitchCases } from './cfg';
import { condOf } from './cfg';
import { type CloseSplit, compare, valuesOnBranch } from './closeSplit';
import { constantText, functionMacros, macroReturn, memberInits, objectMacros, returnedNames, statementMacro, type Expr, type Macro } from './expr';
import { field, LOOP_TYPES, memoOf, named, visit, type SNode } from './syntax';
import { escapeRegExp, nameIn, occurrences } from './text';

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
  /** A thread entry's parameters that some start shares among its threads: borrowed, not owned. */
  entryBorrows?: ReadonlySet<string>;
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
  /**
   * Same-file function: is its parameter `index` closed even when the function raises? Its whole
   * body runs under Python's `try: ... finally: p.close()` or `with p:`, or C++'s `try { ... }
   * catch (...) { close(p); ... }`.
   */
  closesOnRaise?(name: string, index: number): boolean;
  /** Python: does the file put objects into `container` (text without spaces)? Only such a container's pop/remove/del drops a socket by key. */
  isSocketTable?(container: string): boolean;
  /** Is `v` used as a socket in `fn`, there or by a same-file function it is passed to (FnInfo.socketUsed covers only the first)? */
  usedAsSocket?(fn: FnInfo, v: string): boolean;
  /** Same-file function that closes its parameter `index` only on paths returning certain values (see CloseSplit). */
  closesOn?(name: string, index: number): CloseSplit | undefined;
  /** Same-file function: does it set SO_REUSEADDR on its parameter `index`? */
  setsReuse(name: string, index: number): boolean;
  /** A function with a body in this file. */
  hasBody(name: string): boolean;
  /** Members a method's class constructor set to a TCP socket without SO_REUSEADDR (Python `self.sock`, C++ `fd_`; see FileFacts). */
  initSockets?(fn: FnInfo): string[];
  /** Same-file functions by name (for wrappers that return a new socket). */
  byName?: ReadonlyMap<string, FnInfo>;
}

type Acquired = { tcpServerCandidate: boolean };
/** Per file: same-file functions that return a socket they obtained (wrappers, factories). */
const wrapperMemo = new WeakMap<FileContext, Map<string, Acquired | null>>();
/** Arguments of a socket() call that make it no TCP server (UDP, Unix domain, raw). */
/** A condition that tells error kinds apart: EAGAIN and EINTR are no error to close on. */
const ERROR_KINDS = /\b(errno|EAGAIN|EWOULDBLOCK|EINTR|WSAGetLastError|WSAEWOULDBLOCK)\b/;
export const NON_TCP = /SOCK_DGRAM|AF_UNIX|AF_LOCAL|PF_UNIX|PF_LOCAL|SOCK_RAW|IPPROTO_UDP/;

/**
 * Ownership kinds: O owned, S shut down, D dropped from its table, C closed, H handed off,
 * U not a socket / invalid, P borrowed parameter, R registered (a table slot), E registered and
 * its read just saw EOF (the handler must close it). Aux kinds: nr/ra/B reuse order, M a read
 * result that may be -1, Q a read result whose socket is `alias`.
 */
type Kind = 'O' | 'S' | 'D' | 'C' | 'H' | 'U' | 'P' | 'R' | 'E' | 'nr' | 'ra' | 'B' | 'M' | 'Q';
const OWN_KINDS: ReadonlySet<Kind> = new Set(['O', 'S', 'D', 'C', 'H', 'U', 'P', 'R', 'E']);

/**
 * One possibility for a variable. `site` (plus `id` for a thread entry's parameters) names the
 * socket, so copies of a descriptor in several locals are recognized as one socket. `tag`
 * records how a path left a loop (`x<start>`: its condition failed, `b<start>`: a break).
 */
interface Tok { kind: Kind; site?: SNode; via?: SNode; at?: SNode; alias?: string; id?: string; tag?: string; carry?: Carry; flags?: string }
/** A socket that went round a loop still open: where (the back edge), and whether it was open on every path there. */
interface Carry { leave: Leave; definite: boolean }
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
  /** Sockets this function listen()s on: local names, or `g_fd`, `self.sock`, `srv->fd` for stored ones. */
  listens: Set<string>;
}

function key(t: Tok): string {
  let k = `${t.kind}:${t.site?.start ?? ''}:${t.via?.start ?? ''}:${t.at?.start ?? ''}:${t.alias ?? ''}:${t.id ?? ''}:${t.tag ?? ''}`;
  if (t.flags) {
    k += `:${t.flags}`;
  }
  return t.carry ? `${k}:${t.carry.leave.at.start}:${t.carry.definite ? 1 : 0}` : k;
}

function one(t: Tok): VarState {
  return new Map([[key(t), t]]);
}

const SKIP_NESTED = new Set(['lambda_expression', 'lambda', 'function_definition', 'class_definition', 'class_specifier']);
/** Field names that hold a descriptor (`fd`, `sock`, `client_fd`, `s`). */
const DESCRIPTOR_FIELD = /^(s|fd|sock|socket|sockfd|conn)$|_(fd|sock)$|^(fd|sock)_?/i;
/** C++'s named casts, which the walk passes through as C casts. */
const CPP_CASTS = /^(static_cast|reinterpret_cast|const_cast|dynamic_cast)\b/;
/** The type of a poll() record (see pollRecordField). */
const POLL_RECORD = /^(struct\s+)?pollfd$|^WSAPOLLFD$/;
/** The alias of an iterator's token that names the key it was found by (`it = m.find(fd)`). */
const FOUND = 'found:';
const STORE_LHS = new Set(['field_expression', 'subscript_expression', 'pointer_expression', 'attribute', 'subscript',
  'qualified_identifier']);

/** Path analysis of socket ownership, SO_REUSEADDR order and read results over one CFG. */
export class Flow {
  private readonly events: FlowEvents = { leaks: [], shutdownLeaks: [], dropLeaks: [], missingReuse: [], reuseAfterBind: [], readAsData: [], listens: new Set() };
  private reporting = false;
  private current!: CfgNode;
  private readonly seen = new Set<string>();
  /** Calls of split helpers in the node being evaluated (see noteSplit). */
  private readonly splits = new Map<SNode, { before: State; split: CloseSplit; vars: string[] }>();
  /** nullable()'s answers by local name. */
  private readonly nullables = new Map<string, boolean>();

  /**
   * `followFlags`: follow locals only ever given constants (see flags()). The analyzer asks for it
   * only on a second run, for a function whose first run found a leak and whose text tests such a
   * flag before a close (see mayFollowFlags): following them splits states and costs time.
   */
  constructor(private readonly fn: FnInfo, private readonly cfg: Cfg, private readonly file: FileContext, private readonly deadline: number,
    private readonly followFlags = false) {}

  private get x(): Expr {
    return this.file.expr;
  }

  /** Runs to a fixpoint, then replays every node once to collect findings. */
  run(): { events: FlowEvents; complete: boolean } {
    const n = this.cfg.nodes.length;
    const ins: (State | undefined)[] = new Array(n);
    ins[this.cfg.entry.id] = this.initial();
    // Nodes wait in reverse postorder: a node runs after the nodes that feed it (loops
    // aside), so most run once or twice instead of once per change that reaches them.
    const work = new RankQueue(this.cfg);
    work.push(this.cfg.entry.id);
    let steps = 0;
    let complete = true;
    // Findings are collected during the fixpoint: each node keeps those of its last
    // evaluation, which saw its final input (any change to that input queues it again).
    const held: ([string, (e: FlowEvents) => void][] | undefined)[] = new Array(n);
    this.reporting = true;
    this.held = held;
    while (work.size > 0) {
      const node = this.cfg.nodes[work.pop()];
      held[node.id] = undefined;
      this.heldId = node.id;
      if ((++steps & 255) === 0 && Date.now() > this.deadline) {
        complete = false;
        break;
      }
      if (steps > 200_000) {
        complete = false;
        break;
      }
      const input = ins[node.id]!;
      const after = this.enter(node, input);
      const succ = node.succ;
      for (let i = 0; i < succ.length; i++) {
        const edge = succ[i];
        const out = this.along(node, edge, input, after);
        const prev = ins[edge.to.id];
        // merge() returns `prev` itself when `out` adds nothing: no change, no copy.
        const merged = prev ? merge(prev, out) : out;
        if (merged !== prev) {
          ins[edge.to.id] = merged;
          work.push(edge.to.id);
        }
      }
    }
    this.held = undefined;
    for (const node of this.cfg.nodes) {
      if (complete) {
        for (const [tag, push] of held[node.id] ?? []) {
          this.emit(tag, push);
        }
      } else if (ins[node.id]) {
        // Stopped early: inputs are not final, report what the states reached so far show.
        const input = ins[node.id]!;
        const after = this.enter(node, input);
        node.succ.forEach((edge) => this.along(node, edge, input, after));
      }
    }
    return { events: this.events, complete };
  }

  private initial(): State {
    let s: State = new Map();
    for (const p of this.fn.params) {
      s.set(p, one(this.fn.isEntry && !this.fn.entryBorrows?.has(p) ? { kind: 'O', site: this.fn.node, alias: 'param', id: p } : { kind: 'P' }));
    }
    // A Python method starts with what `__init__` put in `self.sock`: a TCP socket still without
    // SO_REUSEADDR, which its bind() needs first.
    for (const key of this.file.initSockets?.(this.fn) ?? []) {
      s = this.setAux(s, key, ['nr', 'ra', 'B'], { kind: 'nr' });
    }
    // A C++ constructor's `: fd_(socket(...))` stores a new socket in a member before the body
    // runs: handed off to the object, but its bind() in the body still needs SO_REUSEADDR first.
    for (const [member, value] of memberInits(this.fn.node, this.x)) {
      const acquired = this.x.isCall(value) ? this.acquisition(value) : undefined;
      if (acquired) {
        s = this.setAux(s, member, ['nr', 'ra', 'B'], acquired.tcpServerCandidate ? { kind: 'nr' } : undefined);
      }
    }
    return s;
  }

  /** The state after `node`'s own effects (its statement or condition). */
  private enter(node: CfgNode, input: State): State {
    this.current = node;
    this.raised = undefined;
    return this.transfer(node, input);
  }

  /** The state `edge` carries out of `node` (entered with `input`, left with `after`). */
  private along(node: CfgNode, edge: CfgNode['succ'][number], input: State, after: State): State {
    let s = edge.exc ? (this.raised ??= this.raising(node, input, after)) : after;
    if (edge.truth !== undefined && node.ast) {
      s = this.refine(s, node.ast, edge.truth);
    } else if (edge.cases && node.ast) {
      s = this.refineCases(s, node.ast, edge.cases);
    }
    if (edge.raiseAt) {
      s = this.closedWhenRaising(s, edge.raiseAt);
    }
    if (edge.leave) {
      s = this.leave(s, edge.leave);
    }
    if (edge.loopExit) {
      s = this.tagLoop(s, 'x', edge.loopExit);
    } else if (edge.leave?.kind === 'break' && edge.leave.loop) {
      s = this.tagLoop(s, 'b', edge.leave.loop);
    }
    return s;
  }

  /**
   * An exception from a try body's first statement `stmt`, before it took effect, reaches a
   * handler with the state before the try. Where that statement calls a same-file function that
   * closes its socket argument even when it raises (see FileContext.closesOnRaise), the
   * exception can only come from inside that function, after the socket was closed:
   * `try: handle(conn)` with `def handle(conn): try: ... finally: conn.close()`, or C++'s
   * `try { handle(c); }` with a `handle` that closes in `catch (...)`.
   */
  private closedWhenRaising(s: State, stmt: SNode): State {
    const x = this.x;
    if (stmt.type === 'with_statement') {
      // `try: with conn: ...`: what goes wrong inside leaves through the with, which closes conn.
      const clause = stmt.children.find((c) => c.type === 'with_clause');
      for (const item of clause ? named(clause) : []) {
        const v = x.ident(x.unwrap(field(item, 'value') ?? named(item)[0]));
        if (this.tracked(v) && s.has(v) && this.open(s, v)) {
          s = this.settle(s, v, 'H');
        }
      }
      return s;
    }
    let call = x.unwrap(named(stmt)[0]);
    if (call && (call.type === 'assignment' || call.type === 'augmented_assignment' || call.type === 'assignment_expression')) {
      call = x.unwrap(field(call, 'right'));
    }
    if (call?.type === 'await') {
      call = x.unwrap(named(call)[0]);
    }
    if (!call || !x.isCall(call) || x.receiver(call) || !this.file.closesOnRaise) {
      return s;
    }
    const name = x.baseName(x.calleeOf(call));
    x.args(call).forEach((a, i) => {
      const v = x.ident(a);
      if (this.tracked(v) && s.has(v) && this.open(s, v) && this.file.closesOnRaise!(name, i)) {
        s = this.settle(s, v, 'H');
      }
    });
    return s;
  }

  /** The state on exception edges out of the node being evaluated, once asked. */
  private raised: State | undefined;

  /**
   * The state on an exception edge out of a try body: the statement's calls ran, but an
   * exception from `x = f()` leaves before x is assigned (a failed accept() obtained nothing).
   */
  private raising(node: CfgNode, input: State, after: State): State {
    const t = node.ast?.type;
    if (node.kind !== 'stmt' || (t !== 'expression_statement' && t !== 'declaration')) {
      return after;
    }
    this.noAssign = true;
    try {
      return this.transfer(node, input);
    } finally {
      this.noAssign = false;
    }
  }

  private noAssign = false;

  // ---- state helpers -------------------------------------------------------------------

  /** See FileContext.usedAsSocket. */
  private usedAsSocket(v: string): boolean {
    return this.file.usedAsSocket ? this.file.usedAsSocket(this.fn, v) : this.fn.socketUsed.has(v);
  }

  private tracked(name: string | undefined): name is string {
    return !!name && (this.fn.locals.has(name) || this.fn.params.includes(name));
  }

  private setOwn(s: State, v: string, toks: Tok[]): State {
    const next = copyMap(s);
    const vs: VarState = new Map();
    s.get(v)?.forEach((t, k) => {
      if (!OWN_KINDS.has(t.kind)) {
        vs.set(k, t);
      }
    });
    for (const t of toks) {
      vs.set(key(t), t);
    }
    next.set(v, vs);
    return next;
  }

  /**
   * Ends `v`'s ownership (closed, handed off, or known invalid) and that of every copy of
   * the same socket in other variables.
   */
  private settle(s: State, v: string, kind: 'H' | 'C' | 'U'): State {
    const mine = [...(s.get(v)?.values() ?? [])].filter((t) => (t.kind === 'O' || t.kind === 'S') && t.site);
    s = this.setOwn(s, v, [{ kind }]);
    if (mine.length === 0) {
      return s;
    }
    const same = (t: Tok): boolean => (t.kind === 'O' || t.kind === 'S') && mine.some((m) => sameSocket(m, t));
    for (const [name, vs] of s) {
      if (name !== v && [...vs.values()].some(same)) {
        s = this.mapOwn(s, name, (t) => (same(t) ? { kind } : t));
      }
    }
    return s;
  }

  private mapOwn(s: State, v: string, f: (t: Tok) => Tok): State {
    const vs = s.get(v);
    if (!vs) {
      return s;
    }
    const next = copyMap(s);
    const out: VarState = new Map();
    for (const t of vs.values()) {
      let u = OWN_KINDS.has(t.kind) ? f(t) : t;
      if (t.flags && !u.flags && u !== t && (u.kind === 'O' || u.kind === 'S' || u.kind === 'D')) {
        u = { ...u, flags: t.flags }; // (a shutdown keeps what the path set, see flags())
      }
      out.set(key(u), u);
    }
    next.set(v, out);
    return next;
  }

  private setAux(s: State, v: string, remove: Kind[], add?: Tok): State {
    const cur = s.get(v);
    if (!add && cur && !hasKind(cur, remove)) {
      return s;
    }
    const next = copyMap(s);
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

  /** Not known to be closed on every path: some path may still hold it open (or it was never seen closed). */
  private open(s: State, v: string): boolean {
    return !this.has(s, v, 'C') || this.has(s, v, 'O') || this.has(s, v, 'S');
  }

  /**
   * Records a finding, once per tag. While the fixpoint runs, a node's findings are held
   * until its last evaluation (the one with its final input state) and released in node order.
   */
  private emit(tag: string, push: (e: FlowEvents) => void): void {
    if (this.held) {
      (this.held[this.heldId] ??= []).push([tag, push]);
    } else if (!this.seen.has(tag)) {
      this.seen.add(tag);
      push(this.events);
    }
  }

  /** While the fixpoint runs: each node's findings from its last evaluation, and the node being evaluated. */
  private held: ([string, (e: FlowEvents) => void][] | undefined)[] | undefined;
  private heldId = 0;

  // ---- leaving scopes ----------------------------------------------------------------------

  private leave(s: State, leave: Leave): State {
    if (this.passes(s, leave)) {
      return s;
    }
    const back = (leave.kind === 'back' || leave.kind === 'continue') && !!leave.loop;
    const inLoop = (n: SNode | undefined): boolean => !!n && !!leave.loop && leave.loop.start <= n.start && n.end <= leave.loop.end;
    const scoped = (v: string): boolean => {
      const block = this.fn.locals.get(v);
      return leave.leavesFunction || (!!block && leave.scopes.includes(block));
    };
    // At a back edge an owned socket is lost only with the variable that holds it (declared in
    // the body); one kept in a variable that outlives the body is carried into the next
    // iteration, and lost only if something overwrites it there (see overwrite()).
    const fires = (v: string, t: Tok): boolean => leave.kind !== 'exit' && (scoped(v) || (back && t.kind === 'D' && inLoop(t.at)));
    // A socket still held by a copy that stays alive is not lost on this edge.
    const survives = (v: string, t: Tok): boolean => {
      for (const [w, ws] of s) {
        if (w !== v && !w.includes('.') && [...ws.values()].some((u) => u.kind === t.kind && sameSocket(u, t) && !fires(w, u))) {
          return true;
        }
      }
      return false;
    };
    let next: State | undefined;
    for (const [v, vs] of s) {
      const inScope = scoped(v);
      // Most variables pass an edge unchanged: their new token map is made only on the first
      // change (with the tokens before it, in order), and `definite` only when read.
      let kept: VarState | undefined;
      let definite: boolean | undefined;
      for (const [k, t] of vs) {
        if (t.kind === 'E' && leave.kind !== 'exit' && (leave.leavesFunction || (back && inLoop(t.at)))) {
          // A registered socket whose EOF branch ends here without close(): it stays in CLOSE_WAIT.
          if (this.reporting) {
            this.emit(`eof:${t.at!.start}:${leave.at.start}`, (e) => e.leaks.push({ variable: v, site: undefined, at: leave.at, definite: false, kind: leave.kind }));
          }
          const u: Tok = { kind: 'R', alias: t.alias };
          (kept ??= tokensBefore(vs, k)).set(key(u), u);
          continue;
        }
        const fire = fires(v, t) && (t.kind === 'O' || t.kind === 'S' || t.kind === 'D');
        if (fire && !survives(v, t)) {
          if (t.kind === 'O' && this.reporting && (t.alias !== 'param' || this.usedAsSocket(t.id ?? v) || this.usedAsSocket(v))) {
            // Lost after going round a loop unclosed: reported where it went round (`continue`).
            const at = t.via ?? t.carry?.leave.at ?? leave.at;
            const kind = t.via ? (t.via.type === 'break_statement' ? 'break' : 'goto') : t.carry ? t.carry.leave.kind : leave.kind;
            const sure = t.carry && !t.via ? t.carry.definite : (definite ??= definitelyOwned(vs));
            this.emit(`leak:${t.site?.start ?? v}:${t.id ?? ''}:${at.start}`,
              (e) => e.leaks.push({ variable: v, site: t.alias === 'param' ? undefined : t.site, at, definite: sure, kind }));
          } else if (t.kind === 'S' && this.reporting) {
            this.emit(`shut:${t.at!.start}`, (e) => e.shutdownLeaks.push({ variable: v, shut: t.at!, site: t.alias === 'param' ? undefined : t.site }));
          } else if (t.kind === 'D' && this.reporting) {
            let definiteDrop = true;
            for (const o of vs.values()) {
              if (OWN_KINDS.has(o.kind) && o.kind !== 'D') {
                definiteDrop = false;
              }
            }
            this.emit(`drop:${t.at!.start}`, (e) => e.dropLeaks.push({ variable: v, drop: t.at!, site: t.site, definite: definiteDrop }));
          }
        }
        if (fire) {
          kept ??= tokensBefore(vs, k);
          continue;
        }
        // A socket still open when a goto jumps is reported there if it then leaks; so is one a
        // break takes out of the loop it was obtained in, when nothing after the loop names it
        // (its variable outlives the loop: Python, C89-style locals). Code after the loop that
        // uses it (`break` on the first connection that works) is where it may leak instead.
        if (t.kind === 'O' && !t.via && (leave.kind === 'goto' || (leave.kind === 'break' && inLoop(t.site) && !this.namedAfter(v, leave.loop!)))) {
          const u = { ...t, via: leave.at };
          (kept ??= tokensBefore(vs, k)).set(key(u), u);
          continue;
        }
        if (back && !t.carry && (t.kind === 'O' || t.kind === 'S') && inLoop(t.site)) {
          const u = { ...t, carry: { leave, definite: (definite ??= definitelyOwned(vs)) } };
          (kept ??= tokensBefore(vs, k)).set(key(u), u);
          continue;
        }
        kept?.set(k, t);
      }
      if (inScope && !leave.leavesFunction) {
        next ??= copyMap(s);
        next.delete(v);
      } else if (kept) {
        next ??= copyMap(s);
        if (![...(kept as VarState).values()].some((t) => OWN_KINDS.has(t.kind))) {
          (kept as VarState).set('U:::::', { kind: 'U' });
        }
        next.set(v, kept);
      }
    }
    return next ?? s;
  }

  /** Does the function's text after `loop` name `v` (a word of it, comments and strings included)? */
  private namedAfter(v: string, loop: SNode): boolean {
    const rest = this.x.text.slice(loop.end, this.fn.body.end);
    return nameIn(rest, v, occurrences(rest, v), 0, rest.length);
  }

  /**
   * Does `leave` change nothing in `s`? True when no variable goes out of scope there and no
   * token is open, shut down, dropped or at EOF (the only kinds leave() acts on).
   */
  private passes(s: State, leave: Leave): boolean {
    let passes = true;
    s.forEach((vs, v) => {
      if (!passes) {
        return;
      }
      if (!leave.leavesFunction) {
        const block = this.fn.locals.get(v);
        if (block && leave.scopes.includes(block)) {
          passes = false;
          return;
        }
      }
      vs.forEach((t) => {
        if (t.kind === 'O' || t.kind === 'S' || t.kind === 'D' || t.kind === 'E') {
          passes = false;
        }
      });
    });
    return passes;
  }

  // ---- loop exits ------------------------------------------------------------------------------

  private readonly loops = new Map<number, SNode>();

  /** Marks owned sockets with how the path left `loop` (condition failed or break). */
  private tagLoop(s: State, how: 'x' | 'b', loop: SNode): State {
    if (!this.loopCond(loop) || !this.hasOwned(s)) {
      return s;
    }
    this.loops.set(loop.start, loop);
    const tag = `${how}${loop.start}`;
    let next: State | undefined;
    for (const [v, vs] of s) {
      if (![...vs.values()].some((t) => OWN_KINDS.has(t.kind) && t.tag !== tag)) {
        continue;
      }
      const out: VarState = new Map();
      for (const t of vs.values()) {
        const u = OWN_KINDS.has(t.kind) ? { ...t, tag } : t;
        out.set(key(u), u);
      }
      next ??= copyMap(s);
      next.set(v, out);
    }
    return next ?? s;
  }

  private hasOwned(s: State): boolean {
    for (const vs of s.values()) {
      for (const t of vs.values()) {
        if (t.kind === 'O') {
          return true;
        }
      }
    }
    return false;
  }

  private readonly loopConds = new Map<SNode, { v: string; op: string; c: number } | null>();

  /**
   * A loop condition of the form `p != NULL`, `i < MAX`, `p`: the variable, operator, constant;
   * only when the variable is read again after the loop (where a test can tell how it ended).
   */
  private loopCond(loop: SNode): { v: string; op: string; c: number } | undefined {
    let known = this.loopConds.get(loop);
    if (known === undefined) {
      const c = loop.type === 'for_statement' ? field(loop, 'condition') : condOf(loop);
      known = (c && this.comparison(c)) ?? null;
      if (known && !new RegExp(`\\b${known.v}\\b`).test(this.x.text.slice(loop.end, this.fn.body.end))) {
        known = null;
      }
      this.loopConds.set(loop, known);
    }
    return known ?? undefined;
  }

  /** `v op constant` (either order), or a bare variable as `v != 0`. */
  private comparison(cond: SNode): { v: string; op: string; c: number } | undefined {
    const e = this.x.unwrap(cond);
    if (!e) {
      return undefined;
    }
    if (e.type === 'identifier') {
      return { v: this.x.src(e), op: '!=', c: 0 };
    }
    if (e.type !== 'binary_expression') {
      return undefined;
    }
    const op = operator(e, this.x);
    const l = field(e, 'left');
    const r = field(e, 'right');
    if (!op || !l || !r || !['==', '!=', '<', '<=', '>', '>='].includes(op)) {
      return undefined;
    }
    const lv = this.varOf(l);
    const rc = this.x.constant(r, this.file.defines);
    if (lv !== undefined && rc !== undefined) {
      return { v: lv, op, c: rc };
    }
    const rv = this.varOf(r);
    const lc = this.x.constant(l, this.file.defines);
    return rv !== undefined && lc !== undefined ? { v: rv, op: flip(op), c: lc } : undefined;
  }

  /**
   * After `for (p = list; p != NULL; ...) { ... break; }`, a later `if (p == NULL)` tells
   * which way the loop ended: drop the possibilities of the other way.
   */
  private correlate(s: State, v: string, cmp: string, c: number, truth: boolean): State {
    let next: State | undefined;
    for (const [name, vs] of s) {
      let changed = false;
      const out: VarState = new Map();
      for (const [k, t] of vs) {
        const loop = t.tag ? this.loops.get(Number(t.tag.slice(1))) : undefined;
        const lc = loop ? this.loopCond(loop) : undefined;
        if (lc && lc.v === v) {
          const value = t.tag![0] === 'x' ? exhaustedValue(lc) : runningValue(lc);
          if (value !== undefined && compare(value, cmp, c) !== truth) {
            changed = true;
            continue;
          }
        }
        out.set(k, t);
      }
      if (changed) {
        if (![...out.values()].some((t) => OWN_KINDS.has(t.kind))) {
          out.set('U:::::', { kind: 'U' });
        }
        next ??= copyMap(s);
        next.set(name, out);
      }
    }
    return next ?? s;
  }

  // ---- flags ---------------------------------------------------------------------------------

  private flagsMemo: Set<string> | undefined;

  /**
   * Locals only ever given constants (`bool queued = false; ... queued = true;`, Python's
   * `keep = False`): a later test of one (`if (!queued) { close(cfd); continue; }`, `finally: if
   * not keep: sock.close()`) tells which of the paths that set it this is. Each open socket
   * remembers the value the flag had when it was last set on its path (Tok.flags), and a test
   * drops the possibilities that disagree. Empty unless this run follows flags.
   */
  private flags(): Set<string> {
    if (!this.flagsMemo) {
      const x = this.x;
      const constant = new Set<string>();
      const other = new Set<string>();
      if (this.followFlags) {
        visit(this.fn.body, (n) => {
          let left: SNode | undefined;
          let right: SNode | undefined;
          if (n.type === 'assignment_expression' || n.type === 'assignment' || n.type === 'augmented_assignment') {
            left = field(n, 'left');
            right = operator(n, x) === '=' || n.type === 'assignment' ? field(n, 'right') : undefined;
          } else if (n.type === 'init_declarator') {
            left = declName(field(n, 'declarator') ?? n, x);
            right = field(n, 'value');
          } else if (n.type === 'update_expression') {
            left = field(n, 'argument');
          }
          const v = left ? x.ident(left) : undefined;
          if (v) {
            (right && x.constant(x.unwrap(right), this.file.defines) !== undefined ? constant : other).add(v);
          }
          return true;
        });
      }
      this.flagsMemo = new Set([...constant].filter((v) => !other.has(v) && this.tracked(v) && !this.fn.params.includes(v)));
    }
    return this.flagsMemo;
  }

  /** `flag = value` on this path: every open socket notes it. */
  private flagSet(s: State, flag: string, value: number): State {
    let next: State | undefined;
    for (const [name, vs] of s) {
      if (![...vs.values()].some((t) => t.kind === 'O' || t.kind === 'S')) {
        continue;
      }
      const out: VarState = new Map();
      for (const t of vs.values()) {
        const u = t.kind === 'O' || t.kind === 'S' ? { ...t, flags: withFlag(t.flags, flag, value) } : t;
        out.set(key(u), u);
      }
      next ??= copyMap(s);
      next.set(name, out);
    }
    return next ?? s;
  }

  /** Where `flag cmp c` is `truth`: an open socket whose path set the flag otherwise is not here. */
  private flagTest(s: State, flag: string, cmp: string, c: number, truth: boolean): State {
    if (!this.followFlags || !this.flags().has(flag)) {
      return s;
    }
    let next: State | undefined;
    for (const [name, vs] of s) {
      let changed = false;
      const out: VarState = new Map();
      for (const [k, t] of vs) {
        const value = flagValue(t.flags, flag);
        if (value !== undefined && compare(value, cmp, c) !== truth) {
          changed = true;
          continue;
        }
        out.set(k, t);
      }
      if (changed) {
        if (![...out.values()].some((t) => OWN_KINDS.has(t.kind))) {
          out.set('U:::::', { kind: 'U' });
        }
        next ??= copyMap(s);
        next.set(name, out);
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
      // `a && h(s) == ERR` false: h did not run, or returned something else. Either way a split
      // helper's socket is open if that something else leaves it open.
      return r ? this.splitRefine(s, r, truth) : s;
    }
    const split = this.splitRefine(s, e, truth);
    if (split !== s) {
      return split;
    }
    if (e.type === 'identifier') {
      s = this.flagTest(s, this.x.src(e), '!=', 0, truth);
      s = this.markEof(s, e, '!=', 0, truth, cond);
      s = this.loops.size > 0 ? this.correlate(s, this.x.src(e), '!=', 0, truth) : s;
      // Python `if not sock:`: a socket object is never falsy, so that branch has None. C++
      // `if (!lfd)` on a std::optional or pointer from a factory: that branch got no socket.
      return !truth ? this.emptyHere(s, this.x.src(e)) : s;
    }
    if (!this.file.python && this.x.isCall(e) && this.x.baseName(this.x.calleeOf(e)) === 'has_value') {
      // `if (!fd.has_value())`, `if (fd.has_value())`
      const v = this.x.ident(this.x.receiver(e));
      return !truth && v ? this.emptyHere(s, v) : s;
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
        cmp = cmp === 'is' ? '==' : cmp === 'is not' ? '!=' : cmp;
      }
    }
    const macro = this.x.isCall(e) ? this.macroTest(e) : undefined;
    if (macro) {
      // `SOCK_INVALID(c)` with `#define SOCK_INVALID(s) ((s) < 0)`
      return this.refineVar(s, macro.v, macro.op, macro.c, truth);
    }
    if (!left || !right || !cmp || !['==', '!=', '<', '<=', '>', '>='].includes(cmp)) {
      return s;
    }
    if (!this.file.python && (cmp === '==' || cmp === '!=')) {
      // `lfd == std::nullopt`, `p != nullptr`: on the equal branch nothing was obtained.
      const [v, other] = NO_VALUE.test(this.x.src(right)) ? [left, right] : NO_VALUE.test(this.x.src(left)) ? [right, left] : [];
      const name = v && other ? this.x.ident(v) : undefined;
      if (name && this.has(s, name, 'O') && this.nullable(name)) {
        return (cmp === '==') === truth ? this.emptyHere(s, name) : s;
      }
    }
    const cr = this.x.constant(right, this.file.defines);
    if (cr !== undefined) {
      return this.refineConstant(s, left, cmp, cr, truth, cond);
    }
    const cl = this.x.constant(left, this.file.defines);
    return cl !== undefined ? this.refineConstant(s, right, flip(cmp), cl, truth, cond) : s;
  }

  /** On an edge from a switch into a case (its value is the case's) or to default (it is none of them). */
  private refineCases(s: State, operand: SNode, cases: SwitchCases): State {
    if ('value' in cases) {
      const c = this.x.constant(cases.value, this.file.defines);
      return c === undefined ? s : this.refineConstant(s, operand, '==', c, true, operand);
    }
    for (const other of cases.others) {
      const c = this.x.constant(other, this.file.defines);
      if (c !== undefined) {
        s = this.refineConstant(s, operand, '==', c, false, operand);
      }
    }
    return s;
  }

  /** Where `operand cmp c` (c a constant) is `truth`. */
  private refineConstant(s: State, operand: SNode, cmp: string, c: number, truth: boolean, at: SNode): State {
    s = this.markEof(s, operand, cmp, c, truth, at);
    const slot = this.file.python || operand.type === 'identifier' ? undefined : this.x.unwrap(operand);
    // A descriptor's validity test (`pool[i].fd < 0`, `conns[i].sock != -1`), not `k->stage == NKNOCK`.
    if (slot && (c === 0 || c === -1) && SLOT_TYPES.has(slot.type) && isRegisteredLoad(slot, this.x.text) && !this.notDescriptor(slot, slot)
      && (slot.type !== 'field_expression' || DESCRIPTOR_FIELD.test(this.x.src(field(slot, 'field') ?? slot)))) {
      return this.slotTested(s, slot, compare(-1, cmp, c) !== truth && compare(3, cmp, c) === truth);
    }
    const v = this.varOf(operand);
    return v === undefined ? s : this.refineVar(s, v, cmp, c, truth);
  }

  /** Where `v cmp c` is `truth`: loop exits that disagree go, a socket known invalid is not owned, a read result known not -1 is not an error. */
  private refineVar(s: State, v: string, cmp: string, c: number, truth: boolean): State {
    if (this.loops.size > 0) {
      s = this.correlate(s, v, cmp, c, truth);
    }
    s = this.flagTest(s, v, cmp, c, truth);
    if (!s.has(v)) {
      return s;
    }
    const pred = (n: number): boolean => compare(n, cmp, c);
    let next = s;
    if (this.file.python && c === 0 && (cmp === '==' || cmp === '!=') && (cmp === '==') === truth) {
      // Python compares a socket with None (folded to 0): where it is None, nothing is owned.
      next = this.emptyHere(next, v);
    }
    if (pred(-1) === truth && pred(3) !== truth && this.has(s, v, 'O')) {
      next = this.settle(next, v, 'U');
    }
    // An unsigned variable (`size_t n = read(...)`) holds -1 as its largest value: `n > 0` lets it through.
    const unsigned = this.has(s, v, 'M') && this.unsigned(v);
    const big = (n: number): number => (n < 0 ? Number.MAX_SAFE_INTEGER : n);
    if ((unsigned ? compare(big(-1), cmp, big(c)) : pred(-1)) !== truth && this.has(s, v, 'M')) {
      next = this.setAux(next, v, ['M']);
    }
    if (pred(0) !== truth && this.has(s, v, 'Q') && (pred(-1) !== truth || this.errorKindsTested())) {
      // Data was read on this branch (not EOF; not an error, or one the test told apart, such as
      // EAGAIN): a later test that says otherwise cannot hold. `if (r <= 0) { close(fd);
      // continue; }` then `if (r > 0) ...`; `if (r == 0 || (r < 0 && errno != EAGAIN))`.
      next = this.setAux(next, v, ['Q']);
    }
    return next;
  }

  private readonly unsignedMemo = new Map<string, boolean>();

  /** Is the local `v` declared with an unsigned type (`size_t n;`, `unsigned int got = 0, n;`)? */
  private unsigned(v: string): boolean {
    let known = this.unsignedMemo.get(v);
    if (known === undefined) {
      known = !this.file.python && new RegExp(`\\b(?:size_t|unsigned(?:\\s+(?:int|long|long\\s+long))?|uint(?:32|64)_t|u_int|DWORD|UINT)\\s+(?:\\w+\\s*(?:=[^,;]*)?,\\s*)*${v}\\s*[;,=)]`)
        .test(this.x.src(this.fn.body));
      this.unsignedMemo.set(v, known);
    }
    return known;
  }

  /** Does the condition being evaluated tell error kinds apart (errno, EAGAIN)? */
  private errorKindsTested(): boolean {
    const ast = this.current.kind === 'cond' ? this.current.ast : undefined;
    return !!ast && ERROR_KINDS.test(this.x.src(ast));
  }

  /**
   * A branch where `v` is falsy: Python's None, or an empty C++ std::optional or null pointer
   * (see nullable): nothing obtained. A plain `int` fd of 0 is a socket, so C is left as it is.
   */
  private emptyHere(s: State, v: string): State {
    return this.has(s, v, 'O') && (this.file.python || this.nullable(v)) ? this.settle(s, v, 'U') : s;
  }

  /** `*fd` or `fd.value()` on a std::optional or pointer `fd` (see nullable): `fd` itself; any other argument as it is. */
  private unboxed(a: SNode | undefined): SNode | undefined {
    const u = this.x.unwrap(a);
    if (!u) {
      return a;
    }
    let inner: SNode | undefined;
    if (u.type === 'pointer_expression' && u.children[0]?.type === '*') {
      inner = field(u, 'argument');
    } else if (this.x.isCall(u) && this.x.args(u).length === 0) {
      const f = field(u, 'function');
      inner = f?.type === 'field_expression' && this.x.src(field(f, 'field') ?? f) === 'value' ? field(f, 'argument') : undefined;
    }
    const v = this.x.ident(inner);
    return inner && v && this.nullable(v) ? inner : a;
  }

  /** Does the state track a socket by a slot's field (`it->fd`, `conns[i].fd`; see pseudo)? */
  private hasSlotNames(s: State): boolean {
    for (const name of s.keys()) {
      if (name.includes('->') || name.includes('.')) {
        return true;
      }
    }
    return false;
  }

  /**
   * Is the C++ local `v` something that can hold no socket at all: a std::optional or a
   * pointer (`std::optional<int> fd = ...`, `Conn *c = ...`), or `auto v = f(...)` where the
   * same-file `f` returns one? Its falsy branch then got nothing (an `int` fd of 0 is a socket).
   */
  private nullable(v: string): boolean {
    let known = this.nullables.get(v);
    if (known === undefined) {
      const body = this.x.text.slice(this.fn.body.start, this.fn.body.end);
      const name = escapeRegExp(v);
      const declared = new RegExp(`(?:optional\\s*<[^;={}]*>|_ptr\\s*<[^;={}]*>|\\*)\\s*${name}\\s*[=({;]`).test(body);
      const made = new RegExp(`\\bauto\\s*\\*?\\s*${name}\\s*=\\s*([A-Za-z_][\\w:]*)\\s*\\(`).exec(body);
      const f = made ? this.file.byName?.get(made[1].replace(/^.*::/, '')) : undefined;
      known = declared || (!!f && returnsNullable(f.node, this.x));
      this.nullables.set(v, known);
    }
    return known;
  }

  /** The socket variable a read()/recv()/sock.recv() call reads from. */
  private readSocket(call: SNode): string | undefined {
    if (!this.x.isCall(call)) {
      return undefined;
    }
    const base = this.x.baseName(this.x.calleeOf(call));
    const recv = this.x.receiver(call);
    if (this.file.python) {
      return recv && /^(recv|recv_into|read)$/.test(base) ? this.x.ident(recv) : undefined;
    }
    return !recv && C_READ.has(base) ? this.x.ident(this.x.args(call)[0]) : undefined;
  }

  /** On a branch where the read result `operand` may be 0 (EOF) and not data, its registered socket saw EOF. */
  private markEof(s: State, operand: SNode | undefined, cmp: string, c: number, truth: boolean, at: SNode): State {
    if (!(compare(0, cmp, c) === truth && compare(3, cmp, c) !== truth) || !operand) {
      return s;
    }
    const u = this.x.unwrap(operand);
    let sv = u ? this.readSocket(u) : undefined;
    if (!sv) {
      const v = this.varOf(operand);
      sv = [...(v ? s.get(v)?.values() ?? [] : [])].find((t) => t.kind === 'Q')?.alias;
    }
    if (!sv || !this.has(s, sv, 'R')) {
      return s;
    }
    return this.mapOwn(s, sv, (t) => (t.kind === 'R' ? { kind: 'E', at, alias: t.alias } : t));
  }

  /** Something else (a helper call, a flag, an errno check) may handle the EOF: stop expecting close() here. */
  private forgetEof(s: State): State {
    let next: State | undefined;
    for (const [v, vs] of s) {
      if ([...vs.values()].some((t) => t.kind === 'E')) {
        next ??= copyMap(s);
        const out: VarState = new Map();
        for (const [k, t] of vs) {
          const u: Tok = t.kind === 'E' ? { kind: 'R', alias: t.alias } : t;
          out.set(t.kind === 'E' ? key(u) : k, u);
        }
        next.set(v, out);
      }
    }
    return next ?? s;
  }

  /** A call of a same-file function-like macro whose body is one comparison of its parameter. */
  private macroTest(call: SNode): { v: string; op: string; c: number } | undefined {
    const defs = macros(this.file).get(this.x.calleeOf(call));
    const v = this.varOf(this.x.args(call)[0] ?? call);
    if (!defs || v === undefined) {
      return undefined;
    }
    for (const d of defs) {
      const p = d.params[0];
      if (!p) {
        continue;
      }
      let body = d.body.replace(/\s+/g, '').split(`(${p})`).join(p);
      while (/^\(.*\)$/.test(body)) {
        body = body.slice(1, -1);
      }
      const m = /^([A-Za-z_]\w*)(==|!=|<=|>=|<|>)(.+)$/.exec(body);
      const c = m && m[1] === p ? constantText(m[3], this.file.defines, 0) : undefined;
      if (m && c !== undefined) {
        return { v, op: m[2], c };
      }
    }
    return undefined;
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
        if (node.kind === 'cond' && ERROR_KINDS.test(this.x.src(ast))) {
          // Telling error kinds apart (EAGAIN is not an error): the EOF handling is elsewhere.
          s = this.forgetEof(s);
        }
        if (this.inert(ast)) {
          // `i++` moves what a slot's text (`client[i]`) names, once sockets are tracked by it.
          return this.slotAliases && this.stepsIndex(ast) ? this.walk(ast, s) : s;
        }
        return this.walk(ast, s);
      default:
        return s;
    }
  }

  /** `i++`, `--i;`: a statement that only steps a variable. */
  private stepsIndex(ast: SNode): boolean {
    const e = ast.type === 'expression_statement' ? named(ast)[0] : ast;
    return e?.type === 'update_expression';
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
        // `with socket.socket() as s:` (or `closing(socket.socket())`) obtains a socket the
        // with closes: ownership ends here, but its bind() still needs SO_REUSEADDR first.
        const acquired = this.withAcquisition(value);
        if (acquired) {
          s = this.setAux(s, target, ['nr', 'ra', 'B'], acquired.tcpServerCandidate ? { kind: 'nr' } : undefined);
        }
        s = this.settle(s, target, 'H');
      }
      for (const id of this.x.idents(value, SKIP_NESTED)) {
        if (this.tracked(id) && s.has(id)) {
          s = this.settle(s, id, 'H');
        }
      }
    }
    return s;
  }

  /** What a with item's value obtains: a socket call, itself or wrapped in contextlib.closing(). */
  private withAcquisition(value: SNode): Acquired | undefined {
    const call = this.x.unwrap(value);
    if (!call || !this.x.isCall(call)) {
      return undefined;
    }
    const callee = this.x.calleeOf(call);
    if (callee === 'contextlib.closing' || callee === 'closing') {
      const inner = this.x.unwrap(this.x.args(call)[0]);
      return inner && this.x.isCall(inner) ? this.acquisition(inner) : undefined;
    }
    return this.acquisition(call);
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

  /**
   * A statement or condition walk() cannot act on in any state: no call, assignment,
   * declaration with a value, lambda, return, delete, or byte-count arithmetic (`fd < 0`,
   * `break;`, `char buf[64];`). Syntactic, so memoized per node across runs.
   */
  private inert(n: SNode): boolean {
    const memo = memoOf(n);
    let known = memo ? memo.inertMemo : INERT.get(n);
    if (known === undefined) {
      // A macro statement (`OUT;`) may return a variable (see macroHandOff).
      known = !(n.type === 'expression_statement' && statementMacro(n, this.x.text));
      const stack = [n];
      while (stack.length > 0 && known) {
        const c = stack.pop()!;
        if (ACTIVE.has(c.type) || (c.type === 'binary_expression' && /^[+-]$/.test(operator(c, this.x) ?? ''))) {
          known = false;
        }
        for (const k of c.children) {
          if (k.children.length > 0 || ACTIVE.has(k.type)) {
            stack.push(k);
          }
        }
      }
      if (memo) {
        memo.inertMemo = known;
      } else {
        INERT.set(n, known);
      }
    }
    return known;
  }

  /** Evaluates the effects of an expression or simple statement, inner expressions first. */
  private walk(n: SNode, s: State): State {
    switch (n.type) {
      case 'lambda_expression':
      case 'lambda':
        return this.handOffMentions(n, s);
      case 'function_declarator': {
        // `Socket guard(c);` parses as a function declaration: it constructs guard from c.
        const ps = field(n, 'parameters');
        const decl = n.parent?.type === 'declaration' ? field(n.parent, 'type') : undefined;
        const lengthArgs = !!decl && /string|vector|span/.test(this.x.src(decl));
        (ps ? named(ps) : []).forEach((p, i) => {
          const ty = p.type === 'parameter_declaration' && !field(p, 'declarator') ? field(p, 'type') : undefined;
          const id = ty && ty.type === 'type_identifier' ? this.x.src(ty) : undefined;
          if (lengthArgs && i > 0 && ty) {
            // `std::string msg(buf, n);` parses the same way: n is a length.
            this.countUse(ty, s);
          }
          if (this.tracked(id) && s.has(id) && this.open(s, id)) {
            s = this.settle(s, id, 'H');
          }
        });
        return s;
      }
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
          const type = n.parent ? field(n.parent, 'type') : undefined;
          if (type && /string|vector|span/.test(this.x.src(type))) {
            // `std::string msg(buf, n);`: n is a length.
            for (const a of named(value).slice(1)) {
              this.countUse(a, s);
            }
          }
          if (!(type && POLL_RECORD.test(this.x.src(type)) && decl.type === 'identifier' && this.pollRecord(this.x.src(decl)))) {
            // (A local `struct pollfd pfd = { .fd = fd, ... }` only tells poll() what to watch.)
            s = this.handOffMentions(value, s);
          }
          // `Socket s(::socket(...));` (an RAII object, or `UniqueFd fd{...}`): the object owns
          // the new socket, but its bind() through `s.get()` still needs SO_REUSEADDR first.
          const first = this.x.unwrap(named(value)[0]);
          const acquired = first && this.x.isCall(first) ? this.acquisition(first) : undefined;
          const name = this.x.ident(declName(decl, this.x) ?? decl);
          if (acquired && this.tracked(name)) {
            s = this.setAux(s, name, ['nr', 'ra', 'B'], acquired.tcpServerCandidate ? { kind: 'nr' } : undefined);
          }
          return s;
        }
        return this.assign(declName(decl, this.x) ?? decl, value, n, s);
      }
      case 'call_expression':
      case 'call': {
        s = this.walkChildren(n, s);
        return this.call(n, s);
      }
      case 'update_expression': {
        const v = this.x.ident(field(n, 'argument'));
        return v && this.slotAliases && this.indexVars().has(v) ? this.reindexed(s, v) : s;
      }
      case 'expression_statement': {
        // A statement that is an object-like macro returning a variable (`OUT;` with
        // `#define OUT return fd`): the socket leaves with the return.
        const only = named(n);
        return only.length === 1 && only[0].type === 'identifier' && !this.file.python ? this.macroHandOff(only[0], s) : this.walkChildren(n, s);
      }
      case 'return_statement':
      case 'yield':
        // A generator hands what it yields to its consumer, as a return does to the caller.
        return this.passOut(this.x.unwrap(named(n)[0]), this.walkChildren(n, s));
      case 'delete_statement': {
        for (const target of named(n)) {
          const t = target.type === 'expression_list' ? named(target) : [target];
          for (const d of t) {
            if (d.type === 'subscript') {
              // `del sockets[fd]` drops the socket loaded from that slot; `del queues[s]` the key s.
              const text = this.x.src(d).replace(/\s+/g, '');
              const holders = [...s].filter(([, vs]) => [...vs.values()].some((t) => t.alias === text)).map(([name]) => name);
              const sub = this.x.unwrap(field(d, 'subscript'));
              // `del clients[conn]` or, keyed by descriptor number, `del clients[conn.fileno()]`
              const keyedByFd = sub && this.x.isCall(sub) && this.x.baseName(this.x.calleeOf(sub)) === 'fileno';
              const v = this.keyed(keyedByFd ? this.x.ident(this.x.receiver(sub)) : this.x.ident(sub), s, field(d, 'value') ?? named(d)[0]);
              for (const h of holders.length > 0 ? holders : v ? [v] : []) {
                s = this.drop(s, h, this.stmt());
              }
            }
          }
        }
        return s;
      }
      case 'subscript_expression': {
        s = this.walkChildren(n, s);
        const index = field(n, 'index') ?? field(n, 'indices') ?? named(n)[1];
        if (index) {
          this.countUse(index, s);
        }
        return s;
      }
      case 'binary_expression': {
        s = this.walkChildren(n, s);
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
        return this.walkChildren(n, s);
    }
  }

  /** walk() over each child in order; leaves (names, literals, punctuation) have no effect. */
  private walkChildren(n: SNode, s: State): State {
    const children = n.children;
    for (let i = 0; i < children.length; i++) {
      const c = children[i];
      if (c.children.length > 0) {
        s = this.walk(c, s);
      }
    }
    return s;
  }

  /** The names a value copies: `fd`, or both branches of `a if c else b` / `c ? a : b`; undefined for anything else. */
  private copied(r: SNode): string[] | undefined {
    const w = this.x.ident(r);
    if (w) {
      return [w];
    }
    if (r.type !== 'conditional_expression') {
      return undefined;
    }
    const branches = this.file.python ? [named(r)[0], named(r)[2]] : [field(r, 'consequence'), field(r, 'alternative')];
    const names = branches.map((b) => this.x.ident(this.x.unwrap(b)));
    return names.every((n): n is string => n !== undefined) ? names : undefined;
  }

  /** What a return or a yield of `value` passes out of the function. */
  private passOut(value: SNode | undefined, s: State): State {
    if (value && (value.type === 'expression_list' || value.type === 'tuple')) {
      // `yield closing(conn), addr`: each element on its own.
      for (const e of named(value)) {
        s = this.passOut(this.x.unwrap(e), s);
      }
      return s;
    }
    if (value && this.x.isCall(value)) {
      // `return s.recv(64)` only uses s; `return std::make_pair(fd, x)` / `Conn(fd)` passes it out.
      const base = this.x.baseName(this.x.calleeOf(value));
      const recv = this.x.receiver(value);
      if (recv && base === 'makefile') {
        // The file object keeps the socket open after this function returns.
        return this.handOffMentions(recv, s, true);
      }
      if (SOCKET_USES.has(base) || this.file.hasBody(base)) {
        return s;
      }
      return this.handOffMentions(field(value, 'arguments') ?? value, s, true);
    }
    return value ? this.handOffMentions(value, s, true) : s;
  }

  /**
   * The value an erase()/remove() argument takes out of a container: `fd` in `conns.erase(fd)`
   * or in `v.erase(std::remove(v.begin(), v.end(), fd), v.end())`. Not an iterator position
   * (`v.begin() + i`): neither the container nor an index is a socket.
   */
  private erasedValue(a: SNode): string | undefined {
    const u = this.x.unwrap(a);
    if (u && this.x.isCall(u) && /^(std::)?(remove|find)$/.test(this.x.calleeOf(u))) {
      const values = this.x.args(u);
      return this.x.ident(values[values.length - 1]);
    }
    return this.x.ident(u);
  }

  /**
   * A table slot (`client[i]`, `fds[i]`) is cleared or erased: what was loaded from it (or from
   * a field of it) is dropped, and so is the slot's field used directly as a socket
   * (`recv(it->fd, ...)`, then `it = conns.erase(it)`).
   */
  private dropSlot(s: State, slot: string, onlySockets = false): State {
    const from = (alias: string | undefined): boolean => alias !== undefined
      && (alias === slot || alias.startsWith(`${slot}.`) || alias.startsWith(`${slot}->`));
    for (const [name, vs] of s) {
      if (name === slot || from(name) || ((!onlySockets || this.fn.socketUsed.has(name)) && [...vs.values()].some((t) => t.kind !== 'C' && from(t.alias)))) {
        s = this.drop(s, name, this.stmt());
      }
    }
    return s;
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
    // `total += read(fd, buf, len)`: the call's own result, unchecked.
    const call = this.x.unwrap(n);
    if (call && this.x.isCall(call) && !this.x.receiver(call) && C_READ.has(this.x.baseName(this.x.calleeOf(call)))) {
      this.emit(`read:${call.start}`, (e) => e.readAsData.push({ site: call, use: n }));
      return;
    }
    const v = n.type === 'type_identifier' ? this.x.src(n) : this.x.ident(n);
    if (!v) {
      return;
    }
    for (const t of s.get(v)?.values() ?? []) {
      if (t.kind === 'M' && t.site) {
        const site = t.site;
        this.emit(`read:${site.start}`, (e) => e.readAsData.push({ site, use: n }));
      }
    }
  }

  private macroHandOff(name: SNode, s: State): State {
    for (const d of objectMacros(this.x.text).get(this.x.src(name)) ?? []) {
      for (const id of returnedNames(d) ?? []) {
        if (this.tracked(id) && s.has(id) && this.open(s, id)) {
          s = this.settle(s, id, 'H');
        }
      }
    }
    return s;
  }

  private handOffMentions(n: SNode, s: State, isReturn = false): State {
    const skip = isReturn ? RETURN_SKIP : SKIP_NONE;
    for (const id of this.x.idents(n, skip)) {
      if (this.tracked(id) && s.has(id) && this.open(s, id)) {
        s = this.settle(s, id, 'H');
      }
    }
    return s;
  }

  /**
   * Python: the variable whose socket `del container[v]` or `container.pop(v)` removes: `v`
   * itself when it holds a socket (or a slot of one); the socket whose number it is for
   * `v = conn.fileno()` when `container` is one this file fills; else none (`last_seen.pop(fd)`,
   * a dict of times keyed by descriptor; `clients.pop(sock)` with `sock = client.sock`, a
   * socket the path knows nothing of).
   */
  private keyed(v: string | undefined, s: State, container: SNode | undefined): string | undefined {
    if (!this.tracked(v)) {
      return undefined;
    }
    const held = s.get(v);
    if (held && [...held.values()].some((t) => t.kind !== 'U')) {
      return v;
    }
    const table = !container || !this.file.isSocketTable || this.file.isSocketTable(this.x.src(container).replace(/\s+/g, ''));
    const owner = this.filenoOf().get(v);
    return table && owner && s.has(owner) ? owner : undefined;
  }

  private filenoMemo: Map<string, string> | undefined;

  /** Python: locals assigned a socket's number in this function (`fd = conn.fileno()`), with that socket's variable. */
  private filenoOf(): Map<string, string> {
    if (!this.filenoMemo) {
      const x = this.x;
      const out = new Map<string, string>();
      visit(this.fn.body, (n) => {
        if (n.type === 'assignment') {
          const lv = x.ident(field(n, 'left'));
          const r = x.unwrap(field(n, 'right'));
          const owner = r && x.isCall(r) && x.baseName(x.calleeOf(r)) === 'fileno' ? x.ident(x.receiver(r)) : undefined;
          if (lv && owner && this.tracked(owner)) {
            out.set(lv, owner);
          }
        }
        return true;
      });
      this.filenoMemo = out;
    }
    return this.filenoMemo;
  }

  private drop(s: State, v: string, at: SNode): State {
    if (!s.has(v)) {
      s = this.setOwn(s, v, [{ kind: 'R' }]);
    }
    // Python: a parameter this function never uses as a socket is not one it must close when it
    // drops it (`sessions.discard(session)`; `sel.unregister(sock)` in a helper that only changes
    // what is watched). C's drops (FD_CLR, EPOLL_CTL_DEL, erase) name sockets by themselves.
    const param = !this.file.python || this.usedAsSocket(v);
    return this.mapOwn(s, v, (t) => (t.kind === 'R' || t.kind === 'E' || (t.kind === 'P' && param) || t.kind === 'U' || t.kind === 'D'
      ? { kind: 'D', at, site: t.site, alias: t.alias } : t));
  }

  private close(s: State, target: SNode): State {
    const v = this.x.ident(target);
    const text = this.x.src(this.x.unwrap(target) ?? target).replace(/\s+/g, '');
    if (v && s.has(v)) {
      s = this.settle(s, v, 'C');
    }
    for (const [name, vs] of s) {
      if (name === text || aliasOf(vs, text)) {
        s = this.settle(s, name, 'C');
      }
    }
    return s;
  }

  private assign(left: SNode, right: SNode, whole: SNode, s: State): State {
    const r = this.x.unwrap(right);
    if (!r || (this.noAssign && this.x.hasCall(r))) {
      return s;
    }
    let lv = this.x.ident(left);
    if (lv && this.slotAliases && this.indexVars().has(lv)) {
      s = this.reindexed(s, lv);
    }
    if (!lv && (left.type === 'pattern_list' || left.type === 'tuple_pattern')) {
      lv = this.x.ident(named(left)[0]);
    }
    if (this.reporting && this.tracked(lv) && this.x.ident(r) !== lv) {
      // A constant clears it: a number, a #define, or an all-caps name from a header (ANET_ERR).
      this.overwrite(s, lv, this.x.constant(r, this.file.defines) !== undefined || /^(None|nullptr|NULL|[A-Z][A-Z0-9_]*)$/.test(this.x.src(r)));
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
        // Stored straight into a global, member or attribute: handed off, but its bind still counts.
        const k = this.reuseKey(left);
        if (k && !this.tracked(k)) {
          s = this.setAux(s, k, ['nr', 'ra', 'B'], acquired.tcpServerCandidate ? { kind: 'nr' } : undefined);
        }
        return s;
      }
      if (this.tracked(lv)) {
        s = this.setAux(s, lv, ['M', 'Q']);
        if (!this.file.python && C_READ.has(this.x.baseName(this.x.calleeOf(r))) && !this.x.receiver(r)) {
          s = this.setAux(s, lv, [], { kind: 'M', site: r });
        }
        const sv = this.readSocket(r);
        if (sv && this.has(s, sv, 'R')) {
          s = this.setAux(s, lv, [], { kind: 'Q', site: r, alias: sv });
        }
        if (s.has(lv) && !this.has(s, lv, 'O')) {
          s = this.setOwn(s, lv, [{ kind: 'U' }]);
        }
        // `auto it = sessions.find(fd)`: a later `sessions.erase(it)` erases fd's entry.
        const key = !this.file.python && this.x.receiver(r) && /^(find|lower_bound)$/.test(this.x.baseName(this.x.calleeOf(r)))
          ? this.x.ident(this.x.args(r)[0]) : undefined;
        if (key && key !== lv && s.has(key)) {
          s = this.setOwn(s, lv, [{ kind: 'U', alias: `${FOUND}${key}` }]);
        }
      }
      return s;
    }
    if (this.tracked(lv)) {
      s = this.setAux(s, lv, ['M']);
      // `int c = fd;`, or one of two (`dst = upstream if src is client else client`).
      const sources = this.copied(r);
      // A thread entry's `int fd = *(int *)arg;`: the socket it was handed, under the name it
      // uses as one (not `peer = "%s:%d" % addr`).
      if (this.fn.isEntry && !sources && this.mentionsEntryParam(r, s) && this.usedAsSocket(lv)) {
        return this.setOwn(s, lv, [{ kind: 'O', site: whole }]);
      }
      if (sources && sources.every((w) => this.tracked(w) && w !== lv)) {
        // c is another name for the same socket, not a new owner. A copy into
        // `maxfd = connfd` (select bookkeeping) is only a number; a table slot stays tracked by the slot.
        const next = copyMap(s);
        const bookkeeping = !this.fn.socketUsed.has(lv) && /max|high|nfds|count|num|top|biggest/i.test(lv);
        const copy: VarState = new Map();
        for (const w of sources) {
          for (const [k, tok] of s.get(w) ?? []) {
            if (!bookkeeping && tok.kind !== 'R' && tok.kind !== 'E' && tok.kind !== 'D') {
              copy.set(k, tok);
            }
          }
        }
        if (![...copy.values()].some((tok) => OWN_KINDS.has(tok.kind))) {
          copy.set('U:::::', { kind: 'U' });
        }
        next.set(lv, copy);
        return next;
      }
      const value = this.x.constant(r, this.file.defines);
      if (value !== undefined && !s.has(lv)) {
        // `done = 1;` `closed = true;`: a flag someone else acts on.
        s = this.forgetEof(s);
      }
      if (value !== undefined && this.followFlags && this.flags().has(lv)) {
        return this.flagSet(s, lv, value);
      }
      if (isRegisteredLoad(r, this.x.text) && !this.notDescriptor(r, whole) && !this.keyedBySocket(r, s)) {
        if (this.has(s, lv, 'O')) {
          return s;
        }
        if (r.type === 'attribute' && this.watchesOwnedElsewhere()) {
          // `src = key.fileobj` from a selector of `self.client` and `self.upstream`: they close.
          return this.setOwn(s, lv, [{ kind: 'H' }]);
        }
        this.slotAliases = true;
        return this.setOwn(s, lv, [{ kind: 'R', alias: this.x.src(r).replace(/\s+/g, '') }]);
      }
      if (s.has(lv)) {
        return this.setOwn(s, lv, [{ kind: 'U' }]);
      }
      return s;
    }
    // Storing into a field, array slot, global or attribute hands the socket off...
    if ((STORE_LHS.has(left.type) && !this.pollRecordField(left)) || (left.type === 'identifier' && !this.tracked(lv))) {
      const c = this.x.constant(r, this.file.defines);
      if (c !== undefined && c <= 0) {
        // ...and clearing a table slot drops the reference it held...
        return this.dropSlot(s, this.x.src(left).replace(/\s+/g, ''));
      }
      if (left.type === 'subscript_expression' && r.type === 'subscript_expression' && this.sameArray(left, r)) {
        // ...and so does moving the table's last entry into it (`fds[i] = fds[--n];`), for the
        // slot and the locals loaded from it that are used as sockets (not `maxfd = fds[k]`).
        s = this.dropSlot(s, this.x.src(left).replace(/\s+/g, ''), true);
      }
      // A map keyed by the socket holds it: `self.clients[conn] = Client()`, `sessions[fd] = st`.
      // (C's `conns[fd] = x` indexes an array by the number.)
      const indices = left.type === 'subscript_expression' ? field(left, 'indices') : undefined;
      const k = this.x.ident(left.type === 'subscript' ? field(left, 'subscript') : indices ? named(indices)[0] : undefined);
      if (k && this.tracked(k) && s.has(k) && this.open(s, k)) {
        s = this.settle(s, k, 'H');
      }
      return this.handOffMentions(r, s);
    }
    return s;
  }

  private watchesMemo: boolean | undefined;

  /**
   * Python: does this function register sockets with a selector, and only sockets that other
   * names keep (`sel.register(self.client, ...)`, a parameter)? Then the selector is a view, not
   * the socket's last holder: unregistering one drops nothing.
   */
  private watchesOwnedElsewhere(): boolean {
    if (this.watchesMemo === undefined) {
      const firsts = [...this.x.src(this.fn.body).matchAll(/\.register\(\s*([\w.]+)/g)].map((m) => m[1]);
      this.watchesMemo = firsts.length > 0 && firsts.every((a) => a.startsWith('self.') || this.fn.params.includes(a));
    }
    return this.watchesMemo;
  }

  /**
   * Is the fd_set of `FD_SET(fd, &set)` a table the socket stays in: one that a loop adds to and
   * that outlives the loop's iteration (Beej's `master`, UNP's `allset`), a global or a
   * parameter? A set filled for one select() (a connect with a timeout) is not.
   */
  private keptSet(call: SNode, setArg: SNode | undefined): boolean {
    const u = this.x.unwrap(setArg);
    const set = this.x.ident(u && (u.type === 'pointer_expression' || u.type === 'unary_expression') ? field(u, 'argument') : u);
    const block = set ? this.fn.locals.get(set) : undefined;
    if (!block || block === this.fn.body && this.fn.params.includes(set!)) {
      return true;
    }
    for (let p = call.parent; p && p !== this.fn.body; p = p.parent) {
      if (LOOP_TYPES.has(p.type)) {
        return !(p.start <= block.start && block.end <= p.end);
      }
    }
    return false;
  }

  /** `pfd.fd` of a local `struct pollfd pfd;` (see pollRecord). */
  private pollRecordField(left: SNode): boolean {
    const v = left.type === 'field_expression' ? this.x.ident(field(left, 'argument')) : undefined;
    return !!v && this.tracked(v) && this.pollRecord(v);
  }

  private readonly pollRecords = new Map<string, boolean>();

  /**
   * Is `v` a local `struct pollfd` that only tells poll() what to watch: declared as one, and
   * otherwise only named as `v.field` or `&v`? Then a socket stored in it is not handed off. One
   * copied out (`*out = v;`) or returned is.
   */
  private pollRecord(v: string): boolean {
    let known = this.pollRecords.get(v);
    if (known === undefined) {
      const body = this.x.src(this.fn.body);
      known = new RegExp(`\\b(?:pollfd|WSAPOLLFD)\\s+${v}\\s*[;=,{]`).test(body)
        && !new RegExp(`(?<!(?:pollfd|WSAPOLLFD)\\s+|&\\s*)\\b${v}\\b(?!\\s*\\.)`).test(body);
      this.pollRecords.set(v, known);
    }
    return known;
  }

  /**
   * A load from a table slot that cannot be a socket: a field of poll's bookkeeping
   * (`fds[i].revents`), or a declaration of a type too narrow for a descriptor
   * (`const short re = fds[i].revents;`, `bool busy = conns[i].busy;`).
   */
  private notDescriptor(r: SNode, whole: SNode): boolean {
    if (r.type === 'field_expression' && /^(r?events)$/.test(this.x.src(field(r, 'field') ?? r))) {
      return true;
    }
    const type = whole.type === 'init_declarator' && whole.parent ? field(whole.parent, 'type') : undefined;
    return !!type && /^(short|char|bool|_Bool|float|double|u?int(8|16)_t|time_t|size_t|ssize_t)$/.test(this.x.src(type));
  }

  /**
   * A slot indexed by a socket holds something kept for that socket, not the socket itself:
   * `client = self.clients[conn]` (a dict of per-connection state), `Session& st = sessions[fd]`.
   */
  private keyedBySocket(r: SNode, s: State): boolean {
    if (r.type !== 'subscript' && r.type !== 'subscript_expression') {
      return false;
    }
    const index = field(r, 'subscript') ?? field(r, 'index') ?? field(r, 'indices');
    // Python's `sockets[fd]` with `fd` from poll() is a table by descriptor number (R), and C's
    // `peer_of[fd]` an array of them: only socket objects, and C++ maps, are keys here.
    const key = this.x.ident(this.file.python ? index : index?.type === 'subscript_argument_list' ? named(index)[0] : undefined);
    const kinds: readonly Kind[] = this.file.python ? ['O', 'P', 'S'] : ['O', 'P', 'R', 'E', 'S'];
    return !!key && [...(s.get(key)?.values() ?? [])].some((t) => kinds.includes(t.kind));
  }

  private indexMemo: Set<string> | undefined;
  /** Has this run loaded a socket from a table slot (a token with a slot's text as alias)? */
  private slotAliases = false;

  /** Names this function uses inside a subscript (`i` in `client[i]`): the only ones reindexed() looks for. */
  private indexVars(): Set<string> {
    if (!this.indexMemo) {
      const out = new Set<string>();
      for (const m of this.x.text.slice(this.fn.body.start, this.fn.body.end).matchAll(/\[([^\]\n]*)\]/g)) {
        for (const w of m[1].matchAll(/[A-Za-z_]\w*/g)) {
          out.add(w[0]);
        }
      }
      this.indexMemo = out;
    }
    return this.indexMemo;
  }

  /**
   * `v` gets a new value: a socket loaded from a slot it indexed (`sockfd = client[i]`, then
   * `i++`) is no longer the one that slot's text names, so a later `client[i] = -1` does not
   * drop it.
   */
  private reindexed(s: State, v: string): State {
    let next: State | undefined;
    for (const [name, vs] of s) {
      if (name.includes('[') && indexes(name, v) && [...vs.values()].every((t) => t.kind === 'R')) {
        // A slot tracked by its text (see pseudo) is another slot now.
        next ??= copyMap(s);
        next.delete(name);
        continue;
      }
      let out: VarState | undefined;
      for (const [k, t] of vs) {
        if (t.alias && t.alias.includes('[') && indexes(t.alias, v)) {
          out ??= tokensBefore(vs, k);
          const u: Tok = { ...t, alias: undefined };
          out.set(key(u), u);
        } else {
          out?.set(k, t);
        }
      }
      if (out) {
        next ??= copyMap(s);
        next.set(name, out);
      }
    }
    return next ?? s;
  }

  /** Do two subscripts index the same array (`fds[i]`, `fds[--n]`)? */
  private sameArray(a: SNode, b: SNode): boolean {
    const array = (n: SNode): string => this.x.src(field(n, 'argument') ?? n).replace(/\s+/g, '');
    return array(a) === array(b);
  }

  /**
   * `lv` is about to get a new value. A socket it carried into this iteration of a loop and
   * still owns, with no other variable holding it, is lost: replaced by a new socket, reported
   * where it went round; cleared (`c = -1`), reported as a drop on that statement. In C and C++
   * outside exception handlers, clearing the only variable of a socket it owns on some path is
   * such a drop too. (A handler's input merges the states before every statement of its `try`,
   * more than can really reach it, and so do Python's `except` clauses.)
   */
  private overwrite(s: State, lv: string, cleared: boolean): void {
    const vs = s.get(lv);
    if (!vs) {
      return;
    }
    const owned = [...vs.values()].filter((t) => OWN_KINDS.has(t.kind));
    for (const t of owned) {
      if (!t.carry && cleared && t.kind === 'O' && t.site && !this.file.python && !inHandler(this.stmt())) {
        // `s = -1` (`goto error; ... error: s = ANET_ERR;`) while `s` is the only holder of a
        // socket it owns on some path here: on that path the socket can no longer be closed.
        const elsewhere = [...s].some(([w, ws]) => w !== lv && [...ws.values()].some((u) => (u.kind === 'O' || u.kind === 'S') && sameSocket(u, t)));
        if (!elsewhere) {
          const drop = this.stmt();
          const definite = owned.every((u) => u.kind === 'O');
          this.emit(`drop:${drop.start}`, (e) => e.dropLeaks.push({ variable: lv, drop, site: t.site, definite }));
        }
        continue;
      }
      if (!t.carry || (t.kind !== 'O' && t.kind !== 'S')) {
        continue;
      }
      // A copy from the same round (same carry) is this socket; one without is the new one.
      const held = [...s].some(([w, ws]) => w !== lv && !w.includes('.')
        && [...ws.values()].some((u) => u.kind === t.kind && sameSocket(u, t) && u.carry?.leave === t.carry!.leave));
      if (held) {
        continue;
      }
      const site = t.alias === 'param' ? undefined : t.site;
      const definite = t.carry.definite;
      if (t.kind === 'S') {
        this.emit(`shut:${t.at!.start}`, (e) => e.shutdownLeaks.push({ variable: lv, shut: t.at!, site }));
      } else if (cleared) {
        const drop = this.stmt();
        this.emit(`drop:${drop.start}`, (e) => e.dropLeaks.push({ variable: lv, drop, site: t.site, definite }));
      } else {
        const carry = t.carry.leave;
        this.emit(`leak:${t.site?.start ?? lv}:${t.id ?? ''}:${carry.at.start}`, (e) => e.leaks.push({ variable: lv, site, at: carry.at, definite, kind: carry.kind }));
      }
    }
  }

  private mentionsEntryParam(r: SNode, s: State): boolean {
    return this.x.idents(r, SKIP_NESTED).some((id) => this.fn.params.includes(id)
      && [...(s.get(id)?.values() ?? [])].some((t) => t.kind === 'O' && t.alias === 'param'));
  }

  private isCallNode(n: SNode): boolean {
    return this.x.isCall(n) || (n.type === 'subscript' && this.x.isCall(field(n, 'value')));
  }

  /** Is `call` an acquisition; is the new socket a TCP server candidate for missing-reuseaddr? */
  private acquisition(call: SNode, depth = 0): Acquired | undefined {
    if (call.type === 'subscript') {
      const v = field(call, 'value');
      return v && this.x.isCall(v) ? this.acquisition(v, depth) : undefined;
    }
    const callee = this.x.calleeOf(call);
    const args = this.x.src(field(call, 'arguments') ?? call);
    if (this.file.python) {
      if (/^(socket\.)?socket$/.test(callee) || callee === 'socket.fromfd') {
        return { tcpServerCandidate: !NON_TCP.test(args) && callee !== 'socket.fromfd' };
      }
      if (/^(socket\.)?(create_connection|create_server|socketpair)$/.test(callee)) {
        return { tcpServerCandidate: false };
      }
      if (/\.(accept|sock_accept)$/.test(callee) || callee === 'accept') {
        return { tcpServerCandidate: false };
      }
      return this.wrapper(this.x.baseName(callee), args, depth);
    }
    const base = callee.replace(/^::/, '');
    if (C_ACQUIRE.has(base)) {
      const server = (base === 'socket' || base.startsWith('WSASocket')) && !NON_TCP.test(args);
      return { tcpServerCandidate: server };
    }
    if (this.file.hasBody(this.x.baseName(base))) {
      return this.wrapper(this.x.baseName(base), args, depth);
    }
    const known = UNP_ACQUIRE[base];
    return known === undefined ? undefined : { tcpServerCandidate: known && !NON_TCP.test(args) };
  }

  /**
   * A same-file function that returns the socket it obtained (`Socket()` over socket(),
   * `xaccept()`, a factory): its callers own the result. It stays a candidate for
   * missing-reuseaddr only when the wrapper itself does not set SO_REUSEADDR.
   */
  private wrapper(name: string, args: string, depth: number): Acquired | undefined {
    const fn = this.file.byName?.get(name);
    if (!fn || depth > 3) {
      return undefined;
    }
    let memo = wrapperMemo.get(this.file);
    if (!memo) {
      memo = new Map();
      wrapperMemo.set(this.file, memo);
    }
    let found = memo.get(name);
    if (found === undefined) {
      memo.set(name, null);
      found = this.returnsAcquired(fn, depth) ?? null;
      memo.set(name, found);
    }
    return found ? { tcpServerCandidate: found.tcpServerCandidate && !NON_TCP.test(args) } : undefined;
  }

  private returnsAcquired(fn: FnInfo, depth: number): Acquired | undefined {
    const x = this.x;
    const from = new Map<string, Acquired>();
    let result: Acquired | undefined;
    visit(fn.body, (n) => {
      if (n !== fn.body && SKIP_NESTED.has(n.type)) {
        return false;
      }
      if (n.type === 'init_declarator' || n.type === 'assignment_expression' || n.type === 'assignment') {
        const l = x.ident(field(n, 'declarator') ?? field(n, 'left'));
        const r = x.unwrap(field(n, 'value') ?? field(n, 'right'));
        const a = l && r && this.isCallNode(r) ? this.acquisition(r, depth + 1) : undefined;
        if (l && a) {
          from.set(l, a);
        }
      } else if (n.type === 'return_statement') {
        const v = x.unwrap(named(n)[0]);
        const a = !v ? undefined : this.isCallNode(v) ? this.acquisition(v, depth + 1) : from.get(x.ident(v) ?? '');
        if (a) {
          result = result ?? a;
        }
      }
      return true;
    });
    if (result && /SO_REUSEADDR/.test(x.src(fn.body))) {
      result = { tcpServerCandidate: false };
    }
    return result;
  }

  private call(n: SNode, s: State): State {
    const x = this.x;
    const callee = x.calleeOf(n);
    let base = x.baseName(callee);
    const args = x.args(n);
    const recv = x.receiver(n);
    if (this.file.python) {
      return this.pyCall(n, callee, base, args, recv, s);
    }
    if (CPP_CASTS.test(callee)) {
      // `static_cast<SOCKET>(reinterpret_cast<uintptr_t>(arg))` converts; it hands nothing off.
      return s;
    }
    const a0 = this.unboxed(args[0]);
    const v0 = x.ident(a0);
    if (!recv && !this.file.hasBody(base)) {
      // `#define CLOSESOCK closesocket`, unp.h's Bind()/Listen(), `#define SOCK_INVALID(s) ...`
      const alias = this.file.defines.get(base);
      base = UNP_WRAPPERS[base] ?? (alias && /^[A-Za-z_]\w*$/.test(alias) ? alias : base);
      const fm = macros(this.file).get(base);
      if (fm) {
        if (a0 && fm.some((d) => /\b(close|closesocket)\s*\(/.test(d.body))) {
          return this.close(s, a0);
        }
        // `PASS_OUT(fd)` with `#define PASS_OUT(x) return (x)`: the socket leaves with the return.
        return fm.some((d) => macroReturn(d) === 'param') ? this.handOffArgs(args, s) : s;
      }
    }
    if (recv && !this.file.hasBody(base)) {
      if (/^(append|assign|write|write_some|send|sgetn|sputn|insert)$/.test(base)) {
        // `out.append(buf, n)`, `os.write(buf, n)`: n is a length.
        for (const a of args.slice(1)) {
          this.countUse(a, s);
        }
      }
      // C++ methods: erase/remove drop a registered socket; anything else that receives one keeps it.
      if (base === 'erase' || base === 'remove') {
        for (const a of args) {
          const id = this.erasedValue(a);
          // The socket whose entry goes: the value itself, or the key an iterator was found by.
          const found = [...(id ? s.get(id)?.values() ?? [] : [])].find((t) => t.alias?.startsWith(FOUND))?.alias?.slice(FOUND.length);
          const gone = found ?? id;
          if (this.tracked(gone) && s.has(gone) && !this.has(s, gone, 'O')) {
            s = this.drop(s, gone, this.stmt());
          }
          if (id && !found) {
            // `it = v.erase(it)` drops the socket loaded from `*it` (or from `it->fd`).
            s = this.dropSlot(this.dropSlot(s, `*${id}`), id);
          }
          // `fds.erase(fds.begin() + i)` drops the socket loaded from `fds[i]` (or `fds[i].fd`).
          const slot = erasedSlot(recv, a, x);
          if (slot) {
            s = this.dropSlot(s, slot);
          }
        }
        return s;
      }
      if (!C_BORROWING.has(base) && !C_LOOKUP_METHODS.has(base)) {
        return this.handOffArgs(args, this.forgetEof(s));
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
        return this.setsockopt(n, this.reuseKey(a0), args[2], s);
      case 'bind':
        return this.bind(n, this.reuseKey(a0), s);
      case 'listen': {
        const k = this.reuseKey(a0);
        if (k) {
          this.events.listens.add(k);
        }
        return s;
      }
      case 'FD_SET':
        return v0 && s.has(v0) && this.open(s, v0) && this.keptSet(n, args[1]) ? this.settle(s, v0, 'H') : s;
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
        return /ADD/.test(op) && this.open(s, v2) ? this.settle(s, v2, 'H') : s;
      }
      case 'fdopen':
      case '_open_osfhandle':
        return v0 && s.has(v0) ? this.settle(s, v0, 'H') : s;
    }
    if (base in C_THREAD_STARTERS) {
      return this.handOffMentions(field(n, 'arguments') ?? n, s);
    }
    if (C_READ.has(base) || base === 'write' || base === 'send' || base === 'recv') {
      return this.pseudo(a0, s);
    }
    if (this.file.hasBody(base)) {
      return this.summarized(n, base, args, this.forgetEof(s));
    }
    if (C_BORROWING.has(base) || C_BORROWING.has(callee) || /^(std::)?(printf|cout|cerr)/.test(callee)) {
      return s;
    }
    return this.handOffArgs(args, this.forgetEof(s));
  }

  /**
   * `if (pool[i].fd < 0) continue;`: past it the slot holds a socket, tracked by its text as if
   * used (see pseudo), so that clearing it without close() (`pool[i].fd = -1;`) is found. Where
   * the test says the slot is empty, it holds none.
   */
  private slotTested(s: State, slot: SNode, holds: boolean): State {
    const text = this.x.src(slot).replace(/\s+/g, '');
    if (!holds) {
      if (!this.has(s, text, 'R')) {
        return s;
      }
      const next = copyMap(s);
      next.delete(text);
      return next;
    }
    this.slotAliases = true;
    return this.pseudo(slot, s);
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

  private summarized(call: SNode, name: string, args: SNode[], s: State): State {
    const before = s;
    args.forEach((a, i) => {
      if (this.file.consumes(name, i) || this.stores(name, i)) {
        s = this.handOffFields(a, s);
      }
      const v = this.x.ident(a) ?? this.x.ident(a.type === 'pointer_expression' ? field(a, 'argument') : undefined);
      if (!this.tracked(v)) {
        return;
      }
      if (this.file.setsReuse(name, i)) {
        if (this.has(s, v, 'B') && this.reporting) {
          // A helper that sets SO_REUSEADDR, called once the socket is bound: too late, as a direct call.
          this.emit(`rab:${call.start}`, (e) => e.reuseAfterBind.push({ variable: v, call }));
        }
        s = this.setAux(s, v, ['nr'], { kind: 'ra' });
      }
      if ((this.file.consumes(name, i) || this.stores(name, i)) && s.has(v) && this.open(s, v)) {
        s = this.settle(s, v, 'H');
      }
    });
    this.noteSplit(call, name, args, before, s);
    return s;
  }

  /**
   * A helper that closes its socket argument only when it returns certain values (see
   * CloseSplit) counts as taking it over, as any consumer does, until a condition tests what it
   * returned: `if (anetListen(err, s, ...) == ANET_ERR)` (see splitRefine). Remembers, for this
   * evaluation of the call, the state before it and the variables it settled.
   */
  private noteSplit(call: SNode, name: string, args: SNode[], before: State, after: State): void {
    this.splits.delete(call);
    args.forEach((a, i) => {
      const v = this.x.ident(a);
      const split = v && this.has(before, v, 'O') ? this.file.closesOn?.(name, i) : undefined;
      if (split) {
        const vars = [...after.keys()].filter((k) => after.get(k) !== before.get(k));
        this.splits.set(call, { before, split, vars });
      }
    });
  }

  /**
   * On a branch of a condition that tests a split helper's result (`h(s) == ANET_ERR`,
   * `h(s) < 0`, `!h(s)`, `h(s)`): where every value the branch allows is one the helper returns
   * with the socket still open, the socket is back in the caller's hands. Only such tests are
   * read here; the state is returned unchanged otherwise.
   */
  private splitRefine(s: State, cond: SNode, truth: boolean): State {
    if (this.splits.size === 0) {
      return s;
    }
    const e = this.x.unwrap(cond);
    if (!e) {
      return s;
    }
    const op = operator(e, this.x);
    if (e.type === 'unary_expression' && op === '!') {
      const arg = field(e, 'argument');
      return arg ? this.splitRefine(s, arg, !truth) : s;
    }
    if (this.splits.has(e)) {
      return this.applySplit(s, e, '!=', '0', truth);
    }
    if (e.type !== 'binary_expression' || !op || !['==', '!=', '<', '<=', '>', '>='].includes(op)) {
      return s;
    }
    const l = this.x.unwrap(field(e, 'left'));
    const r = this.x.unwrap(field(e, 'right'));
    if (l && r && this.splits.has(l)) {
      return this.applySplit(s, l, op, this.valueKey(r), truth);
    }
    return l && r && this.splits.has(r) ? this.applySplit(s, r, flip(op), this.valueKey(l), truth) : s;
  }

  /** A compared value as CloseSplit keys it: the constant, or the name when it is not defined in the file. */
  private valueKey(n: SNode): string | undefined {
    const c = this.x.constant(n, this.file.defines);
    return c !== undefined ? String(c) : n.type === 'identifier' ? this.x.src(n) : undefined;
  }

  private applySplit(s: State, call: SNode, cmp: string, k: string | undefined, truth: boolean): State {
    const rec = this.splits.get(call)!;
    const values = k === undefined ? undefined : valuesOnBranch(rec.split, cmp, k, truth);
    if (!values || values.length === 0 || !values.every((v) => rec.split.open.has(v))) {
      return s;
    }
    const next = copyMap(s);
    for (const v of rec.vars) {
      const vs = rec.before.get(v);
      if (vs) {
        next.set(v, vs);
      } else {
        next.delete(v);
      }
    }
    return next;
  }

  /**
   * A table slot passed whole (`drop_conn(*it)`, `close_client(conns[i])`) takes along the
   * fields of it used as sockets (`it->fd`, `conns[i].fd`): handed off with it.
   */
  private handOffFields(a: SNode, s: State): State {
    const u = this.x.unwrap(a);
    if (!u || !SLOT_TYPES.has(u.type) || !this.hasSlotNames(s)) {
      return s;
    }
    const text = this.x.src(u).replace(/\s+/g, '');
    const prefixes = text.startsWith('*') ? [`${text.slice(1)}->`, `(${text}).`] : [`${text}.`, `${text}->`];
    for (const name of [...s.keys()]) {
      if (prefixes.some((p) => name.startsWith(p)) && this.open(s, name)) {
        s = this.settle(s, name, 'H');
      }
    }
    return s;
  }

  /**
   * Does the same-file function `name` keep its parameter `index` somewhere: a container
   * (`clients_.push_back(fd)`, `self.clients.append(conn)`), or a function without a body here
   * that is not a known socket API?
   */
  private stores(name: string, index: number): boolean {
    let memo = storesMemo.get(this.file);
    if (!memo) {
      memo = new Map();
      storesMemo.set(this.file, memo);
    }
    const k = `${name}#${index}`;
    const known = memo.get(k);
    if (known !== undefined) {
      return known;
    }
    memo.set(k, false);
    const fn = this.file.byName?.get(name);
    const p = fn?.params[index];
    let found = false;
    const inits = fn?.node.children.find((c) => c.type === 'field_initializer_list');
    if (fn && p && inits && this.x.idents(inits).includes(p)) {
      // A constructor's member initializer `: fd_(fd)` keeps the socket in the object.
      found = true;
    } else if (fn && p) {
      visit(fn.body, (n) => {
        if (found || (n !== fn.body && SKIP_NESTED.has(n.type))) {
          return false;
        }
        if (this.x.isCall(n)) {
          const callee = this.x.calleeOf(n);
          const base = this.x.baseName(callee);
          const i = this.x.args(n).findIndex((a) => this.x.ident(a) === p);
          if (i >= 0 && !SOCKET_USES.has(base) && !SOCKET_USES.has(callee) && !PY_BORROWING.has(callee) && !PY_BORROWING.has(base)
            && !/^(erase|remove|discard|pop|unregister|find|count|index)$/.test(base)) {
            // A same-named method of a member (`q_.push(fd)` in `FdQueue::push`) is the container's own.
            const recv = this.x.src(this.x.receiver(n) ?? n);
            const member = !!this.x.receiver(n) && recv !== 'this' && recv !== 'self';
            found = this.file.byName?.has(base) ? (base === name ? member : this.stores(base, i)) : true;
          }
        }
        return !found;
      });
    }
    memo.set(k, found);
    return found;
  }

  private handOffArgs(args: SNode[], s: State): State {
    for (const a of args) {
      let u = this.x.unwrap(a);
      if (u && (u.type === 'pointer_expression' || u.type === 'unary_expression') && this.x.src(u).startsWith('&')) {
        u = field(u, 'argument');
      }
      const v = this.x.ident(u);
      if (this.tracked(v) && s.has(v) && this.open(s, v)) {
        s = this.settle(s, v, 'H');
      }
      if (u) {
        s = this.handOffFields(u, s);
      }
      if (u && (u.type === 'tuple' || u.type === 'list' || u.type === 'initializer_list' || u.type === 'compound_literal_expression')) {
        s = this.handOffMentions(u, s);
      }
    }
    return s;
  }

  /**
   * The name SO_REUSEADDR order is tracked under: a local, or the text of a global, member or
   * attribute the socket was stored in (`g_listen`, `listen_fd_`, `self.sock`, `srv->fd`).
   */
  private reuseKey(n: SNode | undefined): string | undefined {
    const u = this.x.unwrap(n);
    if (!u) {
      return undefined;
    }
    if (u.type === 'identifier') {
      return this.x.src(u);
    }
    // The descriptor of an object that holds one: `s.get()`, `sock.fd()`, `conn->native_handle()`.
    const f = this.x.isCall(u) && this.x.args(u).length === 0 ? field(u, 'function') : undefined;
    if (f?.type === 'field_expression' && /^(get|fd|native_handle|handle|raw|sock|socket)$/.test(this.x.src(field(f, 'field') ?? f))) {
      return this.reuseKey(field(f, 'argument'));
    }
    if (u.type === 'field_expression' || u.type === 'attribute' || u.type === 'qualified_identifier') {
      const text = this.x.src(u).replace(/\s+/g, '');
      return /^[\w.>:-]+$/.test(text) ? text.replace(/^this(->|\.)/, '') : undefined;
    }
    return undefined;
  }

  private setsockopt(n: SNode, v: string | undefined, opt: SNode | undefined, s: State): State {
    if (!v || !opt || !(this.tracked(v) || s.has(v))) {
      return s;
    }
    const o = this.x.src(opt);
    if (/SO_REUSEADDR|SO_EXCLUSIVEADDRUSE/.test(o)) {
      if (/SO_REUSEADDR/.test(o) && this.has(s, v, 'B') && this.reporting) {
        this.emit(`rab:${n.start}`, (e) => e.reuseAfterBind.push({ variable: v, call: n }));
      }
      return this.setAux(s, v, ['nr'], { kind: 'ra' });
    }
    return s;
  }

  private bind(n: SNode, v: string | undefined, s: State): State {
    if (!v || !(this.tracked(v) || s.has(v))) {
      return s;
    }
    if (this.has(s, v, 'nr') && this.reporting) {
      const site = [...(s.get(v)?.values() ?? [])].find((t) => t.kind === 'O' || t.kind === 'S')?.site;
      this.emit(`mr:${n.start}`, (e) => e.missingReuse.push({ variable: v, bind: n, site }));
    }
    return this.setAux(s, v, ['B'], { kind: 'B', site: n });
  }

  private pyCall(n: SNode, callee: string, base: string, args: SNode[], recv: SNode | undefined, s: State): State {
    const x = this.x;
    const rv = recv ? x.ident(recv) : undefined;
    const rk = recv ? this.reuseKey(recv) : undefined;
    if (rk && base === 'listen') {
      this.events.listens.add(rk);
    }
    if (rk && !this.tracked(rk) && s.has(rk) && (base === 'setsockopt' || base === 'bind')) {
      return base === 'bind' ? this.bind(n, rk, s) : this.setsockopt(n, rk, args[1], s);
    }
    if (rv && this.tracked(rv)) {
      switch (base) {
        case 'close':
        case '__exit__':
          return s.has(rv) ? this.settle(s, rv, 'C') : s;
        case 'shutdown':
          return this.has(s, rv, 'O') ? this.mapOwn(s, rv, (t) => (t.kind === 'O' ? { kind: 'S', site: t.site, at: n, alias: t.alias } : t)) : s;
        case 'detach':
          return s.has(rv) ? this.settle(s, rv, 'H') : s;
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
        // A selector holds only what was registered; another container only if this file fills one.
        const v = base === 'unregister' ? x.ident(a) : this.keyed(x.ident(a), s, recv);
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
      return this.summarized(n, base, args, this.forgetEof(s));
    }
    if (this.file.hasBody(base) && rv === 'self') {
      return this.summarized(n, base, args, this.forgetEof(s));
    }
    if (PY_BORROWING.has(callee) || PY_BORROWING.has(base) || PY_SOCKET_METHODS.has(base) && (!recv || base.startsWith('sock_'))) {
      return s;
    }
    let list = args;
    const list2 = field(n, 'arguments');
    if (list2) {
      list = named(list2).map((a) => (a.type === 'keyword_argument' ? field(a, 'value') ?? a : a));
    }
    return this.handOffArgs(list, this.forgetEof(s));
  }
}

/** Expressions that can name a table slot whole (`*it`, `conns[i]`, `it`, `c->conn`). */
const SLOT_TYPES: ReadonlySet<string> = new Set(['pointer_expression', 'subscript_expression', 'identifier', 'field_expression']);

/** Is `n` inside a C++ `catch` clause? */
function inHandler(n: SNode): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'catch_clause') {
      return true;
    }
    if (p.type === 'function_definition') {
      return false;
    }
  }
  return false;
}

/** What a std::optional or pointer holds when it holds nothing. */
const NO_VALUE = /^(std::)?nullopt$|^nullptr$|^NULL$/;

/** Does the function defined by `fn` return a std::optional, a smart pointer or a raw pointer? */
function returnsNullable(fn: SNode, x: Expr): boolean {
  const type = field(fn, 'type');
  const declarator = field(fn, 'declarator');
  return (!!type && /optional|_ptr\b/.test(x.src(type))) || declarator?.type === 'pointer_declarator';
}

/** Node types walk() acts on (see Flow.inert). */
const ACTIVE: ReadonlySet<string> = new Set(['call_expression', 'call', 'assignment_expression', 'assignment', 'augmented_assignment',
  'init_declarator', 'lambda_expression', 'lambda', 'function_declarator', 'return_statement', 'delete_statement',
  'subscript_expression', 'yield']);
const INERT = new WeakMap<SNode, boolean>();

/** Calls that only use a socket (a returned call of one of these does not pass it out). */
const SOCKET_USES: ReadonlySet<string> = new Set([...C_BORROWING, ...C_READ, ...C_BYTE_SINKS, ...C_CLOSE, ...PY_SOCKET_METHODS]);

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

/** The loop variable's value once `v op c` failed (for counters stepping by one). */
function exhaustedValue(l: { op: string; c: number }): number | undefined {
  return ({ '!=': l.c, '<': l.c, '<=': l.c + 1, '>': l.c, '>=': l.c - 1 } as Record<string, number>)[l.op];
}

/** A value for which `v op c` still holds. */
function runningValue(l: { op: string; c: number }): number | undefined {
  return ({ '!=': l.c + 1, '<': l.c - 1, '<=': l.c, '>': l.c + 1, '>=': l.c, '==': l.c } as Record<string, number>)[l.op];
}

function flip(op: string): string {
  return ({ '<': '>', '>': '<', '<=': '>=', '>=': '<=' } as Record<string, string>)[op] ?? op;
}

const storesMemo = new WeakMap<FileContext, Map<string, boolean>>();

/** Function-like `#define`s of the file (every definition, as #ifdef branches may differ). */
function macros(file: FileContext): Map<string, Macro[]> {
  return functionMacros(file.expr.text);
}

function aliasOf(vs: VarState, text: string): boolean {
  for (const t of vs.values()) {
    if (t.alias === text) {
      return true;
    }
  }
  return false;
}

function hasKind(vs: VarState, kinds: Kind[]): boolean {
  for (const t of vs.values()) {
    if (kinds.includes(t.kind)) {
      return true;
    }
  }
  return false;
}

/** Do two tokens stand for the same socket (copies of one descriptor)? */
function sameSocket(a: Tok, b: Tok): boolean {
  return a.site !== undefined && a.site === b.site && a.id === b.id;
}

/** CFG node ids waiting to run, taken lowest reverse-postorder rank first (a binary heap); each at most once. */
class RankQueue {
  /** Scratch shared by every queue (one Flow runs at a time, never nested): ranks, queued flags, the depth-first stacks. */
  private static rankBuf = new Int32Array(256);
  private static queuedBuf = new Uint8Array(256);
  private static readonly nodeStack: CfgNode[] = [];
  private static readonly edgeStack: number[] = [];
  private readonly rank: Int32Array;
  private readonly queued: Uint8Array;
  private readonly heap: number[] = [];

  constructor(cfg: Cfg) {
    const n = cfg.nodes.length;
    if (RankQueue.rankBuf.length < n) {
      RankQueue.rankBuf = new Int32Array(n * 2);
      RankQueue.queuedBuf = new Uint8Array(n * 2);
    }
    this.rank = RankQueue.rankBuf;
    this.queued = RankQueue.queuedBuf;
    this.rank.fill(n, 0, n);
    this.queued.fill(0, 0, n);
    // Postorder by an iterative depth-first walk from the entry, numbered from the end: the
    // reverse postorder rank. Unreachable nodes keep rank n (never queued anyway).
    const seen = this.queued;
    const nodes = RankQueue.nodeStack;
    const edges = RankQueue.edgeStack;
    nodes.push(cfg.entry);
    edges.push(0);
    seen[cfg.entry.id] = 1;
    let next = n;
    while (nodes.length > 0) {
      const top = nodes.length - 1;
      const succ = nodes[top].succ;
      if (edges[top] < succ.length) {
        const to = succ[edges[top]++].to;
        if (!seen[to.id]) {
          seen[to.id] = 1;
          nodes.push(to);
          edges.push(0);
        }
      } else {
        this.rank[nodes[top].id] = --next;
        nodes.pop();
        edges.pop();
      }
    }
    this.queued.fill(0, 0, n);
  }

  get size(): number {
    return this.heap.length;
  }

  push(id: number): void {
    if (this.queued[id]) {
      return;
    }
    this.queued[id] = 1;
    const heap = this.heap;
    const r = this.rank[id];
    let i = heap.length;
    heap.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.rank[heap[parent]] <= r) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = id;
  }

  pop(): number {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      const r = this.rank[last];
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= heap.length) {
          break;
        }
        if (child + 1 < heap.length && this.rank[heap[child + 1]] < this.rank[heap[child]]) {
          child++;
        }
        if (this.rank[heap[child]] >= r) {
          break;
        }
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    this.queued[top] = 0;
    return top;
  }
}

/** `v[i]` for the iterator position `v.begin() + i` given to `v.erase(...)`. */
function erasedSlot(container: SNode, position: SNode, x: Expr): string | undefined {
  const p = x.unwrap(position);
  if (!p || p.type !== 'binary_expression' || operator(p, x) !== '+') {
    return undefined;
  }
  const begin = x.unwrap(field(p, 'left'));
  const index = field(p, 'right');
  const v = x.src(container).replace(/\s+/g, '');
  if (!begin || !index || !x.isCall(begin) || x.calleeOf(begin) !== `${v}.begin`) {
    return undefined;
  }
  return `${v}[${x.src(index).replace(/\s+/g, '')}]`;
}

/** `a` joined with `b`; `a` itself (not a copy) when `b` adds nothing to it. */
function merge(a: State, b: State): State {
  let out: State | undefined;
  b.forEach((vs, v) => {
    const prev = a.get(v);
    if (!prev) {
      // Absent on the other path: nothing obtained there.
      out ??= copyMap(a);
      out.set(v, vs);
      return;
    }
    if (prev === vs) {
      return;
    }
    let merged: VarState | undefined;
    vs.forEach((t, k) => {
      if (!prev.has(k)) {
        merged ??= copyMap(prev);
        merged.set(k, t);
      }
    });
    if (merged) {
      out ??= copyMap(a);
      out.set(v, merged);
    }
  });
  return out ?? a;
}

/** A variable's tokens before `upTo`, in order: the start of its changed map (see leave()). */
function tokensBefore(vs: VarState, upTo: string): VarState {
  const out: VarState = new Map();
  for (const [k, t] of vs) {
    if (k === upTo) {
      break;
    }
    out.set(k, t);
  }
  return out;
}

/** Every ownership possibility of a variable is 'owned' (and there is one): a leak of it is certain. */
function definitelyOwned(vs: VarState): boolean {
  let owned = 0;
  for (const t of vs.values()) {
    if (OWN_KINDS.has(t.kind)) {
      if (t.kind !== 'O') {
        return false;
      }
      owned++;
    }
  }
  return owned > 0;
}

/** Does slot text `alias` (`client[i]`, `conns[i].fd`) use `v` inside a subscript? */
function indexes(alias: string, v: string): boolean {
  for (const m of alias.matchAll(/\[([^\]]*)\]/g)) {
    if (nameIn(m[1], v, occurrences(m[1], v), 0, m[1].length)) {
      return true;
    }
  }
  return false;
}

/** Tok.flags with `flag` set to `value` (`queued=0;ok=1`, sorted by name). */
function withFlag(flags: string | undefined, flag: string, value: number): string {
  const entries = (flags ? flags.split(';') : []).filter((e) => e.slice(0, e.indexOf('=')) !== flag);
  entries.push(`${flag}=${value}`);
  return entries.sort().join(';');
}

/** The value Tok.flags records for `flag`, if any. */
function flagValue(flags: string | undefined, flag: string): number | undefined {
  if (!flags) {
    return undefined;
  }
  for (const e of flags.split(';')) {
    const at = e.indexOf('=');
    if (e.slice(0, at) === flag) {
      return Number(e.slice(at + 1));
    }
  }
  return undefined;
}

/**
 * Does a function's text test a local it gives constants before a close (`if (!queued) {
 * close(cfd);`, `if not keep: sock.close()`)? Only then is a second run that follows flags worth it.
 */
export function mayFollowFlags(body: string): boolean {
  for (const m of body.matchAll(/\bif\s*(?:\(\s*!\s*|not\s+)([A-Za-z_]\w*)(?=\s*\)?\s*:?[^}]{0,200}?\b(?:close|closesocket)\s*\()/g)) {
    if (new RegExp(`\\b${m[1]}\\s*=\\s*(?:true|false|True|False|0|1)\\b`).test(body)) {
      return true;
    }
  }
  return false;
}

/** A shallow copy of a map (forEach: no iterator objects on the way). */
function copyMap<K, V>(m: Map<K, V>): Map<K, V> {
  const out = new Map<K, V>();
  m.forEach((v, k) => out.set(k, v));
  return out;
}

export { condOf };
