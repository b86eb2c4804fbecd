import type { SocketRow, Transition } from './types';

/** A row exactly as the CLI contract in DESIGN.md spells it: these keys, this order, no more. */
export interface RowJson {
  family: SocketRow['family'];
  local: { address: string; port: number };
  remote: { address: string; port: number };
  state: SocketRow['state'];
  timer: { kind: string; seconds: number } | null;
  retransmits: number;
  probes: number;
  rxQueue: number;
  txQueue: number;
  inode: number;
  pid: number | null;
  process: string | null;
}

export function rowToJson(row: SocketRow): RowJson {
  return {
    family: row.family,
    local: { address: row.local.address, port: row.local.port },
    remote: { address: row.remote.address, port: row.remote.port },
    state: row.state,
    timer: row.timer ? { kind: row.timer.kind, seconds: row.timer.seconds } : null,
    retransmits: row.retransmits,
    probes: row.probes,
    rxQueue: row.rxQueue,
    txQueue: row.txQueue,
    inode: row.inode,
    pid: row.pid,
    process: row.process,
  };
}

/** One JSON line per transition: `{kind, at, key, from?, row}`. */
export function transitionToJson(t: Transition): Record<string, unknown> {
  return t.kind === 'changed'
    ? { kind: t.kind, at: t.at, key: t.key, from: t.from, row: rowToJson(t.row) }
    : { kind: t.kind, at: t.at, key: t.key, row: rowToJson(t.row) };
}
