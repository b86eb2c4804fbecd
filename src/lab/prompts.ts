import * as vscode from 'vscode';
import { parseKeepalive, parsePort } from './echoOptions';
import type { ProgramKind } from './programs';

/** What "Start Echo Server/Client" asks for, remembered between runs. */
export interface StartChoice {
  port: number;
  reuseaddr?: boolean;
  lingerZero?: boolean;
  keepalive?: [number, number, number];
  noCloseOnEof?: boolean;
  halfClose?: boolean;
}

/** Reads an options object passed to the command (tests, lessons): only known, valid fields. */
export function readStartArgument(value: unknown): StartChoice | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const v = value as Record<string, unknown>;
  const port = typeof v.port === 'number' ? parsePort(String(v.port)) : undefined;
  if (!port || 'error' in port) {
    return undefined;
  }
  const keepalive = typeof v.keepalive === 'string' ? parseKeepalive(v.keepalive)
    : Array.isArray(v.keepalive) ? parseKeepalive(v.keepalive.join(',')) : undefined;
  return {
    port: port.port,
    reuseaddr: v.reuseaddr === true,
    lingerZero: v.lingerZero === true,
    noCloseOnEof: v.noCloseOnEof === true,
    halfClose: v.halfClose === true,
    keepalive: keepalive && 'keepalive' in keepalive ? keepalive.keepalive : undefined,
  };
}

interface Item<T> extends vscode.QuickPickItem {
  value: T;
}

/**
 * Asks only what matters: the port (with a default), SO_REUSEADDR for a server, and the
 * rest behind "More options...". Undefined when the user cancels.
 */
export async function askStartChoice(kind: ProgramKind, last: StartChoice): Promise<StartChoice | undefined> {
  const portText = await vscode.window.showInputBox({
    title: kind === 'server' ? vscode.l10n.t('Start Echo Server') : vscode.l10n.t('Start Echo Client'),
    prompt: kind === 'server' ? vscode.l10n.t('Port to listen on (127.0.0.1)') : vscode.l10n.t('Port of the server to connect to (127.0.0.1)'),
    value: String(last.port),
    validateInput: (text) => {
      const r = parsePort(text);
      return 'error' in r ? r.error : undefined;
    },
  });
  if (portText === undefined) {
    return undefined;
  }
  const port = (parsePort(portText) as { port: number }).port;
  const more: Item<'more'> = { label: vscode.l10n.t('More options...'), description: vscode.l10n.t('SO_LINGER 0, keepalive, ...'), value: 'more' };
  const items: Item<boolean | 'more'>[] = kind === 'server'
    ? [
      { label: vscode.l10n.t('SO_REUSEADDR off'), description: vscode.l10n.t('like most first servers: a restart can fail with EADDRINUSE'), value: false, picked: !last.reuseaddr },
      { label: vscode.l10n.t('SO_REUSEADDR on'), description: vscode.l10n.t('set before bind(): restarts despite TIME_WAIT'), value: true, picked: last.reuseaddr },
      more,
    ]
    : [{ label: vscode.l10n.t('Connect'), description: vscode.l10n.t('plain client'), value: false }, more];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Options') });
  if (!picked) {
    return undefined;
  }
  if (picked.value !== 'more') {
    return { port, reuseaddr: kind === 'server' ? picked.value : undefined };
  }
  return askAdvanced(kind, port, last);
}

async function askAdvanced(kind: ProgramKind, port: number, last: StartChoice): Promise<StartChoice | undefined> {
  type Flag = 'reuseaddr' | 'lingerZero' | 'noCloseOnEof' | 'halfClose' | 'keepalive';
  const all: Item<Flag>[] = [
    { label: '--reuseaddr', description: vscode.l10n.t('SO_REUSEADDR on the listening socket'), value: 'reuseaddr' },
    { label: '--linger-zero', description: vscode.l10n.t('SO_LINGER {1, 0}: close() sends RST'), value: 'lingerZero' },
    { label: '--keepalive', description: vscode.l10n.t('SO_KEEPALIVE with idle, interval, count'), value: 'keepalive' },
    { label: '--no-close-on-eof', description: vscode.l10n.t('never close() after recv() returns 0 (CLOSE_WAIT)'), value: 'noCloseOnEof' },
    { label: '--half-close', description: vscode.l10n.t('Ctrl+D sends shutdown(SHUT_WR) instead of close()'), value: 'halfClose' },
  ];
  const items = all
    .filter((i) => kind === 'server' ? i.value !== 'halfClose' : i.value !== 'reuseaddr' && i.value !== 'noCloseOnEof')
    .map((i) => ({ ...i, picked: i.value === 'keepalive' ? last.keepalive !== undefined : Boolean(last[i.value]) }));
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: vscode.l10n.t('Advanced options') });
  if (!picked) {
    return undefined;
  }
  const has = (flag: Flag): boolean => picked.some((p) => p.value === flag);
  let keepalive: [number, number, number] | undefined;
  if (has('keepalive')) {
    const text = await vscode.window.showInputBox({
      prompt: vscode.l10n.t('Keepalive IDLE,INTVL,CNT (seconds, seconds, probes)'),
      value: (last.keepalive ?? [3, 2, 3]).join(','),
      validateInput: (t) => {
        const r = parseKeepalive(t);
        return 'error' in r ? r.error : undefined;
      },
    });
    if (text === undefined) {
      return undefined;
    }
    keepalive = (parseKeepalive(text) as { keepalive: [number, number, number] }).keepalive;
  }
  return { port, reuseaddr: has('reuseaddr'), lingerZero: has('lingerZero'), noCloseOnEof: has('noCloseOnEof'), halfClose: has('halfClose'), keepalive };
}
