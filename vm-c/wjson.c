/* The control channel's JSON: a string escaper for writing, and a skipping scanner that finds one
 * member of an object without building a tree. */
#include "wjson.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wjson_put_string(WBuf *b, const char *s, size_t n) {
  wbuf_putc(b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      wbuf_putc(b, '\\');
      wbuf_putc(b, (char)c);
    } else if (c == '\n') wbuf_puts(b, "\\n");
    else if (c == '\r') wbuf_puts(b, "\\r");
    else if (c == '\t') wbuf_puts(b, "\\t");
    else if (c < 0x20) wbuf_printf(b, "\\u%04x", c);
    else wbuf_putc(b, (char)c);
  }
  wbuf_putc(b, '"');
}

static size_t skip_ws(const char *t, size_t len, size_t i) {
  while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) i++;
  return i;
}

/* Index just past the string starting at t[i] == '"', or len+1 when unterminated. */
static size_t skip_string(const char *t, size_t len, size_t i) {
  for (i++; i < len; i++) {
    if (t[i] == '\\') i++;
    else if (t[i] == '"') return i + 1;
  }
  return len + 1;
}

/* Index just past the value starting at t[i], or len+1 when malformed. */
static size_t skip_value(const char *t, size_t len, size_t i) {
  if (i >= len) return len + 1;
  if (t[i] == '"') return skip_string(t, len, i);
  if (t[i] == '{' || t[i] == '[') {
    int depth = 0;
    for (; i < len; i++) {
      if (t[i] == '"') {
        i = skip_string(t, len, i) - 1;
        if (i >= len) return len + 1;
      } else if (t[i] == '{' || t[i] == '[') depth++;
      else if (t[i] == '}' || t[i] == ']') {
        if (--depth == 0) return i + 1;
      }
    }
    return len + 1;
  }
  size_t start = i;
  while (i < len && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' && t[i] != '\n' && t[i] != '\r' && t[i] != '\t') i++;
  return i > start ? i : len + 1;
}

int wjson_find(const char *t, size_t len, const char *key, const char **val, size_t *vlen) {
  size_t klen = strlen(key);
  size_t i = skip_ws(t, len, 0);
  if (i >= len || t[i] != '{') return 0;
  i = skip_ws(t, len, i + 1);
  while (i < len && t[i] == '"') {
    size_t kend = skip_string(t, len, i);
    if (kend > len) return 0;
    int match = kend - i - 2 == klen && memcmp(t + i + 1, key, klen) == 0;
    i = skip_ws(t, len, kend);
    if (i >= len || t[i] != ':') return 0;
    i = skip_ws(t, len, i + 1);
    size_t vend = skip_value(t, len, i);
    if (vend > len) return 0;
    if (match) {
      *val = t + i;
      *vlen = vend - i;
      return 1;
    }
    i = skip_ws(t, len, vend);
    if (i < len && t[i] == ',') i = skip_ws(t, len, i + 1);
  }
  return 0;
}

int wjson_get_number(const char *t, size_t len, const char *key, double *out) {
  const char *v;
  size_t n;
  *out = 0;
  if (!wjson_find(t, len, key, &v, &n) || n == 0 || n > 60) return 0;
  char tmp[64];
  memcpy(tmp, v, n);
  tmp[n] = 0;
  char *end;
  double d = strtod(tmp, &end);
  if (end != tmp + n) return 0;
  *out = d;
  return 1;
}

int wjson_get_bool(const char *t, size_t len, const char *key, int *out) {
  const char *v;
  size_t n;
  if (!wjson_find(t, len, key, &v, &n)) return 0;
  if (n == 4 && memcmp(v, "true", 4) == 0) *out = 1;
  else if (n == 5 && memcmp(v, "false", 5) == 0) *out = 0;
  else return 0;
  return 1;
}

static int hex4(const char *s, unsigned *out) {
  unsigned v = 0;
  for (int k = 0; k < 4; k++) {
    char c = s[k];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return 0;
  }
  *out = v;
  return 1;
}

static void put_utf8(WBuf *b, uint32_t cp) {
  char u[4];
  if (cp < 0x80) wbuf_putc(b, (char)cp);
  else if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3F));
    wbuf_put(b, u, 2);
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    wbuf_put(b, u, 3);
  } else {
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    wbuf_put(b, u, 4);
  }
}

int wjson_get_string(const char *t, size_t len, const char *key, WBuf *out) {
  const char *v;
  size_t n;
  if (!wjson_find(t, len, key, &v, &n) || n < 2 || v[0] != '"') return 0;
  for (size_t i = 1; i + 1 < n; i++) {
    if (v[i] != '\\') {
      wbuf_putc(out, v[i]);
      continue;
    }
    if (++i + 1 >= n) return 0;
    switch (v[i]) {
    case 'n': wbuf_putc(out, '\n'); break;
    case 'r': wbuf_putc(out, '\r'); break;
    case 't': wbuf_putc(out, '\t'); break;
    case 'b': wbuf_putc(out, '\b'); break;
    case 'f': wbuf_putc(out, '\f'); break;
    case 'u': {
      unsigned cp, lo;
      if (i + 4 >= n || !hex4(v + i + 1, &cp)) return 0;
      i += 4;
      if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < n && v[i + 1] == '\\' && v[i + 2] == 'u' && hex4(v + i + 3, &lo) && lo >= 0xDC00 && lo < 0xE000) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        i += 6;
      } else if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;
      put_utf8(out, cp);
      break;
    }
    default: wbuf_putc(out, v[i]); break;
    }
  }
  return 1;
}
