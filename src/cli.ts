#!/usr/bin/env node
import './cli/l10nSetup';
import { main } from './cli/main';

const interrupted = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, interrupted })
  .then((code) => {
    process.exitCode = code;
  })
  .finally(() => {
    // Open handles (timers, sockets) must not keep a finished command alive.
    setImmediate(() => process.exit(process.exitCode ?? 0));
  });
