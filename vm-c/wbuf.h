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
void wbuf_printf(WBuf *b, const char *fmt, ...);
void wbuf_free(WBuf *b);

#endif
