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

/* Local slots: only the names that the chunk STOREs are ever locals of its frames (a frame's
 * locals change only through its own STOREs), so nslots ends at the highest of them and a LOAD of
 * any other name reads the global: it becomes LOAD_GLOBAL, which means exactly that. The
 * parameter prologue (the compiler's STOREs of the parameters, last first) is noted for calls. */
static void assign_slots(WChunk *c, uint8_t *stored) {
  uint32_t off, size;
  for (off = 0; off < c->code_len; off += winstr_size(c->code, off))
    if (c->code[off] == OP_STORE) stored[c->code[off + 1]] = 1;
  c->nslots = 0;
  for (uint32_t k = 0; k < c->nconst; k++)
    if (stored[k]) c->nslots = k + 1;
  for (off = 0; off < c->code_len; off += winstr_size(c->code, off))
    if (c->code[off] == OP_LOAD && !stored[c->code[off + 1]]) c->code[off] = OP_LOAD_GLOBAL;
  for (uint32_t s = 0; s < c->nsites; s++)
    for (uint32_t i = 0; i < c->sites[s].ncaptures; i++) {
      WCapture *cap = &c->sites[s].captures[i];
      if (cap->is_local && cap->kslot >= 0 && !stored[cap->kslot]) cap->kslot = -1;
    }
  uint32_t n = c->param_count;
  c->param_slot = wmem_calloc(n, 1);
  c->params_in_place = 1;
  c->entry = 0;
  for (off = 0; off < c->code_len && c->entry / 2 < n; off += size) {
    size = winstr_size(c->code, off);
    if (c->code[off] != OP_STORE) break;
    uint8_t k = c->code[off + 1];
    for (uint32_t j = 0; j < c->entry / 2; j++)
      if (c->param_slot[n - 1 - j] == k) goto no_prologue; /* a repeated parameter: let the STOREs run */
    c->param_slot[n - 1 - c->entry / 2] = k; /* the last parameter is stored first */
    c->entry += 2;
  }
  if (n == 0 || c->entry / 2 != n) goto no_prologue;
  for (uint32_t i = 0; i < n; i++)
    if (c->param_slot[i] != i) c->params_in_place = 0;
  return;
no_prologue:
  c->entry = 0;
  c->params_in_place = 0;
}

/* The internal opcodes of wopcodes.h, written over first bytes in one walk (each size is read
 * before its byte changes; the other bytes stay, so a jump into a rewritten sequence still finds
 * the original instructions). Only in chunks whose stack use was proven: the run-time stack
 * checks read the original opcodes.
 * - `LOAD k; PUSH_CONST c; OP` with a number c: the superinstruction for OP.
 * - in a chunk whose frames never have locals (globals_only: <main> when nothing calls it), a LOAD
 *   that is not fused becomes LOAD_GLOBAL, which then means the same.
 * - a CALL of a name that no STORE anywhere writes (so no variable can hold a function of that
 *   name), that is no builtin, whose chunk exists and takes exactly argc parameters: CALL_FN. */
static void rewrite(const WProgram *p, WChunk *c, const uint8_t *gid_stored, int globals_only) {
  for (uint32_t off = 0, size; off < c->code_len; off += size) {
    uint8_t *ip = c->code + off;
    size = winstr_size(c->code, off);
    if (ip[0] == OP_LOAD && off + 4 < c->code_len && ip[2] == OP_PUSH_CONST && c->consts[ip[3]].t == W_NUM) {
      switch (ip[4]) {
#define W_FUSE(name, byte, op, meaning) case OP_##op: ip[0] = OP_##name; break;
        W_SUPERINSTRUCTIONS(W_FUSE)
#undef W_FUSE
      default: break;
      }
      if (ip[0] == OP_LOAD && globals_only) ip[0] = OP_LOAD_GLOBAL;
    } else if (ip[0] == OP_LOAD && globals_only) {
      ip[0] = OP_LOAD_GLOBAL;
    } else if (ip[0] == OP_CALL) {
      uint8_t k = ip[1];
      if (c->kcall_kind[k] == CALL_CALLEE || c->kcall_kind[k] == CALL_BUILTIN) continue;
      int32_t target = c->kcall_target[k];
      if (gid_stored[c->kgid[k]] || target < 0 || p->chunks[target].param_count != ip[2]) continue;
      ip[0] = OP_CALL_FN;
    }
  }
}

