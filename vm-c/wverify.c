/* The verifier: everything bytecode.md §3 requires before a file may run, checked in the order
 * and with the messages of docs/bytecode-tools.md; plus the static operand-stack analysis that
 * lets well-formed chunks run without a stack check per instruction. */
#include "wopcodes.h"
#include "wprogram.h"
#include "wmem.h"

#include <stdlib.h>
#include <string.h>

const WOpInfo wop_info[256] = {
#define W_OP_INFO(name, byte, layout, meaning) [byte] = {#name, LAYOUT_##layout, meaning},
    W_OPCODES(W_OP_INFO)
#undef W_OP_INFO
};

const uint16_t wop_linked[256] = {
#define W_FROM_LOAD(name, byte, op, meaning) [byte] = 0x100 | OP_LOAD,
    W_SUPERINSTRUCTIONS(W_FROM_LOAD)
#undef W_FROM_LOAD
#define W_FROM_OP(name, byte, op, meaning) [byte] = 0x100 | OP_##op,
    W_LINKED_CALLS(W_FROM_OP)
    W_UPDATES(W_FROM_OP)
#undef W_FROM_OP
};

/* Size of the instruction at off, or 0 when its operands run past the end of the code. */
static uint32_t decoded_size(const uint8_t *code, uint32_t len, uint32_t off) {
  uint64_t end = len;
  switch (wop_info[code[off]].layout) {
  case LAYOUT_NONE: return 1;
  case LAYOUT_CONST:
  case LAYOUT_NAME:
  case LAYOUT_BYTE: return (uint64_t)off + 2 <= end ? 2 : 0;
  case LAYOUT_JUMP:
  case LAYOUT_CALL: return (uint64_t)off + 3 <= end ? 3 : 0;
  case LAYOUT_CLOSURE: {
    if ((uint64_t)off + 3 > end) return 0;
    uint64_t p = (uint64_t)off + 3;
    for (uint32_t i = 0, n = code[off + 2]; i < n; i++) {
      if (p + 2 > end) return 0;
      uint64_t l = code[p + 1];
      if (p + 2 + l > end) return 0;
      p += 2 + l;
    }
    return (uint32_t)(p - off);
  }
  }
  return 0;
}

uint32_t winstr_size(const uint8_t *code, uint32_t off) {
  if (wop_linked[code[off]]) { /* linked code: the size of what it was written over (never MAKE_CLOSURE) */
    WLayout l = wop_info[wop_file_opcode(code[off])].layout;
    return l == LAYOUT_NONE ? 1 : l == LAYOUT_JUMP || l == LAYOUT_CALL ? 3 : 2;
  }
  return decoded_size(code, UINT32_MAX, off);
}

static int ends_flow(uint8_t op) { return op == OP_HALT || op == OP_RETURN || op == OP_RETURN_NONE || op == OP_JUMP; }

static int chunk_exists(const WProgram *p, const WString *name) {
  for (uint32_t i = 0; i < p->nchunks; i++)
    if (p->chunks[i].name_len == name->len && memcmp(p->chunks[i].name, name->s, name->len) == 0) return 1;
  return 0;
}

/* "in chunk 'NAME'" — names may hold any UTF-8, NUL included, so they are copied by length. */
static void chunk_prefix(WBuf *err, const WChunk *c) {
  wbuf_puts(err, "in chunk '");
  wbuf_put(err, c->name, c->name_len);
  wbuf_putc(err, '\'');
}

static int verify_chunk(const WProgram *p, const WChunk *c, WBuf *err) {
  if (c->code_len == 0) {
    chunk_prefix(err, c), wbuf_printf(err, ": code is empty");
    return 0;
  }
  if (c->lines_len != c->code_len) {
    chunk_prefix(err, c), wbuf_printf(err, ": lines_len %u differs from code_len %u", c->lines_len, c->code_len);
    return 0;
  }
  const uint8_t *code = c->code;
  uint8_t *starts = wmem_calloc(c->code_len, 1);
  uint32_t last = 0;
  int ok = 1;
  for (uint32_t off = 0; off < c->code_len && ok;) {
    const WOpInfo *info = &wop_info[code[off]];
    uint32_t size;
    ok = 0;
    if (!info->name)
      chunk_prefix(err, c), wbuf_printf(err, " at offset %u: unknown opcode 0x%02x", off, code[off]);
    else if (!(size = decoded_size(code, c->code_len, off)))
      chunk_prefix(err, c), wbuf_printf(err, " at offset %u: truncated instruction %s", off, info->name);
    else
      ok = 1;
    if (!ok) break;
    WLayout layout = info->layout;
    if (layout == LAYOUT_CONST || layout == LAYOUT_NAME || layout == LAYOUT_CALL || layout == LAYOUT_CLOSURE) {
      uint32_t k = code[off + 1];
      if (k >= c->nconst) {
        chunk_prefix(err, c), wbuf_printf(err, " at offset %u: constant index %u out of range (pool has %u constants)", off, k,
                    c->nconst);
        ok = 0;
      } else if (layout != LAYOUT_CONST && c->consts[k].t != W_STR) {
        chunk_prefix(err, c), wbuf_printf(err, " at offset %u: operand %u of %s is not a string constant", off, k,
                    info->name);
        ok = 0;
      } else if (layout == LAYOUT_CLOSURE) {
        const WString *target = AS_STR(c->consts[k]);
        if (!chunk_exists(p, target)) {
          chunk_prefix(err, c), wbuf_printf(err, " at offset %u: MAKE_CLOSURE names unknown chunk '", off);
          wbuf_put(err, target->s, target->len);
          wbuf_putc(err, '\'');
          ok = 0;
        }
        uint32_t q = off + 3;
        for (uint32_t i = 0, n = code[off + 2]; i < n && ok; i++) {
          uint32_t l = code[q + 1];
          if (!wutf8_valid(code + q + 2, l)) {
            chunk_prefix(err, c), wbuf_printf(err, " at offset %u: capture name is not valid UTF-8", off);
            ok = 0;
          }
          q += 2 + l;
        }
      }
    }
    starts[off] = 1;
    last = off;
    off += size;
  }
  for (uint32_t off = 0; off < c->code_len && ok; off += decoded_size(code, c->code_len, off)) {
    if (wop_info[code[off]].layout != LAYOUT_JUMP) continue;
    uint32_t t = (uint32_t)code[off + 1] << 8 | code[off + 2];
    if (t >= c->code_len || !starts[t]) {
      chunk_prefix(err, c), wbuf_printf(err, " at offset %u: jump target %u is not the start of an instruction", off, t);
      ok = 0;
    }
  }
  if (ok && !ends_flow(code[last])) {
    chunk_prefix(err, c), wbuf_printf(err, " at offset %u: last instruction %s can fall off the end", last,
                wop_info[code[last]].name);
    ok = 0;
  }
  free(starts);
  return ok;
}

