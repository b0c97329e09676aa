/* The debug mode (see wdebug.h and docs/vm-protocol.md "Debug commands"). The interpreter calls
 * wdebug_hook before every instruction only when vm->dbg is set (it then runs its checked
 * dispatch path, so a normal run tests nothing per instruction). The hook notices when the
 * program reaches a new source line in a frame, counts those line steps, and stops for a
 * breakpoint, a step, a pause, or a target step (the controller's reverse execution re-runs to a
 * step count). While stopped, it answers the controller's requests until one resumes. */
#include "wdebug.h"
#include "wcheckpoint.h"
#include "wjson.h"
#include "wmem.h"
#include "wnumfmt.h"
#include "wopcodes.h"
#include "wplatform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RUN_CONTINUE, RUN_STEP_IN, RUN_STEP_OVER, RUN_STEP_OUT, RUN_TO_STEP };

/* How many line steps pass between two looks at the channel for a pause request. */
#define POLL_EVERY 4096
#define MAX_LIST 4096

struct WDebug {
  WCtl *ctl;
  WBuf in, out, tmp;
  uint8_t *bp_lines; /* per source line: 1 when a breakpoint is set */
  uint32_t nlines;
  uint8_t *fn_bp;    /* per chunk: stop on entry */
  uint64_t steps;     /* new-line events so far */
  uint64_t target;    /* RUN_TO_STEP: stop when steps reaches it */
  int mode;
  size_t mode_depth;  /* frame count when the step began */
  unsigned poll;
  WValue *handles;    /* values shown while stopped, by reference - 1 */
  size_t nhandles, handles_cap;
  const uint8_t *stop_ip;
  int stopped_error;
  /* Replay: queued texts per kind (0 input, 1 read_file), and the muted output's saved fds. */
  WBuf *queue[2];
  size_t queued[2], taken[2], queue_cap[2];
  int muted;
  int to_step_breakpoints; /* RUN_TO_STEP also stops at breakpoints on the way */
  uint64_t reads[2];       /* input() lines and read_file() texts read so far (replayed or not) */
  const char *spec;        /* the control spec: checkpoints connect with it (wcheckpoint.c) */
  uint64_t ckpt_every, ckpt_at; /* checkpoints by line steps (tests): every N, the next at */
  int line_bps, fn_bps;    /* how many line and function breakpoints are set */
};

static int kind_index(const char *kind) { return strcmp(kind, "input") == 0 ? 0 : 1; }

int wdebug_replayed(WVM *vm, const char *kind, WBuf *out) {
  WDebug *d = vm->dbg;
  int k = kind_index(kind);
  if (d->taken[k] >= d->queued[k]) return 0;
  WBuf *t = &d->queue[k][d->taken[k]++];
  d->reads[k]++;
  out->len = 0;
  wbuf_put(out, t->data ? t->data : "", t->len);
  return 1;
}

void wdebug_record(WVM *vm, const char *kind, const char *text, size_t len) {
  WDebug *d = vm->dbg;
  d->reads[kind_index(kind)]++;
  WBuf msg = {0};
  wbuf_printf(&msg, "{\"event\":\"recorded\",\"body\":{\"kind\":\"%s\",\"text\":", kind);
  wjson_put_string(&msg, text, len);
  wbuf_puts(&msg, "}}");
  if (wctl_send(d->ctl, msg.data, msg.len) != 0) exit(1);
  wbuf_free(&msg);
}

int wdebug_muted(WVM *vm) { return vm->dbg->muted; }

/* Output goes to the null device while re-running to a step (wplatform.c). */
static void mute(WDebug *d, int on) {
  if (on == d->muted) return;
  if (wplat_mute_output(on)) d->muted = on;
}

static void feed(WDebug *d, int k, const char *text, size_t len) {
  if (d->queued[k] == d->queue_cap[k]) {
    d->queue_cap[k] = wmem_grow_cap(d->queue_cap[k], d->queued[k] + 1, sizeof(WBuf));
    d->queue[k] = wmem_realloc(d->queue[k], d->queue_cap[k] * sizeof(WBuf));
  }
  WBuf *t = &d->queue[k][d->queued[k]++];
  memset(t, 0, sizeof *t);
  wbuf_put(t, text, len);
}

static void send_out(WDebug *d) {
  if (wctl_send(d->ctl, d->out.data, d->out.len) != 0) exit(1); /* the controller is gone */
  d->out.len = 0;
}

