// `npm test`: build, type check, lint, unit tests, integration tests in a real VS Code.
// Every stage runs even after a failure; the last line is the total `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'sl-test-'));
let passed = 0;
let failed = 0;

/** Runs one stage; a stage that reports counts adds them, others count as one check. */
function stage(name, command, args, { counts = false, env = {} } = {}) {
  console.log(`\n=== ${name}: ${[command, ...args].join(' ')}`);
  const results = join(tmp, `${name}.json`);
  const started = Date.now();
  const r = spawnSync(command, args, {
    cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env, SOCKET_LIFECYCLE_TEST_RESULTS: results },
  });
  const ok = r.status === 0;
  let counted = false;
  if (counts) {
    try {
      const c = JSON.parse(readFileSync(results, 'utf8'));
      passed += c.passed;
      failed += c.failed;
      counted = true;
    } catch {
      // the stage crashed before writing counts: that is a failure, never a skip
    }
  }
  if (!counted) {
    if (ok) {
      passed++;
    } else {
      failed++;
    }
  } else if (!ok && failed === 0) {
    failed++;
  }
  console.log(`=== ${name}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return ok;
}

if (stage('build', 'node', ['esbuild.mjs'])) {
  stage('typecheck', 'npm', ['run', '--silent', 'typecheck']);
  stage('lint', 'npx', ['--no-install', 'eslint', '.']);
  stage('unit', 'node', ['test/runUnit.mjs'], { counts: true });
  stage('integration', 'node', ['test/runIntegration.mjs'], { counts: true });
  // The same VS Code in Simplified Chinese: manifest titles in the palette and run-time text.
  stage('integration-zh-cn', 'node', ['test/runIntegration.mjs'], {
    counts: true, env: { SOCKET_LIFECYCLE_LOCALE: 'zh-cn', SOCKET_LIFECYCLE_TEST_GREP: 'display language' },
  });
}
rmSync(tmp, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
