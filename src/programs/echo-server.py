#!/usr/bin/env python3
"""echo-server.py: the Python version of echo-server.c (same options, same output).

    echo-server.py --port N [--host 127.0.0.1] [--reuseaddr] [--linger-zero]
                   [--keepalive IDLE,INTVL,CNT] [--no-close-on-eof]

A plain socket.socket() is used on purpose: socket.create_server() would set
SO_REUSEADDR for us and hide the lesson. One client at a time; Ctrl+C closes the
sockets, so with a client connected the server sends the first FIN.
"""
import os
import select
import signal
import socket
import sys

from echo_common import (BUFFER_SIZE, errno_name, event, family_of, format_address, parse_options, report_error,
                         say, send_all, set_keepalive, set_linger_zero, set_option, stdin_is_pipe)


def open_listener(o):
    family = family_of(o.host, "echo-server")
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        # Before bind(). On Linux a port held by TIME_WAIT can be reused only if the old
        # socket AND this one both set SO_REUSEADDR.
        if o.reuseaddr:
            set_option(listener, "listen", socket.SOL_SOCKET, socket.SO_REUSEADDR, "SO_REUSEADDR", 1, 1)
        try:
            listener.bind((o.host, o.port))
        except OSError as err:
            name = errno_name(err.errno)
            event("bind", port=o.port, reuse=o.reuseaddr, ok=False, errno=name)
            say(f"bind() failed: {name} ({os.strerror(err.errno)})")
            raise
        event("bind", port=o.port, reuse=o.reuseaddr, ok=True)
        try:
            listener.listen(16)
        except OSError as err:
            event("listen", port=o.port, ok=False, errno=errno_name(err.errno))
            say(f"listen() failed: {errno_name(err.errno)} ({os.strerror(err.errno)})")
            raise
        event("listen", port=o.port, ok=True)
    except OSError:
        listener.close()
        return None
    say(f"listening on {format_address(listener.getsockname())} (SO_REUSEADDR {'on' if o.reuseaddr else 'off'})")
    return listener


def accept_client(listener, o):
    try:
        client, _ = listener.accept()
    except OSError as err:
        report_error("accept", err)
        return None
    event("accept", local=format_address(client.getsockname()), peer=format_address(client.getpeername()))
    say(f"accepted {format_address(client.getpeername())}")
    try:
        if o.linger_zero:
            set_linger_zero(client, "conn")
        if o.keepalive:
            set_keepalive(client, "conn", o.keepalive)
    except OSError:
        client.close()
        event("close", sock="conn")
        return None
    return client


def close_client(client, o):
    client.close()  # with --linger-zero this sends RST instead of FIN
    event("close", sock="conn")
    say("closed the connection" + (" (SO_LINGER 0: sent RST)" if o.linger_zero else ""))


def main():
    o = parse_options(sys.argv[1:], server=True)
    # SIGTERM behaves like Ctrl+C: both end up in the KeyboardInterrupt handler below,
    # which covers everything from the first socket call on, so a Ctrl+C that arrives
    # right after listen() still closes the sockets and exits with 130.
    stop_signal = ["SIGINT"]

    def on_term(_sig, _frame):
        stop_signal[0] = "SIGTERM"
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    listener = None
    client = None
    status = 0
    try:
        listener = open_listener(o)
        if listener is None:
            return 1
        watch_stdin = stdin_is_pipe()
        peer_done = False
        while True:
            # One client at a time: while it is connected the listener is not watched.
            watched = [sys.stdin.fileno()] if watch_stdin else []
            if client is None:
                watched.append(listener)
            elif not peer_done:
                watched.append(client)
            ready, _, _ = select.select(watched, [], [])
            if listener in ready:
                client = accept_client(listener, o)
                peer_done = False
            elif client is not None and client in ready:
                try:
                    data = client.recv(BUFFER_SIZE)
                except OSError as err:
                    report_error("recv", err)  # e.g. ECONNRESET: the peer sent RST
                    close_client(client, o)
                    client = None
                    continue
                if data:
                    event("recv", bytes=len(data))
                    try:
                        send_all(client, data)
                    except OSError as err:
                        report_error("send", err)
                        close_client(client, o)
                        client = None
                        continue
                    say(f"echoed {len(data)} bytes")
                else:
                    # recv() returned 0: the peer sent FIN. Our side is now CLOSE_WAIT.
                    event("recv", bytes=0)
                    say("client closed its side (recv returned 0)")
                    if o.no_close_on_eof:
                        say("not calling close() (--no-close-on-eof): this socket stays in CLOSE_WAIT")
                        peer_done = True
                    else:
                        close_client(client, o)
                        client = None
            if watch_stdin and sys.stdin.fileno() in ready:
                data = os.read(sys.stdin.fileno(), BUFFER_SIZE)
                if not data:
                    say("stdin closed: stopping")
                    break
                if client is None:
                    say("no client connected: input dropped")
                else:
                    try:
                        send_all(client, data)
                        say(f"sent {len(data)} bytes")
                    except OSError as err:
                        report_error("send", err)
    except KeyboardInterrupt:
        event("signal", sig=stop_signal[0])
        say(f"interrupted ({stop_signal[0]}): closing sockets")
        status = 130 if stop_signal[0] == "SIGINT" else 143
    # Closing a connected socket here means the server sends the first FIN.
    if client is not None:
        close_client(client, o)
    if listener is not None:
        listener.close()
        event("close", sock="listen")
    return status


if __name__ == "__main__":
    sys.exit(main())
