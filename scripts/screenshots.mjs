// Regenerates the README's screenshots from the real product: builds the production .vsix,
// installs it into a fresh code-server like a user would, opens a copy of the test workspace
// in headless Chromium, drives the UI from the command palette, and writes small PNGs to
// media/screenshots/. Run: `npm run screenshots` (add --no-package to reuse socket-lifecycle.vsix,
// --only=panel,terminal,lint,simulate,panel-light to take some of the shots).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, freePort, installVsix, startCodeServer } from './codeServer.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'media', 'screenshots');
const VSIX = join(ROOT, 'socket-lifecycle.vsix');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'workspace');
const VIEWPORT = { width: 1280, height: 800 };
const DARK = 'Default Dark Modern';
const LIGHT = 'Default Light Modern';
/** The step of lost-final-ack where the retransmitted FIN is answered from TIME_WAIT. */
const SIM_STEP = 54;
const SHOTS = ['panel', 'terminal', 'lint', 'simulate', 'panel-light'];

const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',') ?? SHOTS;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (text) => console.log(`screenshots: ${text}`);

// ---- the workbench, driven like a person -------------------------------------------------

/** F1, the command's palette text, Enter; waits for the palette to show a matching row first. */
async function runCommand(page, text) {
  const input = page.locator('.quick-input-widget input');
  await page.keyboard.press('F1');
  if (!(await input.waitFor({ timeout: 3000 }).then(() => true, () => false))) {
    // Focus was inside a webview, which keeps F1: give it back to the workbench.
    await page.keyboard.press('Control+Shift+P');
    if (!(await input.waitFor({ timeout: 3000 }).then(() => true, () => false))) {
      // Last resort: a click on the activity bar's first item puts the focus in the workbench for sure.
      await page.locator('.part.activitybar .action-item a').first().click();
      await page.keyboard.press('F1');
    }
    await input.waitFor({ timeout: 15_000 });
  }
  await input.fill(text);
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor({ timeout: 15_000 });
  await sleep(400);
  // The first match is not always the command named ("Preferences: Color Theme" comes after
  // "Preferences: Browse Color Themes in Marketplace"): pick the row whose label starts with it.
  const wanted = text.replace(/^>/, '');
  const labels = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
  const index = labels.findIndex((l) => l.startsWith(wanted));
  if (index > 0) {
    await rows.nth(index).click();
  } else {
    await page.keyboard.press('Enter');
  }
  await sleep(500);
  if (!text.includes('Side Bar') && await page.locator('.part.sidebar').isVisible()) {
    await runCommand(page, '>View: Close Primary Side Bar');
  }
}

/** Answers an open quick input (input box or quick pick) with text, then Enter. */
async function answer(page, text) {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(text);
  await sleep(400);
  await page.keyboard.press('Enter');
  await sleep(500);
}

/** Closes notifications so no toast covers a shot. */
async function clearNotifications(page) {
  await runCommand(page, '>Notifications: Clear All Notifications');
  await page.keyboard.press('Escape');
}

/**
 * Sets the color theme of the next window in code-server's user settings. Not from the palette:
 * there `>Preferences: Color Theme` lists "Browse Color Themes in Marketplace" first, which does
 * nothing offline, and a new window reads its theme from these settings when it opens anyway.
 */