static void respond_begin(WDebug *d, double seq) {
  d->out.len = 0;
  wbuf_printf(&d->out, "{\"request_seq\":%.0f,\"success\":true,\"body\":{", seq);
}

static void respond_end(WDebug *d) {
  wbuf_puts(&d->out, "}}");
  send_out(d);
}

static void respond_error(WDebug *d, double seq, const char *message) {
  d->out.len = 0;
  wbuf_printf(&d->out, "{\"request_seq\":%.0f,\"success\":false,\"message\":", seq);
  wjson_put_string(&d->out, message, strlen(message));
  wbuf_putc(&d->out, '}');
  send_out(d);
}

WDebug *wdebug_new(WVM *vm, WCtl *ctl, const char *spec) {
  WDebug *d = wmem_calloc(1, sizeof *d);
  d->ctl = ctl;
  d->spec = spec;
  /* Unbuffered: a checkpoint (a copy of this process) must not hold input another one read. */
  setvbuf(stdin, NULL, _IONBF, 0);
  WProgram *p = vm->prog;
  for (uint32_t c = 0; c < p->nchunks; c++)
    for (uint32_t i = 0; i < p->chunks[c].lines_len; i++)
      if (p->chunks[c].lines[i] >= d->nlines) d->nlines = p->chunks[c].lines[i] + 1;
  d->bp_lines = wmem_calloc(d->nlines + 1, 1);
  d->fn_bp = wmem_calloc(p->nchunks + 1, 1);
  d->mode = RUN_CONTINUE;
  d->ckpt_at = UINT64_MAX;
  vm->dbg = d;
  return d;
}

static int handle(WDebug *d, WVM *vm, const uint8_t *ip, int stopped);

void wdebug_configure(WVM *vm) {
  WDebug *d = vm->dbg;
  for (;;) {
    int r = wctl_recv(d->ctl, &d->in, -1);
    if (r < 0) exit(1);
    if (r == 1 && handle(d, vm, NULL, 0)) return;
  }
}

/* ---------------------------------------------------------------- frames and lines */

static uint32_t frame_line(const WFrame *f, const uint8_t *ip, int top) {
  if (f->iter) return f->iter->line;
  uint32_t off = (uint32_t)(ip - f->ch->code);
  if (!top && off > 0) off--; /* a caller's ip is just past its CALL */
  return off < f->ch->lines_len ? f->ch->lines[off] : 0;
}

static const char *frame_name(const WFrame *f) {
  if (f->iter) return f->iter->kind == ITER_MAP ? "map" : f->iter->kind == ITER_FILTER ? "filter" : "reduce";
  return f->ch->name;
}

/* The frame by id (0 = innermost), or NULL. */
static WFrame *frame_at(WVM *vm, double id) {
  if (id < 0 || id >= (double)vm->nframes) return NULL;
  return &vm->frames[vm->nframes - 1 - (size_t)id];
}

/* The first line with code at or after `line` (0 if none): where a breakpoint really is. */
static uint32_t line_with_code(WVM *vm, uint32_t line) {
  uint32_t best = 0;
  WProgram *p = vm->prog;
  for (uint32_t c = 0; c < p->nchunks; c++) {
    WChunk *ch = &p->chunks[c];
    /* Where a line step can begin (the code itself may be patched or fused by now). */
    for (uint32_t off = 0; off < ch->code_len; off++) {
      if (!ch->dbg_marks[off]) continue;
      uint32_t l = ch->lines[off];
      if (l >= line && (best == 0 || l < best)) best = l;
    }
  }
  return best;
}

/* ---------------------------------------------------------------- values */

static void release_handles(WDebug *d) {
  for (size_t i = 0; i < d->nhandles; i++) wv_decref(d->handles[i]);
  d->nhandles = 0;
}

static size_t handle_of(WDebug *d, WValue v) {
  if (d->nhandles == d->handles_cap) {
    d->handles_cap = wmem_grow_cap(d->handles_cap, d->nhandles + 1, sizeof(WValue));
    d->handles = wmem_realloc(d->handles, d->handles_cap * sizeof(WValue));
  }
  wv_incref(v);
  d->handles[d->nhandles++] = v;
  return d->nhandles;
}

/* A short text for v: scalars as the language prints them (strings quoted), collections by
 * their first items only (a 10-million-element array is never formatted whole). */
