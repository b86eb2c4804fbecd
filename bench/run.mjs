// `npm run bench`: runs every out/bench/*.bench.js in turn (built by esbuild.mjs) and prints
// their ratios. A benchmark is a plain script that prints its own figures and exits non-zero
// when it cannot measure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DIR = join(ROOT, 'out', 'bench');
const only = process.argv.slice(2);
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.bench.js')).sort() : [];
let failures = 0;
for (const file of files.filter((f) => only.length === 0 || only.some((o) => f.includes(o)))) {
  console.log(`\n### ${file.replace(/\.js$/, '')}`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(DIR, file)], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    failures++;
    console.log(`### ${file}: failed (exit ${r.status ?? r.signal})`);
  }
}
if (files.length === 0) {
  console.log('no benchmarks built (run `node esbuild.mjs` first)');
}
process.exitCode = failures > 0 ? 1 : 0;