function useTheme(server, theme) {
  const file = join(server.state, 'data', 'User', 'settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...settings, 'workbench.colorTheme': theme }, null, 2));
}

async function shoot(page, name) {
  const file = join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  log(`wrote ${file}`);
}

const webview = (page) => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

// ---- the shots ----------------------------------------------------------------------------

/** A listener on 127.0.0.1 whose accepted sockets are announced with an 'accepted' event. */
async function listen() {
  const server = createServer((socket) => server.emit('accepted', socket));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

/** One connection where the server closes first, so the server's side ends in TIME_WAIT. */
async function timeWaitOn(listener) {
  const port = listener.address().port;
  const accepted = new Promise((r) => listener.once('accepted', r));
  const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  await new Promise((r) => client.once('connect', r));
  const serverSide = await accepted;
  await sleep(1500);
  serverSide.end();
  listener.close();
  await sleep(1500);
  client.end();
  await new Promise((r) => client.once('close', r));
}

/** 1: the panel with a real TIME_WAIT on a watched port. */
async function panelShot(page, name) {
  const listener = await listen();
  const port = listener.address().port;
  try {
    await runCommand(page, '>Socket Lifecycle: Watch Port...');
    await answer(page, String(port));
    // The panel takes the keyboard focus, and F1 no longer reaches the workbench from there:
    // everything after this point happens in the webview or by mouse.
    await runCommand(page, '>Socket Lifecycle: Open Panel');
    const view = webview(page);
    await view.locator('.port-input').waitFor({ timeout: 30_000 });
    await view.getByRole('tab', { name: 'Live' }).click();
    await view.locator('tbody tr[data-state="LISTEN"]').waitFor({ timeout: 15_000 });
    await timeWaitOn(listener);
    await view.locator('tbody tr[data-state="TIME_WAIT"]').waitFor({ timeout: 15_000 });
    await view.locator('g.node[data-state="TIME_WAIT"]').first().click();
    await sleep(2500);
    await shoot(page, name);
  } finally {
    listener.close();
  }
}

/** 2: echo server and client, Ctrl+C on the server, a restart failing with EADDRINUSE. */
async function terminalShot(page) {
  const port = await freePort();
  await runCommand(page, '>Socket Lifecycle: Start Echo Server');
  await answer(page, String(port));
  await answer(page, 'SO_REUSEADDR off');
  const terminal = page.locator('.terminal-wrapper.active .xterm');
  await page.getByText(`listening on 127.0.0.1:${port}`).first().waitFor({ timeout: 60_000 }).catch(() => undefined);
  await sleep(1500);
  await runCommand(page, '>Socket Lifecycle: Start Echo Client');
  await answer(page, String(port));
  await answer(page, 'Connect');
  await sleep(2500);
  await terminal.click();
  await page.keyboard.type('hello\n', { delay: 60 });
  await sleep(1500);
  await page.locator('.terminal-tabs-entry', { hasText: `Echo Server :${port}` }).first().click();
  await sleep(800);
  await terminal.click();
  await page.keyboard.press('Control+C');
  await sleep(3000);
  await runCommand(page, '>Socket Lifecycle: Start Echo Server');
  await answer(page, String(port));
  await answer(page, 'SO_REUSEADDR off');
  await sleep(4000);
  await runCommand(page, '>Terminal: Join Terminals');
  await answer(page, `Echo Server :${port}`);
  await sleep(1000);
  await runCommand(page, '>View: Toggle Maximized Panel');
  await sleep(1500);
  await clearNotifications(page);
  await shoot(page, 'terminal-eaddrinuse');
  await runCommand(page, '>Socket Lifecycle: Stop All Echo Programs');
  await runCommand(page, '>View: Toggle Maximized Panel');
  await runCommand(page, '>Terminal: Kill All Terminals');
  await runCommand(page, '>View: Close Panel');
}

/** 3: the lint's warning on bind() with its hover. */
async function lintShot(page) {
  await page.keyboard.press('Control+P');
  await answer(page, 'lint/echo_server.c');
  await page.locator('.squiggly-warning, .squiggly-error, .squiggly-info').first().waitFor({ timeout: 60_000 });
  await runCommand(page, ':18:9');
  await sleep(800);
  await runCommand(page, '>Show or Focus Hover');
  await page.locator('.monaco-hover').first().waitFor({ timeout: 15_000 });
  await sleep(1200);
  await shoot(page, 'lint-hover');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+.');
  await page.locator('.action-widget').getByText('Set SO_REUSEADDR before bind()').first().waitFor({ timeout: 15_000 });
  await sleep(1000);
  await shoot(page, 'lint-quick-fix');
  await page.keyboard.press('Escape');
  await runCommand(page, '>View: Close All Editors');
}

/** 4: the Simulate tab playing lost-final-ack, labeled as a simulation. */
async function simulateShot(page) {
  await runCommand(page, '>Socket Lifecycle: Simulate Scenario...');
  await answer(page, 'lost-final-ack');
  const view = webview(page);
  await view.locator('[data-testid="sim-label"]').waitFor({ state: 'visible', timeout: 30_000 });
  await view.locator('.sim-speed').selectOption('4');
  await view.locator('.sim-position', { hasText: /Step (5\d|6\d) of/ }).waitFor({ timeout: 60_000 });
  await view.getByRole('button', { name: 'Pause' }).click();
  // Land on the moment that tells the story: the client, in TIME_WAIT, answers the server's
  // retransmitted FIN after its first ACK was lost.
  for (let i = 0; i < 20; i++) {
    const step = Number((await view.locator('.sim-position').textContent()).match(/Step (\d+)/)[1]);
    if (step === SIM_STEP) {
      break;
    }
    await view.getByRole('button', { name: step > SIM_STEP ? 'Step back' : 'Step forward' }).click();
    await sleep(300);
  }
  await sleep(1000);
  await shoot(page, 'simulate-lost-final-ack');
}

/** Each shot runs in a fresh window: its size scale, its theme, what it does. */
const SHOT_TABLE = {
  panel: { scale: 0.8, theme: DARK, take: (page) => panelShot(page, 'panel-time-wait') },
  terminal: { scale: 1, theme: DARK, take: terminalShot },
  lint: { scale: 1, theme: DARK, take: lintShot },
  simulate: { scale: 0.8, theme: DARK, take: simulateShot },
  'panel-light': { scale: 0.8, theme: LIGHT, take: (page) => panelShot(page, 'panel-time-wait-light') },
};
const FILES = {
  panel: ['panel-time-wait'], terminal: ['terminal-eaddrinuse'], lint: ['lint-hover', 'lint-quick-fix'],
  simulate: ['simulate-lost-final-ack'], 'panel-light': ['panel-time-wait-light'],
};

/** Opens the workspace in the theme set by useTheme and clears the stage: no side bars, editors or notifications. */
async function openWorkbench(page, url, workspace, theme) {
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
  // The class tells the theme's kind: waiting for it makes a theme that did not apply fail here.
  const kind = theme === LIGHT ? 'vs' : 'vs-dark';
  await page.locator(`.monaco-workbench.${kind}`).waitFor({ timeout: 60_000 });
  await page.locator('.statusbar').waitFor({ timeout: 60_000 });
  await sleep(4000);
  if (await page.locator('.part.auxiliarybar').isVisible()) {
    await runCommand(page, '>View: Hide Secondary Side Bar');
  }
  if (await page.locator('.part.sidebar').isVisible()) {
    await runCommand(page, '>View: Close Primary Side Bar');
  }
  await runCommand(page, '>View: Close All Editors');
  await clearNotifications(page);
}

/** Chromium's processes are children of this script: ended by pid if close() left any. */
function killChildren(except) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && Number(entry) !== except) {
        process.kill(Number(entry), 'SIGKILL');
      }
    } catch {
      // gone meanwhile
    }
  }
}

