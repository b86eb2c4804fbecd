// Helpers shared by echo-server.mjs and echo-client.mjs (the Node runtime of the lab):
// the same command line, human output and fd-3 event lines as the C and Python versions.
import { fstatSync, writeSync } from 'node:fs';
import { isIP } from 'node:net';

/** glibc's strerror() texts, so Node prints what C and Python print. */
const ERRNO_TEXT = {
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EACCES: 'Permission denied',
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ECONNABORTED: 'Software caused connection abort',
  EPIPE: 'Broken pipe',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EINVAL: 'Invalid argument',
  ENOTSUP: 'Operation not supported',
};

function isEventsFd(fd) {
  try {
    const st = fstatSync(fd);
    // Node's own fd 3 is an epoll instance when the parent gave none: never a pipe or socket.
    return st.isFIFO() || st.isSocket() || st.isFile();
  } catch {
    return false;
  }
}

let eventsEnabled = isEventsFd(3);

/** Writes {"t":ms,"ev":name,...} as one line to fd 3 when the parent opened it. */
export function event(ev, fields = {}) {
  if (!eventsEnabled) {
    return;
  }
  try {
    writeSync(3, JSON.stringify({ t: Date.now(), ev, ...fields }) + '\n');
  } catch {
    eventsEnabled = false; // the parent is gone: stop reporting, keep running
  }
}

/** Human output goes to stderr; stdout carries only echoed data. */
export function say(text) {
  writeAll(2, Buffer.from(text + '\n'));
}

/** Blocking write of the whole buffer (stdout/stderr may be non-blocking pipes). */
export function writeAll(fd, buffer) {
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(fd, buffer, offset);
    } catch (error) {
      if (error.code !== 'EAGAIN') {
        throw error;
      }
    }
  }
}

export function errnoName(error) {
  return typeof error?.code === 'string' && /^E[A-Z]+$/.test(error.code) ? error.code : 'EUNKNOWN';
}

export function errnoText(name) {
  return ERRNO_TEXT[name] ?? name;
}

/** Prints "<call>() failed: ENAME (text)" like the C and Python versions. */
export function reportError(call, error) {
  const name = errnoName(error);
  say(`${call}() failed: ${name} (${errnoText(name)})`);
  event('error', { call, errno: name });
}

export function stdinIsPipe() {
  try {
    const st = fstatSync(0);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
}

export function formatAddress(host, port) {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function number(text, low, high) {
  if (!/^\d+$/.test(text)) {
    return null;
  }
  const value = Number(text);
  return value >= low && value <= high ? value : null;
}

/** Parses the shared command line; prints the problem and exits 2 on bad input. */
export function parseOptions(argv, server) {
  const prog = server ? 'echo-server' : 'echo-client';
  const o = { host: '127.0.0.1', port: null, reuseaddr: false, lingerZero: false, keepalive: null, noCloseOnEof: false, halfClose: false };
  const fail = (text) => {
    say(`${prog}: ${text}`);
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--host' && value !== undefined) {
      o.host = value;
      i++;
    } else if (arg === '--port' && value !== undefined) {
      o.port = number(value, 1, 65535);
      if (o.port === null) {
        fail(`invalid port '${value}' (expected 1-65535)`);
      }
      i++;
    } else if (arg === '--keepalive' && value !== undefined) {
      const parts = value.split(',').map((p) => number(p, 1, 32767));
      if (parts.length !== 3 || parts.includes(null) || parts[2] > 127) {
        fail(`invalid --keepalive '${value}' (expected IDLE,INTVL,CNT, e.g. 3,2,3)`);
      }
      o.keepalive = parts;
      i++;
    } else if (arg === '--linger-zero') {
      o.lingerZero = true;
    } else if (server && arg === '--reuseaddr') {
      o.reuseaddr = true;
    } else if (server && arg === '--no-close-on-eof') {
      o.noCloseOnEof = true;
    } else if (!server && arg === '--half-close') {
      o.halfClose = true;
    } else {
      fail(`unknown or incomplete option '${arg}'`);
    }
  }
  if (o.port === null) {
    fail('--port is required');
  }
  if (isIP(o.host) === 0) {
    say(`${prog}: --host must be a numeric IPv4 or IPv6 address, not '${o.host}'`);
    process.exit(1);
  }
  return o;
}

/**
 * Keepalive through Node's only knob, setKeepAlive(true, idleMs): it sets SO_KEEPALIVE and
 * TCP_KEEPIDLE. The probe interval and count are not settable from Node; we say so.
 */
export function setKeepalive(socket, which, keepalive) {
  const [idle] = keepalive;
  socket.setKeepAlive(true, idle * 1000);
  event('setsockopt', { sock: which, opt: 'SO_KEEPALIVE', value: 1, ok: true });
  event('setsockopt', { sock: which, opt: 'TCP_KEEPIDLE', value: idle, ok: true });
  for (const [opt, value] of [['TCP_KEEPINTVL', keepalive[1]], ['TCP_KEEPCNT', keepalive[2]]]) {
    event('setsockopt', { sock: which, opt, value, ok: false, errno: 'ENOTSUP' });
  }
  say('note: Node.js can set only the keepalive idle time; the probe interval and count stay at Node\'s own values');
}

/**
 * SO_LINGER {1, 0}. Node applies it at close time (socket.resetAndDestroy() sets it and
 * closes), which is when it matters: close() then sends RST instead of FIN.
 */
export function setLingerZero(which) {
  event('setsockopt', { sock: which, opt: 'SO_LINGER', value: 0, ok: true });
}
