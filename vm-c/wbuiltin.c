/* The builtins of runtime.md §7 except map/filter/reduce (the interpreter runs those, since they
 * call back into Whispem code). `owned` says args[0] may be changed in place: nothing else can see it. */
#include "wvm.h"
#include "wplatform.h"
#include "wdebug.h"
#include "wcycle.h"
#include "wmem.h"
#include "wnumfmt.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int type_error(WVM *vm, const char *expected, WValue v) {
  return wvm_error(vm, "Type error: expected %s, found %s", expected, wv_type_name(v));
}

static WValue new_str(const char *s, size_t len) { return wv_obj(wstr_new(s, len)); }

/* The dict key of a value (runtime.md §1), as a new string reference; NULL after an error. */
WString *wbuiltin_dict_key(WVM *vm, WValue k) {
  if (k.t == W_STR) {
    k.u.o->rc++;
    return AS_STR(k);
  }
  if (k.t == W_NUM) {
    char buf[WNUM_MAX_TEXT + 8];
    size_t n = wnum_dict_key(k.u.n, buf);
    return wstr_new(buf, n);
  }
  type_error(vm, "string or number (as dict key)", k);
  return NULL;
}

static int os_reason(WBuf *b, int err) {
  wbuf_printf(b, "%s (os error %d)", strerror(err), wplat_os_errno(err));
  return 0;
}

static int b_length(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc, (void)owned;
  switch (a[0].t) {
  case W_ARR: *out = wv_num((double)AS_ARR(a[0])->len); return 1;
  case W_STR: *out = wv_num((double)AS_STR(a[0])->nchars); return 1;
  case W_DICT: *out = wv_num((double)AS_DICT(a[0])->len); return 1;
  default: return type_error(vm, "array, string, or dict", a[0]);
  }
}

/* The array a builtin may change and return: the argument itself when the caller handed over
   the only reference (`owned`), else a copy with room for `extra` more elements. */
static WArray *array_to_update(WValue v, int owned, size_t extra) {
  if (!owned) return warr_copy(AS_ARR(v), extra);
  WArray *arr = AS_ARR(v);
  arr->h.rc++;
  return arr;
}

static int b_push(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc;
  if (a[0].t != W_ARR) return type_error(vm, "array", a[0]);
  WArray *arr = array_to_update(a[0], owned, 1);
  wv_incref(a[1]);
  warr_push(arr, a[1]);
  *out = wv_obj(arr);
  return 1;
}

static int b_pop(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc, (void)owned;
  if (a[0].t != W_ARR) return type_error(vm, "array", a[0]);
  WArray *arr = AS_ARR(a[0]);
  if (arr->len == 0) return wvm_error(vm, "Cannot pop from an empty array");
  *out = arr->items[arr->len - 1];
  wv_incref(*out);
  return 1;
}

static int b_reverse(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc;
  if (a[0].t != W_ARR) return type_error(vm, "array", a[0]);
  WArray *arr = array_to_update(a[0], owned, 0);
  for (size_t i = 0, j = arr->len; i + 1 < j; i++, j--) {
    WValue t = arr->items[i];
    arr->items[i] = arr->items[j - 1];
    arr->items[j - 1] = t;
  }
  *out = wv_obj(arr);
  return 1;
}

static int b_slice(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc, (void)owned;
  if (a[1].t != W_NUM || a[2].t != W_NUM) return wvm_error(vm, "Array index must be a number");
  if (a[0].t != W_ARR) return type_error(vm, "array", a[0]);
  uint64_t s = wnum_usize(a[1].u.n), e = wnum_usize(a[2].u.n);
  WArray *src = AS_ARR(a[0]);
  if (s > e) return wvm_error(vm, "slice() start %" PRIu64 " cannot be greater than end %" PRIu64, s, e);
  if (e > src->len) return wvm_error(vm, "slice() end index %" PRIu64 " out of bounds (length: %zu)", e, src->len);
  WArray *r = warr_new((size_t)(e - s));
  for (uint64_t i = s; i < e; i++) {
    wv_incref(src->items[i]);
    r->items[r->len++] = src->items[i];
  }
  *out = wv_obj(r);
  return 1;
}

#define RANGE_MAX 100000000u

