// Drives the panel in a real VS Code (code-server + headless Chromium) like a person would:
// opens it from the command palette, types a port into its "Port to watch" box, makes a real
// TIME_WAIT on that port (server closes first), and takes screenshots of the Live and Timeline
// tabs in a dark and a light theme. Run after `node esbuild.mjs`:
//   node scripts/screenshots-panel.mjs [OUT_DIR]   (default: screenshots/panel)
import { mkdirSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, startCodeServer } from './codeServer.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = resolve(process.argv[2] ?? join(ROOT, 'screenshots', 'panel'));
const WORKSPACE = join(ROOT, 'test', 'fixtures', 'workspace');
const THEMES = { dark: 'Default Dark Modern', light: 'Default Light Modern' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function listen() {
  const server = createServer((socket) => server.emit('accepted', socket));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

/** Server closes first; the client stays half open for a moment (CLOSE_WAIT), then closes. */
async function teardown(server) {
  const port = server.address().port;
  const accepted = new Promise((r) => server.once('accepted', r));
  const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  await new Promise((r) => client.once('connect', r));
  const serverSide = await accepted;
  await sleep(1200);
  serverSide.destroy();
  server.close();
  await sleep(1500);
  client.destroy();
  await sleep(800);
}

async function runCommand(page, text) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill(text);
  await sleep(600);
  await page.keyboard.press('Enter');
  await sleep(400);
}

async function shoot(theme) {
  const server = await startCodeServer({ smokeTestDriver: true, settings: { 'workbench.colorTheme': THEMES[theme] } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const listener = await listen();
  const port = listener.address().port;
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', remote(ROOT)]]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(WORKSPACE)}&payload=${encodeURIComponent(payload)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await sleep(3000);
    await runCommand(page, '>View: Close Secondary Side Bar');
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill('>Socket Lifecycle: Open Panel');
    await sleep(800);
    await page.keyboard.press('Enter');
    const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await view.locator('.port-input').waitFor({ timeout: 30_000 });
    await view.locator('.port-input').fill(String(port));
    await view.locator('.port-input').press('Enter');
    await view.locator(`tbody tr[data-state="LISTEN"]`).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(OUT, `${theme}-0-listen.png`) });
    await teardown(listener);
    await view.locator('tbody tr[data-state="TIME_WAIT"]').waitFor({ timeout: 10_000 });
    await view.locator('g.node[data-state="TIME_WAIT"]').click();
    await sleep(500);
    await page.screenshot({ path: join(OUT, `${theme}-1-live.png`) });
    await view.getByRole('tab', { name: 'Timeline' }).click();
    await sleep(500);
    await page.screenshot({ path: join(OUT, `${theme}-2-timeline.png`) });
    console.log(`${theme}: screenshots of port ${port} in ${OUT}`);
  } finally {
    listener.close();
    await browser.close().catch(() => {});
    server.stop();
    rmSync(server.state, { recursive: true, force: true });
  }
}

mkdirSync(OUT, { recursive: true });
for (const theme of ['dark', 'light']) {
  await shoot(theme);
}
