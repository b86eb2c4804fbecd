import { rowKey, type SocketRow, type Transition } from './types';

/**
 * Keys rows by 4-tuple. Two sockets can share one (SO_REUSEPORT listeners); the second
 * and later get `#2`, `#3` so neither hides the other.
 */
export function keyRows(rows: readonly SocketRow[]): Map<string, SocketRow> {
  const keyed = new Map<string, SocketRow>();
  for (const row of rows) {
    const base = rowKey(row);
    let key = base;
    for (let n = 2; keyed.has(key); n++) {
      key = `${base}#${n}`;
    }
    keyed.set(key, row);
  }
  return keyed;
}

/**
 * What changed from `before` to `after`: state changes and disappearances in the order of
 * `before`, then new sockets in the order of `after`. Timers counting down, queues and
 * owners are not changes; only the 4-tuple's presence and its state are.
 */
export function diffRows(before: ReadonlyMap<string, SocketRow>, after: ReadonlyMap<string, SocketRow>, at: number): Transition[] {
  const transitions: Transition[] = [];
  for (const [key, old] of before) {
    const now = after.get(key);
    if (!now) {
      transitions.push({ kind: 'gone', at, key, row: old });
    } else if (now.state !== old.state) {
      transitions.push({ kind: 'changed', at, key, from: old.state, row: now });
    }
  }
  for (const [key, row] of after) {
    if (!before.has(key)) {
      transitions.push({ kind: 'appeared', at, key, row });
    }
  }
  return transitions;
}

/** Whether `row` touches one of `ports` (its local OR its remote port); empty = every row. */
export function matchesPorts(row: SocketRow, ports: ReadonlySet<number>): boolean {
  return ports.size === 0 || ports.has(row.local.port) || ports.has(row.remote.port);
}