static void preview(WBuf *b, WValue v, int depth) {
  switch (v.t) {
  case W_STR: {
    WString *s = AS_STR(v);
    size_t n = s->len > 200 ? 200 : s->len;
    while (n < s->len && n > 0 && ((unsigned char)s->s[n] & 0xC0) == 0x80) n--; /* whole characters */
    wbuf_putc(b, '"');
    wbuf_put(b, s->s, n);
    if (n < s->len) wbuf_puts(b, "…");
    wbuf_putc(b, '"');
    return;
  }
  case W_ARR: {
    WArray *a = AS_ARR(v);
    if (depth > 0) {
      wbuf_printf(b, a->len ? "[…]" : "[]");
      return;
    }
    wbuf_putc(b, '[');
    for (size_t i = 0; i < a->len && i < 8; i++) {
      if (i) wbuf_puts(b, ", ");
      preview(b, a->items[i], depth + 1);
    }
    if (a->len > 8) wbuf_puts(b, ", …");
    wbuf_putc(b, ']');
    return;
  }
  case W_DICT: {
    WDict *dict = AS_DICT(v);
    if (depth > 0) {
      wbuf_printf(b, dict->len ? "{…}" : "{}");
      return;
    }
    wbuf_putc(b, '{');
    for (size_t i = 0; i < dict->len && i < 5; i++) {
      if (i) wbuf_puts(b, ", ");
      preview(b, wv_obj(dict->entries[i].key), depth + 1);
      wbuf_puts(b, ": ");
      preview(b, dict->entries[i].val, depth + 1);
    }
    if (dict->len > 5) wbuf_puts(b, ", …");
    wbuf_putc(b, '}');
    return;
  }
  case W_FUNC:
    wbuf_printf(b, "<fn %s>", AS_FUNC(v)->name);
    return;
  case W_UNDEF:
    wbuf_puts(b, "<unset>");
    return;
  default:
    wv_format(b, v);
  }
}

/* {"name":…,"value":…,"type":…,"ref":N,"count":N} for one value; ref 0 for a scalar. */
static void put_variable(WDebug *d, const char *name, size_t name_len, WValue v) {
  WBuf *o = &d->out;
  wbuf_puts(o, "{\"name\":");
  wjson_put_string(o, name, name_len);
  d->tmp.len = 0;
  preview(&d->tmp, v, 0);
  wbuf_puts(o, ",\"value\":");
  wjson_put_string(o, d->tmp.data ? d->tmp.data : "", d->tmp.len);
  wbuf_printf(o, ",\"type\":\"%s\"", v.t == W_UNDEF ? "unset" : wv_type_name(v));
  if (v.t == W_ARR) wbuf_printf(o, ",\"ref\":%zu,\"count\":%zu", handle_of(d, v), AS_ARR(v)->len);
  else if (v.t == W_DICT) wbuf_printf(o, ",\"ref\":%zu,\"count\":%zu", handle_of(d, v), AS_DICT(v)->len);
  else wbuf_puts(o, ",\"ref\":0");
  /* A scalar's exact value for a controller's evaluator. */
  if (v.t == W_NUM) {
    char num[WNUM_MAX_TEXT + 8];
    wnum_shortest(v.u.n, num);
    wbuf_printf(o, ",\"number\":%s", strcmp(num, "inf") == 0 || strcmp(num, "-inf") == 0 || strcmp(num, "NaN") == 0 ? "null" : num);
  } else if (v.t == W_STR) {
    wbuf_puts(o, ",\"string\":");
    wjson_put_string(o, AS_STR(v)->s, AS_STR(v)->len);
  } else if (v.t == W_BOOL) {
    wbuf_printf(o, ",\"bool\":%s", v.u.b ? "true" : "false");
  }
  wbuf_putc(o, '}');
}

/* ---------------------------------------------------------------- scopes */

enum { SCOPE_LOCALS, SCOPE_CAPTURED, SCOPE_GLOBALS };

static int scope_kind(const char *p) {
  WBuf s = {0};
  int k = -1;
  if (wjson_string(p, &s)) {
    if (strcmp(s.data, "locals") == 0) k = SCOPE_LOCALS;
    else if (strcmp(s.data, "captured") == 0) k = SCOPE_CAPTURED;
    else if (strcmp(s.data, "globals") == 0) k = SCOPE_GLOBALS;
  }
  wbuf_free(&s);
  return k;
}

