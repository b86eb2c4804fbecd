import { l10n } from '../../l10n';
import { finding, type Rule } from '../rule';
import type { Finding } from '../types';

/** reuseaddr-after-bind: SO_REUSEADDR set only once the socket is already bound. */
export const reuseaddrAfterBind: Rule = {
  id: 'reuseaddr-after-bind',
  defaultSeverity: 'warning',
  languages: ['c', 'cpp', 'python'],
  title: l10n.t('SO_REUSEADDR set after bind()'),
  check(ctx) {
    const out: Finding[] = [];
    for (const { events } of ctx.analyzed) {
      for (const e of events.reuseAfterBind) {
        out.push(finding(ctx, reuseaddrAfterBind, e.call,
          l10n.t('SO_REUSEADDR on \'{name}\' comes after bind(), where it has no effect: the bind already failed or succeeded without it. Move this call before bind().', { name: e.variable })));
      }
    }
    return out;
  },
};
