import { l10n } from '../../l10n';
import type { LessonScript } from './types';

/** Lesson 6: shutdown(SHUT_WR) -> FIN_WAIT2 with no timer, and data still flows back. */
export function halfCloseLesson(): LessonScript {
  return {
    id: 'half-close',
    title: l10n.t('Half-close with shutdown(SHUT_WR)'),
    summary: l10n.t('The client says "I am done sending" but keeps reading; the server can still talk.'),
    ports: ['main'],
    steps: [
      {
        title: l10n.t('Start the server (--no-close-on-eof) and a client with --half-close'),
        actions: [
          { do: 'startServer', name: 'server', port: 'main', flags: { noCloseOnEof: true } },
          { do: 'startClient', name: 'client', port: 'main', flags: { halfClose: true } },
          { do: 'type', name: 'client', text: 'hello\n' },
        ],
        expect: [{ kind: 'event', name: 'client', ev: 'recv', fields: { bytes: 6 } }],
        explain: l10n.t('A normal connection so far.'),
      },
      {
        title: l10n.t('Ctrl+D in the client: shutdown(SHUT_WR)'),
        actions: [{ do: 'endInput', name: 'client' }],
        expect: [
          { kind: 'event', name: 'client', ev: 'shutdown', fields: { how: 'SHUT_WR' } },
          { kind: 'socket', client: 'client', side: 'client', state: 'FIN_WAIT2', timer: 'none', orphan: false },
          { kind: 'socket', client: 'client', side: 'server', state: 'CLOSE_WAIT' },
        ],
        explain: l10n.t('The client sent its FIN but kept the socket open: FIN_WAIT2 with no timer at all, because tcp_fin_timeout applies only to orphans. It can wait for the server forever.'),
      },
      {
        title: l10n.t('The server still sends; the client still receives'),
        actions: [{ do: 'type', name: 'server', text: 'still flowing\n' }],
        expect: [
          { kind: 'recvAfter', name: 'client', after: 'shutdown' },
          { kind: 'socket', client: 'client', side: 'client', state: 'FIN_WAIT2', timer: 'none' },
        ],
        explain: l10n.t('A half-closed connection carries data in the other direction: only the client\'s sending side is finished.'),
      },
      {
        title: l10n.t('Ctrl+C the server: the connection finishes'),
        actions: [{ do: 'interrupt', name: 'server' }],
        expect: [
          { kind: 'exited', name: 'client', code: 0 },
          { kind: 'socket', client: 'client', side: 'client', state: 'TIME_WAIT', timer: 'timewait' },
          { kind: 'socket', client: 'client', side: 'server', state: 'gone' },
        ],
        explain: l10n.t('The server\'s FIN reached the client (recv returned 0) and it closed. The client sent the first FIN, so the TIME_WAIT is on its side.'),
      },
    ],
  };
}
