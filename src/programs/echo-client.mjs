// echo-client.mjs: the Node version of echo-client.c (same options, same output).
//
//   node echo-client.mjs --port N [--host 127.0.0.1] [--half-close] [--linger-zero]
//                        [--keepalive IDLE,INTVL,CNT]
//
// Sends stdin to the server and writes the echo to stdout (messages go to stderr). When
// stdin ends it closes the connection (the client sends the first FIN); with --half-close
// it calls shutdown(SHUT_WR) (socket.end()) and keeps reading until the server closes.
import { connect } from 'node:net';
import {
  errnoName, errnoText, event, formatAddress, parseOptions, reportError, say, setKeepalive, setLingerZero, writeAll,
} from './echo-common.mjs';

const o = parseOptions(process.argv.slice(2), false);
const target = formatAddress(o.host, o.port);
let connected = false;
let closed = false;

if (o.lingerZero) {
  setLingerZero('conn');
}
const socket = connect({ host: o.host, port: o.port, allowHalfOpen: true });
if (o.keepalive) {
  setKeepalive(socket, 'conn', o.keepalive);
}

socket.on('connect', () => {
  connected = true;
  const local = formatAddress(socket.localAddress, socket.localPort);
  event('connect', { local, peer: target, ok: true });
  say(`connected to ${target} from ${local}`);
  process.stdin.on('data', (data) => {
    socket.write(data);
    event('send', { bytes: data.length });
  });
  process.stdin.on('end', () => {
    if (!o.halfClose) {
      say('stdin closed: closing the connection');
      finish(0);
      return;
    }
    // Half-close: send our FIN but keep the socket open to read the rest.
    socket.end();
    event('shutdown', { how: 'SHUT_WR' });
    say('stdin closed: sent FIN with shutdown(SHUT_WR), still reading');
  });
});

socket.on('data', (data) => {
  event('recv', { bytes: data.length });
  try {
    writeAll(1, data); // blocking, like C's write(): a slow reader slows the whole client
  } catch (error) {
    reportError('write', error);
    finish(1);
  }
});

socket.on('end', () => {
  // The server sent FIN. Closing now answers with ours: no CLOSE_WAIT left.
  event('recv', { bytes: 0 });
  say('server closed the connection (recv returned 0)');
  finish(0);
});

socket.on('error', (error) => {
  if (!connected) {
    const name = errnoName(error);
    event('connect', { peer: target, ok: false, errno: name });
    say(`connect() to ${target} failed: ${name} (${errnoText(name)})`);
    process.exit(1);
  }
  reportError('recv', error); // ECONNRESET: the server's close() sent RST
  finish(1);
});

/** Closes the socket (RST with --linger-zero) and exits with `status`. */
function finish(status) {
  if (closed) {
    return;
  }
  closed = true;
  // Exit once the socket is really closed (see echo-server.mjs), at most a second later.
  socket.once('close', () => process.exit(status));
  setTimeout(() => process.exit(status), 1000);
  // resetAndDestroy() on a socket still connecting waits for the connection before it acts;
  // with no connection yet there is nothing to reset, so destroy() it now (as C's close() does).
  if (o.lingerZero && !socket.connecting) {
    socket.resetAndDestroy();
  } else {
    socket.destroy();
  }
  event('close', { sock: 'conn' });
  say(`closed${o.lingerZero ? ' (SO_LINGER 0: sent RST)' : ''}`);
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    event('signal', { sig });
    say(`interrupted (${sig}): closing the connection`);
    finish(sig === 'SIGINT' ? 130 : 143);
  });
}
