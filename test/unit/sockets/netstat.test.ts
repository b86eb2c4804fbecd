import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMacEndpoint, parseNetstatMac } from '../../../src/sockets/netstatMac';
import { parseNetstatWindows, parseWindowsEndpoint } from '../../../src/sockets/netstatWindows';
import { TCP_STATES } from '../../../src/tcp/states';
import { fixture } from './fixtures';

// macOS and Windows samples are written from those tools' documented layouts, not captured
// here (this project's machines run Linux).
describe('parseNetstatMac', () => {
  it('reads the old `pid epid` layout, all eleven states, and no timers', () => {
    const { rows, skipped } = parseNetstatMac(fixture('macos-netstat-anv-old.txt'));
    assert.equal(skipped, 0);
    assert.equal(rows.length, 16);
    assert.deepEqual(new Set(rows.map((r) => r.state)), new Set(TCP_STATES));
    assert.deepEqual(rows[0], {
      family: 'inet', local: { address: '127.0.0.1', port: 7865 }, remote: { address: '127.0.0.1', port: 50412 },
      state: 'ESTABLISHED', timer: null, retransmits: 0, probes: 0, rxQueue: 0, txQueue: 0, inode: 0,
      pid: 81234, process: null,
    });
    assert.equal(rows[3].rxQueue, 1);
    assert.equal(rows[4].pid, null, 'pid 0 (orphaned) is no owner');
    assert.deepEqual(rows[5].remote, { address: '0.0.0.0', port: 0 });
    assert.deepEqual(rows[6].local, { address: '::1', port: 7866 });
    assert.deepEqual(rows[7].local, { address: 'fe80::1%lo0', port: 7867 });
    assert.deepEqual([rows[8].family, rows[8].local.address], ['inet6', '::']);
  });

  it('reads the newer `process:pid` layout, names with spaces included', () => {
    const { rows, skipped } = parseNetstatMac(fixture('macos-netstat-anv-new.txt'));
    assert.equal(skipped, 0);
    assert.equal(rows.length, 8);
    assert.deepEqual([rows[0].pid, rows[0].process], [81234, 'python3.12']);
    assert.deepEqual([rows[5].pid, rows[5].process], [81250, 'Code Helper']);
    assert.equal(rows[2].state, 'TIME_WAIT');
  });

  it('skips malformed and truncated lines with a count', () => {
    const text = fixture('macos-netstat-anv-old.txt');
    const cut = text.slice(0, text.indexOf('\n', text.indexOf('TIME_WAIT')) + 30);
    const { rows, skipped } = parseNetstatMac(cut + '\ntcp4 x y a b c\nudp4 0 0 *.53 *.*\ntcp4 0 0 1.2.3.4.99999 *.* LISTEN\n' + 'z'.repeat(9000));
    assert.equal(rows.length, 3);
    assert.equal(skipped, 5);
  });

  it('splits the port at the last dot', () => {
    assert.deepEqual(parseMacEndpoint('10.0.0.1.443', 'inet'), { address: '10.0.0.1', port: 443 });
    assert.equal(parseMacEndpoint('10.0.0.443', 'inet'), undefined);
    assert.equal(parseMacEndpoint('nodot', 'inet'), undefined);
  });
});

describe('parseNetstatWindows', () => {
  it('reads `-p tcp` with PID 0 for TIME_WAIT and all eleven states', () => {
    const { rows, skipped } = parseNetstatWindows(fixture('windows-netstat-ano-tcp.txt'));
    assert.equal(skipped, 0);
    assert.equal(rows.length, 14);
    assert.deepEqual(new Set(rows.map((r) => r.state)), new Set(TCP_STATES));
    const timeWait = rows.find((r) => r.state === 'TIME_WAIT')!;
    assert.deepEqual(timeWait, {
      family: 'inet', local: { address: '127.0.0.1', port: 7865 }, remote: { address: '127.0.0.1', port: 50398 },
      state: 'TIME_WAIT', timer: null, retransmits: 0, probes: 0, rxQueue: 0, txQueue: 0, inode: 0, pid: null, process: null,
    });
    assert.equal(rows[2].pid, 9412);
  });

  it('reads `-p tcpv6` with brackets and zone ids', () => {
    const { rows, skipped } = parseNetstatWindows(fixture('windows-netstat-ano-tcpv6.txt'));
    assert.equal(skipped, 0);
    assert.equal(rows.length, 6);
    assert.deepEqual(rows[1].local, { address: '::1', port: 7866 });
    assert.equal(rows[5].local.address, 'fe80::5c1e:2a4f:9b3d:71c2%12');
    assert.ok(rows.every((r) => r.family === 'inet6'));
  });

  it('skips malformed TCP lines with a count, ignores titles', () => {
    const { rows, skipped } = parseNetstatWindows('Active Connections\n  TCP    127.0.0.1:7865\n  TCP a b c d\n  TCP 1.2.3.4:80 [::1]:80 ESTABLISHED 4\n  TCP 1.2.3.4:80 1.2.3.4:81 ABHÖREN 4\n' + 'q'.repeat(4000));
    assert.equal(rows.length, 0);
    assert.equal(skipped, 5);
    assert.deepEqual(parseWindowsEndpoint('[::]:0'), { family: 'inet6', address: '::', port: 0 });
  });
});
