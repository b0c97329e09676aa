/* A tiny JSON reader and writer (see wjson.h): enough for the control channel's flat messages.
 * The reader never allocates except for unescaped strings and never reads past the NUL. */
#include "wjson.h"

#include <stdlib.h>
#include <string.h>

static const char *skip_ws(const char *p) {
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
  return p;
}

/* Past the string starting at p (which is '"'). */
static const char *skip_string(const char *p) {
  for (p++; *p && *p != '"'; p++)
    if (*p == '\\' && p[1]) p++;
  return *p ? p + 1 : p;
}

/* Past the value starting at p (strings, nested objects and arrays skipped whole). */
static const char *skip_value(const char *p) {
  if (*p == '"') return skip_string(p);
  if (*p == '{' || *p == '[') {
    int depth = 0;
    for (; *p; p++) {
      if (*p == '"') {
        p = skip_string(p) - 1;
        if (!*p) return p;
      } else if (*p == '{' || *p == '[') {
        depth++;
      } else if ((*p == '}' || *p == ']') && --depth == 0) {
        return p + 1;
      }
    }
    return p;
  }
  while (*p && *p != ',' && *p != '}' && *p != ']') p++;
  return p;
}

const char *wjson_find(const char *json, const char *key) {
  size_t klen = strlen(key);
  const char *p = skip_ws(json);
  if (*p != '{') return NULL;
  p = skip_ws(p + 1);
  while (*p == '"') {
    const char *start = p + 1;
    const char *end = skip_string(p);
    if (end[-1] != '"' || end == start) return NULL; /* unterminated */
    p = skip_ws(end);
    if (*p != ':') return NULL;
    p = skip_ws(p + 1);
    if ((size_t)(end - 1 - start) == klen && memcmp(start, key, klen) == 0) return p;
    p = skip_ws(skip_value(p));
    if (*p != ',') return NULL;
    p = skip_ws(p + 1);
  }
  return NULL;
}

int wjson_number(const char *p, double *out) {
  if (!p) return 0;
  char *end;
  double v = strtod(p, &end);
  if (end == p) return 0;
  *out = v;
  return 1;
}

static int hex4(const char *p, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return 0;
  }
  *out = v;
  return 1;
}

static void put_utf8(WBuf *b, unsigned cp) {
  char s[4];
  if (cp < 0x80) {
    wbuf_putc(b, (char)cp);
  } else if (cp < 0x800) {
    s[0] = (char)(0xC0 | (cp >> 6)), s[1] = (char)(0x80 | (cp & 0x3F));
    wbuf_put(b, s, 2);
  } else if (cp < 0x10000) {
    s[0] = (char)(0xE0 | (cp >> 12)), s[1] = (char)(0x80 | ((cp >> 6) & 0x3F)), s[2] = (char)(0x80 | (cp & 0x3F));
    wbuf_put(b, s, 3);
  } else {
    s[0] = (char)(0xF0 | (cp >> 18)), s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    s[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), s[3] = (char)(0x80 | (cp & 0x3F));
    wbuf_put(b, s, 4);
  }
}

int wjson_string(const char *p, WBuf *out) {
  if (!p || *p != '"') return 0;
  out->len = 0;
  for (p++; *p && *p != '"'; p++) {
    if (*p != '\\') {
      wbuf_putc(out, *p);
      continue;
    }
    p++;
    switch (*p) {
    case 'n': wbuf_putc(out, '\n'); break;
    case 't': wbuf_putc(out, '\t'); break;
    case 'r': wbuf_putc(out, '\r'); break;
    case 'b': wbuf_putc(out, '\b'); break;
    case 'f': wbuf_putc(out, '\f'); break;
    case 'u': {
      unsigned cp, lo;
      if (!hex4(p + 1, &cp)) return 0;
      p += 4;
      if (cp >= 0xD800 && cp < 0xDC00 && p[1] == '\\' && p[2] == 'u' && hex4(p + 3, &lo) && lo >= 0xDC00 && lo < 0xE000) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        p += 6;
      }
      put_utf8(out, cp);
      break;
    }
    case '\0': return 0;
    default: wbuf_putc(out, *p); break;
    }
  }
  if (*p != '"') return 0;
  wbuf_putc(out, '\0');
  out->len--;
  return 1;
}

int wjson_bool(const char *p) {
  if (!p) return -1;
  if (strncmp(p, "true", 4) == 0) return 1;
  if (strncmp(p, "false", 5) == 0) return 0;
  return -1;
}

int wjson_numbers(const char *p, double *out, int cap) {
  if (!p || *p != '[') return -1;
  int n = 0;
  p = skip_ws(p + 1);
  while (*p && *p != ']') {
    char *end;
    double v = strtod(p, &end);
    if (end == p) return -1;
    if (n < cap) out[n] = v;
    n++;
    p = skip_ws(end);
    if (*p == ',') p = skip_ws(p + 1);
  }
  return n < cap ? n : cap;
}

void wjson_put_string(WBuf *b, const char *s, size_t len) {
  static const char hex[] = "0123456789abcdef";
  wbuf_putc(b, '"');
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      wbuf_putc(b, '\\');
      wbuf_putc(b, (char)c);
    } else if (c == '\n') {
      wbuf_puts(b, "\\n");
    } else if (c < 0x20 || c == 0x7f) {
      char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      wbuf_put(b, e, 6);
    } else {
      wbuf_putc(b, (char)c);
    }
  }
  wbuf_putc(b, '"');
}
