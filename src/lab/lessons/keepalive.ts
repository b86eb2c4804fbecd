import { l10n } from '../../l10n';
import type { LessonScript } from './types';

const IDLE = 2;

/** Lesson 5: SO_KEEPALIVE puts a timer on an idle connection; probes are answered on loopback. */
export function keepaliveLesson(): LessonScript {
  return {
    id: 'keepalive',
    title: l10n.t('Keepalive timers'),
    summary: l10n.t('With SO_KEEPALIVE an idle connection gets a timer; when it fires, a probe checks the peer.'),
    ports: ['main'],
    steps: [
      {
        title: l10n.t('Connect with --keepalive {idle},1,3 on both ends', { idle: IDLE }),
        actions: [
          { do: 'startServer', name: 'server', port: 'main', flags: { keepalive: [IDLE, 1, 3] } },
          { do: 'startClient', name: 'client', port: 'main', flags: { keepalive: [IDLE, 1, 3] } },
          { do: 'type', name: 'client', text: 'hello\n' },
        ],
        expect: [
          { kind: 'event', name: 'client', ev: 'recv', fields: { bytes: 6 } },
          { kind: 'socket', client: 'client', side: 'server', state: 'ESTABLISHED', timer: 'keepalive', maxSeconds: IDLE + 0.5 },
          { kind: 'socket', client: 'client', side: 'client', state: 'ESTABLISHED', timer: 'keepalive', maxSeconds: IDLE + 0.5 },
        ],
        explain: l10n.t('Both sockets show a keepalive timer of at most {idle} s (TCP_KEEPIDLE): the time of silence after which the kernel sends a probe.', { idle: IDLE }),
      },
      {
        title: l10n.t('Stay idle and watch the timer'),
        actions: [{ do: 'wait', ms: (IDLE + 1) * 1000 }],
        expect: [
          { kind: 'socket', client: 'client', side: 'server', state: 'ESTABLISHED', timer: 'keepalive', countdown: true, maxProbes: 0 },
        ],
        explain: l10n.t('The timer fired and was armed again: a probe went out and the peer answered at once, so the unanswered-probe count stays 0. Against a peer that vanished the count would rise to TCP_KEEPCNT and the socket would fail with ETIMEDOUT; loopback cannot lose a peer, so the panel simulates that part.'),
        timeoutMs: 5000,
      },
      {
        title: l10n.t('Close the client'),
        actions: [{ do: 'endInput', name: 'client' }],
        expect: [
          { kind: 'socket', client: 'client', side: 'client', state: 'TIME_WAIT', timer: 'timewait' },
        ],
        explain: l10n.t('Keepalive ends with the connection; the first closer (the client) keeps the TIME_WAIT.'),
      },
    ],
  };
}
