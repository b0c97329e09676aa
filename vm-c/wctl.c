/* The control channel's transport: connect, hello, line framing. The three platforms differ
 * only in four primitives (connect, write, wait-readable + read, close) at the top of the file. */
#include "wctl.h"
#include "wjson.h"
#include "wmem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !WCTL_TRANSPORT
/* A wasm build for a host that does not provide whispem_host.ctl_send/ctl_recv (built without
 * -DWCTL_HOST_IMPORTS; bin/wvm.wasm is built with it, docs/vm-protocol.md): no import is declared
 * (the module instantiates under any WASI host), --control is refused with a clear reason, and
 * nothing else of the channel is compiled (the module stays small). */
WCtl *wctl_open(const char *spec, WBuf *err) {
  (void)spec;
  wbuf_puts(err, "this WebAssembly build has no control channel (its host lacks the whispem_host imports)");
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
int wctl_respond(WCtl *c, long seq, int success, const char *body_json, const char *message) {
  (void)c, (void)seq, (void)success, (void)body_json, (void)message;
  return -1;
}
int wctl_event(WCtl *c, const char *name, const char *body_json) {
  (void)c, (void)name, (void)body_json;
  return -1;
}
#else
#if defined(__wasi__)
/* WASI preview 1 has no sockets: the host (out/wvm-wasm.js) owns the connection, to the port of
 * the --control value on the module's command line. */
__attribute__((import_module("whispem_host"), import_name("ctl_send"))) int whispem_host_ctl_send(const char *ptr, size_t len);
__attribute__((import_module("whispem_host"), import_name("ctl_recv"))) int whispem_host_ctl_recv(char *ptr, size_t cap, int timeout_ms);
typedef int wsock;
#define WSOCK_BAD (-1)
static int net_connect(int port, wsock *out, WBuf *err) {
  /* A send of no bytes connects: 0 connected, -1 the host could not. */
  if (whispem_host_ctl_send("", 0) < 0) {
    wbuf_printf(err, "cannot connect to 127.0.0.1:%d", port);
    return 0;
  }
  *out = 0;
  return 1;
}
static int net_write(wsock s, const char *p, size_t n) {
  (void)s;
  return whispem_host_ctl_send(p, n) < 0 ? -1 : 0;
}
/* >0 bytes, 0 timeout, -1 closed */
static int net_read(wsock s, char *p, size_t cap, int timeout_ms) {
  (void)s;
  return whispem_host_ctl_recv(p, cap, timeout_ms);
}
static void net_close(wsock s) { (void)s; }
#else
#if defined(_WIN32)
#include <winsock2.h>
#include <ws2tcpip.h>
typedef SOCKET wsock;
#define WSOCK_BAD INVALID_SOCKET
#include <windows.h>
#define getpid() GetCurrentProcessId() /* the CRT's _getpid is missing from some mingw targets */
static void net_close(wsock s) { closesocket(s); }
static int net_start(void) {
  WSADATA d;
  return WSAStartup(MAKEWORD(2, 2), &d) == 0;
}
#else
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
typedef int wsock;
#define WSOCK_BAD (-1)
static void net_close(wsock s) { close(s); }
static int net_start(void) { return 1; }
#endif

static int net_connect(int port, wsock *out, WBuf *err) {
  if (!net_start()) {
    wbuf_puts(err, "cannot start the socket library");
    return 0;
  }
  wsock s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (s == WSOCK_BAD) {
    wbuf_puts(err, "cannot create a socket");
    return 0;
  }
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(0x7F000001); /* 127.0.0.1 */
  if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
    wbuf_printf(err, "cannot connect to 127.0.0.1:%d", port);
    net_close(s);
    return 0;
  }
  int one = 1;
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
  *out = s;
  return 1;
}

