import type { Language as TsLanguage, Node as TsNode, TreeCursor } from 'web-tree-sitter';

/**
 * A plain copy of a tree-sitter node. Reading node properties crosses into wasm on every
 * access, so the analyzer copies the tree (one cursor walk) and works on these.
 *
 * A copy may defer function bodies (see copyTree's `defer`): such a body is copied on first
 * access to its `children`. `visit()` starting at (or inside) the body sees it; a `visit()`
 * from above always passes over it, copied by then or not, so whole-file scans see exactly
 * the bodies the copy did not defer (those that mention socket APIs), whatever ran before.
 */
export interface SNode {
  type: string;
  /** Field name in the parent ('condition', 'body', ...), or '' when none. */
  field: string;
  start: number;
  end: number;
  named: boolean;
  missing: boolean;
  children: SNode[];
  parent: SNode | undefined;
}

/**
 * Punctuation and keywords no analysis reads (statements and expressions are told apart by
 * their node types and fields): a copy leaves them out, over a third of all nodes. A parent
 * whose first or last child one was takes that token's offset as its own, so every span is
 * the same. Operators stay (their text is the node type), and so do braces (`}` is where a
 * function ends) and tokens with a field name (Python's `and`/`or`).
 */
const DROPPED_TOKENS: ReadonlySet<string> = new Set(['(', ')', ',', ';', '[', ']', '"',
  'if', 'else', 'while', 'for', 'do', 'return', 'break', 'continue', 'goto', 'switch', 'case', 'default', 'sizeof',
  'struct', 'union', 'enum', 'const', 'static', 'unsigned', 'signed', 'short', 'long', 'volatile', 'extern', 'inline']);

/**
 * Type names, field names, namedness and dropped punctuation per numeric id, read once per
 * language; and, per set of type names a copy asks about (CopyOptions.mark, Transplant.types),
 * whether each id is of one of them.
 */
interface Tables { types: string[]; fields: (string | null)[]; named: boolean[]; dropped: boolean[]; exact: boolean[]; of: WeakMap<ReadonlySet<string>, boolean[]> }

/** By type id: is the type one of `types`? Made once per language and set. */
function idsOf(t: Tables, types: ReadonlySet<string>): boolean[] {
  let ids = t.of.get(types);
  if (!ids) {
    ids = t.types.map((type) => types.has(type));
    t.of.set(types, ids);
  }
  return ids;
}
const tablesCache = new WeakMap<object, Tables>();

function tablesFor(language: TsLanguage): Tables {
  let t = tablesCache.get(language);
  if (!t) {
    const types: string[] = [];
    const namedFlags: boolean[] = [];
    for (let id = 0; id < language.nodeTypeCount; id++) {
      types.push(language.nodeTypeForId(id) ?? 'ERROR');
      namedFlags.push(language.nodeTypeIsNamed(id));
    }
    const fields: (string | null)[] = [null];
    for (let id = 1; id <= language.fieldCount; id++) {
      fields.push(language.fieldNameForId(id));
    }
    const dropped = types.map((type, id) => !namedFlags[id] && DROPPED_TOKENS.has(type));
    // Spans that are not their children's: a directive's closing newline, a string content's
    // leading characters and an f-string format's text (`:g` in `f"{v:g}"`) are in no child.
    const exact = types.map((type) => type.startsWith('preproc_') || type === 'string_content' || type === 'format_specifier');
    t = { types, fields, named: namedFlags, dropped, exact, of: new WeakMap() };
    tablesCache.set(language, t);
  }
  return t;
}

/**
 * Direct entry points of web-tree-sitter's wasm module for cursor moves. The public TreeCursor
 * copies its state in and out of the module's transfer buffer on every call (eight memory
 * accesses around each move); calling the exports directly leaves the state in the buffer
 * between moves, which makes a copy of the tree several times cheaper. Registered by
 * grammars.ts when the module exposes them; otherwise the public API is used.
 */