/* Locals are the frame's slots named by its string constants that hold a value (runtime.md §4). */
static void list_scope(WDebug *d, WVM *vm, WFrame *f, int kind) {
  int first = 1;
  wbuf_puts(&d->out, "\"variables\":[");
  if (kind == SCOPE_GLOBALS) {
    WProgram *p = vm->prog;
    for (uint32_t g = 0; g < p->nglobals; g++) {
      if (p->globals[g].t == W_UNDEF) continue;
      if (strncmp(p->global_names[g], "__", 2) == 0) continue; /* the for loop's hidden names */
      if (!first) wbuf_putc(&d->out, ',');
      first = 0;
      put_variable(d, p->global_names[g], strlen(p->global_names[g]), p->globals[g]);
    }
  } else if (kind == SCOPE_LOCALS && f && f->ch && f != &vm->frames[0]) {
    for (uint32_t k = 0; k < f->ch->nconst; k++) {
      WValue v = f->base[k];
      if (v.t == W_UNDEF || f->ch->consts[k].t != W_STR) continue;
      WString *name = AS_STR(f->ch->consts[k]);
      if (!first) wbuf_putc(&d->out, ',');
      first = 0;
      put_variable(d, name->s, name->len, v);
    }
  } else if (kind == SCOPE_CAPTURED && f && f->closure) {
    for (uint32_t i = 0; i < f->closure->ncells; i++) {
      char slot[16];
      int n = snprintf(slot, sizeof slot, "%u", i);
      if (!first) wbuf_putc(&d->out, ',');
      first = 0;
      put_variable(d, slot, (size_t)n, f->closure->cells[i]->v);
    }
  }
  wbuf_putc(&d->out, ']');
}

static void list_children(WDebug *d, WValue v, size_t start, size_t count) {
  int first = 1;
  wbuf_puts(&d->out, "\"variables\":[");
  if (count > MAX_LIST) count = MAX_LIST;
  if (v.t == W_ARR) {
    WArray *a = AS_ARR(v);
    for (size_t i = start; i < a->len && i < start + count; i++) {
      char name[24];
      int n = snprintf(name, sizeof name, "%zu", i);
      if (!first) wbuf_putc(&d->out, ',');
      first = 0;
      put_variable(d, name, (size_t)n, a->items[i]);
    }
  } else if (v.t == W_DICT) {
    WDict *dict = AS_DICT(v);
    for (size_t i = start; i < dict->len && i < start + count; i++) {
      if (!first) wbuf_putc(&d->out, ',');
      first = 0;
      put_variable(d, dict->entries[i].key->s, dict->entries[i].key->len, dict->entries[i].val);
    }
  }
  wbuf_putc(&d->out, ']');
}

/* The new value of a setVariable: a JSON number, string, boolean or null. */
static int read_value(const char *p, WValue *out) {
  double n;
  WBuf s = {0};
  if (!p) return 0;
  if (strncmp(p, "null", 4) == 0) {
    *out = wv_none();
    return 1;
  }
  int b = wjson_bool(p);
  if (b >= 0) {
    *out = wv_bool(b);
    return 1;
  }
  if (*p == '"') {
    if (!wjson_string(p, &s)) return 0;
    if (!wutf8_valid((const unsigned char *)(s.data ? s.data : ""), s.len)) {
      wbuf_free(&s);
      return 0;
    }
    *out = wv_obj(wstr_new(s.data ? s.data : "", s.len));
    wbuf_free(&s);
    return 1;
  }
  if (wjson_number(p, &n)) {
    *out = wv_num(n);
    return 1;
  }
  return 0;
}

static void replace(WValue *slot, WValue v) {
  WValue old = *slot;
  wv_incref(v);
  *slot = v;
  wv_decref(old);
}

/* setVariable in a scope: a local (and its open cell, as STORE does), a captured cell, a global. */
static const char *set_in_scope(WVM *vm, WFrame *f, int kind, const char *name, WValue v) {
  if (kind == SCOPE_GLOBALS) {
    WProgram *p = vm->prog;
    for (uint32_t g = 0; g < p->nglobals; g++)
      if (strcmp(p->global_names[g], name) == 0 && p->globals[g].t != W_UNDEF) {
        replace(&p->globals[g], v);
        return NULL;
      }
    return "no such global";
  }
  if (!f || !f->ch) return "no such frame";
  if (kind == SCOPE_CAPTURED) {
    char *end;
    unsigned long slot = strtoul(name, &end, 10);
    if (*end || !f->closure || slot >= f->closure->ncells) return "no such captured variable";
    replace(&f->closure->cells[slot]->v, v);
    return NULL;
  }
  for (uint32_t k = 0; k < f->ch->nconst; k++) {
    WValue c = f->ch->consts[k];
    if (c.t != W_STR || strcmp(AS_STR(c)->s, name) != 0 || f->base[k].t == W_UNDEF) continue;
    replace(&f->base[k], v);
    for (uint32_t i = 0; i < f->ncells; i++)
      if (f->cells[i].gid == f->ch->kgid[k]) replace(&f->cells[i].cell->v, v);
    return NULL;
  }
  return "no such local";
}