static int b_range(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc, (void)owned;
  if (a[0].t != W_NUM) return type_error(vm, "number", a[0]);
  if (a[1].t != W_NUM) return type_error(vm, "number", a[1]);
  int64_t s = wnum_i64(a[0].u.n), e = wnum_i64(a[1].u.n);
  uint64_t n = e > s ? (uint64_t)e - (uint64_t)s : 0;
  if (n > RANGE_MAX) return wvm_error(vm, "range() too large");
  WArray *r = warr_new((size_t)n);
  for (uint64_t i = 0; i < n; i++) r->items[i] = wv_num((double)(s + (int64_t)i));
  r->len = (size_t)n;
  *out = wv_obj(r);
  return 1;
}

/* Text read from outside (stdin) may be any bytes: invalid UTF-8 becomes U+FFFD. */
static WValue lossy_string(const char *s, size_t len) {
  if (wutf8_valid((const unsigned char *)s, len)) return new_str(s, len);
  WBuf b = {0};
  size_t i = 0;
  while (i < len) {
    size_t n = 1;
    unsigned c = (unsigned char)s[i];
    if (c >= 0xC2 && c <= 0xF4) n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (n > 1 && i + n <= len && wutf8_valid((const unsigned char *)s + i, n)) {
      wbuf_put(&b, s + i, n);
      i += n;
    } else if (c < 0x80) {
      wbuf_putc(&b, (char)c);
      i++;
    } else {
      wbuf_put(&b, "\xEF\xBF\xBD", 3);
      i++;
    }
  }
  WValue v = new_str(b.data ? b.data : "", b.len);
  wbuf_free(&b);
  return v;
}

static int b_input(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)owned;
  if (argc == 1) {
    if (a[0].t != W_STR) return type_error(vm, "string", a[0]);
    fwrite(AS_STR(a[0])->s, 1, AS_STR(a[0])->len, stdout);
  }
  fflush(stdout);
  if (vm->dbg) { /* under the debugger: replayed when re-running to a step, else recorded */
    WBuf again = {0};
    if (wdebug_replayed(vm, "input", &again)) {
      *out = lossy_string(again.data ? again.data : "", again.len);
      wbuf_free(&again);
      return 1;
    }
  }
  char *line = NULL;
  size_t cap = 0;
  long n = wplat_readline(&line, &cap, stdin);
  if (n < 0) n = 0;
  if (n > 0 && line[n - 1] == '\n') n--;
  if (n > 0 && line[n - 1] == '\r') n--;
  *out = lossy_string(line ? line : "", (size_t)n);
  if (vm->dbg) wdebug_record(vm, "input", AS_STR(*out)->s, AS_STR(*out)->len);
  free(line);
  return 1;
}

static int b_read_file(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc, (void)owned;
  if (a[0].t != W_STR) return type_error(vm, "string", a[0]);
  const char *path = AS_STR(a[0])->s;
  WBuf text = {0};
  if (vm->dbg && wdebug_replayed(vm, "read_file", &text)) {
    *out = text.data ? wv_obj(wstr_take(text.data, text.len, text.cap)) : new_str("", 0);
    return 1;
  }
  int err = wbuf_read_file(&text, path);
  if (err) {
    wvm_error(vm, "Failed to read '%s': ", path);
    return os_reason(&vm->err, err);
  }
  if (!wutf8_valid((const unsigned char *)text.data, text.len)) {
    wbuf_free(&text);
    return wvm_error(vm, "Failed to read '%s': stream did not contain valid UTF-8", path);
  }
  if (vm->dbg) wdebug_record(vm, "read_file", text.data ? text.data : "", text.len);
  *out = text.data ? wv_obj(wstr_take(text.data, text.len, text.cap)) : new_str("", 0);
  return 1;
}

static int write_bytes(WVM *vm, const char *path, const char *data, size_t len) {
  if (vm->dbg && wdebug_muted(vm)) return 1; /* re-running to a step: the write happened already */
  FILE *f = wplat_fopen(path, "wb");
  int err = 0;
  if (!f)
    err = errno;
  else {
    if (len && fwrite(data, 1, len, f) != len) err = errno ? errno : EIO;
    if (fclose(f) != 0 && !err) err = errno ? errno : EIO;
  }
  if (err) {
    wvm_error(vm, "Failed to write '%s': ", path);
    return os_reason(&vm->err, err);
  }
  return 1;
}

