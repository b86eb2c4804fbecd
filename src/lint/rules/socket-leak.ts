import { l10n } from '../../l10n';
import { finding, type Rule } from '../rule';
import type { SNode } from '../syntax';
import type { Finding } from '../types';
import { closeFix } from './socketLeakFix';

/** socket-leak: an owned socket neither closed nor handed off on a path leaving its scope. */
export const socketLeak: Rule = {
  id: 'socket-leak',
  defaultSeverity: 'warning',
  languages: ['c', 'cpp', 'python'],
  title: l10n.t('Socket not closed on every path'),
  check(ctx) {
    const out: Finding[] = [];
    for (const { events } of ctx.analyzed) {
      // The sockets that surely leak at each exit: one finding there, whose fix closes them all.
      const leaking = new Map<SNode, string[]>();
      for (const leak of events.leaks) {
        const names = leaking.get(leak.at) ?? [];
        if (leak.definite && !names.includes(leak.variable)) {
          names.push(leak.variable);
        }
        leaking.set(leak.at, names);
      }
      for (const leak of events.leaks) {
        const next = leak.kind === 'back' || leak.kind === 'continue';
        const message = next
          ? l10n.t('\'{name}\' is still open when this path goes on to the next connection: once the peer closes, this side stays in CLOSE_WAIT and the descriptor leaks. Close it (or hand it off) first.', { name: leak.variable })
          : leak.kind === 'break'
          ? l10n.t('\'{name}\' is still open when this break leaves the loop, and nothing closes it afterwards: once the peer has sent FIN, this side stays in CLOSE_WAIT and the descriptor leaks.', { name: leak.variable })
          : l10n.t('\'{name}\' leaks on this path: it is neither closed nor handed off. The descriptor and the kernel socket stay allocated; if the peer has sent FIN, this side sits in CLOSE_WAIT until the process exits.', { name: leak.variable });
        // A macro that returns or jumps (`TRY(bind(...));`) leaves only when its condition
        // holds: a close() before it would close the socket on the good path too.
        const inMacro = leak.at.type === 'expression_statement' && (leak.kind === 'return' || leak.kind === 'goto');
        const fix = leak.definite && !inMacro ? closeFix(ctx, leaking.get(leak.at)!, leak.at, leak.kind === 'back' || leak.kind === 'fall') : undefined;
        out.push(finding(ctx, socketLeak, leak.at, message, fix ? [fix] : [], leak.site, l10n.t('\'{name}\' is created here', { name: leak.variable })));
      }
      for (const drop of events.dropLeaks) {
        const message = l10n.t('This drops the last reference to \'{name}\' without closing it: the socket stays open (CLOSE_WAIT after the peer\'s FIN) and nobody can close it any more.', { name: drop.variable });
        const fix = drop.definite && /^[A-Za-z_]\w*$/.test(drop.variable) ? closeFix(ctx, [drop.variable], drop.drop, false) : undefined;
        out.push(finding(ctx, socketLeak, drop.drop, message, fix ? [fix] : [], drop.site, l10n.t('\'{name}\' comes from here', { name: drop.variable })));
      }
    }
    return out;
  },
};
