/* Dicts: string keys to values, kept in insertion order with a hash index beside them.
 * Keys are never removed (no builtin does), so the index needs no tombstones. */
#include "wvalue.h"
#include "wmem.h"

#include <stdlib.h>
#include <string.h>

static void reindex(WDict *d, size_t nslots) {
  free(d->slots);
  d->nslots = nslots;
  d->slots = wmem_calloc(nslots, sizeof(uint32_t));
  for (size_t i = 0; i < d->len; i++) {
    size_t j = wstr_hash(d->entries[i].key) & (nslots - 1);
    while (d->slots[j]) j = (j + 1) & (nslots - 1);
    d->slots[j] = (uint32_t)(i + 1);
  }
}

WDict *wdict_new(size_t cap) {
  WDict *d = wmem_alloc(sizeof *d);
  d->h.rc = 1;
  d->h.type = W_DICT;
  d->len = 0;
  d->cap = cap;
  d->entries = cap ? wmem_alloc(cap * sizeof(WDictEntry)) : NULL;
  d->slots = NULL;
  d->nslots = 0;
  size_t n = 8;
  while (n < cap * 2) n *= 2;
  reindex(d, n);
  return d;
}

WDict *wdict_copy(const WDict *src) {
  WDict *d = wmem_alloc(sizeof *d);
  d->h.rc = 1;
  d->h.type = W_DICT;
  d->len = src->len;
  d->cap = src->len;
  d->entries = src->len ? wmem_alloc(src->len * sizeof(WDictEntry)) : NULL;
  for (size_t i = 0; i < src->len; i++) {
    d->entries[i] = src->entries[i];
    d->entries[i].key->h.rc++;
    wv_incref(d->entries[i].val);
  }
  d->nslots = src->nslots;
  d->slots = wmem_alloc(src->nslots * sizeof(uint32_t));
  memcpy(d->slots, src->slots, src->nslots * sizeof(uint32_t));
  return d;
}

WValue *wdict_find(WDict *d, WString *key) {
  uint32_t h = wstr_hash(key);
  size_t mask = d->nslots - 1;
  for (size_t j = h & mask;; j = (j + 1) & mask) {
    uint32_t e = d->slots[j];
    if (!e) return NULL;
    WString *k = d->entries[e - 1].key;
    if (k == key || (k->hash == h && k->len == key->len && memcmp(k->s, key->s, k->len) == 0))
      return &d->entries[e - 1].val;
  }
}

void wdict_set(WDict *d, WString *key, WValue v) {
  WValue *slot = wdict_find(d, key);
  if (slot) {
    WValue old = *slot;
    *slot = v;
    wv_decref(old);
    wv_decref(wv_obj(key));
    return;
  }
  if (d->len == d->cap) {
    d->cap = wmem_grow_cap(d->cap, d->len + 1, sizeof(WDictEntry));
    d->entries = wmem_realloc(d->entries, d->cap * sizeof(WDictEntry));
  }
  d->entries[d->len].key = key;
  d->entries[d->len].val = v;
  d->len++;
  if (d->len * 2 > d->nslots) {
    reindex(d, d->nslots * 2);
    return;
  }
  size_t mask = d->nslots - 1;
  size_t j = wstr_hash(key) & mask;
  while (d->slots[j]) j = (j + 1) & mask;
  d->slots[j] = (uint32_t)d->len;
}

static int compare_keys(const void *pa, const void *pb) {
  const WString *a = (*(WDictEntry *const *)pa)->key, *b = (*(WDictEntry *const *)pb)->key;
  size_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->s, b->s, n);
  if (c) return c;
  return a->len < b->len ? -1 : a->len > b->len;
}

WDictEntry **wdict_sorted(const WDict *d) {
  WDictEntry **out = wmem_alloc(d->len * sizeof *out);
  for (size_t i = 0; i < d->len; i++) out[i] = &d->entries[i];
  qsort(out, d->len, sizeof *out, compare_keys);
  return out;
}
