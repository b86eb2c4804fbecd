import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const CLI = join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
const cli = (...args: string[]) => spawnSync('node', [CLI, 'simulate', ...args], { encoding: 'utf8', timeout: 30_000 });

describe('socket-lifecycle simulate (built dist/cli.js)', () => {
  it('prints a labeled sequence diagram with the lost ACK marked X', () => {
    const r = cli('lost-final-ack');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^SIMULATION \(a model of TCP, not your kernel\): lost-final-ack/);
    assert.match(r.stdout, /--ACK--X/);
    assert.match(r.stdout, /<--FIN\*--\|/);
    assert.match(r.stdout, /client: FIN_WAIT2 -> TIME_WAIT/);
    assert.match(r.stdout, /TIME_WAIT exists for exactly this moment/);
  });

  it('prints JSON lines with --json, each marked as a simulation', () => {
    const r = cli('half-open', '--json');
    assert.equal(r.status, 0, r.stderr);
    const events = r.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.ok(events.every((e) => e.simulation === true && e.scenario === 'half-open' && typeof e.t === 'number'));
    assert.ok(events.some((e) => e.kind === 'app-error' && e.error === 'ETIMEDOUT' && e.t === 9060));
    assert.equal(events.at(-1).kind, 'end');
  });

  it('takes the MSL in seconds', () => {
    const r = cli('normal-close', '--json', '--msl', '2.5');
    assert.equal(r.status, 0, r.stderr);
    const timer = r.stdout.trim().split('\n').map((line) => JSON.parse(line)).find((e) => e.kind === 'timer-set' && e.timer === 'time-wait');
    assert.equal(timer.ms, 5000);
  });

  it('rejects an unknown scenario with exit 2 and lists the valid ones', () => {
    const r = cli('no-such-thing');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown scenario 'no-such-thing'/);
    assert.match(r.stderr, /lost-final-ack, old-duplicate, old-duplicate-no-timewait, half-open/);
  });

  it('rejects a missing scenario and a bad --msl with exit 2', () => {
    assert.equal(cli().status, 2);
    assert.equal(cli('normal-close', '--msl', '0').status, 2);
    assert.equal(cli('normal-close', '--msl', 'abc').status, 2);
  });

  it('is listed in the top-level help', () => {
    const r = spawnSync('node', [CLI, '--help'], { encoding: 'utf8' });
    assert.match(r.stdout, /simulate/);
  });
});
