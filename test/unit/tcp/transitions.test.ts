import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TCP_STATES, type TcpState } from '../../../src/tcp/states';
import { isLegalEdge, tcpEdges } from '../../../src/tcp/transitions';

describe('TCP transitions (RFC 9293 state machine)', () => {
  it('contains the edges of the RFC figure, the simultaneous ones and the resets', () => {
    const required: [TcpState, TcpState][] = [
      ['CLOSE', 'LISTEN'], ['CLOSE', 'SYN_SENT'], ['LISTEN', 'SYN_RECV'], ['SYN_SENT', 'ESTABLISHED'],
      ['SYN_RECV', 'ESTABLISHED'], ['ESTABLISHED', 'FIN_WAIT1'], ['ESTABLISHED', 'CLOSE_WAIT'],
      ['FIN_WAIT1', 'FIN_WAIT2'], ['FIN_WAIT1', 'CLOSING'], ['FIN_WAIT1', 'TIME_WAIT'], ['FIN_WAIT2', 'TIME_WAIT'],
      ['CLOSING', 'TIME_WAIT'], ['CLOSE_WAIT', 'LAST_ACK'], ['LAST_ACK', 'CLOSE'], ['TIME_WAIT', 'CLOSE'],
      ['SYN_SENT', 'SYN_RECV'], ['LISTEN', 'CLOSE'], ['ESTABLISHED', 'CLOSE'], ['SYN_SENT', 'CLOSE'],
    ];
    for (const [from, to] of required) {
      assert.ok(isLegalEdge(from, to), `${from} -> ${to}`);
    }
  });

  it('rejects moves the state machine does not have', () => {
    const illegal: [TcpState, TcpState][] = [
      ['LISTEN', 'ESTABLISHED'], ['CLOSE', 'ESTABLISHED'], ['TIME_WAIT', 'ESTABLISHED'], ['CLOSE_WAIT', 'FIN_WAIT1'],
      ['FIN_WAIT2', 'CLOSING'], ['LAST_ACK', 'TIME_WAIT'], ['ESTABLISHED', 'TIME_WAIT'], ['CLOSE', 'TIME_WAIT'],
    ];
    for (const [from, to] of illegal) {
      assert.equal(isLegalEdge(from, to), false, `${from} -> ${to}`);
    }
  });

  it('labels every edge, uses only known states, and reaches CLOSE from every state', () => {
    const edges = tcpEdges();
    for (const e of edges) {
      assert.ok(TCP_STATES.includes(e.from) && TCP_STATES.includes(e.to));
      assert.ok(e.event.length > 0, `${e.from} -> ${e.to} has an event`);
      assert.notEqual(e.from, e.to);
    }
    for (const state of TCP_STATES.filter((s) => s !== 'CLOSE')) {
      assert.ok(edges.some((e) => e.from === state && e.to === 'CLOSE'), `${state} -> CLOSE`);
    }
  });
});
