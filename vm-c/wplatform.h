/* wplatform: the few things that differ between POSIX, Windows and WASI, behind one interface.
 * Every other file is plain C11 + libc; nothing outside wplatform.c tests a platform macro. */
#ifndef WPLATFORM_H
#define WPLATFORM_H

#include <stdio.h>

#include "wbuf.h"

/* Standard streams in binary mode (so "\n" is written as it is on Windows), stdout line-buffered
 * on a terminal and fully buffered otherwise. */
void wplat_init_stdio(char *outbuf, size_t size);
/* The command line as UTF-8 (on Windows it is read again as UTF-16 and converted); under WASI
 * also the current directory, which the host passes in PWD. */
void wplat_utf8_args(int *argc, char ***argv);
/* fopen with a UTF-8 path. */
FILE *wplat_fopen(const char *path, const char *mode);
/* Reads one line of any length from `f` into `line` (cleared first), without its "\n".
 * Returns 1 when a line (possibly empty) was read, 0 at end of input. */
int wplat_read_line(FILE *f, WBuf *line);

/* A monotonic clock in milliseconds (any origin). */
long long wplat_monotonic_ms(void);

#endif