/* The update opcodes (wopcodes.h, W_UPDATES): the offset of the STORE that the straight-line
 * code after an update at `off` reaches without reading that name, calling or jumping, or 0. */
static uint32_t store_after(const WChunk *c, uint32_t off) {
  uint32_t from = off + winstr_size(c->code, off);
  for (uint32_t at = from; at < c->code_len; at += winstr_size(c->code, at)) {
    const uint8_t *ip = c->code + at;
    switch (wop_file_opcode(ip[0])) {
    case OP_STORE:
      for (uint32_t q = from; q < at; q += winstr_size(c->code, q)) {
        uint8_t op = wop_file_opcode(c->code[q]);
        if ((op == OP_LOAD || op == OP_LOAD_GLOBAL) && c->code[q + 1] == ip[1]) return 0;
      }
      return at;
    case OP_LOAD: case OP_LOAD_GLOBAL: case OP_PUSH_CONST: case OP_PUSH_TRUE: case OP_PUSH_FALSE: case OP_PUSH_NONE:
    case OP_LOAD_UPVALUE: case OP_MAKE_ARRAY: case OP_MAKE_DICT: case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
    case OP_MOD: case OP_NEG: case OP_EQ: case OP_NEQ: case OP_LT: case OP_LTE: case OP_GT: case OP_GTE: case OP_NOT:
    case OP_GET_INDEX:
      break;
    default:
      return 0;
    }
  }
  return 0;
}

/* Whether a debugger line step begins in (from, to]: a stop there would see the update early. */
static int line_step_between(const WChunk *c, uint32_t from, uint32_t to) {
  if (!c->dbg_marks) return 0;
  for (uint32_t at = from + 1; at <= to; at++)
    if (c->dbg_marks[at]) return 1;
  return 0;
}

/* Writes the update opcodes over the updates whose other holder is about to let go of the value
 * (the rules are in wopcodes.h, next to the opcodes). Reads the file's opcodes through any
 * internal ones already written, so it may run before or after `rewrite`. */
static void mark_updates(WChunk *c) {
  for (uint32_t off = 0, size; off < c->code_len; off += size) {
    uint8_t *ip = c->code + off;
    uint8_t op = ip[0];
    size = winstr_size(c->code, off);
    if (op == OP_CALL && !(c->kcall_kind[ip[1]] == CALL_BUILTIN && wbuiltin_updates_in_place(c->kcall_target[ip[1]]))) continue;
    if (op != OP_ADD && op != OP_SET_INDEX && op != OP_CALL) continue;
    uint32_t next = off + size, store;
    if (next < c->code_len && wop_file_opcode(c->code[next]) == OP_RETURN && !line_step_between(c, off, next)) {
      ip[0] = op == OP_ADD ? OP_ADD_RETURN : op == OP_SET_INDEX ? OP_SET_INDEX_RETURN : OP_CALL_RETURN;
    } else if ((store = store_after(c, off)) && !line_step_between(c, off, store)) {
      if (!c->update_store) c->update_store = wmem_calloc(c->code_len, 1);
      c->update_store[off] = c->code[store + 1];
      ip[0] = op == OP_ADD ? OP_ADD_STORE : op == OP_SET_INDEX ? OP_SET_INDEX_STORE : OP_CALL_STORE;
    }
  }
}

/* Whether <main>'s chunk runs only as the first frame: no call and no closure names it. That
 * frame's locals are never set (a STORE in <main> sets the global), so its names are globals. */