static int b_write_file(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc, (void)owned;
  if (a[0].t != W_STR) return type_error(vm, "string", a[0]);
  WBuf text = {0};
  if (!wv_format(&text, a[1])) {
    wbuf_free(&text);
    return wvm_error(vm, "Internal error: value nested too deeply to format");
  }
  int ok = write_bytes(vm, AS_STR(a[0])->s, text.data, text.len);
  wbuf_free(&text);
  *out = wv_none();
  return ok;
}

static int hex_digit(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static int b_write_hex(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc, (void)owned;
  if (a[0].t != W_STR) return type_error(vm, "string", a[0]);
  if (a[1].t != W_STR) return type_error(vm, "string", a[1]);
  const WString *h = AS_STR(a[1]);
  if (h->len % 2) return wvm_error(vm, "write_hex() needs an even number of hex digits");
  char *bytes = wmem_alloc(h->len / 2 + 1);
  for (size_t i = 0; i < h->len; i += 2) {
    /* A pair reads as a base-16 byte (a leading '+' is accepted, as the reference's parser does); else 0. */
    int hi = hex_digit((unsigned char)h->s[i]), lo = hex_digit((unsigned char)h->s[i + 1]);
    int v = 0;
    if (hi >= 0 && lo >= 0)
      v = hi * 16 + lo;
    else if (h->s[i] == '+' && lo >= 0)
      v = lo;
    bytes[i / 2] = (char)v;
  }
  int ok = write_bytes(vm, AS_STR(a[0])->s, bytes, h->len / 2);
  free(bytes);
  *out = wv_none();
  return ok;
}

static int b_keys(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc, (void)owned;
  if (a[0].t != W_DICT) return type_error(vm, "dict", a[0]);
  WDict *d = AS_DICT(a[0]);
  WDictEntry **sorted = wdict_sorted(d);
  WArray *r = warr_new(d->len);
  for (size_t i = 0; i < d->len; i++) {
    sorted[i]->key->h.rc++;
    r->items[r->len++] = wv_obj(sorted[i]->key);
  }
  free(sorted);
  *out = wv_obj(r);
  return 1;
}

static int b_values(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc, (void)owned;
  if (a[0].t != W_DICT) return type_error(vm, "dict", a[0]);
  WDict *d = AS_DICT(a[0]);
  WDictEntry **sorted = wdict_sorted(d);
  WArray *r = warr_new(d->len);
  for (size_t i = 0; i < d->len; i++) {
    wv_incref(sorted[i]->val);
    r->items[r->len++] = sorted[i]->val;
  }
  free(sorted);
  *out = wv_obj(r);
  return 1;
}

static int b_has_key(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc, (void)owned;
  if (a[0].t != W_DICT) return type_error(vm, "dict", a[0]);
  WString *k = wbuiltin_dict_key(vm, a[1]);
  if (!k) return 0;
  *out = wv_bool(wdict_find(AS_DICT(a[0]), k) != NULL);
  wv_decref(wv_obj(k));
  return 1;
}

static int b_char_at(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc, (void)owned;
  if (a[0].t != W_STR || a[1].t != W_NUM) return wvm_error(vm, "Type error: expected string, number, found wrong types");
  const WString *s = AS_STR(a[0]);
  uint64_t i = wnum_usize(a[1].u.n);
  if (i >= s->nchars) return wvm_error(vm, "Array index %" PRIu64 " out of bounds (length: %zu)", i, s->nchars);
  size_t from = wstr_offset_of_char(s, (size_t)i), to = wstr_offset_of_char(s, (size_t)i + 1);
  *out = new_str(s->s + from, to - from);
  return 1;
}

static int b_substr(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc, (void)owned;
  if (a[0].t != W_STR || a[1].t != W_NUM || a[2].t != W_NUM)
    return wvm_error(vm, "Type error: expected string, number, number, found wrong types");
  const WString *s = AS_STR(a[0]);
  uint64_t st = wnum_usize(a[1].u.n), n = wnum_usize(a[2].u.n);
  uint64_t end = st + n < st ? UINT64_MAX : st + n;
  if (st > s->nchars) st = s->nchars;
  if (end > s->nchars) end = s->nchars;
  size_t from = wstr_offset_of_char(s, (size_t)st), to = wstr_offset_of_char(s, (size_t)end);
  *out = new_str(s->s + from, to > from ? to - from : 0);
  return 1;
}

static int b_ord(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc, (void)owned;
  if (a[0].t != W_STR) return type_error(vm, "string", a[0]);
  const unsigned char *s = (const unsigned char *)AS_STR(a[0])->s;
  if (AS_STR(a[0])->len == 0) return wvm_error(vm, "Type error: expected non-empty string, found empty string");
  uint32_t cp;
  if (s[0] < 0x80) cp = s[0];
  else if (s[0] < 0xE0) cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
  else if (s[0] < 0xF0) cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
  else cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 | (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
  *out = wv_num(cp);
  return 1;
}

static int b_num_to_str(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc, (void)owned;
  if (a[0].t != W_NUM) return type_error(vm, "number", a[0]);
  char buf[WNUM_MAX_TEXT + 8];
  size_t n = wnum_to_str(a[0].u.n, buf);
  *out = new_str(buf, n);
  return 1;
}

/* White_Space code points, as Rust's str::trim removes them. */
static size_t whitespace_at(const unsigned char *s, size_t len) {
  if (len >= 1 && ((s[0] >= 0x09 && s[0] <= 0x0D) || s[0] == 0x20)) return 1;
  if (len >= 2 && s[0] == 0xC2 && (s[1] == 0x85 || s[1] == 0xA0)) return 2;
  if (len >= 3 && s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80) return 3;
  if (len >= 3 && s[0] == 0xE2 && s[1] == 0x80 && ((s[2] >= 0x80 && s[2] <= 0x8A) || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
    return 3;
  if (len >= 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F) return 3;
  if (len >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) return 3;
  return 0;
}

static size_t whitespace_before(const unsigned char *s, size_t len) {
  for (size_t n = 1; n <= 3 && n <= len; n++)
    if (whitespace_at(s + len - n, n) == n) return n;
  return 0;
}

static int ascii_ieq(const char *s, size_t len, const char *word) {
  size_t n = strlen(word);
  if (len != n) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != word[i]) return 0;
  }
  return 1;
}

/* The number grammar of runtime.md §7 str_to_num; returns 1 and the value when s matches. */
static int parse_number(const char *s, size_t len, double *out) {
  size_t i = 0;
  int neg = 0;
  if (i < len && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (ascii_ieq(s + i, len - i, "inf") || ascii_ieq(s + i, len - i, "infinity")) {
    *out = neg ? -1.0 / 0.0 : 1.0 / 0.0;
    return 1;
  }
  if (ascii_ieq(s + i, len - i, "nan")) {
    *out = 0.0 / 0.0;
    return 1;
  }
  size_t digits = 0;
  while (i < len && s[i] >= '0' && s[i] <= '9') i++, digits++;
  if (i < len && s[i] == '.') {
    i++;
    while (i < len && s[i] >= '0' && s[i] <= '9') i++, digits++;
  }
  if (!digits) return 0;
  if (i < len && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < len && (s[i] == '+' || s[i] == '-')) i++;
    size_t exp_digits = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') i++, exp_digits++;
    if (!exp_digits) return 0;
  }
  if (i != len) return 0;
  char *text = wmem_alloc(len + 1);
  memcpy(text, s, len);
  text[len] = '\0';
  *out = strtod(text, NULL);
  free(text);
  return 1;
}

static int b_str_to_num(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc, (void)owned;
  if (a[0].t != W_STR) return type_error(vm, "string", a[0]);
  const WString *str = AS_STR(a[0]);
  const unsigned char *s = (const unsigned char *)str->s;
  size_t len = str->len, n;
  while ((n = whitespace_at(s, len)) > 0) s += n, len -= n;
  while ((n = whitespace_before(s, len)) > 0) len -= n;
  double x;
  if (!parse_number((const char *)s, len, &x)) return wvm_error(vm, "Type error: expected numeric string, found \"%s\"", str->s);
  *out = wv_num(x);
  return 1;
}

static int b_args(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)a, (void)argc, (void)owned;
  WArray *r = warr_new((size_t)vm->argc);
  for (int i = 0; i < vm->argc; i++) r->items[r->len++] = lossy_string(vm->argv[i], strlen(vm->argv[i]));
  *out = wv_obj(r);
  return 1;
}

static int b_num_to_hex(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)argc, (void)owned;
  if (a[0].t != W_NUM) return type_error(vm, "number", a[0]);
  uint64_t bits;
  memcpy(&bits, &a[0].u.n, sizeof bits);
  char buf[17];
  snprintf(buf, sizeof buf, "%016" PRIx64, bits);
  *out = new_str(buf, 16);
  return 1;
}

