/*
 * echo-server.c: a TCP echo server written to be read.
 *
 *   echo-server --port N [--host 127.0.0.1] [--reuseaddr] [--linger-zero]
 *               [--keepalive IDLE,INTVL,CNT] [--no-close-on-eof]
 *
 * It serves one client at a time: whatever the client sends comes back unchanged.
 * When stdin is a pipe (as when the Socket Lifecycle extension runs it), what arrives
 * there is sent to the connected client, so data can flow "the other way" after the
 * client half-closed, and the end of stdin stops the server. Ctrl+C stops it too.
 * Stopping closes the sockets; with a client connected that means the SERVER sends the
 * first FIN, and the server's side of the connection is the one left in TIME_WAIT.
 *
 * Every system call's result is checked. read() has three outcomes and each is handled
 * on its own: > 0 bytes arrived, 0 the peer sent FIN (no more data will come), -1 an
 * error such as ECONNRESET. Every path that ends a connection calls close().
 *
 * Build: cc -Wall -O2 -o echo-server echo-server.c
 */
#include <poll.h>

#include "echo-common.h"

#define BUFFER_SIZE 65536

static struct options opt;

/*
 * The server reads its stdin only when it is a pipe or socket (as when the Socket
 * Lifecycle extension or a script runs it): then the end of stdin means the parent is
 * gone. A terminal or /dev/null is left alone, so `echo-server ... &` keeps running.
 */
