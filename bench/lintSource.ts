/**
 * A deterministic generator of realistic C server code for the lint benchmark: a header of
 * includes, macros and structs, then many functions in the shapes socket programs take
 * (listeners, accept loops, read loops, goto cleanup, thread handlers, clients), mixed with the
 * plain helpers such programs also have (parsing, buffers, logging). Some functions carry the
 * bugs the rules look for, so the run produces findings as real code would.
 */

/** A small deterministic PRNG (same sequence on every run). */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

/** Where each line of a text starts, computed once per text (a bench or test picks many lines of one text). */
const lineStarts = new Map<string, number[]>();

/** A line of `text` picked with `r`: where it starts and ends (without its newline), and its text. */
export function pickLine(text: string, r: () => number): { start: number; end: number; old: string } {
  let starts = lineStarts.get(text);
  if (!starts) {
    starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      starts.push(i + 1);
    }
    lineStarts.clear();
    lineStarts.set(text, starts);
  }
  const line = Math.floor(r() * (starts.length - 1));
  const start = starts[line];
  const end = starts[line + 1] - 1;
  return { start, end, old: text.slice(start, end) };
}

const HEADER = `#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define BACKLOG 64
#define BUF_SIZE 4096
#define MAX_CLIENTS 128
#define DIE(msg) do { perror(msg); exit(1); } while (0)
#define LOG(...) fprintf(stderr, __VA_ARGS__)

struct client {
    int fd;
    int state;
    size_t used;
    char buf[BUF_SIZE];
    struct sockaddr_in peer;
};

struct server {
    int listen_fd;
    int nclients;
    struct client clients[MAX_CLIENTS];
};

static volatile int running = 1;
`;

type Template = (name: string, i: number, r: () => number) => string;

const listener: Template = (name, i, r) => {
  const reuse = r() < 0.8;
  return `int ${name}(unsigned short port)
{
    struct sockaddr_in addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        return -1;
    }
${reuse ? `    int opt = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &opt, sizeof(opt)) < 0) {
        perror("setsockopt");
        close(fd);
        return -1;
    }
` : ''}    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons(port + ${i % 100});
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        perror("bind");
        close(fd);
        return -1;
    }
    if (listen(fd, BACKLOG) < 0) {
        perror("listen");
${r() < 0.85 ? '        close(fd);\n' : ''}        return -1;
    }
    LOG("listening on %u\\n", (unsigned)port);
    return fd;
}
`;
};

const echoLoop: Template = (name, i, r) => {
  const bad = r() < 0.25;
  return `void ${name}(int cfd)
{
    char buf[BUF_SIZE];
    ssize_t n;
    size_t total = 0;
    while ((n = read(cfd, buf, sizeof(buf))) ${bad ? '!= 0' : '> 0'}) {
        total += n;
        if (write(cfd, buf, n) != n) {
            LOG("short write after %zu bytes\\n", total);
            break;
        }
        if (total > ${1000 + i} * 1024u) {
            LOG("client sent too much\\n");
            break;
        }
    }
    close(cfd);
}
`;
};

const acceptLoop: Template = (name, i, r) => {
  const leak = r() < 0.3;
  return `void ${name}(int lfd)
{
    struct sockaddr_in peer;
    socklen_t len;
    int accepted = 0;
    while (running) {
        len = sizeof(peer);
        int cfd = accept(lfd, (struct sockaddr *)&peer, &len);
        if (cfd < 0) {
            if (errno == EINTR)
                continue;
            perror("accept");
            break;
        }
        char host[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &peer.sin_addr, host, sizeof(host));
        if (accepted >= MAX_CLIENTS - ${i % 7}) {
            LOG("too many clients, rejecting %s\\n", host);
${leak ? '' : '            close(cfd);\n'}            continue;
        }
        accepted++;
        handle_client_${i % 13}(cfd);
    }
}
`;
};

const gotoCleanup: Template = (name, i, r) => `int ${name}(const char *host, unsigned short port, const char *msg)
{
    int ret = -1;
    struct sockaddr_in to;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        goto out;
    memset(&to, 0, sizeof(to));
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    if (inet_pton(AF_INET, host, &to.sin_addr) != 1)
        goto out_close;
    if (connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0)
        goto ${r() < 0.8 ? 'out_close' : 'out'};
    size_t len = strlen(msg);
    size_t off = 0;
    while (off < len) {
        ssize_t w = send(fd, msg + off, len - off, 0);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            goto out_close;
        }
        off += (size_t)w;
    }
    ret = ${i % 5};
out_close:
    close(fd);
out:
    return ret;
}
`;

const selectServer: Template = (name, i, r) => `void ${name}(struct server *srv)
{
    fd_set readfds;
    char buf[BUF_SIZE];
    for (;;) {
        FD_ZERO(&readfds);
        FD_SET(srv->listen_fd, &readfds);
        int maxfd = srv->listen_fd;
        for (int k = 0; k < srv->nclients; k++) {
            FD_SET(srv->clients[k].fd, &readfds);
            if (srv->clients[k].fd > maxfd)
                maxfd = srv->clients[k].fd;
        }
        if (select(maxfd + 1, &readfds, NULL, NULL, NULL) < 0) {
            if (errno == EINTR)
                continue;
            DIE("select");
        }
        if (FD_ISSET(srv->listen_fd, &readfds)) {
            int c = accept(srv->listen_fd, NULL, NULL);
            if (c >= 0 && srv->nclients < MAX_CLIENTS) {
                srv->clients[srv->nclients++].fd = c;
            }${r() < 0.7 ? ` else if (c >= 0) {
                close(c);
            }` : ''}
        }
        for (int k = 0; k < srv->nclients; k++) {
            int fd = srv->clients[k].fd;
            if (!FD_ISSET(fd, &readfds))
                continue;
            ssize_t n = recv(fd, buf, sizeof(buf), 0);
            if (n <= 0) {
                close(fd);
                srv->clients[k] = srv->clients[--srv->nclients];
                k--;
                continue;
            }
            send(fd, buf, (size_t)n, ${i % 2 === 0 ? '0' : 'MSG_NOSIGNAL'});
        }
    }
}
`;