/* setVariable on an element of an array or dict shown earlier. Values are shared until changed:
 * a collection that something else also holds cannot be changed in place without changing both.
 * The handles count as holders of their own: each listing of the collection while stopped adds
 * one (a client asks for the same variables more than once), and none of them is a variable. */
static const char *set_in_container(WDebug *d, WValue c, const char *name, WValue v) {
  size_t shown = 0;
  for (size_t i = 0; i < d->nhandles; i++)
    if (d->handles[i].u.o == c.u.o) shown++;
  if (c.u.o->rc - shown > 1) return "this collection is shared with another variable; set the variable itself";
  if (c.t == W_ARR) {
    char *end;
    unsigned long i = strtoul(name, &end, 10);
    if (*end || i >= AS_ARR(c)->len) return "no such index";
    replace(&AS_ARR(c)->items[i], v);
    return NULL;
  }
  WString *key = wstr_new(name, strlen(name));
  WValue *slot = wdict_find(AS_DICT(c), key);
  wv_decref(wv_obj(key));
  if (!slot) return "no such key";
  replace(slot, v);
  return NULL;
}

/* ---------------------------------------------------------------- stopping */

static void send_stopped(WDebug *d, WVM *vm, const char *reason, const uint8_t *ip, const char *text, size_t text_len) {
  fflush(stdout);
  fflush(stderr);
  WFrame *top = &vm->frames[vm->nframes - 1];
  d->out.len = 0;
  wbuf_printf(&d->out, "{\"event\":\"stopped\",\"body\":{\"reason\":\"%s\",\"line\":%u,\"steps\":%llu,\"depth\":%zu",
              reason, frame_line(top, ip, 1), (unsigned long long)d->steps, vm->nframes);
  if (text) {
    wbuf_puts(&d->out, ",\"text\":");
    wjson_put_string(&d->out, text, text_len);
  }
  wbuf_puts(&d->out, "}}");
  send_out(d);
}

static int command_is(const char *cmd, const char *name) { return strcmp(cmd, name) == 0; }

