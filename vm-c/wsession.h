/* `wvm --control PORT:TOKEN --session`: the REPL's VM side (docs/vm-protocol.md, "Session"). */
#ifndef WSESSION_H
#define WSESSION_H

#include "wctl.h"

/* Serves requests until `terminate` or the connection closes; returns the exit status. */
int wsession_serve(WCtl *c);

#endif