static int net_write(wsock s, const char *p, size_t n) {
  while (n > 0) {
#if defined(_WIN32)
    int k = send(s, p, (int)(n > 1 << 30 ? 1 << 30 : n), 0);
#elif defined(MSG_NOSIGNAL)
    ssize_t k = send(s, p, n, MSG_NOSIGNAL);
#else
    ssize_t k = send(s, p, n, 0);
#endif
    if (k <= 0) {
#if !defined(_WIN32)
      if (k < 0 && errno == EINTR) continue;
#endif
      return -1;
    }
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

static int net_read(wsock s, char *p, size_t cap, int timeout_ms) {
#if defined(_WIN32)
  WSAPOLLFD pf = {s, POLLRDNORM, 0};
  int r = WSAPoll(&pf, 1, timeout_ms);
  if (r == 0) return 0;
  if (r < 0) return -1;
  int k = recv(s, p, (int)cap, 0);
#else
  struct pollfd pf = {s, POLLIN, 0};
  int r;
  do r = poll(&pf, 1, timeout_ms);
  while (r < 0 && errno == EINTR);
  if (r == 0) return 0;
  if (r < 0) return -1;
  ssize_t k;
  do k = recv(s, p, cap, 0);
  while (k < 0 && errno == EINTR);
#endif
  return k <= 0 ? -1 : (int)k;
}
#endif

struct WCtl {
  wsock sock;
  WBuf in; /* received bytes not yet returned as lines */
  size_t in_start;
  int closed;
};

WCtl *wctl_open(const char *spec, WBuf *err) {
  const char *colon = strchr(spec, ':');
  char *end;
  long port = strtol(spec, &end, 10);
  if (!colon || end != colon || port <= 0 || port > 65535 || colon[1] == 0) {
    wbuf_printf(err, "bad --control value '%s' (expected PORT:TOKEN)", spec);
    return NULL;
  }
  wsock s;
  if (!net_connect((int)port, &s, err)) return NULL;
  WCtl *c = wmem_calloc(1, sizeof *c);
  c->sock = s;
  WBuf hello = {0};
  wbuf_puts(&hello, "{\"event\":\"hello\",\"body\":{\"token\":");
  wjson_put_string(&hello, colon + 1, strlen(colon + 1));
#if defined(__wasi__)
  wbuf_printf(&hello, ",\"protocol\":%d,\"pid\":0}}", WCTL_PROTOCOL);
#else
  wbuf_printf(&hello, ",\"protocol\":%d,\"pid\":%ld}}", WCTL_PROTOCOL, (long)getpid());
#endif
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
  if (c->closed) return -1;
  /* One write per message so that a controller never sees half a line interleaved. */
  char *msg = wmem_alloc(len + 1);
  memcpy(msg, json, len);
  msg[len] = '\n';
  int r = net_write(c->sock, msg, len + 1);
  free(msg);
  if (r < 0) c->closed = 1;
  return r;
}

int wctl_recv(WCtl *c, WBuf *line, int timeout_ms) {
  line->len = 0;
  for (;;) {
    char *start = c->in.data ? c->in.data + c->in_start : NULL;
    size_t avail = c->in.len - c->in_start;
    char *nl = start ? memchr(start, '\n', avail) : NULL;
    if (nl) {
      size_t n = (size_t)(nl - start);
      if (n > 0 && start[n - 1] == '\r') n--;
      wbuf_put(line, start, n); /* NUL-terminated by wbuf_put */
      c->in_start += (size_t)(nl - start) + 1;
      if (c->in_start == c->in.len) c->in.len = c->in_start = 0;
      return 1;
    }
    if (c->closed) return -1;
    if (c->in_start > 0) { /* keep the partial line at the front */
      memmove(c->in.data, c->in.data + c->in_start, avail);
      c->in.len = avail;
      c->in_start = 0;
    }
    wbuf_reserve(&c->in, 65536);
    int k = net_read(c->sock, c->in.data + c->in.len, c->in.cap - c->in.len - 1, timeout_ms);
    if (k == 0) return 0;
    if (k < 0) {
      c->closed = 1;
      return -1;
    }
    c->in.len += (size_t)k;
  }
}

void wctl_close(WCtl *c) {
  if (!c) return;
  net_close(c->sock);
  wbuf_free(&c->in);
  free(c);
}

int wctl_respond(WCtl *c, long seq, int success, const char *body_json, const char *message) {
  WBuf b = {0};
  wbuf_printf(&b, "{\"request_seq\":%ld,\"success\":%s", seq, success ? "true" : "false");
  if (success) wbuf_printf(&b, ",\"body\":%s}", body_json ? body_json : "{}");
  else {
    wbuf_puts(&b, ",\"message\":");
    wjson_put_string(&b, message ? message : "failed", strlen(message ? message : "failed"));
    wbuf_putc(&b, '}');
  }
  int r = wctl_send(c, b.data, b.len);
  wbuf_free(&b);
  return r;
}

int wctl_event(WCtl *c, const char *name, const char *body_json) {
  WBuf b = {0};
  wbuf_puts(&b, "{\"event\":");
  wjson_put_string(&b, name, strlen(name));
  wbuf_printf(&b, ",\"body\":%s}", body_json ? body_json : "{}");
  int r = wctl_send(c, b.data, b.len);
  wbuf_free(&b);
  return r;
}
#endif /* WCTL_TRANSPORT */
