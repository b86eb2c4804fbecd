import type { Node as TsNode } from 'web-tree-sitter';
import { copiedWithoutError, markedBelow, type SNode, type Transplant } from './syntax';

/** Where an edit was made, in the offsets of the text before and after it. */
export interface EditSpan { startIndex: number; oldEndIndex: number; newEndIndex: number }

/**
 * How far the edit moved a span of the new text that lies wholly before or after it (0 or the
 * edit's length change); undefined for a span that touches the edited text.
 */
export function movedBy(start: number, end: number, edit: EditSpan): number | undefined {
  if (end < edit.startIndex) {
    return 0;
  }
  return start > edit.newEndIndex ? edit.newEndIndex - edit.oldEndIndex : undefined;
}

/** The column of `offset` in `text` (code units since the line's start). */
function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

const FUNCTIONS: ReadonlySet<string> = new Set(['function_definition']);

/**
 * Offers the copy the function definitions of the previous copy that an edit left as they were,
 * in place of the new tree's (which the copy then does not read), so their path analysis is
 * reused.
 *
 * Deleting one closing brace makes tree-sitter nest every later function inside the broken one:
 * the top level changes from there on, but each later function parses as before. A function is
 * offered when it lies wholly before or after the edit (so its text is the same), its type,
 * field, column and span (moved by the edit) are the same, it is a C++ class member in both
 * trees or in neither, and neither its old copy nor its new parse has a syntax error: the
 * same text in the same context, parsed without error, gives the same subtree
 * (incremental.test.ts checks every re-lint's copy against a full copy). A function whose old
 * copy still has a body to copy from the old tree is not offered.
 *
 * `root`: the new tree; `previous`: the old copy's functions by their start in `oldText`.
 */
export function functionTransplant(root: TsNode, previous: readonly [number, SNode][], oldText: string, text: string, edit: EditSpan): Transplant {
  let byStart: Map<number, SNode> | undefined;
  // Read before the copy starts: during its walk, nothing else may call into the tree (see syntax.ts).
  const errors = errorSpans(root);
  return {
    types: FUNCTIONS,
    offer(type, field, start, end, parentType) {
      const shift = movedBy(start, end, edit);
      if (shift === undefined) {
        return undefined;
      }
      byStart ??= new Map(previous);
      const old = byStart.get(start - shift);
      // old.start: not a function some reused node moved already.
      // Its text is the same: the span lies wholly before or after the edit.
      // A C++ class body names its methods with field_identifier, anywhere else identifier: a
      // method and a function of the same text (`class Fd {` broken by an edit) parse apart.
      if (!old || old.start !== start - shift || old.end !== end - shift || old.type !== type || old.field !== field
        || columnOf(oldText, old.start) !== columnOf(text, start)
        || (old.parent?.type === 'field_declaration_list') !== (parentType === 'field_declaration_list')) {
        return undefined;
      }
      for (let i = 0; i < errors.length; i += 2) {
        if (errors[i] <= end && errors[i + 1] >= start) {
          return undefined;
        }
      }
      if (!copiedWithoutError(old)) {
        return undefined;
      }
      byStart.delete(old.start);
      // Read now, while `old` still hangs in its old top-level node.
      return { node: old, shift, marks: markedBelow(old) };
    },
  };
}

/**
 * The spans of the ERROR and MISSING nodes of a tree, as [start, end] pairs; below an ERROR node
 * it does not look. Only subtrees that have an error are opened, a few calls into wasm.
 */
export function errorSpans(root: TsNode): number[] {
  const out: number[] = [];
  if (!root.hasError) {
    return out;
  }
  const stack: TsNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.isError || n.isMissing) {
      out.push(n.startIndex, n.endIndex);
      continue;
    }
    for (const c of n.children) {
      if (c.hasError) {
        stack.push(c);
      }
    }
  }
  return out;
}
