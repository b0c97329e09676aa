/* Object lifetime: freeing an object releases what it holds through an explicit worklist,
 * so dropping a deeply nested structure never recurses on the C stack. Also functions and cells
 * (which the cycle collector, wcycle.c, tracks from birth to death). */
#include "wvalue.h"
#include "wcycle.h"
#include "wmem.h"

#include <stdlib.h>

static WObj **pending;
static size_t pending_len, pending_cap;

static void drop_child(WValue v) {
  if (!W_IS_OBJ(v) || --v.u.o->rc != 0) return;
  if (pending_len == pending_cap) {
    pending_cap = wmem_grow_cap(pending_cap, pending_len + 1, sizeof *pending);
    pending = wmem_realloc(pending, pending_cap * sizeof *pending);
  }
  pending[pending_len++] = v.u.o;
}

static void free_one(WObj *o) {
  switch (o->type) {
  case W_STR:
    if (((WString *)o)->owns_block) free(((WString *)o)->s);
    break;
  case W_ARR: {
    WArray *a = (WArray *)o;
    for (size_t i = 0; i < a->len; i++) drop_child(a->items[i]);
    free(a->items);
    break;
  }
  case W_DICT: {
    WDict *d = (WDict *)o;
    for (size_t i = 0; i < d->len; i++) {
      drop_child(wv_obj(d->entries[i].key));
      drop_child(d->entries[i].val);
    }
    free(d->entries);
    free(d->slots);
    break;
  }
  case W_FUNC: {
    WFunc *f = (WFunc *)o;
    for (uint32_t i = 0; i < f->ncells; i++) drop_child(wv_obj(f->cells[i]));
    break;
  }
  case W_CELL:
    drop_child(((WCell *)o)->v);
    wgc_untrack((WCell *)o);
    break;
  }
  free(o);
}

void wobj_release(WObj *o) {
  size_t base = pending_len; /* a release may start while another is under way */
  free_one(o);
  while (pending_len > base) free_one(pending[--pending_len]);
}

WFunc *wfunc_new(uint32_t chunk, const char *name, uint32_t ncells) {
  WFunc *f = wmem_alloc(sizeof(WFunc) + ncells * sizeof(WCell *));
  f->h.rc = 1;
  f->h.type = W_FUNC;
  f->h.gc = 0;
  f->chunk = chunk;
  f->code = NULL;
  f->name = name;
  f->ncells = ncells;
  return f;
}

WCell *wcell_new(WValue v) {
  wgc_poll(); /* before the cell exists: MAKE_CLOSURE, the only caller, holds counted references only */
  WCell *c = wmem_alloc(sizeof *c);
  c->h.rc = 1;
  c->h.type = W_CELL;
  c->h.gc = 0;
  c->v = v;
  wgc_track(c);
  return c;
}
