import { l10n } from '../../l10n';
import type { LessonScript } from './types';

/** Lesson 4: SO_LINGER {1,0} turns close() into RST: no TIME_WAIT, queued data lost. */
export function lingerResetLesson(): LessonScript {
  return {
    id: 'linger-reset',
    title: l10n.t('SO_LINGER 0: close() sends RST'),
    summary: l10n.t('An abortive close skips TIME_WAIT, resets the peer, and throws away data still queued.'),
    ports: ['main'],
    steps: [
      {
        title: l10n.t('Start the server with --linger-zero and connect'),
        actions: [
          { do: 'startServer', name: 'server', port: 'main', flags: { lingerZero: true } },
          { do: 'startClient', name: 'client', port: 'main' },
          { do: 'type', name: 'client', text: 'hello\n' },
        ],
        expect: [
          { kind: 'event', name: 'server', ev: 'setsockopt', fields: { opt: 'SO_LINGER', value: 0, ok: true } },
          { kind: 'event', name: 'client', ev: 'recv', fields: { bytes: 6 } },
        ],
        explain: l10n.t('SO_LINGER with l_onoff 1 and l_linger 0 is set on the accepted socket.'),
      },
      {
        title: l10n.t('The client stops reading; the server sends a large reply'),
        actions: [
          { do: 'pauseOutput', name: 'client' },
          { do: 'typeBulk', name: 'server', bytes: 8 * 1024 * 1024 },
        ],
        expect: [
          { kind: 'socket', client: 'client', side: 'server', state: 'ESTABLISHED', timer: 'probe', minTxQueue: 65536 },
        ],
        explain: l10n.t('The server sends 8 MB (typed into its stdin) but the client is busy (nobody reads its output), so once the client\'s receive buffer is full the rest waits in the server\'s send queue: the tx queue of the server\'s socket is not empty, the server blocks in send(), and a zero-window probe timer runs because the client\'s receive window is closed.'),
        timeoutMs: 8000,
      },
      {
        title: l10n.t('Ctrl+C the server'),
        actions: [{ do: 'interrupt', name: 'server' }],
        expect: [
          { kind: 'socket', client: 'client', side: 'server', state: 'gone' },
          { kind: 'socket', client: 'client', side: 'client', state: 'gone' },
          { kind: 'noRows', port: 'main', states: ['TIME_WAIT', 'FIN_WAIT1', 'FIN_WAIT2', 'CLOSE_WAIT', 'LAST_ACK'] },
        ],
        explain: l10n.t('close() with linger 0 sent RST instead of FIN: the server\'s socket vanished at once (no FIN_WAIT, no TIME_WAIT), the data still queued was discarded, and the client\'s socket was reset and left the table too.'),
      },
      {
        title: l10n.t('The client reads again: part of the reply never arrives'),
        actions: [{ do: 'resumeOutput', name: 'client' }],
        expect: [
          { kind: 'exited', name: 'client' },
          { kind: 'bytesLost', sender: 'server', receiver: 'client' },
        ],
        explain: l10n.t('The client reads what had reached its receive buffer, then the connection is over. Bytes the server had already handed to send() never arrived: an abortive close loses data, which is why SO_LINGER 0 is no cure for TIME_WAIT.'),
        timeoutMs: 8000,
      },
      {
        title: l10n.t('The client\'s recv() failed with ECONNRESET'),
        requires: 'resetErrorReported',
        actions: [],
        expect: [
          { kind: 'event', name: 'client', ev: 'error', fields: { call: 'recv', errno: 'ECONNRESET' } },
          { kind: 'exited', name: 'client', code: 1 },
        ],
        explain: l10n.t('After the buffered data, the next recv() fails with ECONNRESET ("Connection reset by peer"): the RST told the client that the server dropped the connection, not that it finished it.'),
      },
    ],
  };
}