/* Answers one request. Returns 1 when it resumes the program. */
static int handle(WDebug *d, WVM *vm, const uint8_t *ip, int stopped) {
  WBuf cmd = {0};
  double seq = 0, n;
  const char *line = d->in.data ? d->in.data : "";
  wjson_number(wjson_find(line, "seq"), &seq);
  const char *args = wjson_find(line, "arguments");
  if (!args) args = "";
  if (!wjson_string(wjson_find(line, "command"), &cmd)) {
    respond_error(d, seq, "a request needs a command");
    return 0;
  }
  int resume = 0;
  const char *c = cmd.data;
  if (command_is(c, "setBreakpoints")) {
    static double lines[MAX_LIST];
    int count = wjson_numbers(wjson_find(args, "lines"), lines, MAX_LIST);
    memset(d->bp_lines, 0, d->nlines + 1);
    d->line_bps = 0;
    respond_begin(d, seq);
    wbuf_puts(&d->out, "\"lines\":[");
    for (int i = 0; i < count; i++) {
      uint32_t at = lines[i] >= 1 && lines[i] < 4294967295.0 ? line_with_code(vm, (uint32_t)lines[i]) : 0;
      if (at && at < d->nlines) d->bp_lines[at] = 1, d->line_bps++;
      wbuf_printf(&d->out, "%s%u", i ? "," : "", at);
    }
    wbuf_putc(&d->out, ']');
    respond_end(d);
  } else if (command_is(c, "setFunctionBreakpoints")) {
    static double chunks[MAX_LIST];
    int count = wjson_numbers(wjson_find(args, "chunks"), chunks, MAX_LIST);
    memset(d->fn_bp, 0, vm->prog->nchunks + 1);
    d->fn_bps = 0;
    for (int i = 0; i < count; i++)
      if (chunks[i] >= 0 && chunks[i] < vm->prog->nchunks) d->fn_bp[(uint32_t)chunks[i]] = 1, d->fn_bps++;
    respond_begin(d, seq);
    respond_end(d);
  } else if (command_is(c, "configurationDone") || command_is(c, "continue") || command_is(c, "next") ||
             command_is(c, "stepIn") || command_is(c, "stepOut") || command_is(c, "runToStep")) {
    if (!stopped && !command_is(c, "configurationDone")) {
      respond_error(d, seq, "the program is running");
    } else {
      d->mode = command_is(c, "next") ? RUN_STEP_OVER : command_is(c, "stepIn") ? RUN_STEP_IN
              : command_is(c, "stepOut") ? RUN_STEP_OUT : command_is(c, "runToStep") ? RUN_TO_STEP : RUN_CONTINUE;
      if (command_is(c, "configurationDone") && wjson_bool(wjson_find(args, "stopOnEntry")) == 1) d->mode = RUN_STEP_IN;
      d->mode_depth = vm->nframes;
      d->target = wjson_number(wjson_find(args, "step"), &n) && n >= 0 ? (uint64_t)n : 0;
      if (command_is(c, "configurationDone") && d->target > 0) d->mode = RUN_TO_STEP;
      d->to_step_breakpoints = wjson_bool(wjson_find(args, "breakpoints")) == 1;
      if (d->mode == RUN_TO_STEP && d->target <= d->steps) d->mode = RUN_STEP_IN;
      if (d->mode == RUN_TO_STEP && wjson_bool(wjson_find(args, "mute")) == 1) mute(d, 1);
      if (d->stopped_error) d->mode = RUN_CONTINUE;
      double every_steps = 0;
      wjson_number(wjson_find(args, "checkpointSteps"), &every_steps);
      if (!wjson_number(wjson_find(args, "checkpointMs"), &n) || n < 0 || n >= 1e9) n = 0;
      if (command_is(c, "configurationDone") && (n > 0 || every_steps >= 1) && wckpt_supported()) {
        wckpt_start(d->spec, &d->ctl, (int)n);
        d->poll = POLL_EVERY - 1; /* the first one at the first line step: going back to the start */
        if (every_steps >= 1 && every_steps < 1e18) d->ckpt_every = (uint64_t)every_steps;
        d->ckpt_at = d->ckpt_every ? 1 : UINT64_MAX;
      }
      respond_begin(d, seq);
      respond_end(d);
      resume = 1;
    }
  } else if (command_is(c, "feed")) {
    WBuf kind = {0}, text = {0};
    if (!wjson_string(wjson_find(args, "kind"), &kind) || !wjson_string(wjson_find(args, "text"), &text) ||
        (strcmp(kind.data, "input") != 0 && strcmp(kind.data, "read_file") != 0)) {
      respond_error(d, seq, "feed needs kind (input or read_file) and text");
    } else {
      feed(d, kind_index(kind.data), text.data ? text.data : "", text.len);
      respond_begin(d, seq);
      respond_end(d);
    }
    wbuf_free(&kind);
    wbuf_free(&text);
  } else if (command_is(c, "pause")) {
    respond_begin(d, seq);
    respond_end(d);
    if (!stopped) d->mode = RUN_STEP_IN; /* stops at the next line step */
  } else if (command_is(c, "stackTrace")) {
    if (!stopped) {
      respond_error(d, seq, "the program is running");
    } else {
      respond_begin(d, seq);
      wbuf_puts(&d->out, "\"frames\":[");
      for (size_t i = 0; i < vm->nframes; i++) {
        WFrame *f = &vm->frames[vm->nframes - 1 - i];
        const char *name = frame_name(f);
        wbuf_printf(&d->out, "%s{\"id\":%zu,\"name\":", i ? "," : "", i);
        wjson_put_string(&d->out, name, strlen(name));
        wbuf_printf(&d->out, ",\"line\":%u,\"closure\":%s}", frame_line(f, i == 0 ? ip : f->ip, i == 0),
                    f->closure ? "true" : "false");
      }
      wbuf_printf(&d->out, "],\"steps\":%llu", (unsigned long long)d->steps);
      respond_end(d);
    }
  } else if (command_is(c, "variables")) {
    double frame_id = 0, ref = 0, start = 0, count = MAX_LIST;
    wjson_number(wjson_find(args, "frame"), &frame_id);
    wjson_number(wjson_find(args, "ref"), &ref);
    wjson_number(wjson_find(args, "start"), &start);
    wjson_number(wjson_find(args, "count"), &count);
    if (!stopped) {
      respond_error(d, seq, "the program is running");
    } else if (ref >= 1) {
      if (ref > (double)d->nhandles) {
        respond_error(d, seq, "no such value (references last until the program resumes)");
      } else {
        respond_begin(d, seq);
        list_children(d, d->handles[(size_t)ref - 1], start < 0 ? 0 : (size_t)start, count < 0 ? 0 : (size_t)count);
        respond_end(d);
      }
    } else {
      int kind = scope_kind(wjson_find(args, "scope"));
      WFrame *f = frame_at(vm, frame_id);
      if (kind < 0 || (!f && kind != SCOPE_GLOBALS)) {
        respond_error(d, seq, "variables needs a frame and a scope (locals, captured, globals) or a ref");
      } else {
        respond_begin(d, seq);
        list_scope(d, vm, f, kind);
        respond_end(d);
      }
    }
  } else if (command_is(c, "setVariable")) {
    double frame_id = 0, ref = 0;
    WBuf name = {0};
    WValue v;
    wjson_number(wjson_find(args, "frame"), &frame_id);
    wjson_number(wjson_find(args, "ref"), &ref);
    const char *problem = NULL;
    if (!stopped) problem = "the program is running";
    else if (!wjson_string(wjson_find(args, "name"), &name)) problem = "setVariable needs a name";
    else if (!read_value(wjson_find(args, "value"), &v)) problem = "the value must be a number, a string, true, false or null";
    else {
      if (ref >= 1) problem = ref > (double)d->nhandles ? "no such value" : set_in_container(d, d->handles[(size_t)ref - 1], name.data, v);
      else {
        int kind = scope_kind(wjson_find(args, "scope"));
        problem = kind < 0 ? "no such scope" : set_in_scope(vm, frame_at(vm, frame_id), kind, name.data, v);
      }
      if (!problem) {
        respond_begin(d, seq);
        wbuf_puts(&d->out, "\"variable\":");
        put_variable(d, name.data, name.len, v);
        respond_end(d);
      }
      wv_decref(v);
    }
    if (problem) respond_error(d, seq, problem);
    wbuf_free(&name);
  } else if (command_is(c, "ping")) { /* the commands of every mode (docs/vm-protocol.md) */
    respond_begin(d, seq);
    wbuf_printf(&d->out, "\"protocol\":%d,\"mode\":\"debug\"", WCTL_PROTOCOL);
    respond_end(d);
  } else if (command_is(c, "disconnect") || command_is(c, "terminate")) {
    respond_begin(d, seq);
    respond_end(d);
    fflush(stdout);
    exit(0);
  } else {
    d->tmp.len = 0;
    wbuf_printf(&d->tmp, "unknown command '%s'", c);
    respond_error(d, seq, d->tmp.data);
  }
  wbuf_free(&cmd);
  return resume;
}