export interface CursorExports {
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_descendant_index_wasm(tree: number): number;
  _ts_tree_cursor_goto_descendant_wasm(tree: number, index: number): void;
}

const CURSOR_EXPORTS: readonly (keyof CursorExports)[] = [
  '_ts_tree_cursor_goto_first_child_wasm', '_ts_tree_cursor_goto_next_sibling_wasm', '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm', '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm', '_ts_tree_cursor_start_index_wasm', '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_current_descendant_index_wasm', '_ts_tree_cursor_goto_descendant_wasm',
];

let direct: CursorExports | undefined;

/** Uses the module's cursor exports for copies (see CursorExports); `undefined` turns that off. */
export function useCursorExports(module: Partial<CursorExports> | undefined): boolean {
  direct = module && CURSOR_EXPORTS.every((k) => typeof module[k] === 'function') ? module as CursorExports : undefined;
  return direct !== undefined;
}

/**
 * Copies `root` both ways and keeps the direct exports only if the copies agree: a guard
 * against a web-tree-sitter release that changes how its cursor calls pass their state.
 */
export function verifyCursorExports(root: TsNode): boolean {
  const saved = direct;
  if (!saved) {
    return false;
  }
  const fast = shape(copyTree(root).node);
  direct = undefined;
  const slow = shape(copyTree(root).node);
  direct = fast === slow ? saved : undefined;
  return direct !== undefined;
}

/** Every node's type, field, span and missing flag, all the way down (deferred bodies read): to compare copies. */
export function shape(n: SNode): string {
  return `${n.type}:${n.field}:${n.start}-${n.end}${n.missing ? '!' : ''}(${n.children.map(shape).join(' ')})`;
}

/** One walker over either the direct exports or the public cursor. */
interface Walk {
  first(): boolean; next(): boolean; parent(): boolean;
  typeId(): number; fieldId(): number; missing(): boolean; start(): number; end(): number;
  index(): number; goto(index: number): void;
}

function directWalk(c: CursorExports, tree: number): Walk {
  return {
    first: () => c._ts_tree_cursor_goto_first_child_wasm(tree) === 1,
    next: () => c._ts_tree_cursor_goto_next_sibling_wasm(tree) === 1,
    parent: () => c._ts_tree_cursor_goto_parent_wasm(tree) === 1,
    typeId: () => c._ts_tree_cursor_current_node_type_id_wasm(tree),
    fieldId: () => c._ts_tree_cursor_current_field_id_wasm(tree),
    missing: () => c._ts_tree_cursor_current_node_is_missing_wasm(tree) === 1,
    start: () => c._ts_tree_cursor_start_index_wasm(tree),
    end: () => c._ts_tree_cursor_end_index_wasm(tree),
    index: () => c._ts_tree_cursor_current_descendant_index_wasm(tree),
    goto: (i) => c._ts_tree_cursor_goto_descendant_wasm(tree, i),
  };
}

function publicWalk(cursor: TreeCursor): Walk {
  return {
    first: () => cursor.gotoFirstChild(),
    next: () => cursor.gotoNextSibling(),
    parent: () => cursor.gotoParent(),
    typeId: () => cursor.nodeTypeId,
    fieldId: () => cursor.currentFieldId,
    missing: () => cursor.nodeIsMissing,
    start: () => cursor.startIndex,
    end: () => cursor.endIndex,
    index: () => cursor.currentDescendantIndex,
    goto: (i) => cursor.gotoDescendant(i),
  };
}

/** Loop statements of C, C++ and Python. */
export const LOOP_TYPES: ReadonlySet<string> = new Set(['while_statement', 'for_statement', 'for_range_loop', 'do_statement']);

/** Decides from a function body's span whether to defer copying it. */
export type DeferBody = (start: number, end: number) => boolean;

