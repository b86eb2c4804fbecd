import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateC } from '../../../bench/lintSource';
import { lintText } from '../../../src/lint/analyzer';
import { BASELINE_ONLY_BELOW, wasmTiers } from '../../../src/cli/v8Tuning';
import { grammars, projectRoot } from './helpers';

const CLI = join(projectRoot(), 'dist', 'cli.js');

/**
 * Runs the CLI with V8 tracing each wasm compile; returns the JSON findings and, per wasm
 * module (V8's native module address), the functions TurboFan compiled: index and body size.
 */
function lintTraced(file: string): { findings: { rule: string; line: number }[]; turbofan: Map<string, { index: number; body: number }[]>; stderr: string } {
  const r = spawnSync(process.execPath, ['--trace-wasm-compilation-times', CLI, 'lint', '--format', 'json', file], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  const out = r.stdout;
  // V8 prints its trace lines to stdout too; the JSON report is the array at the end.
  const json = out.slice(out.lastIndexOf('\n[\n') + 1);
  const turbofan = new Map<string, { index: number; body: number }[]>();
  for (const m of out.matchAll(/Compiled function (0x[0-9a-f]+)#(\d+) using TurboFan.*bodysize (\d+)/g)) {
    turbofan.set(m[1], [...(turbofan.get(m[1]) ?? []), { index: Number(m[2]), body: Number(m[3]) }]);
  }
  return {
    findings: (JSON.parse(json) as { rule: string; line: number }[]).map((f) => ({ rule: f.rule, line: f.line })),
    turbofan,
    stderr: r.stderr,
  };
}

describe('socket-lifecycle lint: wasm compiler tier by input size', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'socket-lifecycle-tier-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps small runs on the baseline tier, the runtime of larger ones on both, and grammars on the baseline', () => {
    assert.deepEqual(wasmTiers(0), { runtime: 'baseline', grammars: 'baseline' });
    assert.deepEqual(wasmTiers(BASELINE_ONLY_BELOW - 1), { runtime: 'baseline', grammars: 'baseline' });
    assert.deepEqual(wasmTiers(BASELINE_ONLY_BELOW), { runtime: 'both', grammars: 'baseline' });
  });

  it('a small file: no optimizing wasm compile, and the same findings as the editor\'s analyzer', async () => {
    const text = generateC(1_500, 3);
    const file = join(dir, 'small.c');
    writeFileSync(file, text);
    const r = lintTraced(file);
    assert.equal(r.stderr, '');
    assert.equal(r.turbofan.size, 0, 'a small run compiled wasm with TurboFan');
    const expected = lintText(await grammars(), text, 'c').findings.map((f) => ({ rule: f.ruleId, line: f.range.start.line + 1 }));
    assert.ok(expected.length > 3);
    assert.deepEqual(r.findings, expected);
  });

  it('a file over the threshold: the runtime gets the optimizing tier, the grammar\'s lexer does not', () => {
    const text = generateC(11_000, 4);
    assert.ok(Buffer.byteLength(text) >= BASELINE_ONLY_BELOW);
    const file = join(dir, 'large.c');
    writeFileSync(file, text);
    const r = lintTraced(file);
    // One module tiered up, and it is the runtime: web-tree-sitter.wasm has hundreds of
    // functions, a grammar a handful (the C grammar's lexer alone is a 40 KB body).
    assert.equal(r.turbofan.size, 1, `TurboFan compiled functions of ${r.turbofan.size} wasm modules`);
    const compiled = [...r.turbofan.values()][0];
    assert.ok(compiled.some((f) => f.index > 100), 'the module that tiered up is not the runtime');
    assert.ok(compiled.every((f) => f.body < 30_000), 'the grammar\'s lexer was compiled with TurboFan');
    assert.ok(r.findings.length > 0);
  });
});
