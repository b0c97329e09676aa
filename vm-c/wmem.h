/* Allocation that never returns NULL: running out of memory ends the program with a message. */
#ifndef WMEM_H
#define WMEM_H

#include <stddef.h>

void *wmem_alloc(size_t n);
void *wmem_realloc(void *p, size_t n);
void *wmem_calloc(size_t count, size_t size);
/* Grows a capacity by doubling until it reaches need; checks for overflow. */
size_t wmem_grow_cap(size_t cap, size_t need, size_t elem_size);

#endif
