import { l10n } from '../l10n';
import type { ProgramKind } from './programs';

/** The echo programs' command line as data (DESIGN.md, "The bundled echo programs"). */
export interface EchoOptions {
  host: string;
  port: number;
  /** Server only: SO_REUSEADDR on the listening socket. */
  reuseaddr?: boolean;
  /** SO_LINGER {1, 0}: close() sends RST. */
  lingerZero?: boolean;
  /** SO_KEEPALIVE with idle seconds, probe interval seconds and probe count. */
  keepalive?: readonly [number, number, number];
  /** Server only: never close() after recv() returned 0. */
  noCloseOnEof?: boolean;
  /** Client only: stdin EOF -> shutdown(SHUT_WR) instead of close(). */
  halfClose?: boolean;
}

export const DEFAULT_HOST = '127.0.0.1';

/** The argument array for one program; options that do not apply to `kind` are dropped. */
export function programArgs(kind: ProgramKind, o: EchoOptions): string[] {
  const args = ['--host', o.host, '--port', String(o.port)];
  if (kind === 'server' && o.reuseaddr) {
    args.push('--reuseaddr');
  }
  if (o.lingerZero) {
    args.push('--linger-zero');
  }
  if (o.keepalive) {
    args.push('--keepalive', o.keepalive.join(','));
  }
  if (kind === 'server' && o.noCloseOnEof) {
    args.push('--no-close-on-eof');
  }
  if (kind === 'client' && o.halfClose) {
    args.push('--half-close');
  }
  return args;
}

/** A port typed by a user: the number, or a message saying what is wrong. */
export function parsePort(text: string): { port: number } | { error: string } {
  const trimmed = text.trim();
  const port = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return { error: l10n.t('"{text}" is not a port: enter a whole number from 1 to 65535.', { text: trimmed }) };
  }
  if (port < 1024) {
    return { error: l10n.t('Port {port} is privileged (below 1024) and needs root; use 1024-65535, e.g. 7865.', { port }) };
  }
  return { port };
}

/** "IDLE,INTVL,CNT" as typed by a user, or a message. */
export function parseKeepalive(text: string): { keepalive: [number, number, number] } | { error: string } {
  const parts = text.trim().split(',').map((p) => (/^\d+$/.test(p.trim()) ? Number(p.trim()) : NaN));
  if (parts.length !== 3 || parts.some((n) => !Number.isInteger(n) || n < 1 || n > 32767) || parts[2] > 127) {
    return { error: l10n.t('Keepalive needs three whole numbers IDLE,INTVL,CNT (seconds, seconds, probes), e.g. 3,2,3.') };
  }
  return { keepalive: [parts[0], parts[1], parts[2]] };
}
