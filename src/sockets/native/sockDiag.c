/*
 * sock-diag: streams the kernel's TCP socket table over netlink NETLINK_SOCK_DIAG, the way
 * `ss` reads it, so Socket Lifecycle need not read /proc/net/tcp (which the kernel formats as
 * text, 4 KB per read()). Built on demand with the user's cc; /proc stays the fallback.
 *
 * Protocol (one line each way, ASCII):
 *   stdin   "P1 P2 ..."        one snapshot of the sockets whose local or remote port is listed
 *                              (the kernel filters, like `ss 'sport = :P or dport = :P'`);
 *                              an empty line means every socket
 *           "@MS P1 P2 ..."    the same now and then every MS milliseconds until the next line
 *   stdout  per socket: "F ST LADDR LPORT RADDR RPORT TIMER EXPIRES_MS RETRANS PROBES RQ WQ UID INODE"
 *           F is 4 or 6, ST the kernel's state number, TIMER the /proc `tr` code (0 none,
 *           1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero-window probe), EXPIRES_MS in
 *           milliseconds (idiag_expires), RQ/WQ as the kernel reports them (for LISTEN the
 *           accept backlog and its limit)
 *           then ". COUNT" ends the snapshot; "! ERRNO TEXT" replaces it when the dump failed.
 * The program exits when stdin closes, or when the parent dies (PR_SET_PDEATHSIG): never an orphan.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PORTS 64
/* The kernel sends one skb of at most ~32 KB per recv() in a dump; room for more is harmless. */
#define RECV_SIZE (128 * 1024)
#define OUT_SIZE (64 * 1024)

/* Every state /proc/net/tcp lists (1 ESTABLISHED .. 11 CLOSING) plus 12 NEW_SYN_RECV, which the
 * kernel reports as SYN_RECV as /proc does. Bit 13 (BOUND_INACTIVE) would add bound-only
 * sockets that /proc does not show. */
#define STATE_MASK 0x1ffeu

static char out[OUT_SIZE];
static size_t out_len;
static unsigned char recv_buf[RECV_SIZE];
static uint32_t seq;

static void flush_out(void) {
  size_t done = 0;
  while (done < out_len) {
    ssize_t n = write(STDOUT_FILENO, out + done, out_len - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      _exit(0); /* the reader has gone */
    }
    done += (size_t)n;
  }
  out_len = 0;
}

static void put_str(const char *s, size_t n) {
  if (out_len + n > OUT_SIZE) flush_out();
  memcpy(out + out_len, s, n);
  out_len += n;
}

static void put_u64(uint64_t v, char after) {
  char tmp[24];
  int i = sizeof tmp;
  tmp[--i] = after;
  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  put_str(tmp + i, sizeof tmp - (size_t)i);
}

/* Address text, remembered for the last few addresses: a table repeats a handful many times. */
static void put_addr(int family, const uint32_t *words) {
  static struct { int family; uint32_t words[4]; char text[INET6_ADDRSTRLEN]; size_t len; } cache[4];
  static unsigned next;
  size_t size = family == AF_INET ? 4 : 16;
  for (unsigned i = 0; i < 4; i++) {
    if (cache[i].len && cache[i].family == family && memcmp(cache[i].words, words, size) == 0) {
      put_str(cache[i].text, cache[i].len);
      return;
    }
  }
  unsigned slot = next++ % 4;
  cache[slot].family = family;
  memcpy(cache[slot].words, words, size);
  if (!inet_ntop(family, words, cache[slot].text, sizeof cache[slot].text)) strcpy(cache[slot].text, "?");
  cache[slot].len = strlen(cache[slot].text);
  put_str(cache[slot].text, cache[slot].len);
}

/*
 * Bytecode for "sport or dport is one of ports", the shape `ss` builds for `A or B`: each
 * comparison jumps to the next op when true (a JMP to the end = accept) and over that JMP when
 * false; the last one's false jumps 4 bytes past the end, which the kernel counts as reject.
 */
