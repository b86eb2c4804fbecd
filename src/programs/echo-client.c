/*
 * echo-client.c: a TCP client for echo-server, written to be read.
 *
 *   echo-client --port N [--host 127.0.0.1] [--half-close] [--linger-zero]
 *               [--keepalive IDLE,INTVL,CNT]
 *
 * Sends what it reads on stdin to the server and writes what comes back to stdout
 * (messages about the connection go to stderr). When stdin ends (Ctrl+D) it closes the
 * connection, so the CLIENT sends the first FIN; with --half-close it only calls
 * shutdown(SHUT_WR) and keeps reading until the server closes too.
 *
 * Build: cc -Wall -O2 -o echo-client echo-client.c
 */
#include <poll.h>

#include "echo-common.h"

#define BUFFER_SIZE 65536

static struct options opt;

/* socket(), options, connect(). Returns the connected socket or -1. */
static int connect_to_server(void)
{
    struct sockaddr_storage addr;
    socklen_t len;
    if (resolve(&opt, &addr, &len) == -1) {
        fprintf(stderr, "echo-client: --host must be a numeric IPv4 or IPv6 address, not '%s'\n", opt.host);
        return -1;
    }
    int fd = socket(addr.ss_family, SOCK_STREAM, 0);
    if (fd == -1) {
        report_error("socket", errno);
        return -1;
    }
    /* Options set before connect() apply to the connection from its first segment. */
    if ((opt.linger_zero && set_linger_zero(fd, "conn") == -1)
        || (opt.keepalive && set_keepalive(fd, "conn", &opt) == -1)) {
        close(fd);
        return -1;
    }
    char target[80];
    format_address(&addr, target, sizeof target);
    if (connect(fd, (struct sockaddr *)&addr, len) == -1) {
        int err = errno;
        if (err == EINTR && interrupted) {
            /* Ctrl+C while connect() still waits: main() reports it and closes the socket. */
            return fd;
        }
        event("connect", "\"peer\":\"%s\",\"ok\":false,\"errno\":\"%s\"", target, errno_name(err));
        fprintf(stderr, "connect() to %s failed: %s (%s)\n", target, errno_name(err), strerror(err));
        close(fd);
        return -1;
    }
    char local[80];
    socket_address(fd, 0, local, sizeof local);
    event("connect", "\"local\":\"%s\",\"peer\":\"%s\",\"ok\":true", local, target);
    fprintf(stderr, "connected to %s from %s\n", target, local);
    return fd;
}

int main(int argc, char **argv)
{
    events_init();
    if (parse_options(argc, argv, 0, &opt) == -1) {
        return 2;
    }
    if (install_signals() == -1) {
        perror("sigaction");
        return 1;
    }
    int sock = connect_to_server();
    if (sock == -1) {
        return 1;
    }
    int stdin_done = 0;
    int status = 0;
    char buf[BUFFER_SIZE];
    while (!interrupted) {
        struct pollfd fds[2];
        fds[0].fd = sock;
        fds[0].events = POLLIN;
        fds[1].fd = stdin_done ? -1 : STDIN_FILENO;
        fds[1].events = POLLIN;
        if (poll(fds, 2, -1) == -1) {
            if (errno == EINTR) {
                continue;
            }
            report_error("poll", errno);
            status = 1;
            break;
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(sock, buf, sizeof buf);
            if (n > 0) {
                size_t written = 0;
                event("recv", "\"bytes\":%zd", n);
                if (write_all(STDOUT_FILENO, buf, (size_t)n, &written) == -1) {
                    if (errno != EINTR) {
                        report_error("write", errno);
                        status = 1;
                    }
                    break;
                }
                continue;
            }
            if (n == 0) {
                /* The server sent FIN. Closing now answers with ours: no CLOSE_WAIT left. */
                event("recv", "\"bytes\":0");
                fprintf(stderr, "server closed the connection (recv returned 0)\n");
                break;
            }
            if (errno == EINTR) {
                continue;
            }
            report_error("recv", errno); /* ECONNRESET: the server's close() sent RST */
            status = 1;
            break;
        }
        if (fds[1].revents & (POLLIN | POLLHUP)) {
            ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
            if (n > 0) {
                if (send_reported(sock, buf, (size_t)n) == -1) {
                    status = interrupted ? 0 : 1;
                    break;
                }
                continue;
            }
            if (n == -1) {
                if (errno == EINTR) {
                    continue;
                }
                report_error("read", errno);
                status = 1;
                break;
            }
            /* stdin ended (Ctrl+D). */
            if (!opt.half_close) {
                fprintf(stderr, "stdin closed: closing the connection\n");
                break;
            }
            /* Half-close: send our FIN but keep the socket open to read the rest. */
            if (shutdown(sock, SHUT_WR) == -1) {
                report_error("shutdown", errno);
                status = 1;
                break;
            }
            event("shutdown", "\"how\":\"SHUT_WR\"");
            fprintf(stderr, "stdin closed: sent FIN with shutdown(SHUT_WR), still reading\n");
            stdin_done = 1;
        }
    }
    if (interrupted) {
        status = report_interrupt("closing the connection");
    }
    if (close(sock) == -1) {
        report_error("close", errno);
    }
    event("close", "\"sock\":\"conn\"");
    fprintf(stderr, "closed%s\n", opt.linger_zero ? " (SO_LINGER 0: sent RST)" : "");
    return status;
}
