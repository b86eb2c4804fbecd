import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProgramEvent, TimelineEntry } from '../../../src/protocol';
import { rowKey, type SocketRow } from '../../../src/sockets/types';
import type { TcpState } from '../../../src/tcp/states';
import { inferTeardowns } from '../../../src/webview/teardown';

const SERVER = 7865;
const CLIENT = 50412;
const row = (local: number, remote: number, state: TcpState): SocketRow => ({
  family: 'inet', local: { address: '127.0.0.1', port: local }, remote: { address: '127.0.0.1', port: remote }, state,
  timer: null, retransmits: 0, probes: 0, rxQueue: 0, txQueue: 0, inode: 1, pid: null, process: null,
});
/** `s` = the server's side, `c` = the client's; `to` null = gone. */
function t(side: 's' | 'c', from: TcpState | null, to: TcpState | null, at: number): TimelineEntry {
  const [l, r] = side === 's' ? [SERVER, CLIENT] : [CLIENT, SERVER];
  const state = to ?? from!;
  return { kind: 'transition', at, key: rowKey(row(l, r, state)), from, to, row: row(l, r, state) };
}
const listen: TimelineEntry = { kind: 'transition', at: 0, key: 'l', from: null, to: 'LISTEN', row: row(SERVER, 0, 'LISTEN') };
const program = (event: Partial<ProgramEvent>): TimelineEntry => ({ kind: 'program', event: { at: 0, source: 'server', ev: 'setsockopt', ...event } });

describe('inferTeardowns', () => {
  it('server closes first: FIN from the server, ACK, FIN from the client, ACK; the server is left in TIME_WAIT', () => {
    const [td] = inferTeardowns([listen, t('s', null, 'ESTABLISHED', 1), t('c', null, 'ESTABLISHED', 1),
      t('s', 'ESTABLISHED', 'FIN_WAIT2', 10), t('c', 'ESTABLISHED', 'CLOSE_WAIT', 10),
      t('c', 'CLOSE_WAIT', null, 20), t('s', 'FIN_WAIT2', 'TIME_WAIT', 20)], new Set());
    assert.equal(td.sides[0].server, true);
    assert.equal(td.firstCloser, 0);
    assert.deepEqual(td.segments.map((s) => `${s.from}${s.kind}`), ['0FIN', '1ACK', '1FIN', '0ACK']);
    assert.equal(td.timeWait, 0);
    assert.ok(td.segments.every((s) => s.inferred));
  });

  it('client closes first: TIME_WAIT on the client side (right), even when a poll skipped FIN_WAIT2', () => {
    const [td] = inferTeardowns([t('s', null, 'ESTABLISHED', 1), t('c', null, 'ESTABLISHED', 1),
      t('c', 'ESTABLISHED', 'TIME_WAIT', 10), t('s', 'ESTABLISHED', null, 10)], new Set([SERVER]));
    assert.equal(td.firstCloser, 1);
    assert.equal(td.timeWait, 1);
    assert.deepEqual(td.segments.map((s) => `${s.from}${s.kind}`), ['1FIN', '0ACK', '0FIN', '1ACK']);
  });

  it('half close: only the first FIN and its ACK while the peer sits in CLOSE_WAIT', () => {
    const [td] = inferTeardowns([t('s', null, 'ESTABLISHED', 1), t('c', null, 'ESTABLISHED', 1),
      t('c', 'ESTABLISHED', 'FIN_WAIT2', 5), t('s', 'ESTABLISHED', 'CLOSE_WAIT', 5)], new Set([SERVER]));
    assert.equal(td.firstCloser, 1);
    assert.deepEqual(td.segments.map((s) => `${s.from}${s.kind}`), ['1FIN', '0ACK']);
    assert.equal(td.timeWait, undefined);
  });

  it('SO_LINGER {1,0}: the side that vanished from ESTABLISHED sent RST, nobody is in TIME_WAIT', () => {
    const [td] = inferTeardowns([program({ option: 'SO_LINGER', value: '1,0', port: SERVER }),
      t('s', null, 'ESTABLISHED', 1), t('c', null, 'ESTABLISHED', 1), t('s', 'ESTABLISHED', null, 8), t('c', 'ESTABLISHED', null, 8)], new Set([SERVER]));
    assert.deepEqual(td.segments.map((s) => `${s.from}${s.kind}`), ['0RST']);
    assert.equal(td.timeWait, undefined);
  });

  it('simultaneous close: both sides send FIN', () => {
    const [td] = inferTeardowns([t('s', null, 'ESTABLISHED', 1), t('c', null, 'ESTABLISHED', 1),
      t('s', 'ESTABLISHED', 'CLOSING', 5), t('c', 'ESTABLISHED', 'CLOSING', 5)], new Set([SERVER]));
    assert.equal(td.firstCloser, 'both');
  });

  it('connections still open have no teardown', () => {
    assert.deepEqual(inferTeardowns([t('s', null, 'ESTABLISHED', 1), t('c', null, 'ESTABLISHED', 1)], new Set()), []);
  });
});
