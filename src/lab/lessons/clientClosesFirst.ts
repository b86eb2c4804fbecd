import { l10n } from '../../l10n';
import type { LessonScript } from './types';

/** Lesson 2: the client closes first, so TIME_WAIT lands on its ephemeral port. */
export function clientClosesFirstLesson(): LessonScript {
  return {
    id: 'client-closes-first',
    title: l10n.t('The client closes first'),
    summary: l10n.t('Whoever sends the first FIN keeps the TIME_WAIT. Let the client do it and the server restarts freely.'),
    ports: ['main'],
    steps: [
      {
        title: l10n.t('Start the server without SO_REUSEADDR and connect a client'),
        actions: [
          { do: 'startServer', name: 'server', port: 'main' },
          { do: 'startClient', name: 'client', port: 'main' },
          { do: 'type', name: 'client', text: 'hello\n' },
        ],
        expect: [
          { kind: 'event', name: 'client', ev: 'recv', fields: { bytes: 6 } },
          { kind: 'socket', client: 'client', side: 'server', state: 'ESTABLISHED' },
        ],
        explain: l10n.t('One connection, two sockets: the server\'s on the listening port, the client\'s on an ephemeral port the kernel picked.'),
      },
      {
        title: l10n.t('Ctrl+D in the client: it closes first'),
        actions: [{ do: 'endInput', name: 'client' }],
        expect: [
          { kind: 'exited', name: 'client', code: 0 },
          { kind: 'event', name: 'server', ev: 'recv', fields: { bytes: 0 } },
          { kind: 'socket', client: 'client', side: 'client', state: 'TIME_WAIT', timer: 'timewait', minSeconds: 50, orphan: true },
          { kind: 'socket', client: 'client', side: 'server', state: 'gone' },
        ],
        explain: l10n.t('The client sent the first FIN. The server\'s recv() returned 0, it closed too (CLOSE_WAIT -> LAST_ACK -> gone), and the TIME_WAIT sits on the client\'s ephemeral port, not on the server\'s.'),
      },
      {
        title: l10n.t('Restart the server without SO_REUSEADDR'),
        requires: 'listenerWithoutReuse',
        actions: [
          { do: 'interrupt', name: 'server' },
          { do: 'startServer', name: 'server', port: 'main' },
        ],
        expect: [
          { kind: 'event', name: 'server', ev: 'listen', fields: { ok: true } },
          { kind: 'listening', port: 'main' },
        ],
        explain: l10n.t('bind() succeeds without SO_REUSEADDR: the TIME_WAIT belongs to the client\'s port, so nothing holds the server\'s port.'),
      },
    ],
  };
}
