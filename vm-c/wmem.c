/* Allocation helpers and the growable byte buffer. */
#include "wmem.h"
#include "wbuf.h"
#include "wplatform.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void wmem_fail(void) {
  fflush(stdout);
  fputs("Error: out of memory\n", stderr);
  exit(1);
}

void *wmem_alloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) wmem_fail();
  return p;
}

void *wmem_realloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) wmem_fail();
  return q;
}

void *wmem_calloc(size_t count, size_t size) {
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (!p) wmem_fail();
  return p;
}

size_t wmem_grow_cap(size_t cap, size_t need, size_t elem_size) {
  if (need > ((size_t)-1 / 2) / elem_size) wmem_fail();
  size_t c = cap < 8 ? 8 : cap;
  while (c < need) c *= 2;
  return c;
}

void wbuf_reserve(WBuf *b, size_t extra) {
  if (b->len + extra + 1 > b->cap) {
    b->cap = wmem_grow_cap(b->cap, b->len + extra + 1, 1);
    b->data = wmem_realloc(b->data, b->cap);
  }
}

void wbuf_put(WBuf *b, const char *s, size_t n) {
  wbuf_reserve(b, n);
  if (n) memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void wbuf_puts(WBuf *b, const char *s) { wbuf_put(b, s, strlen(s)); }

void wbuf_putc(WBuf *b, char c) {
  wbuf_reserve(b, 1);
  b->data[b->len++] = c;
  b->data[b->len] = '\0';
}

void wbuf_printf(WBuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n > 0) {
    wbuf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    b->len += (size_t)n;
  }
  va_end(ap2);
}

void wbuf_free(WBuf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

int wbuf_read_file(WBuf *b, const char *path) {
  FILE *f = wplat_fopen(path, "rb");
  if (!f) return errno;
  char chunk[65536];
  size_t n;
  int err = 0;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) wbuf_put(b, chunk, n);
  if (ferror(f)) err = errno ? errno : EIO;
  fclose(f);
  if (err) wbuf_free(b);
  return err;
}
