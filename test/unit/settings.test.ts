import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, parseSettings } from '../../src/settings';

describe('parseSettings', () => {
  it('gives the defaults for nothing at all', () => {
    assert.deepEqual(parseSettings(undefined), DEFAULT_SETTINGS);
    assert.deepEqual(parseSettings(42), DEFAULT_SETTINGS);
  });

  it('reads flat dotted keys as VS Code returns them', () => {
    const s = parseSettings({ 'watcher.intervalMs': 250, 'lab.runtime': 'python', 'lint.rules': { 'socket-leak': 'error' } });
    assert.equal(s.watcher.intervalMs, 250);
    assert.equal(s.lab.runtime, 'python');
    assert.deepEqual(s.lint.rules, { 'socket-leak': 'error' });
  });

  it('reads nested objects too', () => {
    assert.equal(parseSettings({ watcher: { intervalMs: 500 } }).watcher.intervalMs, 500);
  });

  it('clamps numbers and drops junk', () => {
    const s = parseSettings({ 'watcher.intervalMs': 1, 'lab.defaultPort': 99999, 'lab.runtime': 'java', 'lint.rules': { a: 'loud', b: 'off' }, 'lint.enable': 'yes' });
    assert.equal(s.watcher.intervalMs, 20);
    assert.equal(s.lab.defaultPort, 65535);
    assert.equal(s.lab.runtime, 'auto');
    assert.deepEqual(s.lint.rules, { b: 'off' });
    assert.equal(s.lint.enable, true);
    assert.equal(parseSettings({ 'watcher.intervalMs': Number.NaN }).watcher.intervalMs, 100);
  });
});
