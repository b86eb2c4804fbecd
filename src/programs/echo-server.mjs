// echo-server.mjs: the Node version of echo-server.c (same options, same output).
//
//   node echo-server.mjs --port N [--host 127.0.0.1] [--reuseaddr] [--linger-zero]
//                        [--keepalive IDLE,INTVL,CNT] [--no-close-on-eof]
//
// Node (libuv) sets SO_REUSEADDR on every listening socket and offers no way to clear
// it, so this server always runs WITH it and says so; it never pretends to fail a bind.
// One client at a time: later connections wait (already accepted by Node) until it leaves.
import { createServer } from 'node:net';
import {
  event, formatAddress, parseOptions, reportError, say, errnoName, errnoText, setKeepalive, setLingerZero, stdinIsPipe,
} from './echo-common.mjs';

const o = parseOptions(process.argv.slice(2), true);
let client = null;
const waiting = [];
/** Connections being closed; the process waits for them before exiting. */
const closing = [];

if (o.reuseaddr) {
  event('setsockopt', { sock: 'listen', opt: 'SO_REUSEADDR', value: 1, ok: true });
} else {
  say('note: Node.js always sets SO_REUSEADDR on listening sockets and cannot clear it: this server runs WITH it.'
    + ' Use the C or Python runtime to see bind() fail with EADDRINUSE.');
}

const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
  event('accept', { local: formatAddress(socket.localAddress, socket.localPort), peer: formatAddress(socket.remoteAddress, socket.remotePort) });
  say(`accepted ${formatAddress(socket.remoteAddress, socket.remotePort)}`);
  if (o.lingerZero) {
    setLingerZero('conn');
  }
  if (o.keepalive) {
    setKeepalive(socket, 'conn', o.keepalive);
  }
  waiting.push(socket);
  serveNext();
});

function serveNext() {
  if (client !== null || waiting.length === 0) {
    return;
  }
  client = waiting.shift();
  const socket = client;
  socket.on('data', (data) => {
    event('recv', { bytes: data.length });
    // Backpressure: stop reading while the reply cannot be queued, as a blocking write would.
    if (!socket.write(data)) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
    event('send', { bytes: data.length });
    say(`echoed ${data.length} bytes`);
  });
  socket.on('end', () => {
    // The peer sent FIN: it will send nothing more. Our side is now CLOSE_WAIT.
    event('recv', { bytes: 0 });
    say('client closed its side (recv returned 0)');
    if (o.noCloseOnEof) {
      say('not calling close() (--no-close-on-eof): this socket stays in CLOSE_WAIT');
      return;
    }
    closeClient();
  });
  socket.on('error', (error) => {
    reportError('recv', error); // e.g. ECONNRESET: the peer sent RST
    closeClient();
  });
  socket.resume();
}

/** Closes the current connection; with --linger-zero it sends RST instead of FIN. */
function closeClient() {
  if (client === null) {
    return;
  }
  const socket = client;
  client = null;
  closing.push(new Promise((resolve) => socket.once('close', resolve)));
  if (o.lingerZero) {
    socket.resetAndDestroy();
  } else if (socket.writableLength > 0) {
    socket.end(); // flush what Node still buffers, then FIN
  } else {
    socket.destroy();
  }
  event('close', { sock: 'conn' });
  say(`closed the connection${o.lingerZero ? ' (SO_LINGER 0: sent RST)' : ''}`);
  process.nextTick(serveNext);
}

function stop(status) {
  if (client !== null) {
    closeClient(); // with a client connected, the server sends the first FIN
  }
  for (const socket of waiting.splice(0)) {
    socket.destroy();
  }
  server.close();
  event('close', { sock: 'listen' });
  // Exit only once the sockets are really closed: exiting first would let the kernel
  // close them instead, with a FIN where --linger-zero asked for RST.
  const timeout = new Promise((resolve) => setTimeout(resolve, 1000));
  Promise.race([Promise.all(closing), timeout]).then(() => process.exit(status));
}

server.on('error', (error) => {
  const name = errnoName(error);
  if (error.syscall === 'listen' || error.syscall === 'bind') {
    event('bind', { port: o.port, reuse: true, ok: false, errno: name });
    say(`bind() failed: ${name} (${errnoText(name)})`);
  } else {
    reportError(error.syscall ?? 'accept', error);
  }
  process.exit(1);
});

server.listen({ host: o.host, port: o.port, exclusive: true, backlog: 16 }, () => {
  // `reuse` is true even without --reuseaddr: that is what libuv really did.
  event('bind', { port: o.port, reuse: true, ok: true });
  event('listen', { port: o.port, ok: true });
  const address = server.address();
  say(`listening on ${formatAddress(address.address, address.port)} (SO_REUSEADDR ${o.reuseaddr ? 'on' : 'on, forced by Node.js'})`);
});

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    event('signal', { sig });
    say(`interrupted (${sig}): closing sockets`);
    stop(sig === 'SIGINT' ? 130 : 143);
  });
}

if (stdinIsPipe()) {
  process.stdin.on('data', (data) => {
    if (client === null) {
      say('no client connected: input dropped');
      return;
    }
    client.write(data);
    event('send', { bytes: data.length });
    say(`sent ${data.length} bytes`);
  });
  process.stdin.on('end', () => {
    say('stdin closed: stopping');
    stop(0);
  });
}