static int stdin_is_pipe(void)
{
    struct stat st;
    return fstat(STDIN_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

/* Closes the connected socket and says so; with --linger-zero this close() sends RST. */
static void close_client(int *client)
{
    if (close(*client) == -1) {
        report_error("close", errno);
    }
    event("close", "\"sock\":\"conn\"");
    fprintf(stderr, "closed the connection%s\n", opt.linger_zero ? " (SO_LINGER 0: sent RST)" : "");
    *client = -1;
}

/* socket(), SO_REUSEADDR if asked, bind(), listen(). Returns the listening socket or -1. */
static int open_listener(void)
{
    struct sockaddr_storage addr;
    socklen_t len;
    if (resolve(&opt, &addr, &len) == -1) {
        fprintf(stderr, "echo-server: --host must be a numeric IPv4 or IPv6 address, not '%s'\n", opt.host);
        return -1;
    }
    int fd = socket(addr.ss_family, SOCK_STREAM, 0);
    if (fd == -1) {
        report_error("socket", errno);
        return -1;
    }
    /*
     * SO_REUSEADDR must be set BEFORE bind(). On Linux a port still held by a TIME_WAIT
     * connection can be bound again only if the old socket AND this one both set it.
     */
    if (opt.reuseaddr && set_int_option(fd, "listen", SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR", 1) == -1) {
        close(fd);
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&addr, len) == -1) {
        int err = errno;
        event("bind", "\"port\":%d,\"reuse\":%s,\"ok\":false,\"errno\":\"%s\"",
              opt.port, opt.reuseaddr ? "true" : "false", errno_name(err));
        fprintf(stderr, "bind() failed: %s (%s)\n", errno_name(err), strerror(err));
        close(fd);
        return -1;
    }
    event("bind", "\"port\":%d,\"reuse\":%s,\"ok\":true", opt.port, opt.reuseaddr ? "true" : "false");
    if (listen(fd, 16) == -1) {
        int err = errno;
        event("listen", "\"port\":%d,\"ok\":false,\"errno\":\"%s\"", opt.port, errno_name(err));
        fprintf(stderr, "listen() failed: %s (%s)\n", errno_name(err), strerror(err));
        close(fd);
        return -1;
    }
    event("listen", "\"port\":%d,\"ok\":true", opt.port);
    char local[80];
    socket_address(fd, 0, local, sizeof local);
    fprintf(stderr, "listening on %s (SO_REUSEADDR %s)\n", local, opt.reuseaddr ? "on" : "off");
    return fd;
}

/* accept() one client and apply the per-connection options. Returns its socket or -1. */
static int accept_client(int listener)
{
    int fd = accept(listener, NULL, NULL);
    if (fd == -1) {
        if (errno != EINTR) {
            report_error("accept", errno);
        }
        return -1;
    }
    char local[80], peer[80];
    socket_address(fd, 0, local, sizeof local);
    socket_address(fd, 1, peer, sizeof peer);
    event("accept", "\"local\":\"%s\",\"peer\":\"%s\"", local, peer);
    fprintf(stderr, "accepted %s\n", peer);
    if ((opt.linger_zero && set_linger_zero(fd, "conn") == -1)
        || (opt.keepalive && set_keepalive(fd, "conn", &opt) == -1)) {
        close(fd);
        event("close", "\"sock\":\"conn\"");
        return -1;
    }
    return fd;
}

/*
 * Reads once from the client. Returns 1 to keep the connection, 0 when it was closed.
 * This is where a forgotten close() would turn into a CLOSE_WAIT that never ends.
 */
static int serve_client(int *client, int *peer_done)
{
    char buf[BUFFER_SIZE];
    ssize_t n = read(*client, buf, sizeof buf);
    if (n > 0) {
        event("recv", "\"bytes\":%zd", n);
        if (send_reported(*client, buf, (size_t)n) == -1) {
            if (!interrupted) {
                close_client(client);
                return 0;
            }
            return 1; /* Ctrl+C: the main loop closes everything */
        }
        fprintf(stderr, "echoed %zd bytes\n", n);
        return 1;
    }
    if (n == 0) {
        /* The peer sent FIN: it will send nothing more. Our side is now CLOSE_WAIT. */
        event("recv", "\"bytes\":0");
        fprintf(stderr, "client closed its side (recv returned 0)\n");
        if (opt.no_close_on_eof) {
            fprintf(stderr, "not calling close() (--no-close-on-eof): this socket stays in CLOSE_WAIT\n");
            *peer_done = 1; /* stop reading it, but keep it open */
            return 1;
        }
        close_client(client);
        return 0;
    }
    if (errno == EINTR) {
        return 1;
    }
    report_error("recv", errno); /* e.g. ECONNRESET: the peer sent RST */
    close_client(client);
    return 0;
}

int main(int argc, char **argv)
{
    events_init();
    if (parse_options(argc, argv, 1, &opt) == -1) {
        return 2;
    }
    if (install_signals() == -1) {
        perror("sigaction");
        return 1;
    }
    int listener = open_listener();
    if (listener == -1) {
        return 1;
    }
    int client = -1;
    int peer_done = 0;
    int status = 0;
    int watch_stdin = stdin_is_pipe();
    while (!interrupted) {
        /* One client at a time: while it is connected the listener is not polled. */
        struct pollfd fds[2];
        fds[0].fd = watch_stdin ? STDIN_FILENO : -1;
        fds[0].events = POLLIN;
        fds[1].fd = client == -1 ? listener : (peer_done ? -1 : client);
        fds[1].events = POLLIN;
        if (poll(fds, 2, -1) == -1) {
            if (errno == EINTR) {
                continue;
            }
            report_error("poll", errno);
            status = 1;
            break;
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (client == -1) {
                client = accept_client(listener);
                peer_done = 0;
            } else {
                serve_client(&client, &peer_done);
            }
        }
        if (fds[0].revents & (POLLIN | POLLHUP)) {
            char buf[BUFFER_SIZE];
            ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
            if (n == 0) {
                fprintf(stderr, "stdin closed: stopping\n");
                break;
            }
            if (n == -1) {
                if (errno == EINTR) {
                    continue;
                }
                report_error("read", errno);
                status = 1;
                break;
            }
            if (client == -1) {
                fprintf(stderr, "no client connected: input dropped\n");
            } else if (send_reported(client, buf, (size_t)n) == 0) {
                fprintf(stderr, "sent %zd bytes\n", n);
            }
        }
    }
    if (interrupted) {
        status = report_interrupt("closing sockets");
    }
    /* Closing a connected socket here means the server sends the first FIN. */
    if (client != -1) {
        close_client(&client);
    }
    if (close(listener) == -1) {
        report_error("close", errno);
    }
    event("close", "\"sock\":\"listen\"");
    return status;
}
