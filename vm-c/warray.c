/* Arrays: a value to the language, a growable vector underneath. */
#include "wvalue.h"
#include "wmem.h"

WArray *warr_new(size_t cap) {
  WArray *a = wmem_alloc(sizeof *a);
  a->h.rc = 1;
  a->h.type = W_ARR;
  a->h.gc = 0;
  a->len = 0;
  a->cap = cap;
  a->items = cap ? wmem_alloc(cap * sizeof(WValue)) : NULL;
  return a;
}

WArray *warr_copy(const WArray *src, size_t extra_cap) {
  WArray *a = warr_new(src->len + extra_cap);
  for (size_t i = 0; i < src->len; i++) {
    a->items[i] = src->items[i];
    wv_incref(a->items[i]);
  }
  a->len = src->len;
  return a;
}

void warr_push(WArray *a, WValue v) {
  if (a->len == a->cap) {
    a->cap = wmem_grow_cap(a->cap, a->len + 1, sizeof(WValue));
    a->items = wmem_realloc(a->items, a->cap * sizeof(WValue));
  }
  a->items[a->len++] = v;
}
