import { field, hasPendingBody, isDeferred, isPending, replaceChild, shiftSpans, type SNode } from './syntax';

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

/**
 * Puts back into a fresh copy the function definitions of the previous copy whose text an
 * edit left as it was, in place of their new copies, so their path analysis is reused.
 *
 * Deleting one closing brace makes tree-sitter nest every later function inside the broken
 * one: the top level changes from there on, but each later function parses as before. A
 * function is put back only when its text, span (moved by the edit) and whole subtree shape
 * are the same. `fresh`: the top-level nodes copied anew; `previous`: the old functions by their
 * start in `oldText`.
 */
export function transplantFunctions(fresh: readonly SNode[], previous: Iterable<[number, SNode]>, oldText: string, text: string, edit: EditSpan): number {
  const byStart = new Map(previous);
  if (byStart.size === 0) {
    return 0;
  }
  let moved = 0;
  const stack: SNode[] = [...fresh];
  while (stack.length > 0) {
    const n = stack.pop()!;
    // A body the new copy deferred mentions no socket call: it needs no analysis to reuse.
    const shift = n.type === 'function_definition' && !isPending(field(n, 'body')) ? movedBy(n.start, n.end, edit) : undefined;
    if (shift !== undefined) {
      const from = n.start - shift;
      const old = byStart.get(from);
      // old.start === from: not a function some reused node moved already.
      if (old && old.start === from && old.end === n.end - shift && !hasPendingBody(old)
        && oldText.slice(old.start, old.end) === text.slice(n.start, n.end) && sameShape(old, n, shift)) {
        byStart.delete(from);
        if (shift !== 0) {
          shiftSpans(old, shift);
        }
        replaceChild(n, old);
        moved++;
        continue;
      }
    }
    // A deferred body mentions no socket call: nothing there to put back, nor worth copying
    // (reading its children would copy it).
    const children = n.children;
    for (let i = 0; i < children.length; i++) {
      const c = children[i];
      if (!isDeferred(c) && c.children.length > 0) {
        stack.push(c);
      }
    }
  }
  return moved;
}

/**
 * Same types, field names and spans (moved by `shift`) all the way down. A copy reads the
 * offsets of named nodes and of first and last children only; the punctuation between has
 * placeholders (see syntax.ts), so there only the types are compared.
 */
function sameShape(old: SNode, now: SNode, shift: number): boolean {
  const stack: SNode[] = [old, now];
  while (stack.length > 0) {
    const b = stack.pop()!;
    const a = stack.pop()!;
    if (a.type !== b.type || a.field !== b.field || a.missing !== b.missing) {
      return false;
    }
    if (a.named && (a.start + shift !== b.start || a.end + shift !== b.end)) {
      return false;
    }
    const ac = a.children;
    const bc = b.children;
    if (ac.length !== bc.length) {
      return false;
    }
    const last = ac.length - 1;
    for (let i = 0; i <= last; i++) {
      if ((i === 0 || i === last) && !ac[i].named && (ac[i].start + shift !== bc[i].start || ac[i].end + shift !== bc[i].end)) {
        return false;
      }
      stack.push(ac[i], bc[i]);
    }
  }
  return true;
}
