import { l10n } from '../../l10n';
import type { TcpState } from '../states';
import type { Side } from './types';

/** The endpoint as the subject of a sentence. */
export function sideName(side: Side): string {
  return side === 'client' ? l10n.t('The client') : l10n.t('The server');
}

/** The state as learners read it in RFC 9293 and netstat (Linux's CLOSE is CLOSED there). */
export function stateName(state: TcpState): string {
  return state === 'CLOSE' ? 'CLOSED' : state;
}

/** Simulated time for a sentence: "200 ms", "3 s", "60.13 s", "2 h 0 min". */
export function duration(ms: number): string {
  if (ms < 1000) {
    return l10n.t('{n} ms', { n: ms });
  }
  if (ms < 3_600_000) {
    return l10n.t('{n} s', { n: Number((ms / 1000).toFixed(3)) });
  }
  return l10n.t('{h} h {m} min', { h: Math.floor(ms / 3_600_000), m: Math.round((ms % 3_600_000) / 60_000) });
}