/* Stopped: answers requests until one resumes. */
static void stop(WDebug *d, WVM *vm, const char *reason, const uint8_t *ip, const char *text, size_t text_len) {
  d->stop_ip = ip;
  wckpt_pause();
  if (reason) {
    mute(d, 0);
    send_stopped(d, vm, reason, ip, text, text_len);
  }
  for (;;) {
    int r = wctl_recv(d->ctl, &d->in, -1);
    if (r < 0) exit(1);
    if (r == 0) continue;
    if (handle(d, vm, ip, 1)) break;
  }
  release_handles(d);
  wckpt_run();
}

/* A checkpoint is due: forks one. In the process resumed from it (later), the controller replays
 * what the program read after this point (feed) and sends it on (runToStep): it starts afresh,
 * stopped, silently. */
static void checkpoint(WDebug *d, WVM *vm, const uint8_t *ip) {
  if (d->ckpt_every) d->ckpt_at = d->steps + d->ckpt_every;
  if (wckpt_take(d->steps, d->reads) != 1) return;
  for (int k = 0; k < 2; k++) {
    for (size_t i = 0; i < d->queued[k]; i++) wbuf_free(&d->queue[k][i]);
    d->queued[k] = d->taken[k] = 0;
  }
  d->poll = 0;
  stop(d, vm, NULL, ip, NULL, 0);
}

enum { MARK_LINE = 1, MARK_ENTRY = 2 };

