import { createServer } from 'node:net';
import type { SocketSource } from '../../sockets/types';
import type { PortName } from './types';

/**
 * Below Linux's default ephemeral range (32768-60999), so a client's own port never lands
 * on a lesson's server port, and above the well-known ones.
 */
const LOW = 20000;
const HIGH = 32000;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A random free port per name: nothing in the socket table uses it (not even a TIME_WAIT
 * left by an earlier run, which would make a bind without SO_REUSEADDR fail) and a test
 * listen succeeds. Fixed ports in `given` are used as they are.
 */
export async function pickFreePorts(source: SocketSource, names: readonly PortName[], given: Partial<Record<PortName, number>> = {}): Promise<Record<PortName, number>> {
  const chosen: Partial<Record<PortName, number>> = {};
  const snapshot = await source.read([]);
  const busy = new Set(snapshot.rows.flatMap((r) => [r.local.port, r.remote.port]));
  for (const name of names) {
    const fixed = given[name];
    if (fixed !== undefined) {
      chosen[name] = fixed;
      continue;
    }
    for (let attempt = 0; attempt < 100; attempt++) {
      const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
      if (busy.has(port) || Object.values(chosen).includes(port)) {
        continue;
      }
      if (await canListen(port)) {
        chosen[name] = port;
        break;
      }
    }
    if (chosen[name] === undefined) {
      throw new Error(`no free port found between ${LOW} and ${HIGH}`);
    }
  }
  // Unused names get the main port so lookups never fail.
  return { main: chosen.main ?? 0, second: chosen.second ?? chosen.main ?? 0 };
}