/** A copy of a tree; deferred bodies are copied from the wasm tree until `detach()`. */
export interface CopiedTree {
  node: SNode;
  complete: boolean;
  /** How many subtrees of an earlier copy CopyOptions.transplant gave it. */
  moved: number;
  /** Did a deferred body hit the deadline while being copied? */
  truncated(): boolean;
  /**
   * Call before deleting the wasm tree: deferred bodies not copied yet stay empty, unless a
   * later copy reused their top-level node (they are then copied from its tree).
   */
  detach(): void;
}

/** The node class behind SNode (a deferred body is a DNode, below). */
class CNode implements SNode {
  start = -1;
  end = -1;
  missing = false;
  children: SNode[] = NO_CHILDREN;
  /** named()'s answer, once asked. */
  namedKids: SNode[] | undefined = undefined;
  /** Syntactic answers kept with the node (see NodeMemo). */
  argsMemo: SNode[] | undefined = undefined;
  inertMemo: boolean | undefined = undefined;
  constructor(readonly type: string, readonly field: string, readonly named: boolean, public parent: SNode | undefined) {}
}

/**
 * Slots on a copied node for answers that depend only on its subtree (a call's argument list,
 * whether a statement is inert): a field read instead of a map lookup, and no weak-map entry
 * per node for the collector to trace. Plain SNode objects (tests) have none.
 */
export interface NodeMemo { argsMemo: SNode[] | undefined; inertMemo: boolean | undefined }

/** The memo slots of `n`, or undefined for a node that is not one of this module's copies. */
export function memoOf(n: SNode): NodeMemo | undefined {
  return n instanceof CNode || n instanceof DNode ? n : undefined;
}

/** Leaves share one empty, frozen list (a push on it throws instead of corrupting others). */
const NO_CHILDREN: SNode[] = Object.freeze([]) as unknown as SNode[];

interface Session {
  /** The tree being copied; undefined once the copy is detached. */
  root: TsNode | undefined; tables: Tables; deadline: number; alive: boolean; truncated: boolean; blanked?: BlankedBodies;
  /** By type id: does the copy list nodes of this type (see CopyOptions.mark)? */
  marked?: boolean[];
  /** CopyOptions.transplant, and by type id: may it offer a node of this type? */
  transplant?: Transplant;
  movable?: boolean[];
  /** How many subtrees the transplant gave; did one leave its top-level node's list incomplete? */
  taken: number;
  unlisted: boolean;
}

/**
 * The function bodies a skimmed parse read as blank space (see skim.ts), and where a deferred
 * one is read from instead when asked for: `parse` returns that body's node in a tree of the
 * real text, kept alive by the caller until the copy is detached.
 */
export interface BlankedBodies { spans: ReadonlyMap<number, number>; parse(start: number, end: number): TsNode | undefined }

/**
 * Where the deferred bodies under one top-level node are copied from: that node's place in a
 * wasm tree. When an edit leaves the node alone, a re-lint reuses it and points this at the
 * node's place in the new tree, so bodies not copied yet stay copyable.
 */
class TopRef {
  constructor(public session: Session, public index: number) {}
}

export interface CopyOptions {
  /** Past this time (Date.now()) the copy stops: partial. */
  deadline?: number;
  /** A function_definition's body for which this returns true is copied only when first read (see SNode). */
  defer?: DeferBody;
  /** The bodies a skimmed parse read as blank space, and where to read them instead. */
  blanked?: BlankedBodies;
  /**
   * Node types to list, per top-level node, in the order a visit() from it meets them (see
   * markedIn): a scan for a few kinds of node then reads the list instead of every node.
   */
  mark?: ReadonlySet<string>;
  /** Subtrees of an earlier copy to take in place of new nodes, which are then not read from the tree. */
  transplant?: Transplant;
}

/**
 * Offers subtrees of an earlier copy for nodes of the new tree that an edit left as they were
 * (transplant.ts decides which). The copy asks for each node of `types` in a top-level node it
 * does not reuse whole.
 */
