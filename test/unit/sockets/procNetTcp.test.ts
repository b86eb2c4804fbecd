import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEndpoint, parseProcNetTcp } from '../../../src/sockets/procNetTcp';
import { TCP_STATES } from '../../../src/tcp/states';
import { fixture } from './fixtures';

// Captured with test/fixtures/sockets/capture-linux.py on a 6.x kernel. Ports:
// 35311 (0x89EF) listener, 42729 (0xA6E9) backlog-0 listener, 53733 (0xD1E5) on ::1,
// 56011 (0xDACB) dual-stack on ::.
const TCP = fixture('linux-tcp.txt');
const TCP6 = fixture('linux-tcp6.txt');

describe('parseProcNetTcp on captured Linux output', () => {
  const { rows, skipped } = parseProcNetTcp(TCP, 'inet');

  it('reads every row and skips nothing', () => {
    assert.equal(skipped, 0);
    assert.equal(rows.length, 14);
  });

  it('decodes a listener: host-byte-order address, hex port, accept queue in rx', () => {
    const listen = rows.find((r) => r.local.port === 42729 && r.state === 'LISTEN');
    assert.deepEqual(listen, {
      family: 'inet', local: { address: '127.0.0.1', port: 42729 }, remote: { address: '0.0.0.0', port: 0 },
      state: 'LISTEN', timer: null, retransmits: 0, probes: 0, rxQueue: 1, txQueue: 0, inode: 29509, uid: 0,
      pid: null, process: null,
    });
  });

  it('reads the keepalive timer in 1/100 s (0F7C = 39.64 s of a 40 s TCP_KEEPIDLE)', () => {
    const client = rows.find((r) => r.local.port === 0xcb62)!;
    assert.equal(client.state, 'ESTABLISHED');
    assert.deepEqual(client.timer, { kind: 'keepalive', seconds: 39.64 });
  });

  it('shows the orphaned FIN_WAIT2 and the TIME_WAIT with a timer, uid 0 and inode 0', () => {
    const finWait2 = rows.find((r) => r.state === 'FIN_WAIT2' && r.inode === 0)!;
    assert.deepEqual(finWait2.timer, { kind: 'timewait', seconds: 59.65 });
    const timeWait = rows.find((r) => r.state === 'TIME_WAIT')!;
    assert.deepEqual(timeWait.timer, { kind: 'timewait', seconds: 59.69 });
    assert.equal(timeWait.inode, 0);
    assert.equal(timeWait.local.port, 35311);
  });

  it('shows FIN_WAIT2 after shutdown(SHUT_WR) without a timer, owned by an inode', () => {
    const halfClosed = rows.find((r) => r.state === 'FIN_WAIT2' && r.inode !== 0)!;
    assert.equal(halfClosed.timer, null);
  });

  it('shows CLOSE_WAIT with the FIN counted as one byte in rx_queue', () => {
    const closeWaits = rows.filter((r) => r.state === 'CLOSE_WAIT');
    assert.equal(closeWaits.length, 2);
    assert.ok(closeWaits.every((r) => r.rxQueue === 1 && r.timer === null));
  });

  it('shows SYN_SENT with a retransmit timer and the SYN in tx_queue', () => {
    const synSent = rows.filter((r) => r.state === 'SYN_SENT');
    assert.equal(synSent.length, 2);
    assert.deepEqual(synSent[0].timer, { kind: 'retransmit', seconds: 0.69 });
    assert.equal(synSent[0].txQueue, 1);
  });

  it('reads unread data in rx_queue', () => {
    assert.equal(rows.find((r) => r.local.port === 35311 && r.remote.port === 0xcb62)!.rxQueue, 12);
  });
});

