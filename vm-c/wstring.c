/* Strings: immutable UTF-8 text to the language; appended to in place while unshared. */
#include "wvalue.h"
#include "wmem.h"

#include <string.h>

size_t wutf8_count(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n;
}

int wutf8_valid(const unsigned char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    unsigned c = s[i];
    size_t need;
    uint32_t cp;
    if (c < 0x80) { i++; continue; }
    else if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 3; cp = c & 0x07; }
    else return 0;
    if (len - i - 1 < need) return 0;
    for (size_t k = 1; k <= need; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return 0;
    i += need + 1;
  }
  return 1;
}

WString *wstr_take(char *s, size_t len, size_t cap) {
  WString *str = wmem_alloc(sizeof *str);
  str->h.rc = 1;
  str->h.type = W_STR;
  str->hash = 0;
  str->s = s;
  str->owns_block = 1;
  str->len = len;
  str->cap = cap;
  str->nchars = wutf8_count(s, len);
  return str;
}

WString *wstr_new(const char *s, size_t len) {
  /* One allocation for the object and its text: most strings never grow. */
  WString *str = wmem_alloc(sizeof *str + len + 1);
  str->h.rc = 1;
  str->h.type = W_STR;
  str->hash = 0;
  str->s = str->inline_text;
  str->owns_block = 0;
  if (len) memcpy(str->s, s, len);
  str->s[len] = '\0';
  str->len = len;
  str->cap = len + 1;
  str->nchars = wutf8_count(s, len);
  return str;
}

void wstr_append(WString *str, const char *s, size_t len) {
  if (str->len + len + 1 > str->cap) {
    str->cap = wmem_grow_cap(str->cap, str->len + len + 1, 1);
    if (str->owns_block)
      str->s = wmem_realloc(str->s, str->cap);
    else {
      char *block = wmem_alloc(str->cap);
      memcpy(block, str->s, str->len + 1);
      str->s = block;
      str->owns_block = 1;
    }
  }
  memcpy(str->s + str->len, s, len);
  str->len += len;
  str->s[str->len] = '\0';
  str->nchars += wutf8_count(s, len);
  str->hash = 0;
}

uint32_t wstr_hash(WString *s) {
  if (s->hash) return s->hash;
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < s->len; i++) h = (h ^ (unsigned char)s->s[i]) * 16777619u;
  /* FNV's low bits cluster for similar short keys ("1", "2", …): mix before tables mask them. */
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  s->hash = h ? h : 1;
  return s->hash;
}

size_t wstr_offset_of_char(const WString *s, size_t i) {
  if (s->nchars == s->len) return i; /* ASCII */
  size_t off = 0;
  while (i > 0 && off < s->len) {
    off++;
    while (off < s->len && ((unsigned char)s->s[off] & 0xC0) == 0x80) off++;
    i--;
  }
  return off;
}
