// Loads the BUILT webview bundle (dist/webview/main.js + styles.css) into headless Chromium
// with acquireVsCodeApi stubbed (the webview's host boundary) and lets a test post ToView
// messages and read what the view posts back. Shared by the browser tests and the benchmark.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { initMessage } from '../../../src/panel/init';
import { uiStrings } from '../../../src/panel/strings';
import type { PanelState, TimelineEntry, ToHost, ToView } from '../../../src/protocol';

/** The project folder: the nearest parent of this bundle with a package.json (tests and benches live at different depths). */
export const ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) {
    dir = dirname(dir);
  }
  return dir;
})();
const BUNDLE = join(ROOT, 'dist', 'webview', 'main.js');
const STYLES = join(ROOT, 'dist', 'webview', 'styles.css');

/** A theme stand-in: the variables VS Code injects into every webview, dark or light. */
export function themeCss(kind: 'dark' | 'light'): string {
  const dark = kind === 'dark';
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { colors: { id: string; defaults: Record<string, string> }[] } };
  const ours = pkg.contributes.colors.map((c) => `--vscode-${c.id.replace('.', '-')}: ${c.defaults[kind]};`).join('\n');
  return `:root {
    --vscode-font-family: sans-serif; --vscode-font-size: 13px;
    --vscode-foreground: ${dark ? '#cccccc' : '#3b3b3b'}; --vscode-editor-background: ${dark ? '#1f1f1f' : '#ffffff'};
    --vscode-descriptionForeground: ${dark ? '#9d9d9d' : '#717171'}; --vscode-focusBorder: ${dark ? '#0078d4' : '#005fb8'};
    --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff;
    --vscode-list-activeSelectionBackground: ${dark ? '#04395e' : '#e4e6f1'};
    --vscode-list-inactiveSelectionBackground: ${dark ? '#37373d' : '#e4e6f1'};
    --vscode-errorForeground: #f85149;
    ${ours}
  }`;
}

export interface ViewHandle {
  page: Page;
  send(message: ToView): Promise<void>;
  /** Resolves after two animation frames: every posted message has been applied. */
  frame(): Promise<void>;
  posted(): Promise<ToHost[]>;
  close(): Promise<void>;
}

/** The init message the host would send for `state`, strings untranslated. */
export function init(state: Partial<PanelState> = {}): ToView {
  return initMessage(uiStrings(), { at: Date.now(), rows: [], hasTimers: true, intervalMs: 100, watchedPorts: [], timeline: [], ...state });
}

let browser: Browser | undefined;

/** One Chromium per test process; pages are cheap. */
async function launch(): Promise<Browser> {
  if (!browser) {
    const { chromium } = await import('playwright-core');
    const codeServer = (await import(pathToFileURL(join(ROOT, 'scripts', 'codeServer.mjs')).href)) as { CHROMIUM: string; CHROMIUM_ARGS: string[] };
    browser = await chromium.launch({ executablePath: codeServer.CHROMIUM, args: codeServer.CHROMIUM_ARGS });
  }
  return browser;
}

export function bundleBuilt(): boolean {
  return existsSync(BUNDLE) && existsSync(STYLES);
}

export async function openView(options: { theme?: 'dark' | 'light'; width?: number; height?: number } = {}): Promise<ViewHandle> {
  const page = await (await launch()).newPage({ viewport: { width: options.width ?? 1400, height: options.height ?? 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setContent(`<!DOCTYPE html><html><head><meta charset="utf-8"><style>${themeCss(options.theme ?? 'dark')}</style></head>
    <body class="vscode-${options.theme ?? 'dark'}"><main id="app"></main></body></html>`);
  await page.addStyleTag({ path: STYLES });
  await page.evaluate(() => {
    const w = window as unknown as { __posted: unknown[]; __state: unknown; acquireVsCodeApi: () => unknown };
    w.__posted = [];
    w.acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => w.__posted.push(m),
      getState: () => w.__state,
      setState: (s: unknown) => { w.__state = s; },
    });
  });
  await page.addScriptTag({ path: BUNDLE });
  const frame = () => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  return {
    page,
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    frame,
    posted: () => page.evaluate(() => (window as unknown as { __posted: ToHost[] }).__posted),
    close: async () => {
      await page.close();
      if (errors.length > 0) {
        throw new Error(`page errors: ${errors.join('; ')}`);
      }
    },
  };
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}

/**
 * A recorded message moved in time by `shiftMs` (all its times: reads, transitions, program
 * events), so a replay looks live: countdowns start where the recording's did.
 */
export function retimed(message: ToView, shiftMs: number): ToView {
  const entries = (list: TimelineEntry[]): TimelineEntry[] => list.map((e) => (e.kind === 'program'
    ? { ...e, event: { ...e.event, at: e.event.at + shiftMs } } : { ...e, at: e.at + shiftMs }));
  if (message.type === 'update') {
    return { ...message, at: message.at + shiftMs, entries: entries(message.entries) };
  }
  if (message.type === 'state' || message.type === 'init') {
    return { ...message, state: { ...message.state, at: message.state.at + shiftMs, timeline: entries(message.state.timeline) } };
  }
  return message;
}

/** Replays the recorded stream at full speed, shifted so its last message reads as now. */
export async function replay(view: ViewHandle, each?: () => Promise<void>): Promise<void> {
  const { recorded } = recordedStream();
  const last = Math.max(...recorded.map(({ message }) => (message.type === 'update' ? message.at : 0)));
  const shift = Date.now() - last;
  for (const { message } of recorded) {
    await view.send(retimed(message, shift));
    await view.frame();
    await each?.();
  }
}

/** The recorded TIME_WAIT stream (see recordStream.ts). */
export function recordedStream(): { port: number; recorded: { offsetMs: number; message: ToView }[] } {
  return JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'panel', 'time-wait.stream.json'), 'utf8'));
}