export interface Transplant {
  types: ReadonlySet<string>;
  /** The old subtree standing for the new node (under a parent of `parentType`), or undefined when there is none. */
  offer(type: string, field: string, start: number, end: number, parentType: string): MovedSubtree | undefined;
}

/**
 * A subtree of an earlier copy with how far the edit moved it and the marked nodes below it (see
 * markedBelow; undefined when unknown), read while it still hangs in its old top-level node.
 */
export interface MovedSubtree { node: SNode; shift: number; marks: readonly SNode[] | undefined }

/**
 * Copies `root` and everything below it, one top-level node at a time. Each cursor property
 * is a call into wasm, so only leaves read their own offsets; a parent's span is its
 * children's.
 */
export function copyTree(root: TsNode, options: CopyOptions = {}): CopiedTree {
  return copyTreeReusing(root, () => undefined, options);
}

/** The nodes of CopyOptions.mark's types in a top-level node this copy made (not one it reused). */
const markedNodes = new WeakMap<SNode, SNode[]>();

/** The top-level node holding `n` (the root itself for the root). */
export function topOf(n: SNode): SNode {
  while (n.parent?.parent) {
    n = n.parent;
  }
  return n;
}

/**
 * The nodes of the marked types (see CopyOptions.mark) at and below `top`, in the order visit()
 * meets them, deferred bodies left out as visit() leaves them; undefined when the copy that made
 * `top` listed none.
 */
export function markedIn(top: SNode): readonly SNode[] | undefined {
  return markedNodes.get(top);
}

/**
 * The marked nodes below `node` (its top-level node's list, from `node` to its end), in the
 * order visit(node) meets them; undefined when that list is unknown or leaves them out (below a
 * deferred body, whose copy came later).
 */
export function markedBelow(node: SNode): readonly SNode[] | undefined {
  for (let n: SNode | undefined = node; n?.parent; n = n.parent) {
    if (n instanceof DNode) {
      return undefined;
    }
  }
  const all = markedNodes.get(topOf(node));
  if (!all) {
    return undefined;
  }
  // Listed in visit() order, so by start offset: the nodes below `node` are one run of the list,
  // right after `node` when it is listed itself. Found by identity then: a copy under way (see
  // CopyOptions.transplant) may have moved listed nodes before it already.
  let lo = all.indexOf(node) + 1;
  if (lo === 0) {
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid].start < node.start) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    // Listed nodes above `node` that start where it does come first.
    while (lo < all.length && all[lo].start === node.start && all[lo].end > node.end) {
      lo++;
    }
  }
  let end = lo;
  while (end < all.length && all[end].start < node.end) {
    end++;
  }
  return all.slice(lo, end);
}

/**
 * A top-level subtree of an earlier copy that an edit left alone, found by the caller from a
 * new top-level node's type and span; null when there is none (the node is copied).
 */
export type ReuseTop = (type: string, start: number, end: number) => SNode | undefined;

/** Each top-level node's TopRef, for the copies that reuse it. */
const topRefs = new WeakMap<SNode, TopRef>();

/**
 * Like copyTree, but takes each top-level node from `reuse` when it offers one (already moved
 * to the new offsets); only the rest is copied from the wasm tree.
 */
