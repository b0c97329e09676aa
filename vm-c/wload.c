/* The loader: turns .whbc bytes into chunks, naming every failure as bytecode.md §1 does. */
#include "wprogram.h"
#include "wmem.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  const uint8_t *data;
  size_t len, pos;
  WBuf *err;
} Reader;

static int need(Reader *r, uint64_t n) {
  size_t have = r->len - r->pos;
  if (n > have) {
    wbuf_printf(r->err, "unexpected end of bytecode at offset %zu (need %llu bytes, have %zu)", r->pos,
                (unsigned long long)n, have);
    return 0;
  }
  return 1;
}

static int u8(Reader *r, uint32_t *out) {
  if (!need(r, 1)) return 0;
  *out = r->data[r->pos++];
  return 1;
}

static int u16(Reader *r, uint32_t *out) {
  if (!need(r, 2)) return 0;
  *out = (uint32_t)r->data[r->pos] << 8 | r->data[r->pos + 1];
  r->pos += 2;
  return 1;
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static int u32(Reader *r, uint32_t *out) {
  if (!need(r, 4)) return 0;
  *out = be32(r->data + r->pos);
  r->pos += 4;
  return 1;
}

static int read_constant(Reader *r, WValue *out) {
  uint32_t tag, b, n;
  if (!u8(r, &tag)) return 0;
  switch (tag) {
  case 0: {
    if (!need(r, 8)) return 0;
    uint64_t bits = (uint64_t)be32(r->data + r->pos) << 32 | be32(r->data + r->pos + 4);
    r->pos += 8;
    double x;
    memcpy(&x, &bits, sizeof x);
    *out = wv_num(x);
    return 1;
  }
  case 1:
    if (!u8(r, &b)) return 0;
    *out = wv_bool(b != 0);
    return 1;
  case 2:
    if (!u16(r, &n) || !need(r, n)) return 0;
    if (!wutf8_valid(r->data + r->pos, n)) {
      wbuf_puts(r->err, "string constant is not valid UTF-8");
      return 0;
    }
    *out = wv_obj(wstr_new((const char *)r->data + r->pos, n));
    r->pos += n;
    return 1;
  case 3:
    *out = wv_none();
    return 1;
  default:
    wbuf_printf(r->err, "unknown constant tag %u", tag);
    return 0;
  }
}

static int read_chunk(Reader *r, WChunk *c) {
  uint32_t n, v;
  if (!u16(r, &n) || !need(r, n)) return 0;
  if (!wutf8_valid(r->data + r->pos, n)) {
    wbuf_puts(r->err, "chunk name is not valid UTF-8");
    return 0;
  }
  c->name = wmem_alloc(n + 1);
  memcpy(c->name, r->data + r->pos, n);
  c->name[n] = '\0';
  c->name_len = n;
  r->pos += n;
  if (!u8(r, &v)) return 0;
  c->param_count = (uint8_t)v;
  if (!u8(r, &v)) return 0;
  c->upvalue_count = (uint8_t)v;
  if (!u8(r, &n)) return 0;
  c->consts = wmem_alloc(n * sizeof(WValue));
  for (uint32_t i = 0; i < n; i++) {
    if (!read_constant(r, &c->consts[i])) return 0;
    c->nconst++;
  }
  if (!u32(r, &n) || !need(r, n)) return 0;
  c->code = wmem_alloc(n);
  if (n) memcpy(c->code, r->data + r->pos, n);
  c->code_len = n;
  r->pos += n;
  if (!u32(r, &n) || !need(r, (uint64_t)n * 4)) return 0;
  c->lines = wmem_alloc((size_t)n * 4);
  for (uint32_t i = 0; i < n; i++) c->lines[i] = be32(r->data + r->pos + (size_t)i * 4);
  c->lines_len = n;
  r->pos += (size_t)n * 4;
  return 1;
}

int wload(const uint8_t *data, size_t len, WProgram *p, WBuf *err) {
  memset(p, 0, sizeof *p);
  if (len < 5) {
    wbuf_puts(err, "file too short");
    return 0;
  }
  if (memcmp(data, "WHBC", 4) != 0) {
    wbuf_puts(err, "bad magic bytes (not a .whbc file)");
    return 0;
  }
  if (data[4] != 4) {
    wbuf_printf(err, "version mismatch: expected 4, got %u", data[4]);
    return 0;
  }
  Reader r = {data, len, 5, err};
  uint32_t count;
  if (!u16(&r, &count)) return 0;
  if (count == 0) {
    wbuf_puts(err, "bytecode contains no chunks");
    return 0;
  }
  p->chunks = wmem_calloc(count, sizeof(WChunk));
  for (uint32_t i = 0; i < count; i++) {
    p->nchunks++;
    if (!read_chunk(&r, &p->chunks[i])) return 0;
  }
  return 1; /* bytes after the last chunk are ignored, as the reference does */
}

void wchunk_free(WChunk *c) {
  for (uint32_t k = 0; k < c->nconst; k++) wv_decref(c->consts[k]);
  free(c->name);
  free(c->consts);
  free(c->code);
  free(c->lines);
  free(c->kgid);
  free(c->kglobal);
  free(c->kcall_kind);
  free(c->kcall_target);
  free(c->kcall_chunk);
  free(c->param_slot);
  free(c->call_offs);
  free(c->update_store);
  for (uint32_t s = 0; s < c->nsites; s++) free(c->sites[s].captures);
  free(c->sites);
  free(c->dbg_marks);
  free(c->dbg_orig);
  memset(c, 0, sizeof *c);
}
