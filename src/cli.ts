import './cli/l10nSetup';
import { main } from './cli/main';

// A reader that stops early (`socket-lifecycle lint . | head`) closes the pipe: end quietly, as
// command-line tools do, rather than die on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') {
      throw error;
    }
    process.exit(process.exitCode ?? 0);
  });
}

const interrupted = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, interrupted })
  .then((code) => {
    process.exitCode = code;
  })
  .finally(() => {
    // Open handles (timers, sockets) must not keep a finished command alive. A pipe takes a
    // large report in 64 KiB pieces as its reader drains it: exit once both streams are flushed.
    let pending = 2;
    const done = (): void => {
      if (--pending === 0) {
        setImmediate(() => process.exit(process.exitCode ?? 0));
      }
    };
    process.stdout.write('', done);
    process.stderr.write('', done);
  });