describe('parseProcNetTcp on captured tcp6 output', () => {
  const { rows, skipped } = parseProcNetTcp(TCP6, 'inet6');
  it('decodes ::1, :: and IPv4-mapped addresses', () => {
    assert.equal(skipped, 0);
    assert.equal(rows.length, 5);
    assert.deepEqual(rows[0].local, { address: '::1', port: 53733 });
    assert.deepEqual(rows[1].local, { address: '::', port: 56011 });
    assert.deepEqual(rows[2].local, { address: '::ffff:127.0.0.1', port: 56011 });
    assert.deepEqual(rows[2].remote, { address: '::ffff:127.0.0.1', port: 0xe4a0 });
    assert.ok(rows.every((r) => r.family === 'inet6'));
  });
});

describe('decodeEndpoint', () => {
  it('honours byte order', () => {
    assert.deepEqual(decodeEndpoint('0100007F:1EB9'), { address: '127.0.0.1', port: 7865 });
    assert.deepEqual(decodeEndpoint('7F000001:1EB9', false), { address: '127.0.0.1', port: 7865 });
  });
  it('compresses IPv6 the RFC 5952 way', () => {
    // fe80::1:2 on little-endian: words fe80:0000 -> 000080FE, ..., 0001:0002 -> 02000100.
    assert.equal(decodeEndpoint('000080FE000000000000000002000100:0050')!.address, 'fe80::1:2');
    assert.equal(decodeEndpoint('B80D0120000000000000000001000000:0050')!.address, '2001:db8::1');
  });
  it('rejects junk', () => {
    for (const bad of ['', '0100007F', '0100007F:', '0100007G:0050', '0100007F:00500', '100007F:0050']) {
      assert.equal(decodeEndpoint(bad), undefined, bad);
    }
  });
});

describe('parseProcNetTcp robustness', () => {
  const line = (st: string) => `   1: 0100007F:1EB9 0100007F:C4EC ${st} 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 20 4 30 10 -1`;

  it('maps all eleven state codes', () => {
    const text = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '0A', '0B'].map(line).join('\n');
    const { rows, skipped } = parseProcNetTcp(text, 'inet');
    assert.equal(skipped, 0);
    assert.deepEqual(rows.map((r) => r.state), [...TCP_STATES]);
  });

  it('skips unknown states, unknown timers, wrong families and junk with a count', () => {
    const text = [
      line('0C'), line('00'), line('01').replace(' 00:00000000', ' 07:00000000'),
      '   2: 00000000000000000000000001000000:1EB9 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1',
      'garbage', '   3: 0100007F:1EB9', line('01').replace('4242', '-5'), 'x'.repeat(5000), line('01'),
    ].join('\n');
    const { rows, skipped } = parseProcNetTcp(text, 'inet');
    assert.equal(rows.length, 1);
    assert.equal(skipped, 8);
  });

  it('counts a truncated last line instead of throwing', () => {
    const cut = TCP.slice(0, TCP.lastIndexOf('\n', TCP.length - 2) + 60);
    const { rows, skipped } = parseProcNetTcp(cut, 'inet');
    assert.equal(rows.length, 13);
    assert.equal(skipped, 1);
    assert.deepEqual(parseProcNetTcp('', 'inet'), { rows: [], skipped: 0 });
  });

  it('filters by local OR remote port without parsing the rest', () => {
    const { rows } = parseProcNetTcp(TCP, 'inet', { ports: [0xcb62] });
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => r.local.port === 0xcb62 || r.remote.port === 0xcb62));
  });

  it('parses a huge table quickly and never throws on random bytes', () => {
    const big = Array.from({ length: 50_000 }, (_, i) => line('06').replace('C4EC', (0x8000 + (i % 30000)).toString(16).toUpperCase())).join('\n');
    const started = performance.now();
    const { rows } = parseProcNetTcp(big, 'inet');
    assert.equal(rows.length, 50_000);
    assert.ok(performance.now() - started < 2000);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const noise = Array.from({ length: 20_000 }, () => String.fromCharCode(Math.floor(random() * 128))).join('');
    assert.doesNotThrow(() => parseProcNetTcp(noise + TCP + noise, 'inet'));
  });
});
