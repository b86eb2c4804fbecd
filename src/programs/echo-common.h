/*
 * echo-common.h: the small helpers echo-server.c and echo-client.c share.
 *
 * Nothing here touches the TCP lifecycle itself; the socket calls worth reading are in
 * echo-server.c and echo-client.c. This file holds:
 *   - command-line parsing (the same options in the C, Python and Node versions),
 *   - the event lines written to file descriptor 3 when the parent opened it
 *     (JSON, one per line; the Socket Lifecycle extension merges them with what the
 *     kernel shows),
 *   - errno names, because "EADDRINUSE" is easier to look up than a number.
 */
#ifndef ECHO_COMMON_H
#define ECHO_COMMON_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

/* Options of both programs; see usage() in each program for their meaning. */
struct options {
    const char *host;
    int port;
    int reuseaddr;        /* server: SO_REUSEADDR on the listening socket */
    int linger_zero;      /* SO_LINGER {1, 0}: close() sends RST instead of FIN */
    int keepalive;        /* SO_KEEPALIVE with the three values below */
    int keep_idle, keep_intvl, keep_cnt;
    int no_close_on_eof;  /* server: "forget" close() after recv() returns 0 */
    int half_close;       /* client: stdin EOF -> shutdown(SHUT_WR) instead of close() */
};

/* The signal that asked us to stop (SIGINT, SIGTERM), or 0; every loop checks it. */
static volatile sig_atomic_t interrupted = 0;

static void on_signal(int sig)
{
    interrupted = sig;
}

/*
 * Ctrl+C (SIGINT) and SIGTERM set `interrupted`. No SA_RESTART: a blocked poll(), read()
 * or write() returns EINTR so the program can close its sockets itself. SIGPIPE is
 * ignored: writing to a reset connection then fails with EPIPE instead of killing us.
 */
static int install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1) {
        return -1;
    }
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
        return -1;
    }
    return 0;
}

/* Set once at start: is fd 3 an events pipe our parent gave us? */
static int events_enabled = 0;

/* Checked before any socket exists, so fd 3 can never be one of our own sockets. */
static void events_init(void)
{
    struct stat st;
    if (fstat(3, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISREG(st.st_mode))) {
        events_enabled = 1;
    }
}

static long long now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Writes {"t":<ms>,"ev":"<name>",<fields>}\n to fd 3; `fields` is a printf format. */
static void event(const char *name, const char *fields, ...)
{
    if (!events_enabled) {
        return;
    }
    char body[512];
    char line[600];
    va_list ap;
    va_start(ap, fields);
    vsnprintf(body, sizeof body, fields, ap);
    va_end(ap);
    int n = snprintf(line, sizeof line, "{\"t\":%lld,\"ev\":\"%s\"%s%s}\n",
                     now_ms(), name, body[0] ? "," : "", body);
    if (n < 0 || n >= (int)sizeof line) {
        return;
    }
    /* The parent may be gone: a failed write only turns events off. */
    if (write(3, line, (size_t)n) != n) {
        events_enabled = 0;
    }
}

/* The symbolic name of an errno value, e.g. "EADDRINUSE". */
static const char *errno_name(int err)
{
    switch (err) {
    case EADDRINUSE: return "EADDRINUSE";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EACCES: return "EACCES";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ECONNRESET: return "ECONNRESET";
    case ECONNABORTED: return "ECONNABORTED";
    case EPIPE: return "EPIPE";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EHOSTUNREACH: return "EHOSTUNREACH";
    case ENETUNREACH: return "ENETUNREACH";
    case EINVAL: return "EINVAL";
    case EINTR: return "EINTR";
    case EBADF: return "EBADF";
    case EMFILE: return "EMFILE";
    case ENOTCONN: return "ENOTCONN";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    default: return "EUNKNOWN";
    }
}

