import { l10n } from '../../l10n';
import type { LessonScript } from './types';

/** Lesson 3: a program that never calls close() after EOF leaves CLOSE_WAIT forever. */
export function closeWaitLesson(finTimeoutSeconds = 60): LessonScript {
  return {
    id: 'close-wait',
    title: l10n.t('CLOSE_WAIT: the forgotten close()'),
    summary: l10n.t('The server reads EOF but never closes: its socket stays in CLOSE_WAIT while the peer waits in FIN_WAIT2.'),
    ports: ['main'],
    steps: [
      {
        title: l10n.t('Start a server that ignores EOF (--no-close-on-eof) and connect'),
        actions: [
          { do: 'startServer', name: 'server', port: 'main', flags: { noCloseOnEof: true } },
          { do: 'startClient', name: 'client', port: 'main' },
          { do: 'type', name: 'client', text: 'hello\n' },
        ],
        expect: [
          { kind: 'event', name: 'client', ev: 'recv', fields: { bytes: 6 } },
          { kind: 'socket', client: 'client', side: 'server', state: 'ESTABLISHED' },
        ],
        explain: l10n.t('A normal connection so far.'),
      },
      {
        title: l10n.t('The client closes; the server does not'),
        actions: [{ do: 'endInput', name: 'client' }],
        expect: [
          { kind: 'event', name: 'server', ev: 'recv', fields: { bytes: 0 } },
          { kind: 'socket', client: 'client', side: 'server', state: 'CLOSE_WAIT', timer: 'none', rxQueue: [0, 1], orphan: false },
          { kind: 'socket', client: 'client', side: 'client', state: 'FIN_WAIT2', timer: 'timewait', orphan: true },
        ],
        explain: l10n.t('The server\'s recv() returned 0 and it never called close(): its socket is CLOSE_WAIT, has no timer, and will stay until the program closes it or exits. Receive queue 1 means the FIN was never read; 0 (as here) means recv() consumed it. The client already exited, so its side is an orphaned FIN_WAIT2 with a timer: the kernel drops it after tcp_fin_timeout ({seconds} s on this machine) even though the CLOSE_WAIT lives on.', { seconds: finTimeoutSeconds }),
      },
      {
        title: l10n.t('Wait: nothing changes for the CLOSE_WAIT'),
        actions: [{ do: 'wait', ms: 1500 }],
        expect: [
          { kind: 'socket', client: 'client', side: 'server', state: 'CLOSE_WAIT', timer: 'none' },
          { kind: 'socket', client: 'client', side: 'client', state: 'FIN_WAIT2', timer: 'timewait', countdown: true },
        ],
        explain: l10n.t('The orphan\'s timer counts down; the CLOSE_WAIT has none. Leaked like this, one socket per client piles up until the process runs out of file descriptors.'),
      },
      {
        title: l10n.t('Ctrl+C the server: closing ends the CLOSE_WAIT'),
        actions: [{ do: 'interrupt', name: 'server' }],
        expect: [
          { kind: 'socket', client: 'client', side: 'server', state: 'gone' },
          { kind: 'socket', client: 'client', side: 'client', state: 'TIME_WAIT', timer: 'timewait' },
        ],
        explain: l10n.t('close() finally sent the server\'s FIN (CLOSE_WAIT -> LAST_ACK -> gone once acknowledged). The client\'s orphan received it and moved on to TIME_WAIT, the end every first closer gets.'),
      },
    ],
  };
}