const threadHandler: Template = (name, i, r) => `static void *${name}_thread(void *arg)
{
    int fd = *(int *)arg;
    char line[256];
    free(arg);
    ssize_t n = recv(fd, line, sizeof(line) - 1, 0);
    if (n <= 0)
        return NULL;
    line[n] = '\\0';
    LOG("request %d: %s\\n", ${i}, line);
    send(fd, "OK\\r\\n", 4, 0);
    ${r() < 0.8 ? 'close(fd);' : 'shutdown(fd, SHUT_WR);'}
    return NULL;
}

void ${name}(int lfd)
{
    for (int served = 0; served < ${100 + i}; served++) {
        int *p = malloc(sizeof(*p));
        if (!p)
            DIE("malloc");
        *p = accept(lfd, NULL, NULL);
        pthread_t t;
        if (pthread_create(&t, NULL, ${name}_thread, p) != 0) {
            close(*p);
            free(p);
            continue;
        }
        pthread_detach(t);
    }
}
`;

const lingerClose: Template = (name, _i, r) => `void ${name}(int fd, int abortive)
{
    struct linger lin;
    lin.l_onoff = abortive;
    lin.l_linger = ${r() < 0.5 ? '0' : '5'};
    if (abortive)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
    close(fd);
}
`;

const parseHelper: Template = (name, i) => `static int ${name}(const char *line, char *key, size_t klen, char *value, size_t vlen)
{
    const char *colon = strchr(line, ':');
    if (!colon)
        return -1;
    size_t n = (size_t)(colon - line);
    if (n >= klen)
        n = klen - 1;
    memcpy(key, line, n);
    key[n] = '\\0';
    colon++;
    while (*colon == ' ' || *colon == '\\t')
        colon++;
    size_t m = strlen(colon);
    while (m > 0 && (colon[m - 1] == '\\r' || colon[m - 1] == '\\n'))
        m--;
    if (m >= vlen)
        m = vlen - 1;
    memcpy(value, colon, m);
    value[m] = '\\0';
    return ${i % 3};
}
`;

const bufferHelper: Template = (name, i) => `static size_t ${name}(struct client *c, const char *data, size_t len)
{
    size_t room = sizeof(c->buf) - c->used;
    size_t take = len < room ? len : room;
    memcpy(c->buf + c->used, data, take);
    c->used += take;
    for (size_t k = 0; k < c->used; k++) {
        if (c->buf[k] == '\\n') {
            c->state = ${i % 4};
            break;
        }
    }
    return take;
}
`;

const statsHelper: Template = (name, i) => `static double ${name}(const long *samples, int count)
{
    if (count <= 0)
        return 0.0;
    long min = samples[0], max = samples[0];
    double sum = 0;
    for (int k = 0; k < count; k++) {
        if (samples[k] < min)
            min = samples[k];
        if (samples[k] > max)
            max = samples[k];
        sum += (double)samples[k];
    }
    switch (count % ${3 + (i % 4)}) {
    case 0:
        return sum / count;
    case 1:
        return (double)(max - min);
    default:
        return sum / count + (double)min / ${1 + (i % 9)};
    }
}
`;

/**
 * Shapes and their weights: socket-handling functions are most of the file, plain helpers the
 * rest; SO_LINGER is set in a few places, as in real servers (one close helper or two).
 */
const TEMPLATES: [string, Template, number][] = [
  ['open_listener', listener, 1], ['serve_echo', echoLoop, 2], ['accept_clients', acceptLoop, 2],
  ['send_message', gotoCleanup, 2], ['run_select', selectServer, 1], ['serve_threads', threadHandler, 1],
  ['close_client', lingerClose, 0.1], ['parse_header', parseHelper, 2], ['append_data', bufferHelper, 1.5],
  ['summarize', statsHelper, 1.5],
];
const TOTAL_WEIGHT = TEMPLATES.reduce((sum, [, , w]) => sum + w, 0);

function pick(r: () => number): [string, Template, number] {
  let x = r() * TOTAL_WEIGHT;
  for (const t of TEMPLATES) {
    x -= t[2];
    if (x < 0) {
      return t;
    }
  }
  return TEMPLATES[0];
}

/** About `lines` lines of C; the same text for the same arguments. */
export function generateC(lines: number, seed = 1): string {
  const r = rng(seed);
  const parts = [HEADER];
  // The accept loops call handle_client_N: define those as echo loops first.
  for (let k = 0; k < 13; k++) {
    parts.push(echoLoop(`handle_client_${k}`, k, r), '\n');
  }
  let count = parts.join('').split('\n').length;
  for (let i = 0; count < lines; i++) {
    const [base, template] = pick(r);
    const fn = template(`${base}_${i}`, i, r) + '\n';
    parts.push(fn);
    count += fn.split('\n').length - 1;
  }
  return parts.join('');
}
