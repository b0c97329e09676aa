/* Dicts: string keys to values, kept in insertion order with a hash index beside them.
 * Keys are never removed (no builtin does), so the index needs no tombstones. */
#include "wvalue.h"
#include "wmem.h"

#include <stdlib.h>
#include <string.h>

static void reindex(WDict *d, size_t nslots) {
  free(d->slots);
  d->nslots = nslots;
  d->slots = wmem_calloc(nslots, sizeof(WDictSlot));
  for (size_t i = 0; i < d->len; i++) {
    uint32_t h = wstr_hash(d->entries[i].key);
    size_t j = h & (nslots - 1);
    while (d->slots[j].entry) j = (j + 1) & (nslots - 1);
    d->slots[j].hash = h;
    d->slots[j].entry = (uint32_t)(i + 1);
  }
}

WDict *wdict_new(size_t cap) {
  WDict *d = wmem_alloc(sizeof *d);
  d->h.rc = 1;
  d->h.type = W_DICT;
  d->h.gc = 0;
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
  d->h.gc = 0;
  d->len = src->len;
  d->cap = src->len;
  d->entries = src->len ? wmem_alloc(src->len * sizeof(WDictEntry)) : NULL;
  for (size_t i = 0; i < src->len; i++) {
    d->entries[i] = src->entries[i];
    d->entries[i].key->h.rc++;
    wv_incref(d->entries[i].val);
  }
  d->nslots = src->nslots;
  d->slots = wmem_alloc(src->nslots * sizeof(WDictSlot));
  memcpy(d->slots, src->slots, src->nslots * sizeof(WDictSlot));
  return d;
}

/* The slot holding key, or the empty slot where it would go. */
static WDictSlot *probe(const WDict *d, WString *key) {
  uint32_t h = wstr_hash(key);
  size_t mask = d->nslots - 1;
  for (size_t j = h & mask;; j = (j + 1) & mask) {
    WDictSlot *slot = &d->slots[j];
    if (!slot->entry) return slot;
    if (slot->hash != h) continue;
    WString *k = d->entries[slot->entry - 1].key;
    if (k == key || (k->len == key->len && memcmp(k->s, key->s, k->len) == 0)) return slot;
  }
}

WValue *wdict_find(WDict *d, WString *key) {
  WDictSlot *slot = probe(d, key);
  return slot->entry ? &d->entries[slot->entry - 1].val : NULL;
}

void wdict_set(WDict *d, WString *key, WValue v) {
  WDictSlot *slot = probe(d, key);
  if (slot->entry) {
    WValue *val = &d->entries[slot->entry - 1].val;
    WValue old = *val;
    *val = v;
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
  slot->hash = key->hash;
  slot->entry = (uint32_t)d->len;
  if (d->len * 2 > d->nslots) reindex(d, d->nslots * 2);
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