static int main_runs_only_as_main(const WProgram *p) {
  for (uint32_t ci = 0; ci < p->nchunks; ci++) {
    const WChunk *c = &p->chunks[ci];
    for (uint32_t k = 0; k < c->nconst; k++)
      if ((c->kcall_kind[k] == CALL_NAMED || c->kcall_kind[k] == CALL_NAMED_GLOBAL) && c->kcall_target[k] == 0) return 0;
    for (uint32_t s = 0; s < c->nsites; s++)
      if (c->sites[s].chunk == 0) return 0;
  }
  return 1;
}

void wlink(WProgram *p) {
  Interner in = {0};
  for (uint32_t ci = 0; ci < p->nchunks; ci++) {
    WChunk *c = &p->chunks[ci];
    c->kgid = wmem_calloc(c->nconst, sizeof(uint32_t));
    c->kcall_kind = wmem_calloc(c->nconst, 1);
    c->kcall_target = wmem_calloc(c->nconst, sizeof(int32_t));
    for (uint32_t k = 0; k < c->nconst; k++) {
      c->kcall_target[k] = -1;
      if (c->consts[k].t != W_STR) continue;
      const WString *s = AS_STR(c->consts[k]);
      c->kgid[k] = intern(&in, s->s, s->len);
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
          cap->gid = intern(&in, (const char *)q + 2, q[1]);
        } else
          cap->parent = parse_slot(q + 2, q[1]);
        q += 2 + q[1];
      }
    }
    uint8_t *stored = wmem_calloc(c->nconst, 1);
    assign_slots(c, stored);
    for (uint32_t k = 0; k < c->nconst; k++)
      if (c->kcall_kind[k] == CALL_NAMED && !stored[k]) c->kcall_kind[k] = CALL_NAMED_GLOBAL;
    free(stored);
    /* <main> starts with an empty stack; a function starts with its arguments. */
    wverify_depths(c, ci == 0 ? 0 : c->param_count);
    if (ci == 0 && c->param_count != 0) c->depth_checked = 1; /* it may also be called with arguments */
    c->frame_need = c->nslots + c->max_depth + 2;
  }
  p->nglobals = in.n;
  p->globals = wmem_alloc((in.n ? in.n : 1) * sizeof(WValue));
  for (uint32_t i = 0; i < in.n; i++) p->globals[i] = wv_undef();
  p->global_names = in.names;
  /* The names some STORE writes (in any chunk): only those can ever be variables. */
  uint8_t *gid_stored = wmem_calloc(in.n, 1);
  int main_only = p->nchunks > 0 && main_runs_only_as_main(p);
  if (main_only)
    for (uint32_t k = 0; k < p->chunks[0].nconst; k++)
      if (p->chunks[0].kcall_kind[k] == CALL_NAMED) p->chunks[0].kcall_kind[k] = CALL_NAMED_GLOBAL;
  for (uint32_t ci = 0; ci < p->nchunks; ci++) {
    WChunk *c = &p->chunks[ci];
    for (uint32_t off = 0; off < c->code_len; off += winstr_size(c->code, off))
      if (c->code[off] == OP_STORE) gid_stored[c->kgid[c->code[off + 1]]] = 1;
  }
  for (uint32_t ci = 0; ci < p->nchunks; ci++) {
    WChunk *c = &p->chunks[ci];
    c->kglobal = wmem_calloc(c->nconst, sizeof(WValue *));
    c->kcall_chunk = wmem_calloc(c->nconst, sizeof(WChunk *));
    for (uint32_t k = 0; k < c->nconst; k++)
      if ((c->kcall_kind[k] == CALL_NAMED || c->kcall_kind[k] == CALL_NAMED_GLOBAL) && c->kcall_target[k] >= 0)
        c->kcall_chunk[k] = &p->chunks[c->kcall_target[k]];
    for (uint32_t k = 0; k < c->nconst; k++)
      if (c->consts[k].t == W_STR) c->kglobal[k] = &p->globals[c->kgid[k]];
    if (!c->depth_checked) {
      rewrite(p, c, gid_stored, ci == 0 && main_only);
      mark_updates(c);
    }
  }
  free(gid_stored);
  free(in.lens);
  free(in.slots);
}