export function copyTreeReusing(root: TsNode, reuse: ReuseTop, options: CopyOptions = {}): CopiedTree {
  const { deadline = Infinity, defer, blanked, mark, transplant } = options;
  const tables = tablesFor(root.tree.language);
  const marked = mark && idsOf(tables, mark);
  const movable = transplant && idsOf(tables, transplant.types);
  const session: Session = { root, tables, deadline, alive: true, truncated: false, blanked, marked, transplant, movable, taken: 0, unlisted: false };
  const top = new CNode(root.type, '', true, undefined);
  top.start = root.startIndex;
  top.end = root.endIndex;
  const t = session.tables;
  const complete = withWalk(session, undefined, (w) => {
    if (!w.first()) {
      return true;
    }
    const kids: SNode[] = [];
    let ok = true;
    let lastEnd = -1;
    do {
      const typeId = w.typeId();
      const type = t.types[typeId] ?? 'ERROR';
      const start = w.start();
      const end = w.end();
      lastEnd = end;
      const old = reuse(type, start, end);
      if (old) {
        (old as CNode).parent = top;
        kids.push(old);
        const ref = topRefs.get(old);
        if (ref) {
          ref.session = session;
          ref.index = w.index();
        }
        continue;
      }
      const taken = movable?.[typeId] ? take(session, typeId, 0, start, end, top) : undefined;
      if (taken) {
        kids.push(taken.node);
        const list: SNode[] = [];
        if (marked && listTaken(list, taken, marked[typeId])) {
          markedNodes.set(taken.node, list);
        } else {
          markedNodes.delete(taken.node);
        }
        continue;
      }
      const node = new CNode(type, '', t.named[typeId] ?? true, top);
      kids.push(node);
      top.children = kids;
      // A top-level node's own offsets are at hand: exact even where no child covers an edge.
      node.start = start;
      node.end = end;
      const ref = new TopRef(session, defer ? w.index() : -1);
      const marks = marked ? marked[typeId] ? [node] : [] : undefined;
      session.unlisted = false;
      if (!walkCopy(session, w, node, defer, ref, marks)) {
        ok = false;
        break;
      }
      if (marks && !session.unlisted) {
        markedNodes.set(node, marks);
      }
      if (node.children.length === 0) {
        node.missing = start === end && w.missing();
      }
      if (defer) {
        topRefs.set(node, ref);
      }
    } while (w.next());
    top.children = kids;
    // Offset-less tokens get the offsets a whole copy gives them (see walkCopy and finish).
    const last = kids[kids.length - 1];
    if (last && last.end < 0 && last.children.length === 0) {
      last.end = lastEnd;
      last.start = lastEnd - (last.type.length === 1 ? 1 : 0);
    }
    finish(top);
    return ok;
  });
  // The transplant holds the previous copy: once the walk is over, the session (which every
  // reused or new top-level node keeps, for its deferred bodies) must not keep it alive.
  session.transplant = undefined;
  session.movable = undefined;
  return copied(top, complete, session);
}

/**
 * The copy's handle. Made outside copyTreeReusing: closures made there would share its scope,
 * and with it `reuse` and `transplant`, which hold the previous copy (each copy would keep the
 * one before it alive).
 */
function copied(node: SNode, complete: boolean, session: Session): CopiedTree {
  return {
    node, complete, moved: session.taken,
    truncated: () => session.truncated,
    detach: () => {
      session.alive = false;
      // Dropped top-level nodes keep the session of their last copy: without this, it would
      // keep that copy's wasm tree handle and, through it, the text.
      session.root = undefined;
      session.blanked = undefined;
    },
  };
}

/** Is a copy walking a tree now (see withWalk)? */
let walking = false;

/** Runs `fn` with a walker at `root` (or at its descendant number `index`), then frees the cursor. */
function withWalk<T>(session: Session, index: number | undefined, fn: (w: Walk) => T): T {
  if (walking) {
    // The direct calls keep a walk's state in the module's one transfer buffer: a second walk
    // would overwrite it. Nothing read during a copy may start one (a deferred body's copy).
    throw new Error('a tree copy started inside another');
  }
  const root = session.root;
  if (!root) {
    throw new Error('a tree copy read after its tree was let go');
  }
  const cursor: TreeCursor = root.walk();
  walking = true;
  try {
    let w: Walk;
    if (direct) {
      // Reading a property puts the cursor's state into the transfer buffer, where the
      // direct calls below find it and leave it; nothing else touches the buffer meanwhile.
      void cursor.nodeTypeId;
      w = directWalk(direct, (root.tree as unknown as Record<number, number>)[0]);
    } else {
      w = publicWalk(cursor);
    }
    if (index !== undefined) {
      w.goto(index);
    }
    return fn(w);
  } finally {
    walking = false;
    cursor.delete();
  }
}

