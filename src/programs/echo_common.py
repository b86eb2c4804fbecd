"""Helpers shared by echo-server.py and echo-client.py (the Python runtime of the lab).

Same command line, same human output and same fd-3 event lines as the C and Node
versions; the socket calls worth reading are in the two programs themselves.
"""
import errno
import json
import os
import socket
import stat
import struct
import sys
import time

BUFFER_SIZE = 65536


def _fd_is_events_pipe(fd):
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISREG(mode)


# Checked at import, before any socket exists, so fd 3 is never one of our own sockets.
_events_enabled = _fd_is_events_pipe(3)


def event(name, **fields):
    """Writes {"t":ms,"ev":name,...} as one line to fd 3 when the parent opened it."""
    global _events_enabled
    if not _events_enabled:
        return
    line = json.dumps({"t": int(time.time() * 1000), "ev": name, **fields}, separators=(",", ":")) + "\n"
    try:
        os.write(3, line.encode())
    except OSError:
        _events_enabled = False  # the parent is gone: stop reporting, keep running


def say(text):
    print(text, file=sys.stderr, flush=True)


def errno_name(err):
    return errno.errorcode.get(err, "EUNKNOWN")


def report_error(call, err):
    """Prints "<call>() failed: ENAME (text)" like the C and Node versions."""
    name = errno_name(err.errno) if isinstance(err, OSError) and err.errno else "EUNKNOWN"
    text = os.strerror(err.errno) if isinstance(err, OSError) and err.errno else str(err)
    say(f"{call}() failed: {name} ({text})")
    event("error", call=call, errno=name)


def stdin_is_pipe():
    """True when stdin is a pipe or socket (see echo-server.c: a terminal is left alone)."""
    try:
        mode = os.fstat(0).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def format_address(addr):
    host, port = addr[0], addr[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class Options:
    host = "127.0.0.1"
    port = None
    reuseaddr = False
    linger_zero = False
    keepalive = None  # (idle, interval, count)
    no_close_on_eof = False
    half_close = False


def _number(text, low, high):
    try:
        value = int(text, 10)
    except ValueError:
        return None
    return value if low <= value <= high and text.isdigit() else None


def parse_options(argv, server):
    """Parses the shared command line; prints the problem and exits 2 on bad input."""
    prog = "echo-server" if server else "echo-client"
    o = Options()
    i = 0
    while i < len(argv):
        arg = argv[i]
        value = argv[i + 1] if i + 1 < len(argv) else None
        if arg == "--host" and value is not None:
            o.host = value
            i += 1
        elif arg == "--port" and value is not None:
            o.port = _number(value, 1, 65535)
            if o.port is None:
                say(f"{prog}: invalid port '{value}' (expected 1-65535)")
                sys.exit(2)
            i += 1
        elif arg == "--keepalive" and value is not None:
            parts = value.split(",")
            nums = [_number(p, 1, 32767) for p in parts] if len(parts) == 3 else [None]
            if None in nums or nums[2] > 127:
                say(f"{prog}: invalid --keepalive '{value}' (expected IDLE,INTVL,CNT, e.g. 3,2,3)")
                sys.exit(2)
            o.keepalive = tuple(nums)
            i += 1
        elif arg == "--linger-zero":
            o.linger_zero = True
        elif server and arg == "--reuseaddr":
            o.reuseaddr = True
        elif server and arg == "--no-close-on-eof":
            o.no_close_on_eof = True
        elif not server and arg == "--half-close":
            o.half_close = True
        else:
            say(f"{prog}: unknown or incomplete option '{arg}'")
            sys.exit(2)
        i += 1
    if o.port is None:
        say(f"{prog}: --port is required")
        sys.exit(2)
    return o


def family_of(host, prog):
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host)
            return family
        except OSError:
            pass
    say(f"{prog}: --host must be a numeric IPv4 or IPv6 address, not '{host}'")
    sys.exit(1)


def set_option(sock, which, level, name, label, value, shown):
    """One checked setsockopt(); raises OSError after reporting it."""
    try:
        sock.setsockopt(level, name, value)
    except OSError as err:
        event("setsockopt", sock=which, opt=label, value=shown, ok=False, errno=errno_name(err.errno))
        say(f"setsockopt({label}) failed: {errno_name(err.errno)} ({os.strerror(err.errno)})")
        raise
    event("setsockopt", sock=which, opt=label, value=shown, ok=True)


def set_linger_zero(sock, which):
    """SO_LINGER {1, 0}: close() discards unsent data and sends RST instead of FIN."""
    set_option(sock, which, socket.SOL_SOCKET, socket.SO_LINGER, "SO_LINGER", struct.pack("ii", 1, 0), 0)


def set_keepalive(sock, which, keepalive):
    idle, interval, count = keepalive
    set_option(sock, which, socket.SOL_SOCKET, socket.SO_KEEPALIVE, "SO_KEEPALIVE", 1, 1)
    idle_opt = getattr(socket, "TCP_KEEPIDLE", getattr(socket, "TCP_KEEPALIVE", None))
    set_option(sock, which, socket.IPPROTO_TCP, idle_opt, "TCP_KEEPIDLE", idle, idle)
    set_option(sock, which, socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, "TCP_KEEPINTVL", interval, interval)
    set_option(sock, which, socket.IPPROTO_TCP, socket.TCP_KEEPCNT, "TCP_KEEPCNT", count, count)


def send_all(sock, data):
    """sendall() that reports how many bytes went out, also when it is interrupted."""
    sent = 0
    try:
        while sent < len(data):
            sent += sock.send(data[sent:])
    finally:
        if sent > 0:
            event("send", bytes=sent)
