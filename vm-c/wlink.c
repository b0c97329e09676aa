/* Load-time resolution for execution: every name gets a global id (one table for the whole
 * program), locals are slots numbered by the chunk's constant index, CALL names are classified
 * (callee value, builtin, named chunk), capture descriptors are parsed, stack depths analysed. */
#include "wopcodes.h"
#include "wprogram.h"
#include "wvm.h"
#include "wmem.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  char **names;
  size_t *lens;
  uint32_t n, cap;
  uint32_t *slots; /* open addressing: id + 1 */
  uint32_t nslots;
} Interner;

static uint32_t hash_bytes(const char *s, size_t len) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static void intern_grow(Interner *in) {
  uint32_t nslots = in->nslots ? in->nslots * 2 : 64;
  free(in->slots);
  in->slots = wmem_calloc(nslots, sizeof(uint32_t));
  in->nslots = nslots;
  for (uint32_t id = 0; id < in->n; id++) {
    uint32_t j = hash_bytes(in->names[id], in->lens[id]) & (nslots - 1);
    while (in->slots[j]) j = (j + 1) & (nslots - 1);
    in->slots[j] = id + 1;
  }
}

static uint32_t intern(Interner *in, const char *s, size_t len) {
  if ((in->n + 1) * 2 > in->nslots) intern_grow(in);
  uint32_t j = hash_bytes(s, len) & (in->nslots - 1);
  for (; in->slots[j]; j = (j + 1) & (in->nslots - 1)) {
    uint32_t id = in->slots[j] - 1;
    if (in->lens[id] == len && memcmp(in->names[id], s, len) == 0) return id;
  }
  if (in->n == in->cap) {
    in->cap = (uint32_t)wmem_grow_cap(in->cap, in->n + 1, sizeof(char *));
    in->names = wmem_realloc(in->names, in->cap * sizeof(char *));
    in->lens = wmem_realloc(in->lens, in->cap * sizeof(size_t));
  }
  char *copy = wmem_alloc(len + 1);
  memcpy(copy, s, len);
  copy[len] = '\0';
  in->names[in->n] = copy;
  in->lens[in->n] = len;
  in->slots[j] = in->n + 1;
  return in->n++;
}

/* The chunk a name calls or closes over: the last one with that name (bytecode.md §1). */
static int32_t find_chunk(const WProgram *p, const char *name, size_t len) {
  for (uint32_t i = p->nchunks; i-- > 0;)
    if (p->chunks[i].name_len == len && memcmp(p->chunks[i].name, name, len) == 0) return (int32_t)i;
  return -1;
}

/* A parent slot is the descriptor's decimal text; anything else counts as 0 (the reference
 * parses it as an unsigned integer, which also accepts one leading '+'). */
static uint64_t parse_slot(const uint8_t *s, size_t len) {
  size_t i = 0;
  if (len > 0 && s[0] == '+') i = 1;
  if (i == len) return 0;
  uint64_t v = 0;
  for (; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return 0;
    if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10) return 0;
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  return v;
}

/* A string constant's slot: the first constant of the chunk with the same text, so that
 * LOAD and STORE of one name meet in one slot even if the pool repeats a string. */
static uint8_t canonical(const WChunk *c, uint8_t k) {
  const WString *s = AS_STR(c->consts[k]);
  for (uint8_t i = 0; i < k; i++)
    if (c->consts[i].t == W_STR && AS_STR(c->consts[i])->len == s->len && memcmp(AS_STR(c->consts[i])->s, s->s, s->len) == 0)
      return i;
  return k;
}

static int16_t slot_of_text(const WChunk *c, const char *s, size_t len) {
  for (uint32_t i = 0; i < c->nconst; i++)
    if (c->consts[i].t == W_STR && AS_STR(c->consts[i])->len == len && memcmp(AS_STR(c->consts[i])->s, s, len) == 0)
      return (int16_t)i;
  return -1;
}

/* Writes the superinstructions of wopcodes.h over `LOAD k; PUSH_CONST c; OP` with a number c.
 * Only in chunks whose stack use was proven (run-time stack checks read the original opcodes). */
static void fuse(WChunk *c) {
  for (uint32_t off = 0, size; off + 4 < c->code_len; off += size) {
    uint8_t *ip = c->code + off;
    size = winstr_size(c->code, off);
    if (ip[0] != OP_LOAD || ip[2] != OP_PUSH_CONST || c->consts[ip[3]].t != W_NUM) continue;
    switch (ip[4]) {
#define W_FUSE(name, byte, op, meaning) case OP_##op: ip[0] = OP_##name; break;
      W_SUPERINSTRUCTIONS(W_FUSE)
#undef W_FUSE
    default: break;
    }
  }
}