/**
 * Children of the nodes a copy is inside, collected here and stored as an exact-size array when
 * the walk leaves their parent (an array grown by push() keeps room for 17 and more).
 */
const kidsBuf: SNode[] = [];

/**
 * Copies the children of `top` (where the walker stands), listing the nodes of marked types in
 * `marks`; false when the deadline cut it short.
 */
function walkCopy(session: Session, w: Walk, top: CNode | DNode, defer: DeferBody | undefined, ref: TopRef, marks?: SNode[]): boolean {
  const t = session.tables;
  const deadline = session.deadline;
  if (!w.first()) {
    return true;
  }
  const buf = kidsBuf;
  // Where each open node's children start in `buf`: `base` for `current`, `bases` above it.
  const bases: number[] = [];
  let base = buf.length;
  let current: CNode | DNode = top;
  let count = 0;
  /** The walk went down into `node`: its children come next. */
  const down = (node: CNode): void => {
    bases.push(base);
    base = buf.length;
    current = node;
  };
  /** Stores `current`'s children, exact size. */
  const store = (): void => {
    current.children = buf.length > base ? buf.slice(base) : NO_CHILDREN;
    buf.length = base;
  };
  /** The walk went back up from `current` to its parent. */
  const up = (): void => {
    current = current.parent as CNode | DNode;
    base = bases.pop()!;
  };
  /** Stores the children of `current` and of every open node above it, up to `top` (an early return). */
  const flush = (): void => {
    for (store(); current !== top; store()) {
      finish(current);
      up();
    }
  };
  for (;;) {
    const typeId = w.typeId();
    // Dropped punctuation: only its offset counts, where it opens or closes its parent.
    // Every node's field name is read (a list of the parents whose fields matter once hid
    // `with` bodies from the analysis; reading them all costs no measurable time).
    const fieldId = w.fieldId();
    const dropped = t.dropped[typeId] === true && fieldId === 0;
    const taken = !dropped && session.movable?.[typeId] ? take(session, typeId, fieldId, w.start(), w.end(), current) : undefined;
    if (taken) {
      buf.push(taken.node);
      if (marks !== undefined && !listTaken(marks, taken, session.marked![typeId])) {
        session.unlisted = true;
      }
    } else if (dropped) {
      if (buf.length === base && current.start < 0) {
        current.start = w.start();
      }
    } else {
      const node = new CNode(t.types[typeId] ?? 'ERROR', t.fields[fieldId] ?? '', t.named[typeId] ?? true, current);
      buf.push(node);
      if (marks !== undefined && session.marked![typeId]) {
        marks.push(node);
      }
      if ((++count & 4095) === 0 && Date.now() > deadline) {
        flush();
        closeSpans(top);
        return false;
      }
      if (t.exact[typeId]) {
        node.start = w.start();
        node.end = w.end();
      }
      let deferred = false;
      if (defer && node.field === 'body' && current.type === 'function_definition') {
        const start = w.start();
        const end = w.end();
        deferred = defer(start, end);
        if (deferred) {
          const body = new DNode(node.type, node.field, node.named, current, ref, w.index() - ref.index);
          body.start = start;
          body.end = end;
          buf[buf.length - 1] = body;
          if (marks !== undefined && marks[marks.length - 1] === node) {
            marks[marks.length - 1] = body;
          }
        }
      }
      if (!deferred) {
        if (w.first()) {
          down(node);
          continue;
        }
        if (node.named || buf.length - base === 1) {
          node.start = w.start();
          node.end = w.end();
          node.missing = node.start === node.end && w.missing();
        }
      }
    }
    let lastDropped = dropped;
    while (!w.next()) {
      if (lastDropped) {
        if (current.end < 0) {
          current.end = w.end();
        }
      } else if (buf.length > base) {
        const last = buf[buf.length - 1];
        if (last.end < 0 && last.children.length === 0) {
          last.end = w.end();
          last.start = last.end - (last.type.length === 1 ? 1 : 0);
        }
      }
      lastDropped = false;
      store();
      finish(current);
      if (!w.parent() || current === top) {
        if (current !== top) {
          up();
          flush();
          finish(top);
        }
        return true;
      }
      up();
    }
  }
}

