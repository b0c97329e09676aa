/* The control channel's transport: a loopback TCP client (POSIX sockets here; Winsock differs in
 * a few calls and would go beside them). See docs/vm-protocol.md. */
#include "wctl.h"
#include "wmem.h"

#if defined(_WIN32) || defined(__wasi__)
/* Windows (Winsock) and WebAssembly (host imports, docs/vm-protocol.md) transports are not written
 * yet: these builds refuse --control with a reason, and normal runs are unaffected. */
struct WCtl {
  int unused;
};

WCtl *wctl_open(const char *spec, WBuf *err) {
  (void)spec;
  wbuf_puts(err, "this build of wvm has no control channel (the debug mode needs the Linux or macOS build)");
  return NULL;
}
int wctl_send(WCtl *c, const char *json, size_t len) {
  (void)c, (void)json, (void)len;
  return -1;
}
int wctl_recv(WCtl *c, WBuf *line, int timeout_ms) {
  (void)c, (void)line, (void)timeout_ms;
  return -1;
}
void wctl_close(WCtl *c) { (void)c; }
#else
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

struct WCtl {
  int fd;
  WBuf in; /* bytes received and not yet returned as lines */
  size_t scanned;
};

static void put_json_string(WBuf *b, const char *s) {
  wbuf_putc(b, '"');
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') {
      wbuf_putc(b, '\\');
      wbuf_putc(b, (char)ch);
    } else if (ch < 0x20) {
      wbuf_printf(b, "\\u%04x", ch);
    } else {
      wbuf_putc(b, (char)ch);
    }
  }
  wbuf_putc(b, '"');
}

WCtl *wctl_open(const char *spec, WBuf *err) {
  char *end;
  long port = strtol(spec, &end, 10);
  if (end == spec || *end != ':' || port <= 0 || port > 65535) {
    wbuf_puts(err, "the control spec must be PORT:TOKEN");
    return NULL;
  }
  const char *token = end + 1;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    wbuf_printf(err, "cannot open a socket: %s", strerror(errno));
    return NULL;
  }
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)port);
  addr.sin_addr.s_addr = htonl(0x7f000001) /* 127.0.0.1 (INADDR_LOOPBACK is not POSIX; macOS hides it) */;
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    wbuf_printf(err, "cannot connect to 127.0.0.1:%ld: %s", port, strerror(errno));
    close(fd);
    return NULL;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  WCtl *c = wmem_calloc(1, sizeof *c);
  c->fd = fd;
  WBuf hello = {0};
  wbuf_puts(&hello, "{\"event\":\"hello\",\"body\":{\"token\":");
  put_json_string(&hello, token);
  wbuf_printf(&hello, ",\"protocol\":1,\"pid\":%ld}}", (long)getpid());
  int ok = wctl_send(c, hello.data, hello.len) == 0;
  wbuf_free(&hello);
  if (!ok) {
    wbuf_puts(err, "the controller closed the connection");
    wctl_close(c);
    return NULL;
  }
  return c;
}

int wctl_send(WCtl *c, const char *json, size_t len) {
  WBuf b = {0};
  wbuf_put(&b, json, len);
  wbuf_putc(&b, '\n');
  size_t done = 0;
  int rc = 0;
  while (done < b.len) {
    ssize_t n = send(c->fd, b.data + done, b.len - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      rc = -1;
      break;
    }
    done += (size_t)n;
  }
  wbuf_free(&b);
  return rc;
}

/* Moves the first complete line of the input buffer into `line`; 1 if there was one. */
static int take_line(WCtl *c, WBuf *line) {
  for (size_t i = c->scanned; i < c->in.len; i++) {
    if (c->in.data[i] != '\n') continue;
    line->len = 0;
    wbuf_put(line, c->in.data, i);
    wbuf_putc(line, '\0');
    line->len--;
    memmove(c->in.data, c->in.data + i + 1, c->in.len - i - 1);
    c->in.len -= i + 1;
    c->scanned = 0;
    return 1;
  }
  c->scanned = c->in.len;
  return 0;
}

int wctl_recv(WCtl *c, WBuf *line, int timeout_ms) {
  for (;;) {
    if (take_line(c, line)) return 1;
    struct pollfd p = {c->fd, POLLIN, 0};
    int r = poll(&p, 1, timeout_ms < 0 ? -1 : timeout_ms);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) return 0;
    char chunk[4096];
    ssize_t n = recv(c->fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    wbuf_put(&c->in, chunk, (size_t)n);
  }
}

void wctl_close(WCtl *c) {
  if (!c) return;
  close(c->fd);
  wbuf_free(&c->in);
  free(c);
}
#endif