/* "127.0.0.1:7865" or "[::1]:7865" for a socket address. */
static void format_address(const struct sockaddr_storage *addr, char *out, size_t size)
{
    char host[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (addr->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        port = ntohs(in->sin_port);
        snprintf(out, size, "%s:%d", host, port);
    } else if (addr->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        port = ntohs(in6->sin6_port);
        snprintf(out, size, "[%s]:%d", host, port);
    } else {
        snprintf(out, size, "?");
    }
}

/* The local or the remote address of a connected socket, formatted. */
static void socket_address(int fd, int peer, char *out, size_t size)
{
    struct sockaddr_storage addr;
    socklen_t len = sizeof addr;
    memset(&addr, 0, sizeof addr);
    int rc = peer ? getpeername(fd, (struct sockaddr *)&addr, &len)
                  : getsockname(fd, (struct sockaddr *)&addr, &len);
    if (rc == -1) {
        snprintf(out, size, "?");
        return;
    }
    format_address(&addr, out, size);
}

/* Prints "<call>() failed: ENAME (text)" the same way in every runtime. */
static void report_error(const char *call, int err)
{
    fprintf(stderr, "%s() failed: %s (%s)\n", call, errno_name(err), strerror(err));
    event("error", "\"call\":\"%s\",\"errno\":\"%s\"", call, errno_name(err));
}

/* Reports the stop signal and returns the conventional exit status 128 + signal. */
static int report_interrupt(const char *what)
{
    const char *name = interrupted == SIGTERM ? "SIGTERM" : "SIGINT";
    event("signal", "\"sig\":\"%s\"", name);
    fprintf(stderr, "interrupted (%s): %s\n", name, what);
    return 128 + interrupted;
}

/* One setsockopt() call, checked and reported. Returns 0 or -1. */
static int set_option(int fd, const char *sock, int level, int name, const char *label,
                      const void *value, socklen_t len, int shown)
{
    if (setsockopt(fd, level, name, value, len) == -1) {
        int err = errno;
        event("setsockopt", "\"sock\":\"%s\",\"opt\":\"%s\",\"value\":%d,\"ok\":false,\"errno\":\"%s\"",
              sock, label, shown, errno_name(err));
        fprintf(stderr, "setsockopt(%s) failed: %s (%s)\n", label, errno_name(err), strerror(err));
        return -1;
    }
    event("setsockopt", "\"sock\":\"%s\",\"opt\":\"%s\",\"value\":%d,\"ok\":true", sock, label, shown);
    return 0;
}

static int set_int_option(int fd, const char *sock, int level, int name, const char *label, int value)
{
    return set_option(fd, sock, level, name, label, &value, sizeof value, value);
}

/* SO_KEEPALIVE plus idle time, probe interval and probe count. */
static int set_keepalive(int fd, const char *sock, const struct options *o)
{
    if (set_int_option(fd, sock, SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE", 1) == -1) {
        return -1;
    }
#ifdef TCP_KEEPIDLE
    if (set_int_option(fd, sock, IPPROTO_TCP, TCP_KEEPIDLE, "TCP_KEEPIDLE", o->keep_idle) == -1) {
        return -1;
    }
#elif defined(TCP_KEEPALIVE) /* macOS names the idle time TCP_KEEPALIVE */
    if (set_int_option(fd, sock, IPPROTO_TCP, TCP_KEEPALIVE, "TCP_KEEPIDLE", o->keep_idle) == -1) {
        return -1;
    }
#endif
    if (set_int_option(fd, sock, IPPROTO_TCP, TCP_KEEPINTVL, "TCP_KEEPINTVL", o->keep_intvl) == -1) {
        return -1;
    }
    return set_int_option(fd, sock, IPPROTO_TCP, TCP_KEEPCNT, "TCP_KEEPCNT", o->keep_cnt);
}

/* SO_LINGER {l_onoff = 1, l_linger = 0}: close() will discard unsent data and send RST. */
static int set_linger_zero(int fd, const char *sock)
{
    struct linger lg;
    lg.l_onoff = 1;
    lg.l_linger = 0;
    return set_option(fd, sock, SOL_SOCKET, SO_LINGER, "SO_LINGER", &lg, sizeof lg, 0);
}

/* Parses a decimal number in [min, max]; returns -1 when it is not one. */
static int parse_number(const char *text, int min, int max)
{
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
        return -1;
    }
    return (int)value;
}

/* Parses "IDLE,INTVL,CNT", each a positive number of seconds (or probes). */
static int parse_keepalive(const char *text, struct options *o)
{
    char copy[64];
    if (strlen(text) >= sizeof copy) {
        return -1;
    }
    strcpy(copy, text);
    char *first = strtok(copy, ",");
    char *second = strtok(NULL, ",");
    char *third = strtok(NULL, ",");
    if (!first || !second || !third || strtok(NULL, ",")) {
        return -1;
    }
    o->keep_idle = parse_number(first, 1, 32767);
    o->keep_intvl = parse_number(second, 1, 32767);
    o->keep_cnt = parse_number(third, 1, 127);
    if (o->keep_idle < 0 || o->keep_intvl < 0 || o->keep_cnt < 0) {
        return -1;
    }
    o->keepalive = 1;
    return 0;
}

/*
 * Parses the command line shared by both programs. `server` selects which flags exist.
 * Returns 0, or prints the problem and returns -1 (the caller exits with status 2).
 */
static int parse_options(int argc, char **argv, int server, struct options *o)
{
    const char *prog = server ? "echo-server" : "echo-client";
    memset(o, 0, sizeof *o);
    o->host = "127.0.0.1";
    o->port = -1;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--host") == 0 && value) {
            o->host = value;
            i++;
        } else if (strcmp(arg, "--port") == 0 && value) {
            o->port = parse_number(value, 1, 65535);
            if (o->port < 0) {
                fprintf(stderr, "%s: invalid port '%s' (expected 1-65535)\n", prog, value);
                return -1;
            }
            i++;
        } else if (strcmp(arg, "--keepalive") == 0 && value) {
            if (parse_keepalive(value, o) == -1) {
                fprintf(stderr, "%s: invalid --keepalive '%s' (expected IDLE,INTVL,CNT, e.g. 3,2,3)\n", prog, value);
                return -1;
            }
            i++;
        } else if (strcmp(arg, "--linger-zero") == 0) {
            o->linger_zero = 1;
        } else if (server && strcmp(arg, "--reuseaddr") == 0) {
            o->reuseaddr = 1;
        } else if (server && strcmp(arg, "--no-close-on-eof") == 0) {
            o->no_close_on_eof = 1;
        } else if (!server && strcmp(arg, "--half-close") == 0) {
            o->half_close = 1;
        } else {
            fprintf(stderr, "%s: unknown or incomplete option '%s'\n", prog, arg);
            return -1;
        }
    }
    if (o->port < 0) {
        fprintf(stderr, "%s: --port is required\n", prog);
        return -1;
    }
    return 0;
}

