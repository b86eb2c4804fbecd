// `npm start`: builds the extension and opens it in VS Code.
//   - desktop `code` on PATH: `code --extensionDevelopmentPath=<this folder> <workspace>`
//   - otherwise: the same code-server the tests use, on 127.0.0.1, with a printed URL
// Usage: npm start [-- <folder to open>] ; SOCKET_LIFECYCLE_PORT picks the port (default 8080).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort, startCodeServer } from './codeServer.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const workspace = resolve(process.argv[2] ?? resolve(ROOT, 'test', 'fixtures', 'workspace'));
if (!existsSync(workspace)) {
  console.error(`No such folder: ${workspace}`);
  process.exit(2);
}

const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) {
  process.exit(build.status ?? 1);
}

const hasDesktopCode = spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasDesktopCode && process.env.SOCKET_LIFECYCLE_BACKEND !== 'code-server') {
  console.log(`Opening VS Code with the extension from ${ROOT}`);
  spawn('code', [`--extensionDevelopmentPath=${ROOT}`, workspace], { stdio: 'inherit' });
} else {
  const wanted = Number(process.env.SOCKET_LIFECYCLE_PORT ?? 8080);
  const port = await portOr(wanted);
  // The development payload is honoured only with the smoke-test driver option.
  const server = await startCodeServer({ port, smokeTestDriver: true, inherit: false });
  const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${ROOT}`]]);
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
  console.log(`\nSocket Lifecycle is running in VS Code (code-server) at:\n\n  ${url}\n\nOpen it in a browser on this machine. Press Ctrl+C to stop.`);
  const stop = () => {
    server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.child.on('exit', (code) => {
    console.error(`code-server stopped (exit ${code}).`);
    process.exit(1);
  });
}

/** The wanted port if it is free, else any free port. */
async function portOr(wanted) {
  const { createServer } = await import('node:net');
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', () => freePort().then(resolvePort));
    probe.listen(wanted, '127.0.0.1', () => probe.close(() => resolvePort(wanted)));
  });
}
