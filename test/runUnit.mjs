// Runs the unit tests (out/test/unit/**/*.test.js, built by esbuild.mjs) with node's own test
// runner, prints them with the spec reporter, and writes the counts for runAll.mjs.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const ROOT = resolve(import.meta.dirname, '..');
const DIR = join(ROOT, 'out', 'test', 'unit');

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? find(path) : path.endsWith('.test.js') ? [path] : [];
  });
}

const only = process.argv.slice(2);
const files = find(DIR).filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
let passed = 0;
let failed = 0;
const stream = run({ files, concurrency: Math.max(1, availableParallelism()), timeout: 10 * 60_000 });
stream.on('test:pass', (data) => {
  if (data.details?.type !== 'suite' && !data.skip && !data.todo) {
    passed++;
  }
});
stream.on('test:fail', (data) => {
  if (data.details?.type !== 'suite') {
    failed++;
  }
});
stream.on('test:diagnostic', () => {});
const report = stream.compose(spec);
report.pipe(process.stdout);
await new Promise((r) => report.on('end', r));
if (process.env.SOCKET_LIFECYCLE_TEST_RESULTS) {
  writeFileSync(process.env.SOCKET_LIFECYCLE_TEST_RESULTS, JSON.stringify({ passed, failed }));
}
console.log(`unit: ${passed} passed, ${failed} failed`);
if (failed > 0 || files.length === 0) {
  process.exitCode = 1;
}
