import { l10n } from '../../l10n';
import type { Expr } from '../expr';
import { insertBefore, pySocketPrefix } from '../fixes';
import type { FnInfo } from '../flow';
import { finding, type Rule, type RuleContext } from '../rule';
import { field, named, visit, type SNode } from '../syntax';
import { escapeRegExp } from '../text';
import type { Finding, Fix } from '../types';

const SERVER_BASES = /^(TCPServer|ThreadingTCPServer|ForkingTCPServer)$/;

/** missing-reuseaddr: a listening TCP socket bound without SO_REUSEADDR set before bind(). */
export const missingReuseaddr: Rule = {
  id: 'missing-reuseaddr',
  defaultSeverity: 'warning',
  languages: ['c', 'cpp', 'python'],
  title: l10n.t('Listening socket bound without SO_REUSEADDR'),
  check(ctx) {
    const out: Finding[] = [];
    if (ctx.facts.winsock) {
      return out;
    }
    const message = l10n.t('No SO_REUSEADDR before bind(): after a restart, connections of the previous run still in TIME_WAIT (60 s on Linux) make bind() fail with EADDRINUSE. Set it on every run; on Linux a TIME_WAIT socket from a run without it blocks even a new socket that sets it.');
    for (const { fn, events } of ctx.analyzed) {
      for (const m of events.missingReuse) {
        const late = events.reuseAfterBind.some((e) => e.variable === m.variable);
        if (late || !(events.listens.has(m.variable) || ctx.listened(fn, m.variable) || listenedElsewhere(ctx, fn, m.variable))) {
          continue;
        }
        out.push(finding(ctx, missingReuseaddr, m.bind, message, [reuseFix(ctx, m.variable, m.bind, fn.body)], m.site,
          l10n.t('\'{name}\' is created here', { name: m.variable })));
      }
    }
    if (ctx.language === 'python') {
      out.push(...socketServers(ctx, message));
    }
    return out;
  },
};

/** A socket kept in a global, member or attribute may be listen()ed in another function. */
function listenedElsewhere(ctx: RuleContext, fn: FnInfo, key: string): boolean {
  if (fn.locals.has(key) || fn.params.includes(key)) {
    return false;
  }
  const k = escapeRegExp(key);
  const c = new RegExp(`\\blisten\\s*\\(\\s*(this\\s*->\\s*)?${k}\\s*[,)]`);
  const py = new RegExp(`\\b${k}\\s*\\.\\s*listen\\s*\\(`);
  return ctx.language === 'python' ? py.test(ctx.facts.text) : c.test(ctx.facts.text);
}

function reuseFix(ctx: RuleContext, variable: string, bind: SNode, body: SNode): Fix {
  const title = l10n.t('Set SO_REUSEADDR before bind()');
  if (ctx.language === 'python') {
    const p = pySocketPrefix(ctx.facts.text);
    return { title, preferred: true, edits: insertBefore(ctx, bind, [`${variable}.setsockopt(${p}SOL_SOCKET, ${p}SO_REUSEADDR, 1)`]) };
  }
  const fnText = ctx.facts.text.slice(body.start, body.end);
  const name = ['opt', 'reuse', 'reuse_opt', 'reuseaddr_on'].find((n) => !new RegExp(`\\b${n}\\b`).test(fnText)) ?? 'reuseaddr_on_';
  return {
    title, preferred: true,
    edits: insertBefore(ctx, bind, [`int ${name} = 1;`, `setsockopt(${variable}, SOL_SOCKET, SO_REUSEADDR, &${name}, sizeof(${name}));`]),
  };
}

function enclosingDef(n: SNode): SNode | undefined {
  let p = n.parent;
  while (p && p.type !== 'function_definition') {
    p = p.parent;
  }
  return p;
}

/**
 * A socketserver subclass's method that makes the bind reuse the address: `__init__` setting
 * `self.allow_reuse_address = True` before it calls the base `__init__` (which binds), or a
 * `server_bind` that sets SO_REUSEADDR itself.
 */