/**
 * The subtree the transplant offers for the node at `start`-`end` (of type `typeId`, field
 * `fieldId`), moved to the new offsets and hung under `parent`; undefined when there is none.
 */
function take(session: Session, typeId: number, fieldId: number, start: number, end: number, parent: SNode): MovedSubtree | undefined {
  const t = session.tables;
  const m = session.transplant!.offer(t.types[typeId], t.fields[fieldId] ?? '', start, end, parent.type);
  if (m) {
    if (m.shift !== 0) {
      shiftSpans(m.node, m.shift);
    }
    m.node.parent = parent;
    session.taken++;
  }
  return m;
}

/**
 * Lists a taken subtree in its new top-level node's `list` of marked nodes: the node itself when
 * `listed` (its type is marked) and the marked nodes below it; false when those are unknown.
 */
function listTaken(list: SNode[], taken: MovedSubtree, listed: boolean): boolean {
  if (!taken.marks) {
    return false;
  }
  if (listed) {
    list.push(taken.node);
  }
  for (let i = 0; i < taken.marks.length; i++) {
    list.push(taken.marks[i]);
  }
  return true;
}

/**
 * A function body copied on first read of `children`. A class of its own (not a property
 * redefined on a CNode) keeps the node shapes few, so the hot walks stay fast.
 */
class DNode implements SNode {
  start = -1;
  end = -1;
  missing = false;
  private kids: SNode[] = NO_CHILDREN;
  deferred = true;
  namedKids: SNode[] | undefined = undefined;
  argsMemo: SNode[] | undefined = undefined;
  inertMemo: boolean | undefined = undefined;
  constructor(readonly type: string, readonly field: string, readonly named: boolean, public parent: SNode | undefined,
    readonly ref: TopRef, private readonly offset: number) {}

  get children(): SNode[] {
    if (this.deferred) {
      this.deferred = false;
      const session = this.ref.session;
      if (session.alive) {
        const complete = session.blanked?.spans.get(this.start) === this.end
          ? copyBlanked(session, session.blanked, this)
          : withWalk(session, this.ref.index + this.offset, (w) => walkCopy(session, w, this, undefined, this.ref));
        if (!complete) {
          session.truncated = true;
        }
      }
    }
    return this.kids;
  }

  set children(list: SNode[]) {
    this.kids = list;
  }
}

/** Copies a body the parse read as blank space from its own parse of the real text. */
function copyBlanked(session: Session, blanked: BlankedBodies, body: DNode): boolean {
  const real = blanked.parse(body.start, body.end);
  if (!real) {
    return false;
  }
  const own: Session = { root: real, tables: session.tables, deadline: session.deadline, alive: true, truncated: false, taken: 0, unlisted: false };
  return withWalk(own, undefined, (w) => walkCopy(own, w, body, undefined, body.ref));
}

/**
 * Called when the walk leaves `n`: fills its span from its first and last children, then gives
 * the offset-less tokens between them the parent's start (as closeSpans does in post-order), so
 * the walk needs no second pass over the tree. A subtree moved by shiftSpans then has the
 * offsets a copy of it at its new place would have.
 */
