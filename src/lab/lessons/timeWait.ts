import { l10n } from '../../l10n';
import type { LessonScript } from './types';

/**
 * Lesson 1: the server closes first, its side lands in TIME_WAIT, and restarting it needs
 * SO_REUSEADDR on the old AND the new listener (Linux, DOMAIN.md).
 */
export function timeWaitLesson(): LessonScript {
  return {
    id: 'time-wait',
    title: l10n.t('TIME_WAIT and "Address already in use"'),
    summary: l10n.t('Stop a server with Ctrl+C while a client is connected, then restart it: with and without SO_REUSEADDR.'),
    ports: ['main', 'second'],
    steps: [
      {
        title: l10n.t('Start the server without SO_REUSEADDR and connect a client'),
        actions: [
          { do: 'startServer', name: 'server', port: 'main' },
          { do: 'startClient', name: 'client', port: 'main' },
          { do: 'type', name: 'client', text: 'hello\n' },
        ],
        expect: [
          { kind: 'listening', port: 'main' },
          { kind: 'event', name: 'client', ev: 'recv', fields: { bytes: 6 } },
          { kind: 'socket', client: 'client', side: 'server', state: 'ESTABLISHED' },
          { kind: 'socket', client: 'client', side: 'client', state: 'ESTABLISHED' },
        ],
        explain: l10n.t('Each end of the connection is a socket of its own: the server\'s accepted socket and the client\'s socket, both ESTABLISHED. The echo came back.'),
      },
      {
        title: l10n.t('Ctrl+C the server while the client is connected'),
        actions: [{ do: 'interrupt', name: 'server' }],
        expect: [
          { kind: 'exited', name: 'client' },
          { kind: 'socket', client: 'client', side: 'server', state: 'TIME_WAIT', timer: 'timewait', minSeconds: 50, maxSeconds: 60, countdown: true, orphan: true },
          { kind: 'socket', client: 'client', side: 'client', state: 'gone' },
          { kind: 'listening', port: 'main', absent: true },
        ],
        explain: l10n.t('Closing the server sent the first FIN, so the server\'s side of the connection went FIN_WAIT1 -> FIN_WAIT2 -> TIME_WAIT once the client answered with its own FIN. The kernel keeps it for 60 s (2MSL) so late segments of this connection die out; no process owns it any more, and the client\'s side is gone.'),
        timeoutMs: 5000,
      },
      {
        title: l10n.t('Restart the server without SO_REUSEADDR'),
        requires: 'listenerWithoutReuse',
        actions: [{ do: 'startServer', name: 'server', port: 'main' }],
        expect: [
          { kind: 'event', name: 'server', ev: 'bind', fields: { ok: false, errno: 'EADDRINUSE' } },
          { kind: 'exited', name: 'server', code: 1 },
          { kind: 'timeWaitRows', port: 'main', count: 1 },
        ],
        explain: l10n.t('bind() fails with EADDRINUSE: the TIME_WAIT socket still holds the port, and without SO_REUSEADDR the kernel refuses to let a new listener share it.'),
      },
      {
        title: l10n.t('Restart with SO_REUSEADDR right after a run without it'),
        requires: 'listenerWithoutReuse',
        actions: [{ do: 'startServer', name: 'server', port: 'main', flags: { reuseaddr: true } }],
        expect: [
          { kind: 'event', name: 'server', ev: 'bind', fields: { reuse: true, ok: false, errno: 'EADDRINUSE' } },
          { kind: 'exited', name: 'server', code: 1 },
        ],
        explain: l10n.t('Still EADDRINUSE. On Linux a new socket may bind over a TIME_WAIT one only if BOTH set SO_REUSEADDR; the TIME_WAIT socket inherited the old listener\'s setting, which was off. The first restart after adding the fix still fails; every later one works.'),
      },
      {
        title: l10n.t('On a fresh port, run with SO_REUSEADDR and Ctrl+C with a client'),
        actions: [
          { do: 'startServer', name: 'server', port: 'second', flags: { reuseaddr: true } },
          { do: 'startClient', name: 'client2', port: 'second' },
          { do: 'type', name: 'client2', text: 'one\n' },
          { do: 'wait', ms: 200 },
          { do: 'interrupt', name: 'server' },
        ],
        expect: [
          { kind: 'exited', name: 'client2' },
          { kind: 'socket', client: 'client2', side: 'server', state: 'TIME_WAIT', timer: 'timewait' },
        ],
        explain: l10n.t('This TIME_WAIT socket remembers that its listener set SO_REUSEADDR.'),
      },
      {
        title: l10n.t('Restart with SO_REUSEADDR: it binds; do it once more'),
        actions: [
          { do: 'startServer', name: 'server', port: 'second', flags: { reuseaddr: true } },
          { do: 'startClient', name: 'client3', port: 'second' },
          { do: 'type', name: 'client3', text: 'two\n' },
          { do: 'wait', ms: 200 },
          { do: 'interrupt', name: 'server' },
        ],
        expect: [
          { kind: 'event', name: 'server', ev: 'listen', fields: { ok: true } },
          { kind: 'exited', name: 'client3' },
          { kind: 'socket', client: 'client3', side: 'server', state: 'TIME_WAIT', timer: 'timewait' },
        ],
        explain: l10n.t('Both the old and the new listener set SO_REUSEADDR, so bind() succeeds although a TIME_WAIT socket holds the port.'),
      },
      {
        title: l10n.t('Start again while two TIME_WAIT sockets share the port'),
        actions: [{ do: 'startServer', name: 'server', port: 'second', flags: { reuseaddr: true } }],
        expect: [
          { kind: 'event', name: 'server', ev: 'listen', fields: { ok: true } },
          { kind: 'listening', port: 'second' },
          { kind: 'timeWaitRows', port: 'second', count: 2 },
        ],
        explain: l10n.t('A listener and two TIME_WAIT connections share the port. Each TIME_WAIT row is a different 4-tuple (the client ports differ), so a new connection can never be confused with an old one.'),
      },
      {
        title: l10n.t('Stop the server (no client connected)'),
        actions: [{ do: 'interrupt', name: 'server' }],
        expect: [
          { kind: 'exited', name: 'server', code: 130 },
          { kind: 'listening', port: 'second', absent: true },
        ],
        explain: l10n.t('A listening socket has no connection, so closing it leaves no TIME_WAIT behind.'),
      },
    ],
  };
}
