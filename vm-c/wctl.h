/* The control channel (docs/vm-protocol.md): one loopback TCP connection to the controller that
 * started the VM, carrying one JSON object per line. The program's stdin/stdout/stderr stay the
 * user's. */
#ifndef WCTL_H
#define WCTL_H

#include <stddef.h>

#include "wbuf.h"

typedef struct WCtl WCtl;

/* spec is "PORT:TOKEN": connects to 127.0.0.1:PORT and sends the hello event. NULL and a reason
 * in err on failure. */
WCtl *wctl_open(const char *spec, WBuf *err);
/* Sends one message (a newline is added). 0 on success, -1 when the connection is gone. */
int wctl_send(WCtl *c, const char *json, size_t len);
/* Receives one line into `line` (replacing its contents, no newline): 1 got one, 0 timed out,
 * -1 closed or error. timeout_ms 0 polls; a negative timeout waits for ever. */
int wctl_recv(WCtl *c, WBuf *line, int timeout_ms);
void wctl_close(WCtl *c);

#endif
