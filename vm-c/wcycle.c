/* The cycle collector: synchronous trial deletion (Bacon and Rajan's, the idea behind CPython's
 * gc), over the cells and everything they reach.
 *
 * Why cells only. Strings hold nothing. An array or dict changes only when nothing else can see
 * it (an update owns its operand: wopcodes.h, W_UPDATES), so what it comes to hold existed before
 * and cannot lead back to it: a new array or dict only ever points to older objects. A function's
 * cells are fixed when it is made. A cell is the one object that a program writes after others
 * came to hold it (STORE through an open cell, STORE_UPVALUE), so every cycle runs through a cell
 * — and through a function, the only object that holds cells: `fn outer() { let g = 0
 * let h = fn() { return g }  let g = h }` leaves h and g's cell holding each other.
 *
 * A collection, with every cell alive as a root: (1) gray: from the cells, walk every array,
 * dict, function and cell they reach, taking from each object's count the references the walk
 * finds; what keeps a count above zero is held from outside that graph (the stack, a global, a
 * frame, a string's holder...); (2) scan: such objects and all they reach turn black again, their
 * counts restored; (3) what stays white is held only by white objects: freed, without touching
 * the counts of anything black (those already lost the white objects' references in step 1).
 * Strings are never walked (they cannot be in a cycle); a white object drops its strings normally.
 * All three walks use an explicit stack: no recursion on the C stack however deep the data.
 *
 * When: each new cell (MAKE_CLOSURE is the only maker) polls first; a collection comes after
 * max(MIN_ALLOWANCE, a quarter of the last walk over the survivors) new cells, so the work per
 * cell made stays bounded. wvm collects once more at exit (and `exit()` does), so
 * nothing is left for a leak checker. Programs that make no closures never pay anything. */
#include "wcycle.h"
#include "wmem.h"

#include <stdlib.h>

enum { BLACK = 0, GRAY = 1, WHITE = 2, FREEING = 3 };
enum { MIN_ALLOWANCE = 10000 };

size_t wgc_allowance = MIN_ALLOWANCE;

static WCell cells = {.gc_prev = &cells, .gc_next = &cells}; /* the list of live cells */
static size_t ncells, ncollections, nfreed;

static WObj **work;
static size_t work_len, work_cap;
static size_t steps; /* this collection's work: objects and items looked at */

void wgc_track(WCell *c) {
  c->gc_next = cells.gc_next;
  c->gc_prev = &cells;
  cells.gc_next->gc_prev = c;
  cells.gc_next = c;
  ncells++;
  if (wgc_allowance) wgc_allowance--;
}

void wgc_untrack(WCell *c) {
  c->gc_prev->gc_next = c->gc_next;
  c->gc_next->gc_prev = c->gc_prev;
  ncells--;
}

WGcStats wgc_stats(void) {
  WGcStats s = {ncollections, nfreed, ncells};
  return s;
}

static void push(WObj *o) {
  if (work_len == work_cap) {
    work_cap = wmem_grow_cap(work_cap, work_len + 1, sizeof *work);
    work = wmem_realloc(work, work_cap * sizeof *work);
  }
  work[work_len++] = o;
}

/* Objects that can be in a cycle: arrays, dicts, functions, cells. */
static inline int container(WValue v) { return v.t >= W_ARR; }

enum { TRIAL_DELETE, RESTORE, SCAN, GATHER };

/* One step of a walk: what `o` holds, for each of the three walks. */
static inline void visit(WObj *t, int walk) {
  steps++;
  switch (walk) {
  case TRIAL_DELETE: /* take the reference away; walk on the first time */
    t->rc--;
    if (t->gc != GRAY) {
      t->gc = GRAY;
      push(t);
    }
    break;
  case RESTORE: /* held from outside: give the reference back; walk on unless black already */
    t->rc++;
    if (t->gc != BLACK) {
      t->gc = BLACK;
      push(t);
    }
    break;
  case SCAN: /* below a white object: scanned next */
    if (t->gc == GRAY) push(t);
    break;
  default: /* GATHER: white objects, each once */
    if (t->gc == WHITE) {
      t->gc = FREEING;
      push(t);
    }
    break;
  }
}

