/* A growable byte buffer: the text builder behind format(), string concatenation and messages. */
#ifndef WBUF_H
#define WBUF_H

#include <stddef.h>

typedef struct {
  char *data;
  size_t len, cap;
} WBuf;

void wbuf_reserve(WBuf *b, size_t extra);
void wbuf_put(WBuf *b, const char *s, size_t n);
void wbuf_puts(WBuf *b, const char *s);
void wbuf_putc(WBuf *b, char c);
#if defined(__GNUC__)
#define W_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define W_PRINTF(f, a)
#endif
void wbuf_printf(WBuf *b, const char *fmt, ...) W_PRINTF(2, 3);
void wbuf_free(WBuf *b);
/* Appends the whole file at `path`; returns 0, or the errno of the failure (the buffer is then freed). */
int wbuf_read_file(WBuf *b, const char *path);

#endif
