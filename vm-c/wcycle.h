/* The cycle collector: reference counting frees everything except cycles, and every cycle a
 * program can build runs through a cell (wcycle.c says why), so the cells are tracked and a
 * collection finds, by trial deletion, the cells and what they hold that only hold each other. */
#ifndef WCYCLE_H
#define WCYCLE_H

#include <stddef.h>

#include "wvalue.h"

/* Cells still to be made before the next collection (counts down in wgc_track). */
extern size_t wgc_allowance;

void wgc_track(WCell *c);   /* a new cell (wcell_new) */
void wgc_untrack(WCell *c); /* a cell being freed */
/* Frees every object that only cycles keep alive. Safe wherever every reference the VM holds
 * is counted: between instructions, at exit, and in MAKE_CLOSURE before each new cell (the
 * function being made holds counted references to its cells so far, and nothing holds it yet). */
void wgc_collect(void);
/* Collects when enough cells were made since the last collection (wcell_new calls this first). */
static inline void wgc_poll(void) {
  if (wgc_allowance == 0) wgc_collect();
}

typedef struct {
  size_t collections; /* collections run */
  size_t freed;       /* objects they freed */
  size_t tracked;     /* cells alive now */
} WGcStats;
WGcStats wgc_stats(void);

#endif
