import { l10n } from '../../l10n';
import { finding, type Rule } from '../rule';
import type { Finding } from '../types';

/** shutdown-without-close: an owned socket is shut down and then leaves scope unclosed. */
export const shutdownWithoutClose: Rule = {
  id: 'shutdown-without-close',
  defaultSeverity: 'warning',
  languages: ['c', 'cpp', 'python'],
  title: l10n.t('shutdown() is not close()'),
  check(ctx) {
    const out: Finding[] = [];
    for (const { events } of ctx.analyzed) {
      for (const s of events.shutdownLeaks) {
        out.push(finding(ctx, shutdownWithoutClose, s.shut,
          l10n.t('shutdown() ends the conversation but does not release \'{name}\': without close() the descriptor stays allocated and the socket lingers (FIN_WAIT2 or CLOSE_WAIT) on a path that leaves here.', { name: s.variable }),
          [], s.site, l10n.t('\'{name}\' is created here', { name: s.variable })));
      }
    }
    return out;
  },
};
