// Runs the integration suite (out/test/integration/index.js) inside a real VS Code:
// @vscode/test-electron where VS Code can be downloaded; otherwise, or with
// VSCODE_TEST_BACKEND=code-server, the same module in code-server + headless Chromium.
// Writes the mocha counts to the file named by SOCKET_LIFECYCLE_TEST_RESULTS and exits
// non-zero on any failure, including a crash of the harness.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { CHROMIUM, CHROMIUM_ARGS, CODE_VERSION, startCodeServer } from '../scripts/codeServer.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const TESTS = join(ROOT, 'out', 'test', 'integration', 'index.js');
const WORKSPACE = join(ROOT, 'test', 'fixtures', 'workspace');
const TIMEOUT_MS = Number(process.env.SOCKET_LIFECYCLE_INTEGRATION_TIMEOUT_MS ?? 15 * 60_000);
const WORKBENCH_NOISE = /^\[(AgentHost|ChatModelSelection|AccountPolicyGate|Service Worker|reconnection-grace-time)\]|^Ignoring fetching|^Creating a socket|^Resolv(ing|ed) connection token/;
const DOWNLOAD_ERROR = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|Failed to download|getaddrinfo/i;

const resultsFile = process.env.SOCKET_LIFECYCLE_TEST_RESULTS ?? join(mkdtempSync(join(tmpdir(), 'sl-results-')), 'results.json');
const testEnv = { SOCKET_LIFECYCLE_TEST_RESULTS: resultsFile, SOCKET_LIFECYCLE_TEST_WORKSPACE: WORKSPACE, ...extraEnv() };

/** Variables prefixed SOCKET_LIFECYCLE_ (e.g. a mocha grep) pass through to the host. */
function extraEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('SOCKET_LIFECYCLE_')));
}

async function viaTestElectron() {
  const { runTests } = await import('@vscode/test-electron');
  return runTests({
    version: CODE_VERSION,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: TESTS,
    extensionTestsEnv: testEnv,
    launchArgs: [WORKSPACE, '--disable-extensions', '--disable-workspace-trust'],
  });
}

async function viaCodeServer() {
  const { chromium } = await import('playwright-core');
  const server = await startCodeServer({ smokeTestDriver: true, env: testEnv });
  const userDataDir = mkdtempSync(join(tmpdir(), 'sl-chromium-'));
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    let finish;
    const exitCode = new Promise((r) => (finish = r));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args])).replace(/\n$/, '');
      // The workbench logs a lot about features we do not use; keep the suite's own output.
      if (!WORKBENCH_NOISE.test(text)) {
        (type === 'error' ? console.error : console.log)(text);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(Number(code)));
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(TESTS)],
    ]);
    console.log(`code-server ${server.url} (VS Code ${CODE_VERSION}) running the integration suite`);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(WORKSPACE)}&payload=${encodeURIComponent(payload)}`);
    const timeout = new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT_MS).unref());
    const code = await Promise.race([exitCode, timeout]);
    if (code === 'timeout') {
      throw new Error(`the integration suite did not finish within ${TIMEOUT_MS / 1000} s`);
    }
    return code;
  } finally {
    await browser?.close().catch(() => {});
    server.stop();
    rmSync(userDataDir, { recursive: true, force: true });
    rmSync(server.state, { recursive: true, force: true });
  }
}

async function main() {
  if (process.env.VSCODE_TEST_BACKEND !== 'code-server') {
    try {
      return await viaTestElectron();
    } catch (error) {
      const text = String(error?.stack ?? error);
      if (!DOWNLOAD_ERROR.test(text)) {
        throw error;
      }
      console.log(`VS Code could not be downloaded (${text.split('\n')[0]}); using code-server instead.`);
    }
  }
  return viaCodeServer();
}

try {
  const code = await main();
  let summary = '';
  try {
    const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
    summary = `integration: ${r.passed} passed, ${r.failed} failed`;
    if (r.passed + r.failed === 0) {
      console.error('integration: no test ran');
      process.exitCode = 1;
    }
  } catch {
    console.error('integration: the suite wrote no results (did it start?)');
    process.exitCode = 1;
  }
  if (summary) {
    console.log(summary);
  }
  if (code !== 0) {
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`integration harness failed: ${error?.stack ?? error}`);
  process.exitCode = 1;
}
