import { l10n } from '../l10n';
import type { SocketRow, Transition } from '../sockets/types';
import type { EchoEvent } from './echoProcess';
import type { ProgramKind } from './programs';

/**
 * Turns one program's own events and the watcher's transitions into short explanations
 * that its terminal writes (dimmed) between the program's lines. Pure: the terminal feeds
 * it, tests feed it recorded events and rows.
 */
export class Annotator {
  private connected = false;
  private localPort: number | undefined;
  private readonly said = new Set<string>();

  constructor(private readonly kind: ProgramKind, readonly port: number, private readonly noCloseOnEof = false) {}

  /** Annotations for one program event; `rows` is the watcher's latest view (for bind failures). */
  onEvent(e: EchoEvent, rows: readonly SocketRow[]): string[] {
    switch (e.ev) {
      case 'connect':
        if (e.ok === true && typeof e.local === 'string') {
          this.localPort = Number(e.local.slice(e.local.lastIndexOf(':') + 1));
          this.connected = true;
        }
        return [];
      case 'accept':
        this.connected = true;
        return [];
      case 'bind':
        return e.ok === false ? this.bindFailed(e, rows) : [];
      case 'setsockopt':
        return e.opt === 'SO_LINGER' && e.ok === true
          ? this.once('linger', l10n.t('SO_LINGER {1, 0} is set: close() will send RST instead of FIN, skip TIME_WAIT, and throw away unsent data.'))
          : [];
      case 'recv':
        if (e.bytes !== 0) {
          return [];
        }
        if (this.kind === 'client') {
          return [l10n.t('recv() returned 0: the server sent the first FIN. The client closes now, so the server\'s side of this connection ends in TIME_WAIT.')];
        }
        return this.noCloseOnEof
          ? [l10n.t('recv() returned 0 (the client\'s FIN) and the server does not call close(): its socket stays in CLOSE_WAIT. CLOSE_WAIT has no timer; it never goes away until the program calls close() or exits.')]
          : [l10n.t('recv() returned 0: the client sent the first FIN, so the TIME_WAIT will sit on the client\'s port, not on {port}.', { port: this.port })];
      case 'shutdown':
        return [l10n.t('shutdown(SHUT_WR) sent FIN but kept the socket open: it waits in FIN_WAIT2 with no timer, and data can still arrive from the other side.')];
      case 'signal':
        if (this.kind === 'server' && this.connected) {
          return [l10n.t('Ctrl+C: the server closes its sockets while a client is connected, so the SERVER sends the first FIN and its side will wait in TIME_WAIT for 60 s.')];
        }
        return [];
      case 'error':
        if (e.errno === 'ECONNRESET') {
          return [l10n.t('ECONNRESET: the peer answered with RST (an abortive close such as SO_LINGER 0). No FIN handshake, no TIME_WAIT, and data still in flight is lost.')];
        }
        return [];
      default:
        return [];
    }
  }

  private bindFailed(e: EchoEvent, rows: readonly SocketRow[]): string[] {
    const port = typeof e.port === 'number' ? e.port : this.port;
    if (e.errno === 'EACCES') {
      return [l10n.t('bind() failed with EACCES: ports below 1024 need root. Use a port from 1024 to 65535.')];
    }
    if (e.errno !== 'EADDRINUSE') {
      return [];
    }
    const listener = rows.find((r) => r.state === 'LISTEN' && r.local.port === port);
    if (listener) {
      const owner = listener.process
        ? l10n.t('{process} (pid {pid})', { process: listener.process, pid: listener.pid ?? '?' })
        : l10n.t('another program (its owner is not visible to us)');
      return [l10n.t('bind() failed: {owner} is already listening on port {port}. Stop it or choose another port.', { owner, port })];
    }
    const timeWaits = rows.filter((r) => r.state === 'TIME_WAIT' && r.local.port === port);
    const closing = rows.filter((r) => r.local.port === port && r.state !== 'TIME_WAIT' && r.state !== 'LISTEN');
    const lines: string[] = [];
    if (timeWaits.length > 0) {
      const seconds = Math.max(...timeWaits.map((r) => r.timer?.seconds ?? 0));
      lines.push(l10n.t('bind() failed: {count} connection(s) of an earlier run still hold port {port} in TIME_WAIT (about {seconds} s left). The kernel keeps them so late segments die out.', {
        count: timeWaits.length, port, seconds: Math.ceil(seconds),
      }));
    } else if (closing.length > 0) {
      lines.push(l10n.t('bind() failed: a connection of an earlier run on port {port} is still closing ({state}).', { port, state: closing[0].state }));
    } else {
      lines.push(l10n.t('bind() failed: port {port} is still in use.', { port }));
    }
    lines.push(e.reuse === true
      ? l10n.t('This run set SO_REUSEADDR, but on Linux the OLD listener must have set it too: the first restart after adding it still fails. Every run with it will restart freely; or wait for TIME_WAIT to end.')
      : l10n.t('Fix: set SO_REUSEADDR before bind() (Start Echo Server with SO_REUSEADDR on). On Linux both the old and the new listener need it, so the next restart after that works.'));
    return lines;
  }

  /** Annotations for watcher transitions on this program's connection(s). */
  onTransitions(transitions: readonly Transition[]): string[] {
    const lines: string[] = [];
    for (const t of transitions) {
      if (!this.concerns(t.row)) {
        continue;
      }
      const where = `${t.row.local.address}:${t.row.local.port} <-> ${t.row.remote.address}:${t.row.remote.port}`;
      if (t.row.state === 'LISTEN') {
        continue;
      }
      switch (t.kind) {
        case 'appeared':
          lines.push(`kernel: ${where} ${t.row.state}${this.why(t.row)}`);
          break;
        case 'changed':
          lines.push(`kernel: ${where} ${t.from} -> ${t.row.state}${this.why(t.row)}`);
          break;
        case 'gone':
          lines.push(`kernel: ${where} ${l10n.t('gone (was {state})', { state: t.row.state })}`);
          break;
      }
    }
    return lines;
  }

  private concerns(row: SocketRow): boolean {
    // The server watches its port's connections; a client only its own connection.
    if (this.kind === 'server') {
      return row.local.port === this.port;
    }
    return this.localPort !== undefined && row.local.port === this.localPort && row.remote.port === this.port;
  }

  private why(row: SocketRow): string {
    const seconds = row.timer ? Math.round(row.timer.seconds) : undefined;
    switch (row.state) {
      case 'TIME_WAIT':
        return ' ' + l10n.t('({seconds} s; this side sent the first FIN)', { seconds: seconds ?? 60 });
      case 'CLOSE_WAIT':
        return ' ' + l10n.t('(the peer closed; no timer: it lasts until this program calls close())');
      case 'FIN_WAIT2':
        return row.inode === 0
          ? ' ' + l10n.t('(orphaned: the kernel frees it after tcp_fin_timeout, {seconds} s left)', { seconds: seconds ?? '?' })
          : ' ' + l10n.t('(no timer: the socket is still open and waits for the peer\'s FIN)');
      case 'ESTABLISHED':
        return row.timer?.kind === 'keepalive' ? ' ' + l10n.t('(keepalive probe in {seconds} s)', { seconds: seconds ?? '?' }) : '';
      default:
        return '';
    }
  }

  private once(key: string, line: string): string[] {
    if (this.said.has(key)) {
      return [];
    }
    this.said.add(key);
    return [line];
  }
}