static size_t build_filter(unsigned char *bc, const unsigned *ports, int count) {
  size_t len = 0;
  int total = count * 2;
  for (int k = 0; k < total; k++) {
    struct inet_diag_bc_op *op = (struct inet_diag_bc_op *)(bc + len);
    op[0].code = k % 2 == 0 ? INET_DIAG_BC_S_EQ : INET_DIAG_BC_D_EQ;
    op[0].yes = sizeof(struct inet_diag_bc_op) * 2;
    op[0].no = sizeof(struct inet_diag_bc_op) * 3;
    op[1].code = 0;
    op[1].yes = 0;
    op[1].no = (unsigned short)ports[k / 2];
    len += sizeof(struct inet_diag_bc_op) * 2;
    if (k + 1 < total) {
      size_t rest = (size_t)(total - k - 1) * sizeof(struct inet_diag_bc_op) * 3 - sizeof(struct inet_diag_bc_op);
      struct inet_diag_bc_op *jmp = (struct inet_diag_bc_op *)(bc + len);
      jmp->code = INET_DIAG_BC_JMP;
      jmp->yes = sizeof(struct inet_diag_bc_op);
      jmp->no = (unsigned short)(rest + sizeof(struct inet_diag_bc_op));
      len += sizeof(struct inet_diag_bc_op);
    }
  }
  return len;
}

/* One dump of `family`; returns the rows printed, or -errno. */
static long dump(int fd, int family, const unsigned char *bc, size_t bc_len) {
  struct {
    struct nlmsghdr nlh;
    struct inet_diag_req_v2 req;
    struct nlattr attr;
    unsigned char bc[MAX_PORTS * 2 * 12];
  } msg;
  memset(&msg, 0, sizeof msg);
  size_t len = NLMSG_LENGTH(sizeof msg.req);
  msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  msg.nlh.nlmsg_seq = ++seq;
  msg.req.sdiag_family = (unsigned char)family;
  msg.req.sdiag_protocol = IPPROTO_TCP;
  msg.req.idiag_states = STATE_MASK;
  /* tcp_info carries both counters /proc prints (retransmits and probes); idiag_retrans holds
   * only the one that belongs to the running timer. */
  msg.req.idiag_ext = 1 << (INET_DIAG_INFO - 1);
  if (bc_len) {
    msg.attr.nla_type = INET_DIAG_REQ_BYTECODE;
    msg.attr.nla_len = (unsigned short)(NLA_HDRLEN + bc_len);
    memcpy(msg.bc, bc, bc_len);
    len += NLA_HDRLEN + bc_len;
  }
  msg.nlh.nlmsg_len = (uint32_t)len;
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  if (sendto(fd, &msg, len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) return -errno;

  long rows = 0;
  for (;;) {
    ssize_t n = recv(fd, recv_buf, sizeof recv_buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -errno;
    }
    if (n == 0) return -EPIPE;
    for (struct nlmsghdr *h = (struct nlmsghdr *)recv_buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_seq != seq) continue;
      if (h->nlmsg_type == NLMSG_DONE) return rows;
      if (h->nlmsg_type == NLMSG_ERROR) {
        const struct nlmsgerr *e = NLMSG_DATA(h);
        return e->error ? e->error : -EPROTO;
      }
      if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY || h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg))) continue;
      const struct inet_diag_msg *m = NLMSG_DATA(h);
      int have_info = 0;
      unsigned retransmits = 0, probes = 0;
      int attr_len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof *m));
      for (const struct nlattr *a = (const struct nlattr *)(m + 1);
           attr_len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= attr_len;
           attr_len -= NLA_ALIGN(a->nla_len), a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len))) {
        /* struct tcp_info starts u8 state, ca_state, retransmits, probes on every kernel. */
        if ((a->nla_type & NLA_TYPE_MASK) == INET_DIAG_INFO && a->nla_len >= NLA_HDRLEN + 4) {
          const unsigned char *info = (const unsigned char *)a + NLA_HDRLEN;
          retransmits = info[2];
          probes = info[3];
          have_info = 1;
        }
      }
      if (!have_info) {
        /* TIME_WAIT and request sockets: the kernel puts the running timer's counter here. */
        if (m->idiag_timer == 1) retransmits = m->idiag_retrans;
        else if (m->idiag_timer == 2 || m->idiag_timer == 4) probes = m->idiag_retrans;
      }
      int fam = m->idiag_family;
      put_str(fam == AF_INET ? "4 " : "6 ", 2);
      put_u64(m->idiag_state == 12 ? 3 : m->idiag_state, ' ');
      put_addr(fam, m->id.idiag_src);
      put_str(" ", 1);
      put_u64(ntohs(m->id.idiag_sport), ' ');
      put_addr(fam, m->id.idiag_dst);
      put_str(" ", 1);
      put_u64(ntohs(m->id.idiag_dport), ' ');
      put_u64(m->idiag_timer, ' ');
      put_u64(m->idiag_timer ? m->idiag_expires : 0, ' ');
      put_u64(retransmits, ' ');
      put_u64(probes, ' ');
      put_u64(m->idiag_rqueue, ' ');
      put_u64(m->idiag_wqueue, ' ');
      put_u64(m->idiag_uid, ' ');
      put_u64(m->idiag_inode, '\n');
      rows++;
    }
  }
}

