/* What every value means: type names, truthiness, equality and format() (runtime.md §1–2). */
#include "wvalue.h"
#include "wmem.h"
#include "wnumfmt.h"

#include <stdlib.h>
#include <string.h>

/* Deeper nesting than this is refused by print rather than exhausting the C stack. */
#define FORMAT_MAX_DEPTH 10000

const char *wv_type_name(WValue v) {
  switch (v.t) {
  case W_NUM: return "number";
  case W_STR: return "string";
  case W_BOOL: return "bool";
  case W_ARR: return "array";
  case W_DICT: return "dict";
  case W_FUNC: return "function";
  default: return "none";
  }
}

int wv_truthy(WValue v) {
  switch (v.t) {
  case W_BOOL: return v.u.b;
  case W_NUM: return v.u.n != 0; /* NaN is truthy */
  case W_STR: return AS_STR(v)->len != 0;
  case W_ARR: return AS_ARR(v)->len != 0;
  case W_DICT: return AS_DICT(v)->len != 0;
  case W_FUNC: return 1;
  default: return 0;
  }
}

int wv_equal(WValue a, WValue b) {
  if (a.t != b.t) return 0;
  switch (a.t) {
  case W_NUM: return a.u.n == b.u.n;
  case W_BOOL: return a.u.b == b.u.b;
  case W_NONE: return 1;
  case W_STR: {
    WString *x = AS_STR(a), *y = AS_STR(b);
    return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
  }
  default: return 0; /* arrays, dicts and functions are never equal */
  }
}

typedef struct {
  char *text;
  size_t len;
} Rendered;

static int compare_rendered(const void *pa, const void *pb) {
  const Rendered *a = pa, *b = pb;
  size_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->text, b->text, n);
  if (c) return c;
  return a->len < b->len ? -1 : a->len > b->len;
}

/* Kept out of format_at so that its recursion frames stay small. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void format_number(WBuf *b, double x) {
  char num[WNUM_MAX_TEXT + 8];
  wbuf_put(b, num, wnum_format(x, num));
}

static int format_at(WBuf *b, WValue v, int depth) {
  if (depth > FORMAT_MAX_DEPTH) return 0;
  switch (v.t) {
  case W_NUM: format_number(b, v.u.n); return 1;
  case W_BOOL: wbuf_puts(b, v.u.b ? "true" : "false"); return 1;
  case W_STR: wbuf_put(b, AS_STR(v)->s, AS_STR(v)->len); return 1;
  case W_FUNC: wbuf_printf(b, "<fn %s>", AS_FUNC(v)->name); return 1;
  case W_ARR: {
    WArray *a = AS_ARR(v);
    wbuf_putc(b, '[');
    for (size_t i = 0; i < a->len; i++) {
      if (i) wbuf_put(b, ", ", 2);
      if (!format_at(b, a->items[i], depth + 1)) return 0;
    }
    wbuf_putc(b, ']');
    return 1;
  }
  case W_DICT: {
    /* Entries are ordered by their whole rendered text "KEY": VALUE, byte by byte. */
    WDict *d = AS_DICT(v);
    Rendered *r = wmem_alloc(d->len * sizeof *r);
    int ok = 1;
    size_t done = 0;
    for (; done < d->len && ok; done++) {
      WBuf e = {0};
      wbuf_putc(&e, '"');
      wbuf_put(&e, d->entries[done].key->s, d->entries[done].key->len);
      wbuf_put(&e, "\": ", 3);
      ok = format_at(&e, d->entries[done].val, depth + 1);
      r[done].text = e.data;
      r[done].len = e.len;
    }
    if (ok) {
      qsort(r, d->len, sizeof *r, compare_rendered);
      wbuf_putc(b, '{');
      for (size_t i = 0; i < d->len; i++) {
        if (i) wbuf_put(b, ", ", 2);
        wbuf_put(b, r[i].text, r[i].len);
      }
      wbuf_putc(b, '}');
    }
    for (size_t i = 0; i < done; i++) free(r[i].text);
    free(r);
    return ok;
  }
  default: return 1; /* none formats as the empty string */
  }
}

int wv_format(WBuf *b, WValue v) { return format_at(b, v, 0); }