static int b_assert(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)owned;
  if (wv_truthy(a[0])) {
    *out = wv_none();
    return 1;
  }
  if (argc < 2) return wvm_error(vm, "Assertion failed: assertion failed");
  WBuf msg = {0};
  int ok = wv_format(&msg, a[1]);
  if (ok) wvm_error(vm, "Assertion failed: %s", msg.data ? msg.data : "");
  else wvm_error(vm, "Internal error: value nested too deeply to format");
  wbuf_free(&msg);
  return 0;
}

static int b_type_of(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)vm, (void)argc, (void)owned;
  const char *t = wv_type_name(a[0]);
  *out = new_str(t, strlen(t));
  return 1;
}

static int b_exit(WVM *vm, WValue *a, int argc, WValue *out, int owned) {
  (void)owned, (void)out;
  int64_t code = 0;
  if (argc == 1) {
    if (a[0].t != W_NUM) return type_error(vm, "number", a[0]);
    code = wnum_i64(a[0].u.n);
  }
  fflush(stdout);
  wgc_collect(); /* what only cycles hold is freed before exit, as wvm does after a run */
  exit((int)(uint8_t)(uint64_t)code);
}

const WBuiltin wbuiltins[] = {
    {"length", 1, 1, 1, b_length, 0},
    {"push", 2, 2, 2, b_push, 0},
    {"pop", 1, 1, 1, b_pop, 0},
    {"reverse", 1, 1, 1, b_reverse, 0},
    {"slice", 3, 3, 3, b_slice, 0},
    {"range", 2, 2, 2, b_range, 0},
    {"input", 0, 1, 1, b_input, 0},
    {"read_file", 1, 1, 1, b_read_file, 0},
    {"write_file", 2, 2, 2, b_write_file, 0},
    {"keys", 1, 1, 1, b_keys, 0},
    {"values", 1, 1, 1, b_values, 0},
    {"has_key", 2, 2, 2, b_has_key, 0},
    {"char_at", 2, 2, 2, b_char_at, 0},
    {"substr", 3, 3, 3, b_substr, 0},
    {"ord", 1, 1, 1, b_ord, 0},
    {"num_to_str", 1, 1, 1, b_num_to_str, 0},
    {"str_to_num", 1, 1, 1, b_str_to_num, 0},
    {"args", 0, 0, 0, b_args, 0},
    {"num_to_hex", 1, 1, 1, b_num_to_hex, 0},
    {"write_hex", 2, 2, 2, b_write_hex, 0},
    {"assert", 1, 2, 2, b_assert, 0},
    {"type_of", 1, 1, 1, b_type_of, 0},
    {"exit", 0, 1, 1, b_exit, 0},
    {"map", 2, 2, 2, NULL, ITER_MAP},
    {"filter", 2, 2, 2, NULL, ITER_FILTER},
    {"reduce", 3, 3, 3, NULL, ITER_REDUCE},
};
const int wbuiltin_count = (int)(sizeof wbuiltins / sizeof wbuiltins[0]);

int wbuiltin_find(const char *name, size_t len) {
  for (int i = 0; i < wbuiltin_count; i++)
    if (strlen(wbuiltins[i].name) == len && memcmp(wbuiltins[i].name, name, len) == 0) return i;
  return -1;
}

int wbuiltin_updates_in_place(int id) { return id >= 0 && id < wbuiltin_count && (wbuiltins[id].fn == b_push || wbuiltins[id].fn == b_reverse); }