static void snapshot(int fd, const unsigned *ports, int count) {
  static unsigned char bc[MAX_PORTS * 2 * 12];
  size_t bc_len = count ? build_filter(bc, ports, count) : 0;
  long total = 0;
  static const int families[] = { AF_INET, AF_INET6 };
  for (int i = 0; i < 2; i++) {
    long rows = dump(fd, families[i], bc, bc_len);
    /* No IPv6 in this kernel: an empty table, as a missing /proc/net/tcp6 is. */
    if (rows == -ENOENT && families[i] == AF_INET6) rows = 0;
    if (rows < 0) {
      out_len = 0;
      put_str("! ", 2);
      put_u64((uint64_t)-rows, ' ');
      const char *text = strerror((int)-rows);
      put_str(text, strlen(text));
      put_str("\n", 1);
      flush_out();
      return;
    }
    total += rows;
  }
  put_str(". ", 2);
  put_u64((uint64_t)total, '\n');
  flush_out();
}

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int main(void) {
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() == 1) return 0; /* the parent died before prctl took effect */
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) {
    fprintf(stderr, "sock-diag: netlink socket: %s\n", strerror(errno));
    return 2;
  }
  char line[1024];
  size_t line_len = 0;
  unsigned ports[MAX_PORTS];
  int count = 0;
  long long every = 0, due = 0;
  for (;;) {
    int timeout = -1;
    if (every > 0) {
      long long left = due - now_ms();
      timeout = left > 0 ? (int)left : 0;
    }
    struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
    int ready = poll(&p, 1, timeout);
    if (ready < 0 && errno != EINTR) return 1;
    if (ready == 0) {
      due += every;
      snapshot(fd, ports, count);
      continue;
    }
    if (ready < 0) continue;
    ssize_t n = read(STDIN_FILENO, line + line_len, sizeof line - line_len);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      return 0; /* stdin closed: the extension has gone or is done with us */
    }
    line_len += (size_t)n;
    char *nl;
    while ((nl = memchr(line, '\n', line_len)) != NULL) {
      *nl = '\0';
      char *s = line;
      every = 0;
      if (*s == '@') {
        every = strtoll(s + 1, &s, 10);
        due = now_ms() + every;
      }
      count = 0;
      for (;;) {
        char *end;
        unsigned long port = strtoul(s, &end, 10);
        if (end == s) break;
        if (port < 65536 && count < MAX_PORTS) ports[count++] = (unsigned)port;
        s = end;
      }
      snapshot(fd, ports, count);
      size_t used = (size_t)(nl - line) + 1;
      memmove(line, nl + 1, line_len - used);
      line_len -= used;
    }
    if (line_len == sizeof line) line_len = 0; /* an overlong line is not ours: drop it */
  }
}
