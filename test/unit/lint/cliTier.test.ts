import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateC } from '../../../bench/lintSource';
import { lintText } from '../../../src/lint/analyzer';
import { BASELINE_ONLY_BELOW, wasmTierFlag } from '../../../src/cli/wasmTier';
import { grammars, projectRoot } from './helpers';

const CLI = join(projectRoot(), 'dist', 'cli.js');

/** Runs the CLI with V8 tracing each wasm compile; returns the JSON findings and how many functions TurboFan compiled. */
function lintTraced(file: string): { findings: { rule: string; line: number }[]; turbofan: number; stderr: string } {
  const r = spawnSync(process.execPath, ['--trace-wasm-compilation-times', CLI, 'lint', '--format', 'json', file], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  const out = r.stdout;
  // V8 prints its trace lines to stdout too; the JSON report is the array at the end.
  const json = out.slice(out.lastIndexOf('\n[\n') + 1);
  return {
    findings: (JSON.parse(json) as { rule: string; line: number }[]).map((f) => ({ rule: f.rule, line: f.line })),
    turbofan: (out.match(/using TurboFan/g) ?? []).length,
    stderr: r.stderr,
  };
}

describe('socket-lifecycle lint: wasm compiler tier by input size', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'socket-lifecycle-tier-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps small runs on the baseline tier and larger ones on both', () => {
    assert.equal(wasmTierFlag(0), '--liftoff-only');
    assert.equal(wasmTierFlag(BASELINE_ONLY_BELOW - 1), '--liftoff-only');
    assert.equal(wasmTierFlag(BASELINE_ONLY_BELOW), undefined);
  });

  it('a small file: no optimizing wasm compile, and the same findings as the editor\'s analyzer', async () => {
    const text = generateC(1_500, 3);
    const file = join(dir, 'small.c');
    writeFileSync(file, text);
    const r = lintTraced(file);
    assert.equal(r.stderr, '');
    assert.equal(r.turbofan, 0, 'a small run compiled wasm with TurboFan');
    const expected = lintText(await grammars(), text, 'c').findings.map((f) => ({ rule: f.ruleId, line: f.range.start.line + 1 }));
    assert.ok(expected.length > 3);
    assert.deepEqual(r.findings, expected);
  });

  it('a file over the threshold still gets the optimizing tier', () => {
    const text = generateC(11_000, 4);
    assert.ok(Buffer.byteLength(text) >= BASELINE_ONLY_BELOW);
    const file = join(dir, 'large.c');
    writeFileSync(file, text);
    const r = lintTraced(file);
    assert.ok(r.turbofan > 0, 'a large run never tiered up');
    assert.ok(r.findings.length > 0);
  });
});
