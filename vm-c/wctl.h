/* The VM control channel's transport (docs/vm-protocol.md): a loopback TCP connection to the
 * controller, one JSON message per line. POSIX sockets, Winsock on Windows, and under WASI two
 * host imports (whispem_host.ctl_send / ctl_recv) that the Node wasm host bridges to the socket. */
#ifndef WCTL_H
#define WCTL_H

#include <stddef.h>

#include "wbuf.h"

#define WCTL_PROTOCOL 1

/* 0 in a build without a transport (WebAssembly without the host imports): wctl_open always
 * fails there, so callers may leave out what only a connection can reach (a smaller module). */
#if defined(__wasi__) && !defined(WCTL_HOST_IMPORTS)
#define WCTL_TRANSPORT 0
#else
#define WCTL_TRANSPORT 1
#endif

typedef struct WCtl WCtl;

/* Connects to 127.0.0.1:PORT from spec "PORT:TOKEN" and sends the hello event. On failure
 * returns NULL and puts the reason into err. */
WCtl *wctl_open(const char *spec, WBuf *err);
/* Sends one message; adds the newline. Returns 0, or -1 when the connection is gone. */
int wctl_send(WCtl *c, const char *json, size_t len);
/* Receives one line (without its newline) into line (cleared first): 1 a line, 0 timeout,
 * -1 closed or error. timeout_ms < 0 waits for ever, 0 polls. */
int wctl_recv(WCtl *c, WBuf *line, int timeout_ms);
void wctl_close(WCtl *c);

/* Helpers shared by the session and the debugger: a response to request `seq`. body_json is the
 * body object's text (NULL: {}); on failure `message` says why (body ignored). */
int wctl_respond(WCtl *c, long seq, int success, const char *body_json, const char *message);
/* Sends {"event":NAME,"body":BODY} (body_json NULL: {}). */
int wctl_event(WCtl *c, const char *name, const char *body_json);
#endif