function methodReuses(x: Expr, member: SNode): boolean {
  const def = member.type === 'decorated_definition' ? named(member).find((c) => c.type === 'function_definition') : member;
  if (!def || def.type !== 'function_definition') {
    return false;
  }
  const name = field(def, 'name');
  const body = field(def, 'body');
  if (!name || !body) {
    return false;
  }
  if (x.src(name) === 'server_bind') {
    return /\bSO_REUSEADDR\b/.test(x.src(body));
  }
  if (x.src(name) !== '__init__') {
    return false;
  }
  for (const stmt of named(body)) {
    const text = x.src(stmt);
    if (/^self\.allow_reuse_address\s*=\s*(True|1)\b/.test(text)) {
      return true;
    }
    if (/\b__init__\s*\(/.test(text)) {
      return false; // the base class has bound already
    }
  }
  return false;
}

/** socketserver.TCPServer (or a subclass) constructed while allow_reuse_address stays False. */
function socketServers(ctx: RuleContext, message: string): Finding[] {
  const x = ctx.facts.expr;
  const classes = new Map<string, { bases: string[]; reuse: boolean }>();
  // `Cls.allow_reuse_address = True` counts for constructions after it, in its function or the module.
  const setLater = new Map<string, SNode[]>();
  visit(ctx.facts.root, (n) => {
    if (n.type === 'class_definition') {
      const name = field(n, 'name');
      const sup = field(n, 'superclasses');
      const body = field(n, 'body');
      let reuse = false;
      for (const s of body ? named(body) : []) {
        if (/^\s*allow_reuse_address\s*=\s*(True|1)\b/.test(x.src(s)) || methodReuses(x, s)) {
          reuse = true;
        }
      }
      if (name) {
        classes.set(x.src(name), { bases: sup ? named(sup).map((b) => x.baseName(x.src(b))) : [], reuse });
      }
    }
    if (n.type === 'assignment') {
      const m = /^([\w.]+)\.allow_reuse_address$/.exec(x.src(field(n, 'left') ?? n).replace(/\s+/g, ''));
      if (m && /^(True|1)$/.test(x.src(field(n, 'right') ?? n).trim())) {
        const list = setLater.get(x.baseName(m[1])) ?? [];
        list.push(n);
        setLater.set(x.baseName(m[1]), list);
      }
    }
    return true;
  });
  const patched = (cls: string, at: SNode): boolean => (setLater.get(cls) ?? []).some((a) => a.start < at.start
    && (enclosingDef(a) === undefined || enclosingDef(a) === enclosingDef(at)));
  const reuses = (cls: string, at: SNode, depth = 0): boolean | undefined => {
    if (patched(cls, at)) {
      return true;
    }
    if (SERVER_BASES.test(cls)) {
      return false;
    }
    const c = classes.get(cls);
    if (!c || depth > 8) {
      return undefined;
    }
    if (c.reuse) {
      return true;
    }
    let sawServer = false;
    for (const b of c.bases) {
      const r = reuses(b, at, depth + 1);
      if (r === true) {
        return true;
      }
      if (r === false) {
        sawServer = true;
      }
    }
    return sawServer ? false : undefined;
  };
  const out: Finding[] = [];
  visit(ctx.facts.root, (n) => {
    if (n.type === 'call') {
      const callee = x.calleeOf(n);
      const cls = x.baseName(callee);
      if (reuses(cls, n) === false && !/bind_and_activate\s*=\s*False/.test(x.src(n))) {
        const fix: Fix = {
          title: l10n.t('Set allow_reuse_address before creating the server'), preferred: true,
          edits: insertBefore(ctx, n, [`${callee}.allow_reuse_address = True`]),
        };
        out.push(finding(ctx, missingReuseaddr, n, message, fix.edits.length > 0 ? [fix] : []));
      }
    }
    return true;
  });
  return out;
}