// ---- the run ------------------------------------------------------------------------------

function pack() {
  log('npm run package');
  execFileSync('npm', ['run', '-s', 'package'], { cwd: ROOT, stdio: 'inherit' });
}

/** PNG size down with what is installed: pngquant (lossy palette), then optipng. */
function optimize(files) {
  for (const file of files) {
    try {
      execFileSync('pngquant', ['--force', '--skip-if-larger', '--quality=70-95', '--output', file, file], { stdio: 'ignore' });
    } catch {
      // not installed, or the result would not be smaller
    }
    try {
      execFileSync('optipng', ['-quiet', '-o2', file], { stdio: 'ignore' });
    } catch {
      // not installed
    }
    log(`${file}: ${Math.round(statSync(file).size / 1024)} KB`);
  }
}

async function main() {
  if (!args.includes('--no-package') || !existsSync(VSIX)) {
    pack();
  }
  mkdirSync(OUT, { recursive: true });
  const state = mkdtempSync(join(tmpdir(), 'socket-lifecycle-shots-'));
  const workspace = join(state, 'workspace');
  cpSync(FIXTURE, workspace, { recursive: true });
  const extensionsDir = join(state, 'exts');
  installVsix(VSIX, extensionsDir, join(state, 'data'));
  const server = await startCodeServer({
    stateDir: state, extensionsDir,
    settings: {
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'chat.disableAIFeatures': true,
      'editor.minimap.enabled': false,
      'window.commandCenter': false,
      'terminal.integrated.tabs.enabled': true,
    },
  });
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    for (const name of only) {
      log(name);
      const { scale, theme, take } = SHOT_TABLE[name];
      useTheme(server, theme);
      // The panel puts diagram and table side by side from 1400 CSS px: those shots lay out a
      // larger window and scale it down to the same image size.
      const page = await browser.newPage({ viewport: { width: Math.round(VIEWPORT.width / scale), height: Math.round(VIEWPORT.height / scale) }, deviceScaleFactor: scale });
      try {
        await openWorkbench(page, server.url, workspace, theme);
        await take(page);
      } catch (error) {
        const failed = join(state, `failed-${name}.png`);
        await page.screenshot({ path: failed }).catch(() => undefined);
        throw new Error(`${name}: ${error.message} (see ${failed}; run with --keep to keep it)`);
      } finally {
        await page.close().catch(() => undefined);
      }
    }
  } finally {
    await browser?.close().catch(() => undefined);
    killChildren(server.child.pid);
    server.stop();
    if (!args.includes('--keep')) {
      rmSync(state, { recursive: true, force: true });
    }
  }
  optimize(only.flatMap((name) => FILES[name]).map((n) => join(OUT, `${n}.png`)));
}

await main();
