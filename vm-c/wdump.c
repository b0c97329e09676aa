/* The disassembly listing (`wvm --dump`), exactly as docs/bytecode-tools.md fixes it. */
#include "wopcodes.h"
#include "wprogram.h"
#include "wnumfmt.h"

#include <string.h>

static void quote_bytes(WBuf *out, const char *s, size_t len) {
  wbuf_putc(out, '\'');
  for (size_t i = 0; i < len; i++) {
    unsigned char b = (unsigned char)s[i];
    switch (b) {
    case '\\': wbuf_puts(out, "\\\\"); break;
    case '\'': wbuf_puts(out, "\\'"); break;
    case '\n': wbuf_puts(out, "\\n"); break;
    case '\r': wbuf_puts(out, "\\r"); break;
    case '\t': wbuf_puts(out, "\\t"); break;
    default:
      if (b < 0x20 || b == 0x7f)
        wbuf_printf(out, "\\x%02x", b);
      else
        wbuf_putc(out, (char)b);
    }
  }
  wbuf_putc(out, '\'');
}

static void constant_text(WBuf *out, WValue v) {
  char num[WNUM_MAX_TEXT + 8];
  switch (v.t) {
  case W_STR: quote_bytes(out, AS_STR(v)->s, AS_STR(v)->len); break;
  case W_NUM:
    wbuf_putc(out, '\'');
    wbuf_put(out, num, wnum_shortest(v.u.n, num));
    wbuf_putc(out, '\'');
    break;
  case W_BOOL: wbuf_puts(out, v.u.b ? "true" : "false"); break;
  default: wbuf_puts(out, "none"); break;
  }
}

static void dump_chunk(const WChunk *c, WBuf *out) {
  wbuf_puts(out, "== ");
  wbuf_put(out, c->name, c->name_len);
  wbuf_printf(out, " == params=%u constants=%u code=%u\n", c->param_count, c->nconst, c->code_len);
  uint32_t prev_line = 0;
  for (uint32_t off = 0; off < c->code_len; off += winstr_size(c->code, off)) {
    const uint8_t *ip = c->code + off;
    const WOpInfo *info = &wop_info[ip[0]];
    uint32_t line = c->lines[off];
    if (off > 0 && line == prev_line)
      wbuf_printf(out, "%04u    | ", off);
    else
      wbuf_printf(out, "%04u %4u ", off, line);
    prev_line = line;
    if (info->layout == LAYOUT_NONE) {
      wbuf_printf(out, "%s\n", info->name);
      continue;
    }
    wbuf_printf(out, "%-18s ", info->name);
    switch (info->layout) {
    case LAYOUT_CONST:
    case LAYOUT_NAME:
      wbuf_printf(out, "%u ", ip[1]);
      constant_text(out, c->consts[ip[1]]);
      break;
    case LAYOUT_BYTE: wbuf_printf(out, "%u", ip[1]); break;
    case LAYOUT_JUMP: wbuf_printf(out, "-> %04u", (unsigned)(ip[1] << 8 | ip[2])); break;
    case LAYOUT_CALL:
      wbuf_printf(out, "%u ", ip[1]);
      constant_text(out, c->consts[ip[1]]);
      wbuf_printf(out, " argc=%u", ip[2]);
      break;
    case LAYOUT_CLOSURE: {
      wbuf_printf(out, "%u ", ip[1]);
      constant_text(out, c->consts[ip[1]]);
      wbuf_printf(out, " captures=%u", ip[2]);
      const uint8_t *q = ip + 3;
      for (unsigned i = 0; i < ip[2]; i++) {
        wbuf_printf(out, "\n             |   %s ", q[0] ? "local" : "upvalue");
        quote_bytes(out, (const char *)q + 2, q[1]);
        q += 2 + q[1];
      }
      break;
    }
    default: break;
    }
    wbuf_putc(out, '\n');
  }
}

void wdump(const WProgram *p, WBuf *out) {
  for (uint32_t i = 0; i < p->nchunks; i++) {
    if (i) wbuf_putc(out, '\n');
    dump_chunk(&p->chunks[i], out);
  }
}
