import type { Language as TsLanguage, Node as TsNode, TreeCursor } from 'web-tree-sitter';

/**
 * A plain copy of a tree-sitter node. Reading node properties crosses into wasm on every
 * access, so the analyzer copies each tree once (one cursor walk) and works on these.
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

/** Type names, field names and namedness per numeric id, read once per language. */
interface Tables { types: string[]; fields: (string | null)[]; named: boolean[] }
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
    t = { types, fields, named: namedFlags };
    tablesCache.set(language, t);
  }
  return t;
}

/**
 * Copies `root` and everything below it with one cursor walk. Each cursor property is a
 * call into wasm, so only leaves read their own offsets; a parent's span is its children's.
 */
export function copyTree(root: TsNode, deadline = Infinity): { node: SNode; complete: boolean } {
  const t = tablesFor(root.tree.language);
  const cursor: TreeCursor = root.walk();
  try {
    const top: SNode = mk(t, cursor.nodeTypeId, 0, undefined);
    top.start = root.startIndex;
    top.end = root.endIndex;
    let current = top;
    let count = 0;
    if (!cursor.gotoFirstChild()) {
      return { node: top, complete: true };
    }
    for (;;) {
      const typeId = cursor.nodeTypeId;
      const wantsField = FIELD_PARENTS.has(current.type);
      const node = mk(t, typeId, wantsField ? cursor.currentFieldId : 0, current);
      current.children.push(node);
      if ((++count & 4095) === 0 && Date.now() > deadline) {
        closeSpans(top);
        return { node: top, complete: false };
      }
      if (cursor.gotoFirstChild()) {
        current = node;
        continue;
      }
      if (node.named || current.children.length === 1) {
        node.start = cursor.startIndex;
        node.end = cursor.endIndex;
        node.missing = node.start === node.end && cursor.nodeIsMissing;
      }
      while (!cursor.gotoNextSibling()) {
        const last = current.children[current.children.length - 1];
        if (last.end < 0 && last.children.length === 0) {
          last.end = cursor.endIndex;
          last.start = last.end - (last.type.length === 1 ? 1 : 0);
        }
        if (!cursor.gotoParent() || current === top) {
          closeSpans(top);
          return { node: top, complete: true };
        }
        current = current.parent!;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** Parents whose children's field names the analyzer reads; others skip that wasm call. */
const FIELD_PARENTS = new Set([
  'function_definition', 'function_declarator', 'if_statement', 'while_statement', 'do_statement',
  'for_statement', 'for_range_loop', 'switch_statement', 'case_statement', 'assignment_expression',
  'init_declarator', 'call_expression', 'binary_expression', 'field_expression', 'subscript_expression',
  'labeled_statement', 'goto_statement', 'return_statement', 'parenthesized_declarator',
  'conditional_expression', 'lambda_expression', 'preproc_function_def', 'preproc_def',
  'preproc_ifdef', 'preproc_if', 'preproc_else', 'preproc_elif', 'pointer_declarator',
  'declaration', 'parameter_declaration', 'class_specifier', 'struct_specifier', 'update_expression',
  'augmented_assignment_expression', 'unary_expression', 'cast_expression', 'pointer_expression',
  'catch_clause', 'try_statement', 'condition_clause', 'qualified_identifier', 'template_function',
  // Python
  'function_definition', 'class_definition', 'assignment', 'augmented_assignment', 'call', 'attribute',
  'for_statement', 'while_statement', 'if_statement', 'elif_clause', 'with_item', 'as_pattern',
  'except_clause', 'binary_operator', 'comparison_operator', 'boolean_operator', 'not_operator',
  'subscript', 'keyword_argument', 'decorated_definition', 'return_statement', 'delete_statement',
  'for_in_clause', 'lambda', 'argument_list',
]);

function mk(t: Tables, typeId: number, fieldId: number, parent: SNode | undefined): SNode {
  return {
    type: t.types[typeId] ?? 'ERROR', field: t.fields[fieldId] ?? '', start: -1, end: -1,
    named: t.named[typeId] ?? true, missing: false, children: [], parent,
  };
}

/** Fills inner nodes' spans from their first and last children (post-order). */
function closeSpans(node: SNode): void {
  const stack: SNode[] = [node];
  const order: SNode[] = [];
  while (stack.length > 0) {
    const n = stack.pop()!;
    order.push(n);
    for (const c of n.children) {
      stack.push(c);
    }
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
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
  for (const c of node.children) {
    if (c.field === name) {
      return c;
    }
  }
  return undefined;
}

/** Named children only (skips punctuation and keywords). */
export function named(node: SNode): SNode[] {
  return node.children.filter((c) => c.named && c.type !== 'comment');
}

/** Depth-first visit of `node` and its descendants; return false from `fn` to skip a subtree. */
export function visit(node: SNode, fn: (n: SNode) => boolean | void): void {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (fn(n) === false) {
      continue;
    }
    for (let i = n.children.length - 1; i >= 0; i--) {
      stack.push(n.children[i]);
    }
  }
}
