import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Annotator } from '../../../src/lab/annotations';
import type { SocketRow } from '../../../src/sockets/types';

function row(local: number, remote: number, state: SocketRow['state'], extra: Partial<SocketRow> = {}): SocketRow {
  return {
    family: 'inet', local: { address: '127.0.0.1', port: local }, remote: { address: remote ? '127.0.0.1' : '0.0.0.0', port: remote },
    state, timer: null, retransmits: 0, probes: 0, rxQueue: 0, txQueue: 0, inode: 1, pid: null, process: null, ...extra,
  };
}

describe('Annotator', () => {
  it('says who sent the first FIN and which side waits in TIME_WAIT for how long', () => {
    const a = new Annotator('server', 7865);
    a.onEvent({ t: 1, ev: 'accept', local: '127.0.0.1:7865', peer: '127.0.0.1:50412' }, []);
    assert.match(a.onEvent({ t: 2, ev: 'signal', sig: 'SIGINT' }, []).join(), /the SERVER sends the first FIN .* TIME_WAIT for 60 s/);
    const tw = row(7865, 50412, 'TIME_WAIT', { timer: { kind: 'timewait', seconds: 59.6 }, inode: 0 });
    assert.deepEqual(a.onTransitions([{ kind: 'changed', at: 3, key: 'k', from: 'FIN_WAIT2', row: tw }]),
      ['kernel: 127.0.0.1:7865 <-> 127.0.0.1:50412 FIN_WAIT2 -> TIME_WAIT (60 s; this side sent the first FIN)']);
  });

  it('explains a failed bind: TIME_WAIT, the both-sockets rule, or the owning process', () => {
    const a = new Annotator('server', 7865);
    const tw = row(7865, 50412, 'TIME_WAIT', { timer: { kind: 'timewait', seconds: 41.2 }, inode: 0 });
    const plain = a.onEvent({ t: 1, ev: 'bind', port: 7865, reuse: false, ok: false, errno: 'EADDRINUSE' }, [tw]).join('\n');
    assert.match(plain, /1 connection\(s\) of an earlier run still hold port 7865 in TIME_WAIT \(about 42 s left\)/);
    assert.match(plain, /Fix: set SO_REUSEADDR before bind\(\).*both the old and the new listener/);
    const reuse = a.onEvent({ t: 1, ev: 'bind', port: 7865, reuse: true, ok: false, errno: 'EADDRINUSE' }, [tw]).join('\n');
    assert.match(reuse, /the OLD listener must have set it too/);
    const other = a.onEvent({ t: 1, ev: 'bind', port: 7865, reuse: false, ok: false, errno: 'EADDRINUSE' }, [row(7865, 0, 'LISTEN', { pid: 4242, process: 'nginx' })]);
    assert.deepEqual(other, ['bind() failed: nginx (pid 4242) is already listening on port 7865. Stop it or choose another port.']);
  });

  it('warns that a CLOSE_WAIT never goes away by itself', () => {
    const a = new Annotator('server', 7865, true);
    assert.match(a.onEvent({ t: 1, ev: 'recv', bytes: 0 }, []).join(), /stays in CLOSE_WAIT.*never goes away until the program calls close\(\)/);
    assert.match(a.onTransitions([{ kind: 'changed', at: 2, key: 'k', from: 'ESTABLISHED', row: row(7865, 50412, 'CLOSE_WAIT') }]).join(), /no timer: it lasts until this program calls close\(\)/);
  });

  it('a client follows only its own connection', () => {
    const a = new Annotator('client', 7865);
    a.onEvent({ t: 1, ev: 'connect', local: '127.0.0.1:50412', peer: '127.0.0.1:7865', ok: true }, []);
    const mine = row(50412, 7865, 'FIN_WAIT2', { timer: null });
    const others = row(7865, 50412, 'CLOSE_WAIT');
    assert.deepEqual(a.onTransitions([
      { kind: 'changed', at: 2, key: 'a', from: 'ESTABLISHED', row: mine },
      { kind: 'changed', at: 2, key: 'b', from: 'ESTABLISHED', row: others },
    ]), ['kernel: 127.0.0.1:50412 <-> 127.0.0.1:7865 ESTABLISHED -> FIN_WAIT2 (no timer: the socket is still open and waits for the peer\'s FIN)']);
  });
});