/* Resolves host:port (numeric host only, so nothing goes to DNS). */
static int resolve(const struct options *o, struct sockaddr_storage *addr, socklen_t *len)
{
    memset(addr, 0, sizeof *addr);
    struct sockaddr_in *in = (struct sockaddr_in *)addr;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)addr;
    if (inet_pton(AF_INET, o->host, &in->sin_addr) == 1) {
        in->sin_family = AF_INET;
        in->sin_port = htons((unsigned short)o->port);
        *len = sizeof *in;
        return 0;
    }
    if (inet_pton(AF_INET6, o->host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((unsigned short)o->port);
        *len = sizeof *in6;
        return 0;
    }
    return -1;
}

/*
 * Writes all of buf to fd (a socket or stdout), retrying short writes. Stores how many
 * bytes went out in *written. Returns 0, or -1 with errno set; EINTR means Ctrl+C
 * arrived meanwhile (the caller then shuts down).
 */
static int write_all(int fd, const char *buf, size_t len, size_t *written)
{
    *written = 0;
    while (*written < len) {
        if (interrupted) {
            errno = EINTR;
            return -1;
        }
        ssize_t n = write(fd, buf + *written, len - *written);
        if (n == -1) {
            if (errno == EINTR && !interrupted) {
                continue;
            }
            return -1;
        }
        *written += (size_t)n;
    }
    return 0;
}

/* Sends len bytes on a socket and reports how many went out (a "send" event). Returns 0 or -1. */
static int send_reported(int sock, const char *buf, size_t len)
{
    size_t written = 0;
    int rc = write_all(sock, buf, len, &written);
    int err = errno;
    if (written > 0) {
        event("send", "\"bytes\":%zu", written);
    }
    if (rc == -1 && err != EINTR) {
        report_error("send", err);
    }
    return rc;
}

#endif