void wdebug_mark(WProgram *p) {
  for (uint32_t c = 0; c < p->nchunks; c++) {
    WChunk *ch = &p->chunks[c];
    ch->dbg_marks = wmem_calloc(ch->code_len + 1, 1);
    /* A function's first instructions store its parameters (STORE, 2 bytes each): its first
     * line step is its body's first instruction. */
    uint32_t body = 2u * ch->param_count;
    if (body < ch->code_len) ch->dbg_marks[body] = MARK_LINE | MARK_ENTRY;
    uint32_t prev_line = 0;
    for (uint32_t off = 0; off < ch->code_len; off += winstr_size(ch->code, off)) {
      uint32_t line = ch->lines[off];
      if (off > body && line != prev_line) ch->dbg_marks[off] |= MARK_LINE;
      prev_line = line;
      uint8_t op = ch->code[off];
      if (op >= OP_JUMP && op <= OP_PEEK_JUMP_IF_TRUE) {
        uint32_t target = (uint32_t)ch->code[off + 1] << 8 | ch->code[off + 2];
        /* Going back (a loop) starts its line again. */
        if (target <= off && target >= body && target < ch->code_len) ch->dbg_marks[target] |= MARK_LINE;
      }
    }
  }
}

void wdebug_patch(WProgram *p) {
#if defined(__GNUC__) && !defined(WVM_SWITCH_DISPATCH) /* as wexec.c: computed goto */
  for (uint32_t c = 0; c < p->nchunks; c++) {
    WChunk *ch = &p->chunks[c];
    if (ch->depth_checked) continue;
    ch->dbg_orig = wmem_calloc(ch->code_len + 1, 1);
    for (uint32_t off = 0; off < ch->code_len; off++) {
      if (!ch->dbg_marks[off]) continue;
      ch->dbg_orig[off] = ch->code[off];
      ch->code[off] = OP_DEBUG_HOOK;
    }
  }
#else
  (void)p;
#endif
}

void wdebug_hook(WVM *vm, const uint8_t *ip) {
  WDebug *d = vm->dbg;
  d->steps++;
  if (++d->poll >= POLL_EVERY) {
    d->poll = 0;
    int r;
    while ((r = wctl_recv(d->ctl, &d->in, 0)) == 1) handle(d, vm, ip, 0);
    /* The controller is gone (it closed the channel, or died): end, as a stopped program does,
     * rather than run on unseen (a loop that prints nothing would never end). */
    if (r < 0) exit(1);
    /* Before this step's stop decision: a process resumed from here makes it again, with the
     * controller's new mode (so it can stop right here, or at a breakpoint on this line). */
    if (wckpt_due()) checkpoint(d, vm, ip);
  }
  if (d->steps >= d->ckpt_at) checkpoint(d, vm, ip);
  /* Running on with no breakpoint set: nothing can stop here (most line steps of a debug run). */
  if (d->mode == RUN_CONTINUE && !(d->line_bps | d->fn_bps)) return;
  size_t depth = vm->nframes;
  WFrame *f = &vm->frames[depth - 1];
  uint32_t off = (uint32_t)(ip - f->ch->code);
  uint32_t line = f->ch->lines[off];
  const char *reason = NULL;
  switch (d->mode) {
  case RUN_STEP_IN: reason = "step"; break;
  case RUN_STEP_OVER: if (depth <= d->mode_depth) reason = "step"; break;
  case RUN_STEP_OUT: if (depth < d->mode_depth) reason = "step"; break;
  case RUN_TO_STEP: if (d->steps >= d->target) reason = "goto"; break;
  default: break;
  }
  if (!reason && (d->mode != RUN_TO_STEP || d->to_step_breakpoints)) {
    if (line < d->nlines && d->bp_lines[line]) reason = "breakpoint";
    else if ((f->ch->dbg_marks[off] & MARK_ENTRY) && d->fn_bp[f->ch - vm->prog->chunks]) reason = "function breakpoint";
  }
  if (reason) stop(d, vm, reason, ip, NULL, 0);
}

void wdebug_error(WVM *vm, const uint8_t *ip) {
  WDebug *d = vm->dbg;
  d->stopped_error = 1;
  stop(d, vm, "exception", ip, vm->err.data ? vm->err.data : "", vm->err.len);
}

void wdebug_end(WVM *vm, int status) {
  WDebug *d = vm->dbg;
  mute(d, 0);
  fflush(stdout);
  fflush(stderr);
  d->out.len = 0;
  wbuf_printf(&d->out, "{\"event\":\"exited\",\"body\":{\"exitCode\":%d,\"steps\":%llu}}", status, (unsigned long long)d->steps);
  wctl_send(d->ctl, d->out.data, d->out.len);
  /* Reads what the controller already sent (closing with unread input would reset the
   * connection and could lose the event), then closes: the event is delivered before the FIN. */
  while (wctl_recv(d->ctl, &d->in, 0) == 1) continue;
  wctl_close(d->ctl);
  d->ctl = NULL;
}
