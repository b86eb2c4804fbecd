// Runs the integration suite (out/test/integration/index.js) inside a real VS Code:
// @vscode/test-electron where VS Code can be downloaded; otherwise, or with
// VSCODE_TEST_BACKEND=code-server, the same module in code-server + headless Chromium.
// Writes the mocha counts to the file named by SOCKET_LIFECYCLE_TEST_RESULTS and exits
// non-zero on any failure, including a crash of the harness.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { execFileSync } from 'node:child_process';
import { CHROMIUM, CHROMIUM_ARGS, CODE_VERSION, installVsix, startCodeServer } from '../scripts/codeServer.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const TESTS = join(ROOT, 'out', 'test', 'integration', 'index.js');
const WORKSPACE = join(ROOT, 'test', 'fixtures', 'workspace');
/** Display language for the run (e.g. zh-cn); the suite's locale tests read it. */
const LOCALE = process.env.SOCKET_LIFECYCLE_LOCALE;
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
    launchArgs: [WORKSPACE, '--disable-extensions', '--disable-workspace-trust', ...(LOCALE ? ['--locale', LOCALE] : [])],
  });
}

/**
 * VS Code starts in a display language only when a language pack for it is installed. The real
 * zh-cn pack comes from the marketplace, which is out of reach offline, so a test-only pack
 * (test/fixtures/zh-cn-language-pack, translating nothing of VS Code) is packed and installed.
 */
function installLanguagePack(stateDir) {
  const pack = join(ROOT, 'test', 'fixtures', `${LOCALE}-language-pack`);
  const vsix = join(stateDir, 'language-pack.vsix');
  execFileSync(join(ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--allow-missing-repository', '--out', vsix], { cwd: pack, stdio: 'ignore' });
  const exts = join(stateDir, 'exts');
  mkdirSync(join(stateDir, 'data'), { recursive: true });
  installVsix(vsix, exts, join(stateDir, 'data'));
  // Installing through the CLI does not write the server's language pack index; the workbench
  // reads it to pick the messages of a display language, so it is written here.
  const manifest = JSON.parse(readFileSync(join(pack, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const folder = readdirSync(exts).find((name) => name.startsWith(`${id}-`));
  const translations = manifest.contributes.localizations[0].translations[0].path;
  writeFileSync(join(stateDir, 'data', 'languagepacks.json'), JSON.stringify({
    [LOCALE]: { hash: `${id}-${manifest.version}`, extensions: [{ extensionIdentifier: { id }, version: manifest.version }],
      translations: { vscode: join(exts, folder, translations) }, label: manifest.contributes.localizations[0].localizedLanguageName },
  }));
}

async function viaCodeServer() {
  const { chromium } = await import('playwright-core');
  const stateDir = mkdtempSync(join(tmpdir(), 'socket-lifecycle-cs-'));
  if (LOCALE) {
    installLanguagePack(stateDir);
  }
  const server = await startCodeServer({ smokeTestDriver: true, env: testEnv, locale: LOCALE, stateDir });
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
    if (LOCALE) {
      paletteCheck = await checkPaletteTitles(page);
    }
    return code;
  } finally {
    await browser?.close().catch(() => {});
    server.stop();
    rmSync(userDataDir, { recursive: true, force: true });
    rmSync(server.state, { recursive: true, force: true });
  }
}

/** Result of the command palette check of a localized run: { ok, labels }. */
let paletteCheck;

/**
 * Opens the command palette like a person (F1), filters our category, and checks that every
 * one of our commands is shown with a title in the display language (Han characters for zh).
 */
async function checkPaletteTitles(page) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill('>Socket Lifecycle: ');
  await page.waitForTimeout(1000);
  // A row holds the localized title and, in a non-English UI, the English one as its alias.
  const labels = await page.locator('.quick-input-list .monaco-list-row').evaluateAll(
    (rows) => rows.map((row) => row.querySelector('.label-name')?.textContent ?? ''));
  await page.keyboard.press('Escape');
  const ours = labels.filter((l) => l.startsWith('Socket Lifecycle'));
  const ok = ours.length >= 5 && ours.every((l) => /[\u4e00-\u9fff]/.test(l));
  console.log(`palette (${LOCALE}): ${ours.length} commands, ${ok ? 'all translated' : 'NOT all translated'}: ${ours.slice(0, 4).join(' | ')}`);
  return { ok, labels: ours };
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
    if (paletteCheck) {
      r[paletteCheck.ok ? 'passed' : 'failed']++;
      writeFileSync(resultsFile, JSON.stringify(r));
    }
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
