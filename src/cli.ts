#!/usr/bin/env node
import { join } from 'node:path';
import { main } from './cli/main';
import { bundleTranslator, pickLocale } from './cli/locale';
import { setTranslator } from './l10n';

// dist/cli.js -> ../l10n, the same bundles the extension ships.
setTranslator(bundleTranslator(join(__dirname, '..', 'l10n'), pickLocale(process.env)));

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
