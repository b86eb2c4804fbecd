#!/usr/bin/env python3
"""echo-client.py: the Python version of echo-client.c (same options, same output).

    echo-client.py --port N [--host 127.0.0.1] [--half-close] [--linger-zero]
                   [--keepalive IDLE,INTVL,CNT]

Sends stdin to the server and writes the echo to stdout (messages go to stderr). When
stdin ends it closes the connection (the client sends the first FIN); with --half-close
it calls shutdown(SHUT_WR) and keeps reading until the server closes too.
"""
import os
import select
import signal
import socket
import sys

from echo_common import (BUFFER_SIZE, errno_name, event, family_of, format_address, parse_options,
                         report_error, say, send_all, set_keepalive, set_linger_zero)


def connect(sock, o):
    """Sets the options, then connect(). Returns False (after saying why) if a call failed."""
    target = format_address((o.host, o.port))
    try:
        # Options set before connect() apply to the connection from its first segment.
        if o.linger_zero:
            set_linger_zero(sock, "conn")
        if o.keepalive:
            set_keepalive(sock, "conn", o.keepalive)
        try:
            sock.connect((o.host, o.port))
        except OSError as err:
            event("connect", peer=target, ok=False, errno=errno_name(err.errno))
            say(f"connect() to {target} failed: {errno_name(err.errno)} ({os.strerror(err.errno)})")
            raise
    except OSError:
        return False
    local = format_address(sock.getsockname())
    event("connect", local=local, peer=target, ok=True)
    say(f"connected to {target} from {local}")
    return True


def write_stdout(data):
    view = memoryview(data)
    while view:
        view = view[os.write(1, view):]


def main():
    o = parse_options(sys.argv[1:], server=False)
    family = family_of(o.host, "echo-client")
    # SIGTERM behaves like Ctrl+C: both end up in the KeyboardInterrupt handler below,
    # which covers everything from socket() on, so a Ctrl+C while connect() is still
    # waiting for the server closes the socket and exits with 130 too.
    stop_signal = ["SIGINT"]

    def on_term(_sig, _frame):
        stop_signal[0] = "SIGTERM"
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    sock = None
    stdin = sys.stdin.fileno()
    stdin_done = False
    status = 0
    try:
        sock = socket.socket(family, socket.SOCK_STREAM)
        if not connect(sock, o):
            sock.close()
            return 1
        while True:
            ready, _, _ = select.select([sock] if stdin_done else [sock, stdin], [], [])
            if sock in ready:
                try:
                    data = sock.recv(BUFFER_SIZE)
                except OSError as err:
                    report_error("recv", err)  # ECONNRESET: the server's close() sent RST
                    status = 1
                    break
                if not data:
                    # The server sent FIN. Closing now answers with ours: no CLOSE_WAIT left.
                    event("recv", bytes=0)
                    say("server closed the connection (recv returned 0)")
                    break
                event("recv", bytes=len(data))
                try:
                    write_stdout(data)
                except OSError as err:
                    report_error("write", err)
                    status = 1
                    break
                continue
            if stdin in ready:
                data = os.read(stdin, BUFFER_SIZE)
                if data:
                    try:
                        send_all(sock, data)
                    except OSError as err:
                        report_error("send", err)
                        status = 1
                        break
                    continue
                if not o.half_close:
                    say("stdin closed: closing the connection")
                    break
                # Half-close: send our FIN but keep the socket open to read the rest.
                try:
                    sock.shutdown(socket.SHUT_WR)
                except OSError as err:
                    report_error("shutdown", err)
                    status = 1
                    break
                event("shutdown", how="SHUT_WR")
                say("stdin closed: sent FIN with shutdown(SHUT_WR), still reading")
                stdin_done = True
    except KeyboardInterrupt:
        event("signal", sig=stop_signal[0])
        say(f"interrupted ({stop_signal[0]}): closing the connection")
        status = 130 if stop_signal[0] == "SIGINT" else 143
    if sock is not None:
        sock.close()
        event("close", sock="conn")
        say("closed" + (" (SO_LINGER 0: sent RST)" if o.linger_zero else ""))
    return status


if __name__ == "__main__":
    sys.exit(main())