/* Resolves chunk ci with the interner `inp` (kglobal is set by the caller). */
static void link_one(WProgram *p, Interner *inp, uint32_t ci) {
  {
    WChunk *c = &p->chunks[ci];
    c->kgid = wmem_calloc(c->nconst, sizeof(uint32_t));
    c->kcall_kind = wmem_calloc(c->nconst, 1);
    c->kcall_target = wmem_calloc(c->nconst, sizeof(int32_t));
    for (uint32_t k = 0; k < c->nconst; k++) {
      c->kcall_target[k] = -1;
      if (c->consts[k].t != W_STR) continue;
      const WString *s = AS_STR(c->consts[k]);
      c->kgid[k] = intern(inp, s->s, s->len);
      int b = wbuiltin_find(s->s, s->len);
      if (s->len == 10 && memcmp(s->s, "__callee__", 10) == 0) {
        c->kcall_kind[k] = CALL_CALLEE;
      } else if (b >= 0) {
        c->kcall_kind[k] = CALL_BUILTIN;
        c->kcall_target[k] = b;
      } else {
        c->kcall_kind[k] = CALL_NAMED;
        c->kcall_target[k] = find_chunk(p, s->s, s->len);
      }
    }
    for (uint32_t off = 0; off < c->code_len; off += winstr_size(c->code, off)) {
      uint8_t *ip = c->code + off;
      if (ip[0] == OP_LOAD || ip[0] == OP_STORE || ip[0] == OP_LOAD_GLOBAL || ip[0] == OP_CALL) ip[1] = canonical(c, ip[1]);
      if (ip[0] != OP_MAKE_CLOSURE) continue;
      c->sites = wmem_realloc(c->sites, (c->nsites + 1) * sizeof(WClosureSite));
      WClosureSite *site = &c->sites[c->nsites++];
      const WString *target = AS_STR(c->consts[ip[1]]);
      site->offset = off;
      site->chunk = (uint32_t)find_chunk(p, target->s, target->len);
      site->ncaptures = ip[2];
      site->captures = wmem_calloc(ip[2], sizeof(WCapture));
      const uint8_t *q = ip + 3;
      for (uint32_t i = 0; i < ip[2]; i++) {
        WCapture *cap = &site->captures[i];
        cap->is_local = q[0] != 0;
        if (cap->is_local) {
          cap->kslot = slot_of_text(c, (const char *)q + 2, q[1]);
          cap->gid = intern(inp, (const char *)q + 2, q[1]);
        } else
          cap->parent = parse_slot(q + 2, q[1]);
        q += 2 + q[1];
      }
    }
    /* <main> starts with an empty stack; a function starts with its arguments. */
    wverify_depths(c, ci == 0 ? 0 : c->param_count);
    if (ci == 0 && c->param_count != 0) c->depth_checked = 1; /* it may also be called with arguments */
    if (!c->depth_checked) fuse(c);
  }
}

static void point_globals(WProgram *p, uint32_t ci) {
  {
    WChunk *c = &p->chunks[ci];
    if (!c->kglobal) c->kglobal = wmem_calloc(c->nconst ? c->nconst : 1, sizeof(WValue *));
    for (uint32_t k = 0; k < c->nconst; k++)
      if (c->consts[k].t == W_STR) c->kglobal[k] = &p->globals[c->kgid[k]];
  }
}

void wlink(WProgram *p) {
  Interner in = {0};
  for (uint32_t ci = 0; ci < p->nchunks; ci++) link_one(p, &in, ci);
  p->nglobals = in.n;
  p->globals = wmem_alloc((in.n ? in.n : 1) * sizeof(WValue));
  for (uint32_t i = 0; i < in.n; i++) p->globals[i] = wv_undef();
  p->global_names = in.names;
  for (uint32_t ci = 0; ci < p->nchunks; ci++) point_globals(p, ci);
  free(in.lens);
  free(in.slots);
}

struct WLinker {
  Interner in;
  uint32_t globals_cap;
};

WLinker *wlinker_new(void) { return wmem_calloc(1, sizeof(WLinker)); }

void wlinker_free(WLinker *l) {
  if (!l) return;
  free(l->in.lens);
  free(l->in.slots);
  free(l); /* the names belong to the program's global_names */
}

void wlink_more(WProgram *p, WLinker *l, uint32_t from) {
  link_one(p, &l->in, 0);
  for (uint32_t ci = from; ci < p->nchunks; ci++) link_one(p, &l->in, ci);
  /* Globals: new names get undefined values; the array only moves when it doubles. */
  uint32_t n = l->in.n;
  int moved = 0;
  if (n > l->globals_cap) {
    uint32_t cap = l->globals_cap ? l->globals_cap : 64;
    while (cap < n) cap *= 2;
    p->globals = wmem_realloc(p->globals, cap * sizeof(WValue));
    l->globals_cap = cap;
    moved = 1;
  }
  for (uint32_t i = p->nglobals; i < n; i++) p->globals[i] = wv_undef();
  p->nglobals = n;
  p->global_names = l->in.names;
  for (uint32_t ci = 0; ci < p->nchunks; ci++)
    if (moved || ci == 0 || ci >= from) point_globals(p, ci);
  /* Older chunks call a name through the newest chunk of that name. */
  for (uint32_t ni = from; ni < p->nchunks; ni++) {
    const WChunk *f = &p->chunks[ni];
    for (uint32_t ci = 1; ci < from; ci++) {
      WChunk *c = &p->chunks[ci];
      for (uint32_t k = 0; k < c->nconst; k++)
        if (c->kcall_kind[k] == CALL_NAMED && c->consts[k].t == W_STR && AS_STR(c->consts[k])->len == f->name_len &&
            memcmp(AS_STR(c->consts[k])->s, f->name, f->name_len) == 0)
          c->kcall_target[k] = (int32_t)ni;
    }
  }
}