function finish(n: SNode): void {
  const children = n.children;
  if (children.length === 0) {
    return;
  }
  if (n.start < 0) {
    n.start = children[0].start;
  }
  if (n.end < 0) {
    n.end = children[children.length - 1].end;
  }
  for (let i = 1; i < children.length - 1; i++) {
    const c = children[i];
    if (c.start < 0 && c.children.length === 0) {
      c.start = c.end = Math.max(0, n.start);
    }
  }
}

/** Fills inner nodes' spans from their first and last children (post-order); deferred bodies have theirs. */
function closeSpans(node: SNode): void {
  const stack: SNode[] = [node];
  const order: SNode[] = [];
  while (stack.length > 0) {
    const n = stack.pop()!;
    order.push(n);
    if (n !== node && n instanceof DNode) {
      continue;
    }
    for (const c of n.children) {
      stack.push(c);
    }
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
    if (n !== node && n instanceof DNode) {
      continue;
    }
    if (n.children.length > 0) {
      const first = n.children[0];
      const last = n.children[n.children.length - 1];
      if (n.start < 0) {
        n.start = first.start;
      }
      if (n.end < 0) {
        n.end = last.end;
      }
    } else if (n.start < 0) {
      n.start = n.end = n.parent ? Math.max(0, n.parent.start) : 0;
    }
  }
}

/** The first child with field name `field`. */
export function field(node: SNode, name: string): SNode | undefined {
  const children = node.children;
  for (let i = 0; i < children.length; i++) {
    if (children[i].field === name) {
      return children[i];
    }
  }
  return undefined;
}

/**
 * Named children only (skips punctuation, keywords and comments). The list is computed once
 * per node (the analysis asks for it again and again); callers must not change it.
 */
export function named(node: SNode): SNode[] {
  if (node instanceof CNode || node instanceof DNode) {
    // Copies leave most punctuation out: often every child is named, and the list is the children.
    node.namedKids ??= node.children.every(isNamedChild) ? node.children : node.children.filter(isNamedChild);
    return node.namedKids;
  }
  return node.children.filter(isNamedChild);
}

function isNamedChild(c: SNode): boolean {
  return c.named && c.type !== 'comment';
}

/**
 * Depth-first visit of `node` and its descendants; return false from `fn` to skip a subtree.
 * Bodies whose copy was deferred are passed over unless `node` is the body or inside it.
 */
export function visit(node: SNode, fn: (n: SNode) => boolean | void): void {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (fn(n) === false || (n !== node && n instanceof DNode)) {
      continue;
    }
    const children = n.children;
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push(children[i]);
    }
  }
}

/** Was this body's copy deferred (see SNode)? True also once it has been copied. */
export function isDeferred(node: SNode): boolean {
  return node instanceof DNode;
}

/**
 * Is every deferred body at or below `node` copied (so it needs its tree no more), and is there
 * no ERROR or MISSING node there?
 */
export function copiedWithoutError(node: SNode): boolean {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'ERROR' || n.missing || (n instanceof DNode && n.deferred)) {
      return false;
    }
    const children = n.children;
    for (let i = 0; i < children.length; i++) {
      stack.push(children[i]);
    }
  }
  return true;
}

/** Moves every offset in `node`'s subtree by `delta` (a subtree reused after an edit before it). */
export function shiftSpans(node: SNode, delta: number): void {
  const stack = shiftStack;
  stack.push(node);
  while (stack.length > 0) {
    const n = stack.pop()!;
    // A token copied without offsets (-1, see walkCopy) has none to move.
    if (n.start >= 0) {
      n.start += delta;
    }
    if (n.end >= 0) {
      n.end += delta;
    }
    if (n instanceof DNode && n.deferred) {
      continue; // not copied yet: it will be, at the new offsets (and reading it here would copy it)
    }
    const children = n.children;
    for (let i = 0; i < children.length; i++) {
      stack.push(children[i]);
    }
  }
}

const shiftStack: SNode[] = [];