static void visit_children(WObj *o, int walk) {
  switch (o->type) {
  case W_ARR: {
    WArray *a = (WArray *)o;
    for (size_t i = 0; i < a->len; i++) {
      steps++;
      if (container(a->items[i])) visit(a->items[i].u.o, walk);
    }
    break;
  }
  case W_DICT: {
    WDict *d = (WDict *)o;
    for (size_t i = 0; i < d->len; i++) {
      steps++;
      if (container(d->entries[i].val)) visit(d->entries[i].val.u.o, walk);
    }
    break;
  }
  case W_FUNC: {
    WFunc *f = (WFunc *)o;
    for (uint32_t i = 0; i < f->ncells; i++) visit(&f->cells[i]->h, walk);
    break;
  }
  case W_CELL:
    if (container(((WCell *)o)->v)) visit(((WCell *)o)->v.u.o, walk);
    break;
  }
}

static void drain(int walk) {
  while (work_len) visit_children(work[--work_len], walk);
}

/* Frees a white object: its strings are dropped as usual; the containers it holds are white too
 * (freed by this collection) or black (their counts already exclude this object). */
static void free_white(WObj *o) {
  switch (o->type) {
  case W_ARR: {
    WArray *a = (WArray *)o;
    for (size_t i = 0; i < a->len; i++)
      if (a->items[i].t == W_STR) wv_decref(a->items[i]);
    free(a->items);
    break;
  }
  case W_DICT: {
    WDict *d = (WDict *)o;
    for (size_t i = 0; i < d->len; i++) {
      wv_decref(wv_obj(d->entries[i].key));
      if (d->entries[i].val.t == W_STR) wv_decref(d->entries[i].val);
    }
    free(d->entries);
    free(d->slots);
    break;
  }
  case W_CELL:
    if (((WCell *)o)->v.t == W_STR) wv_decref(((WCell *)o)->v);
    wgc_untrack((WCell *)o);
    break;
  default: /* W_FUNC: its cells are containers */
    break;
  }
  free(o);
}

void wgc_collect(void) {
  WCell *c;
  /* 1. Trial deletion: every reference inside the graph the cells reach is taken away. */
  steps = 0;
  for (c = cells.gc_next; c != &cells; c = c->gc_next)
    if (c->h.gc != GRAY) {
      c->h.gc = GRAY;
      push(&c->h);
      drain(TRIAL_DELETE);
    }
  size_t walked = steps;
  /* 2. Scan: a gray object with a count left is held from outside: it and all it reaches are
   * black again, with their counts back. The others turn white (a later restore may still
   * reach them and turn them black). */
  for (c = cells.gc_next; c != &cells; c = c->gc_next) {
    if (c->h.gc != GRAY) continue;
    push(&c->h);
    while (work_len) {
      WObj *s = work[--work_len];
      if (s->gc != GRAY) continue;
      if (s->rc > 0) {
        s->gc = BLACK;
        size_t mark = work_len;
        push(s);
        while (work_len > mark) visit_children(work[--work_len], RESTORE);
      } else {
        s->gc = WHITE;
        visit_children(s, SCAN);
      }
    }
  }
  /* 3. What is still white is garbage: gather it (each object once), then free it. */
  steps = 0;
  WObj **garbage = NULL;
  size_t ngarbage = 0, garbage_cap = 0;
  for (c = cells.gc_next; c != &cells; c = c->gc_next) {
    if (c->h.gc != WHITE) continue;
    c->h.gc = FREEING;
    push(&c->h);
    while (work_len) {
      WObj *o = work[--work_len];
      if (ngarbage == garbage_cap) {
        garbage_cap = wmem_grow_cap(garbage_cap, ngarbage + 1, sizeof *garbage);
        garbage = wmem_realloc(garbage, garbage_cap * sizeof *garbage);
      }
      garbage[ngarbage++] = o;
      visit_children(o, GATHER);
    }
  }
  for (size_t i = 0; i < ngarbage; i++) free_white(garbage[i]);
  free(garbage);
  ncollections++;
  nfreed += ngarbage;
  /* The next collection comes after enough new cells to pay for walking the survivors again
   * (the garbage's share of the walk was paid by the cells that made it). */
  size_t survivors = walked > steps ? (walked - steps) / 4 : 0;
  wgc_allowance = survivors > MIN_ALLOWANCE ? survivors : MIN_ALLOWANCE;
}