int wverify(const WProgram *p, WBuf *err) {
  for (uint32_t i = 0; i < p->nchunks; i++)
    if (!verify_chunk(p, &p->chunks[i], err)) return 0;
  return 1;
}

/* Values an instruction pops and pushes. A call pops its arguments (and the callee value) and
 * pushes one result: RETURN resets the stack to the frame's base, so this holds for every callee. */
void wstack_effect(const WChunk *c, uint32_t off, int *pops, int *pushes) {
  const uint8_t *ip = c->code + off;
  *pops = 0;
  *pushes = 0;
  switch (ip[0]) {
  case OP_PUSH_CONST: case OP_PUSH_TRUE: case OP_PUSH_FALSE: case OP_PUSH_NONE:
  case OP_LOAD: case OP_LOAD_GLOBAL: case OP_LOAD_UPVALUE: case OP_MAKE_CLOSURE:
    *pushes = 1; break;
  case OP_STORE: case OP_STORE_UPVALUE: case OP_JUMP_IF_FALSE: case OP_JUMP_IF_TRUE:
  case OP_PRINT: case OP_POP: case OP_RETURN:
    *pops = 1; break;
  case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MOD:
  case OP_EQ: case OP_NEQ: case OP_LT: case OP_LTE: case OP_GT: case OP_GTE: case OP_GET_INDEX:
    *pops = 2; *pushes = 1; break;
  case OP_NEG: case OP_NOT:
    *pops = 1; *pushes = 1; break;
  case OP_PEEK_JUMP_IF_FALSE: case OP_PEEK_JUMP_IF_TRUE:
    *pops = 1; *pushes = 1; break;
  case OP_SET_INDEX:
    *pops = 3; *pushes = 1; break;
  case OP_MAKE_ARRAY:
    *pops = ip[1]; *pushes = 1; break;
  case OP_MAKE_DICT:
    *pops = 2 * ip[1]; *pushes = 1; break;
  case OP_CALL: {
    const WString *name = AS_STR(c->consts[ip[1]]);
    *pops = ip[2] + (name->len == 10 && memcmp(name->s, "__callee__", 10) == 0);
    *pushes = 1;
    break;
  }
  default: break;
  }
}

void wverify_depths(WChunk *c, int entry_depth) {
  int32_t *depth = wmem_alloc(c->code_len * sizeof(int32_t));
  uint32_t *work = wmem_alloc(c->code_len * sizeof(uint32_t));
  for (uint32_t i = 0; i < c->code_len; i++) depth[i] = -1;
  size_t nwork = 0;
  int32_t max = entry_depth;
  int consistent = 1;
  depth[0] = entry_depth;
  work[nwork++] = 0;
  while (nwork && consistent) {
    uint32_t off = work[--nwork];
    int32_t d = depth[off];
    int pops, pushes;
    wstack_effect(c, off, &pops, &pushes);
    if (d < pops) { consistent = 0; break; }
    int32_t after = d - pops + pushes;
    if (after > max) max = after;
    uint8_t op = c->code[off];
    uint32_t succ[2];
    int nsucc = 0;
    if (op != OP_HALT && op != OP_RETURN && op != OP_RETURN_NONE && op != OP_JUMP)
      succ[nsucc++] = off + winstr_size(c->code, off);
    if (wop_info[op].layout == LAYOUT_JUMP) succ[nsucc++] = (uint32_t)c->code[off + 1] << 8 | c->code[off + 2];
    for (int i = 0; i < nsucc; i++) {
      /* PEEK jumps keep the value on both paths; JUMP_IF_* have popped it on both. */
      if (succ[i] >= c->code_len) { consistent = 0; break; }
      if (depth[succ[i]] < 0) {
        depth[succ[i]] = after;
        work[nwork++] = succ[i];
      } else if (depth[succ[i]] != after) {
        consistent = 0;
      }
    }
  }
  c->max_depth = (uint32_t)max;
  c->depth_checked = !consistent;
  free(depth);
  free(work);
}
