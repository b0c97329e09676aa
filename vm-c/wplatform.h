/* The platform layer: the few things the C library does differently on POSIX, Windows and WASI.
 * Every other file is plain C11 and calls these instead of a system-specific API. */
#ifndef WPLATFORM_H
#define WPLATFORM_H

#include <stddef.h>
#include <stdio.h>

/* Sets up the standard streams before anything is read or written: on Windows, binary mode (so
 * "\n" stays "\n" and input bytes pass unchanged) and UTF-8 console output. */
void wplat_stdio_init(void);

/* Sets up the rest of the process before the program runs: under WASI, the working directory
 * (the host passes it as PWD; wasi-libc starts at "/"), so relative paths mean what they mean natively. */
void wplat_process_init(void);

/* The number an OS error shows as ("TEXT (os error N)"): the reference's Linux numbering, also
 * where the C library numbers errors differently (WASI). */
int wplat_os_errno(int err);

/* Whether the stream is an interactive terminal (decides stdout's line buffering). */
int wplat_isatty(FILE *f);

/* Reads one line of any length, '\n' included when present, into a malloc'd buffer (*line, with
 * room *cap, reused across calls). Returns the number of bytes read, or -1 at end of input. */
long wplat_readline(char **line, size_t *cap, FILE *f);

/* Milliseconds from a monotonic clock (only differences between two calls mean anything). */
long long wplat_now_ms(void);

/* fopen with a UTF-8 path (on Windows the C library's fopen takes the ANSI code page). */
FILE *wplat_fopen(const char *path, const char *mode);

/* Sends stdout and stderr to the null device (on) or back where they went (off), flushing them
 * first. Returns 0 where that cannot be done. WASI has no dup2: the wasm build with the host
 * imports asks the host (whispem_host.mute_output), one without them cannot. */
int wplat_mute_output(int on);

#endif
