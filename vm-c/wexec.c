/* The interpreter loop (runtime.md): one operand stack shared by all frames, each frame's locals
 * at its base, names resolved to slots by wlink. Dispatch is computed goto under GCC/Clang and a
 * portable switch elsewhere (define WVM_SWITCH_DISPATCH to force the switch). */
#include "wopcodes.h"
#include "wvm.h"
#include "wmem.h"
#include "wnumfmt.h"
#include "wplatform.h"
#include "wdebug.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) && !defined(WVM_SWITCH_DISPATCH)
#define W_COMPUTED_GOTO 1
#endif

#if defined(__GNUC__)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define UNLIKELY(x) (x)
#define LIKELY(x) (x)
#endif

WString *wbuiltin_dict_key(WVM *vm, WValue k);

static int verror(WVM *vm, int has_line, const char *fmt, va_list ap) {
  vm->err.len = 0;
  if (vm->err.data) vm->err.data[0] = '\0';
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  if (n > 0) {
    wbuf_reserve(&vm->err, (size_t)n);
    vsnprintf(vm->err.data, (size_t)n + 1, fmt, ap2);
    vm->err.len = (size_t)n;
  }
  va_end(ap2);
  vm->err_has_line = has_line;
  return 0;
}

int wvm_error(WVM *vm, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  verror(vm, 1, fmt, ap);
  va_end(ap);
  return 0;
}

int wvm_error_noline(WVM *vm, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  verror(vm, 0, fmt, ap);
  va_end(ap);
  return 0;
}

int wvm_arity_error(WVM *vm, const char *name, int expected, int got) {
  return wvm_error(vm, "Function '%s' expected %d argument%s, got %d", name, expected, expected == 1 ? "" : "s", got);
}

/* Moves the stack to a bigger block with room for `need` more values above sp; every frame's
 * pointers follow. Returns the new sp, or NULL when the stack may not grow that far. */
static WValue *grow_stack(WVM *vm, WValue *sp, size_t need) {
  size_t used = (size_t)(sp - vm->stack);
  size_t cap = vm->stack_cap * 2;
  if (cap < used + need + 256) cap = used + need + 256;
  if (cap > WVM_MAX_STACK) {
    if (used + need > WVM_MAX_STACK) return NULL;
    cap = WVM_MAX_STACK;
  }
  WValue *fresh = wmem_alloc(cap * sizeof(WValue));
  memcpy(fresh, vm->stack, used * sizeof(WValue));
  for (size_t i = 0; i < vm->nframes; i++) {
    vm->frames[i].base = fresh + (vm->frames[i].base - vm->stack);
    vm->frames[i].floor = fresh + (vm->frames[i].floor - vm->stack);
  }
  free(vm->stack);
  vm->stack = fresh;
  vm->stack_cap = cap;
  return fresh + used;
}

/* Room for more frames. A frame record not in use has no open cells and no map/filter/reduce
 * state (new records are zeroed; whatever pops a frame that had them clears them), so a call
 * sets only the fields that differ from call to call. */
static void grow_frames(WVM *vm) {
  size_t old = vm->frames_cap;
  vm->frames_cap = wmem_grow_cap(vm->frames_cap, vm->nframes + 1, sizeof(WFrame));
  vm->frames = wmem_realloc(vm->frames, vm->frames_cap * sizeof(WFrame));
  memset(vm->frames + old, 0, (vm->frames_cap - old) * sizeof(WFrame));
}

static WFrame *push_frame(WVM *vm) {
  if (vm->nframes == vm->frames_cap) grow_frames(vm);
  WFrame *f = &vm->frames[vm->nframes++];
  f->closure = NULL;
  f->cells = NULL;
  f->ncells = f->cells_cap = 0;
  f->iter = NULL;
  f->ch = NULL;
  return f;
}

static WCell *open_cell(const WFrame *f, uint32_t gid) {
  for (uint32_t i = 0; i < f->ncells; i++)
    if (f->cells[i].gid == gid) return f->cells[i].cell;
  return NULL;
}

static const WClosureSite *closure_site(const WChunk *ch, uint32_t off) {
  uint32_t lo = 0, hi = ch->nsites;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (ch->sites[mid].offset < off) lo = mid + 1;
    else hi = mid;
  }
  return &ch->sites[lo];
}

/* The ownership rules of the update opcodes (wopcodes.h, W_UPDATES), for an object v with a
 * reference count of 2: whether its other holder is the one that the coming STORE or RETURN
 * lets go of. At a count of 1 any update owns its operand; above 2 none does. */
static inline int owned_then_store(WValue v, const WChunk *ch, const uint8_t *ip, const WValue *locals, int in_main) {
  uint32_t rc = v.u.o->rc;
  if (rc == 1) return 1;
  if (rc != 2) return 0;
  uint8_t k = ch->update_store[ip - ch->code];
  const WValue *slot = in_main ? ch->kglobal[k] : &locals[k];
  return W_IS_OBJ(*slot) && slot->u.o == v.u.o;
}

/* v sits at `at` on the stack; below it are the returning frame's locals and operands. */
static inline int owned_then_return(WValue v, const WValue *at, const WValue *locals, int in_main) {
  uint32_t rc = v.u.o->rc;
  if (rc == 1) return 1;
  if (rc != 2 || in_main) return 0;
  for (const WValue *p = locals; p < at; p++)
    if (W_IS_OBJ(*p) && p->u.o == v.u.o) return 1;
  return 0;
}

static uint32_t frame_line(const WFrame *f, const uint8_t *ip, int top) {
  if (f->iter) return f->iter->line;
  uint32_t off = (uint32_t)(ip - f->ch->code);
  if (!top && off > 0) off--; /* a caller's ip is just past its CALL */
  return off < f->ch->lines_len ? f->ch->lines[off] : 0;
}

static const char *iter_name(int kind) { return kind == ITER_MAP ? "map" : kind == ITER_FILTER ? "filter" : "reduce"; }

static void print_trace_line(WVM *vm, size_t i, const uint8_t *top_ip) {
  WFrame *f = &vm->frames[i];
  int top = i + 1 == vm->nframes;
  const char *name = f->iter ? iter_name(f->iter->kind) : f->ch->name;
  fprintf(stderr, "  at %s (line %u)\n", name, frame_line(f, top ? top_ip : f->ip, top));
}

static void report_error(WVM *vm, const char *file, const uint8_t *ip) {
  fflush(stdout);
  fprintf(stderr, "%s: ", file);
  if (vm->err_has_line && vm->nframes > 0) fprintf(stderr, "[line %u, col 0] ", frame_line(&vm->frames[vm->nframes - 1], ip, 1));
  fputs("Error: ", stderr);
  if (vm->err.len) fwrite(vm->err.data, 1, vm->err.len, stderr); /* a name may hold a NUL byte */
  fputc('\n', stderr);
  /* The call trace, innermost first; a very deep one keeps its two ends. */
  size_t n = vm->nframes;
  for (size_t k = 0; k < n; k++) {
    if (n > 40 && k == 20) {
      fprintf(stderr, "  ... %zu more frames ...\n", n - 30);
      k = n - 10;
    }
    print_trace_line(vm, n - 1 - k, ip);
  }
}

/* Output is block-buffered for speed, but someone watching a long run (an editor's output panel)
 * should see it come: flush when the last flush is more than 50 ms old. */
static void flush_if_stale(void) {
  static long long last;
  long long now = wplat_now_ms();
  if (now - last >= 50) {
    fflush(stdout);
    last = now;
  }
}

static inline int truthy(WValue v) { return v.t == W_BOOL ? v.u.b : wv_truthy(v); }

static int format_value(WVM *vm, WBuf *b, WValue v) {
  if (wv_format(b, v)) return 1;
  return wvm_error(vm, "Internal error: value nested too deeply to format");
}

/* GCC's global common-subexpression elimination hurts computed-goto dispatch (its manual says
 * so): it merges the jumps and keeps values alive across them, and the loop's hot state (the
 * frame's chunk, locals, dispatch table) then lives in memory instead of registers. */
#if defined(W_COMPUTED_GOTO) && defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("no-gcse")))
#endif
int wvm_run(WVM *vm, const char *file) {
  WProgram *prog = vm->prog;
  WChunk *chunks = prog->chunks;
  WValue *sp, *locals, *stack_end;
  WFrame *frame;
  WChunk *ch;
  const uint8_t *ip;
  uint64_t budget = vm->budget; /* kept here while running: calls and backward jumps count it down */
  /* Debug mode runs the chunks it marks through the checked dispatch table, which calls its hook. */
  const int debugging = vm->dbg != NULL;

  /* State for do_call. */
  WChunk *call_ch = NULL;
  WFunc *callee_fn = NULL;
  int call_argc = 0;
  WValue *ret_to = NULL;
  int owned = 0; /* an update's verdict (wopcodes.h, W_UPDATES), for the code it shares */
  char num[WNUM_MAX_TEXT + 8];

  vm->stack_cap = 1024;
  vm->stack = wmem_alloc(vm->stack_cap * sizeof(WValue));
  sp = vm->stack;
  frame = push_frame(vm);
  ch = &chunks[0];
  frame->ch = ch;
  frame->ip = ch->code;
  frame->base = sp;
  if (ch->nslots + ch->max_depth + 8 > vm->stack_cap) {
    sp = grow_stack(vm, sp, ch->nslots + ch->max_depth + 8);
    frame = &vm->frames[0];
  }
  for (uint32_t i = 0; i < ch->nslots; i++) *sp++ = wv_undef();
  frame->floor = sp;
  stack_end = vm->stack + vm->stack_cap;

#define LOAD_FRAME()                       \
  do {                                     \
    frame = &vm->frames[vm->nframes - 1];  \
    ch = frame->ch;                        \
    ip = frame->ip;                        \
    locals = frame->base;                  \
    SELECT_TABLE();                        \
  } while (0)
/* Whether the running frame is <main>'s, whose STOREs set globals. */
#define IN_MAIN() (vm->nframes == 1)
#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define ERROR(...)                   \
  do {                               \
    wvm_error(vm, __VA_ARGS__);      \
    goto error;                      \
  } while (0)
#define ERROR_NOLINE(...)             \
  do {                                \
    wvm_error_noline(vm, __VA_ARGS__); \
    goto error;                       \
  } while (0)
#define ENSURE(n)                                                              \
  do {                                                                         \
    if (UNLIKELY((size_t)(stack_end - sp) < (size_t)(n))) {                    \
      WValue *grown_ = grow_stack(vm, sp, (size_t)(n));                        \
      if (!grown_) ERROR("Stack overflow: the operand stack is full");         \
      sp = grown_;                                                             \
      stack_end = vm->stack + vm->stack_cap;                                   \
      frame = &vm->frames[vm->nframes - 1];                                    \
      locals = frame->base;                                                    \
    }                                                                          \
  } while (0)

#ifdef W_COMPUTED_GOTO
  void *op_table[256], *checked_table[256], **table = op_table;
  /* Each chunk's frames run with one table: the checking one for chunks whose stack use was not
   * proven. Noted in the chunk, so a call or return picks it with one load. */
#define SELECT_TABLE() (table = (void **)ch->dispatch)
  for (uint32_t i = 0; i < prog->nchunks; i++) chunks[i].dispatch = chunks[i].depth_checked || (debugging && !chunks[i].dbg_orig) ? checked_table : op_table;
  for (int i = 0; i < 256; i++) {
    op_table[i] = &&L_UNKNOWN;
    checked_table[i] = &&L_CHECKED;
  }
#define W_OP_LABEL(name, byte, layout, meaning) op_table[byte] = &&L_##name;
  W_OPCODES(W_OP_LABEL)
#undef W_OP_LABEL
#define W_SUPER_LABEL(name, byte, op, meaning) op_table[byte] = &&L_##name;
  W_SUPERINSTRUCTIONS(W_SUPER_LABEL)
  W_LINKED_CALLS(W_SUPER_LABEL)
  W_UPDATES(W_SUPER_LABEL)
#undef W_SUPER_LABEL
  if (debugging) op_table[OP_DEBUG_HOOK] = &&L_DEBUG_HOOK; /* wdebug_patch put it at line-step starts */
#else
#define SELECT_TABLE() ((void)0)
#endif
#define JUMP_TO(target)                                                                  \
  do {                                                                                   \
    const uint8_t *to_ = ch->code + (target);                                            \
    if (to_ <= ip && UNLIKELY(--budget == 0)) ERROR_NOLINE("Internal error: step limit reached"); \
    ip = to_;                                                                            \
  } while (0)
  LOAD_FRAME();
#ifdef W_COMPUTED_GOTO
#define DISPATCH() goto *table[*ip]
#define CASE(name) L_##name:
#define DEFAULT_CASE L_UNKNOWN:
  DISPATCH();
  L_DEBUG_HOOK:
  frame->ip = ip;
  wdebug_hook(vm, ip);
  goto *op_table[ch->dbg_orig[ip - ch->code]];
  L_CHECKED:
#else
#define DISPATCH() goto dispatch
#define CASE(name) case OP_##name:
#define DEFAULT_CASE default:
dispatch:
#endif
  if (UNLIKELY(debugging) && !ch->dbg_orig && ch->dbg_marks[ip - ch->code]) {
    frame->ip = ip;
    wdebug_hook(vm, ip);
  }
  if (ch->depth_checked) {
    /* A chunk whose stack use could not be proven: check this instruction's pops and pushes. */
    int pops, pushes;
    wstack_effect(ch, (uint32_t)(ip - ch->code), &pops, &pushes);
    if (sp - frame->floor < pops) ERROR_NOLINE("Internal error: stack underflow");
    ENSURE(pushes + 1);
  }
#ifdef W_COMPUTED_GOTO
  goto *op_table[*ip];
#else
  switch (*ip)
#endif
  {
    CASE(PUSH_CONST) {
      WValue v = ch->consts[ip[1]];
      wv_incref(v);
      PUSH(v);
      ip += 2;
      DISPATCH();
    }
    CASE(PUSH_TRUE) { PUSH(wv_bool(1)); ip++; DISPATCH(); }
    CASE(PUSH_FALSE) { PUSH(wv_bool(0)); ip++; DISPATCH(); }
    CASE(PUSH_NONE) { PUSH(wv_none()); ip++; DISPATCH(); }
    CASE(LOAD) {
    do_load:;
      WValue v = locals[ip[1]];
      if (v.t == W_UNDEF) {
        v = *ch->kglobal[ip[1]];
        if (UNLIKELY(v.t == W_UNDEF)) ERROR("Undefined variable: '%s'", AS_STR(ch->consts[ip[1]])->s);
      }
      wv_incref(v);
      PUSH(v);
      ip += 2;
      DISPATCH();
    }
#define LOADK_ARITH(name, op)                                            \
  CASE(name) {                                                           \
    WValue v = locals[ip[1]];                                            \
    if (v.t == W_UNDEF) v = *ch->kglobal[ip[1]];                         \
    if (v.t != W_NUM) goto do_load;                                      \
    PUSH(wv_num(v.u.n op ch->consts[ip[3]].u.n));                        \
    ip += 5;                                                             \
    DISPATCH();                                                          \
  }
#define LOADK_COMPARE(name, op)                                          \
  CASE(name) {                                                           \
    WValue v = locals[ip[1]];                                            \
    if (v.t == W_UNDEF) v = *ch->kglobal[ip[1]];                         \
    if (v.t != W_NUM) goto do_load;                                      \
    int r = v.u.n op ch->consts[ip[3]].u.n;                              \
    ip += 5;                                                             \
    if (*ip == OP_JUMP_IF_FALSE) {                                       \
      if (!r) JUMP_TO(ip[1] << 8 | ip[2]);                               \
      else ip += 3;                                                      \
    } else                                                               \
      PUSH(wv_bool(r));                                                  \
    DISPATCH();                                                          \
  }
    LOADK_ARITH(LOADK_ADD, +)
    LOADK_ARITH(LOADK_SUB, -)
    LOADK_ARITH(LOADK_MUL, *)
    LOADK_COMPARE(LOADK_LT, <)
    LOADK_COMPARE(LOADK_LTE, <=)
    LOADK_COMPARE(LOADK_GT, >)
    LOADK_COMPARE(LOADK_GTE, >=)
    LOADK_COMPARE(LOADK_EQ, ==)
    LOADK_COMPARE(LOADK_NEQ, !=)
    CASE(LOAD_GLOBAL) {
      WValue v = *ch->kglobal[ip[1]];
      if (UNLIKELY(v.t == W_UNDEF)) ERROR("Undefined variable: '%s'", AS_STR(ch->consts[ip[1]])->s);
      wv_incref(v);
      PUSH(v);
      ip += 2;
      DISPATCH();
    }
    CASE(STORE) {
      uint8_t k = ip[1];
      WValue v = POP();
      if (UNLIKELY(frame->ncells)) {
        WCell *cell = open_cell(frame, ch->kgid[k]);
        if (cell) {
          WValue old = cell->v;
          wv_incref(v);
          cell->v = v;
          wv_decref(old);
        }
      }
      WValue *slot = IN_MAIN() ? ch->kglobal[k] : &locals[k];
      WValue old = *slot;
      *slot = v;
      wv_decref(old);
      ip += 2;
      DISPATCH();
    }
    CASE(LOAD_UPVALUE) {
      uint8_t s = ip[1];
      if (!frame->closure || s >= frame->closure->ncells)
        ERROR_NOLINE("Internal error: upvalue in invalid state: upvalue slot %u out of range", s);
      WValue v = frame->closure->cells[s]->v;
      wv_incref(v);
      PUSH(v);
      ip += 2;
      DISPATCH();
    }
    CASE(STORE_UPVALUE) {
      uint8_t s = ip[1];
      if (!frame->closure || s >= frame->closure->ncells)
        ERROR_NOLINE("Internal error: upvalue in invalid state: upvalue slot %u out of range", s);
      WCell *cell = frame->closure->cells[s];
      WValue old = cell->v;
      cell->v = POP();
      wv_decref(old);
      ip += 2;
      DISPATCH();
    }
    CASE(CLOSE_UPVALUE) { ip += 2; DISPATCH(); }
    /* ADD and its update forms: numbers first; then `owned` says whether a string left operand
     * may grow in place (the rules: wopcodes.h, W_UPDATES). */
#define ADD_CASE(name, OWNED)                                                                   \
  CASE(name) {                                                                                  \
    WValue a = sp[-2], b = sp[-1];                                                              \
    if (a.t == W_NUM && b.t == W_NUM) {                                                         \
      sp[-2].u.n = a.u.n + b.u.n;                                                               \
      sp--;                                                                                     \
      ip++;                                                                                     \
      DISPATCH();                                                                               \
    }                                                                                           \
    owned = a.t == W_STR && (OWNED);                                                            \
    goto add_other;                                                                             \
  }
    ADD_CASE(ADD, a.u.o->rc == 1)
    ADD_CASE(ADD_STORE, owned_then_store(a, ch, ip, locals, IN_MAIN()))
    ADD_CASE(ADD_RETURN, owned_then_return(a, sp - 2, locals, IN_MAIN()))
    add_other: {
      WValue a = sp[-2], b = sp[-1];
      if (a.t != W_STR && b.t != W_STR)
        ERROR("Type error: expected number or string, found %s and %s", wv_type_name(a), wv_type_name(b));
      if (owned) {
        if (b.t == W_STR)
          wstr_append(AS_STR(a), AS_STR(b)->s, AS_STR(b)->len);
        else if (b.t == W_NUM)
          wstr_append(AS_STR(a), num, wnum_format(b.u.n, num));
        else {
          WBuf text = {0};
          if (!format_value(vm, &text, b)) {
            wbuf_free(&text);
            goto error;
          }
          wstr_append(AS_STR(a), text.data ? text.data : "", text.len);
          wbuf_free(&text);
        }
        wv_decref(b);
        sp--;
      } else {
        WBuf text = {0};
        size_t la = a.t == W_STR ? AS_STR(a)->len : 16, lb = b.t == W_STR ? AS_STR(b)->len : 16;
        wbuf_reserve(&text, la + lb + (la + lb) / 2);
        if (!format_value(vm, &text, a) || !format_value(vm, &text, b)) {
          wbuf_free(&text);
          goto error;
        }
        WString *s = wstr_take(text.data, text.len, text.cap);
        wv_decref(a);
        wv_decref(b);
        sp -= 2;
        PUSH(wv_obj(s));
      }
      ip++;
      DISPATCH();
    }
#define NUMERIC_OP(name, expr)                                                                                  \
  CASE(name) {                                                                                                  \
    WValue a = sp[-2], b = sp[-1];                                                                              \
    if (UNLIKELY(a.t != W_NUM || b.t != W_NUM))                                                                 \
      ERROR("Type error: expected number, found %s and %s", wv_type_name(a), wv_type_name(b));                  \
    sp[-2].u.n = (expr);                                                                                        \
    sp--;                                                                                                       \
    ip++;                                                                                                       \
    DISPATCH();                                                                                                 \
  }
    NUMERIC_OP(SUB, a.u.n - b.u.n)
    NUMERIC_OP(MUL, a.u.n * b.u.n)
    CASE(DIV) {
      WValue a = sp[-2], b = sp[-1];
      if (UNLIKELY(a.t != W_NUM || b.t != W_NUM))
        ERROR("Type error: expected number, found %s and %s", wv_type_name(a), wv_type_name(b));
      if (UNLIKELY(b.u.n == 0)) ERROR_NOLINE("Division by zero");
      sp[-2].u.n = a.u.n / b.u.n;
      sp--;
      ip++;
      DISPATCH();
    }
    CASE(MOD) {
      WValue a = sp[-2], b = sp[-1];
      if (UNLIKELY(a.t != W_NUM || b.t != W_NUM))
        ERROR("Type error: expected number, found %s and %s", wv_type_name(a), wv_type_name(b));
      if (UNLIKELY(b.u.n == 0)) ERROR_NOLINE("Division by zero");
      double x = a.u.n, y = b.u.n;
      /* Integral operands (the common case) take the integer path: fmod is slow. */
      if (fabs(x) < 9007199254740992.0 && fabs(y) < 9007199254740992.0 && x == (double)(int64_t)x && y == (double)(int64_t)y) {
        double r = (double)((int64_t)x % (int64_t)y);
        sp[-2].u.n = r == 0 ? copysign(0.0, x) : r; /* fmod's result has the dividend's sign */
      } else
        sp[-2].u.n = fmod(x, y);
      sp--;
      ip++;
      DISPATCH();
    }
    CASE(NEG) {
      if (UNLIKELY(sp[-1].t != W_NUM)) ERROR("Type error: expected number, found %s", wv_type_name(sp[-1]));
      sp[-1].u.n = -sp[-1].u.n;
      ip++;
      DISPATCH();
    }
    CASE(EQ)
    CASE(NEQ) {
      WValue a = sp[-2], b = sp[-1];
      int eq = a.t == W_NUM && b.t == W_NUM ? a.u.n == b.u.n : wv_equal(a, b);
      wv_decref(a);
      wv_decref(b);
      sp -= 2;
      PUSH(wv_bool(*ip == OP_EQ ? eq : !eq));
      ip++;
      DISPATCH();
    }
#define COMPARE_OP(name, op)                                                                                    \
  CASE(name) {                                                                                                  \
    WValue a = sp[-2], b = sp[-1];                                                                              \
    int r;                                                                                                      \
    if (a.t == W_NUM && b.t == W_NUM) {                                                                         \
      r = a.u.n op b.u.n;                                                                                       \
    } else if (a.t == W_STR && b.t == W_STR) {                                                                  \
      const WString *x = AS_STR(a), *y = AS_STR(b);                                                             \
      int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);                                            \
      if (c == 0) c = x->len < y->len ? -1 : x->len > y->len;                                                   \
      r = c op 0;                                                                                               \
      wv_decref(a);                                                                                             \
      wv_decref(b);                                                                                             \
    } else                                                                                                      \
      ERROR("Type error: expected number or string, found %s and %s", wv_type_name(a), wv_type_name(b));       \
    sp -= 2;                                                                                                    \
    if (ip[1] == OP_JUMP_IF_FALSE) { /* the usual `if`/`while` condition: skip the bool */                     \
      ip++;                                                                                                     \
      if (!r) JUMP_TO(ip[1] << 8 | ip[2]);                                                                      \
      else ip += 3;                                                                                             \
      DISPATCH();                                                                                               \
    }                                                                                                           \
    PUSH(wv_bool(r));                                                                                           \
    ip++;                                                                                                       \
    DISPATCH();                                                                                                 \
  }
    COMPARE_OP(LT, <)
    COMPARE_OP(LTE, <=)
    COMPARE_OP(GT, >)
    COMPARE_OP(GTE, >=)
    CASE(NOT) {
      WValue a = sp[-1];
      int t = wv_truthy(a);
      wv_decref(a);
      sp[-1] = wv_bool(!t);
      ip++;
      DISPATCH();
    }
    CASE(JUMP) {
      JUMP_TO(ip[1] << 8 | ip[2]);
      DISPATCH();
    }
    CASE(JUMP_IF_FALSE) {
      WValue c = POP();
      int t = truthy(c);
      wv_decref(c);
      if (!t) JUMP_TO(ip[1] << 8 | ip[2]);
      else ip += 3;
      DISPATCH();
    }
    CASE(JUMP_IF_TRUE) {
      WValue c = POP();
      int t = truthy(c);
      wv_decref(c);
      if (t) JUMP_TO(ip[1] << 8 | ip[2]);
      else ip += 3;
      DISPATCH();
    }
    CASE(PEEK_JUMP_IF_FALSE) {
      if (!truthy(sp[-1])) JUMP_TO(ip[1] << 8 | ip[2]);
      else ip += 3;
      DISPATCH();
    }
    CASE(PEEK_JUMP_IF_TRUE) {
      if (truthy(sp[-1])) JUMP_TO(ip[1] << 8 | ip[2]);
      else ip += 3;
      DISPATCH();
    }
    CASE(CALL) {
      uint8_t k = ip[1];
      int argc = ip[2];
      switch (ch->kcall_kind[k]) {
      case CALL_CALLEE: {
        WValue callee = sp[-argc - 1];
        if (callee.t != W_FUNC) ERROR("Type error: expected function, found %s", wv_type_name(callee));
        callee_fn = AS_FUNC(callee); /* the stack's reference moves to the new frame */
        call_ch = callee_fn->code;
        ret_to = sp - argc - 1;
        break;
      }
      case CALL_BUILTIN: {
        const WBuiltin *b = &wbuiltins[ch->kcall_target[k]];
        if (argc < b->min_args || argc > b->max_args) {
          wvm_arity_error(vm, b->name, b->expected, argc);
          goto error;
        }
        WValue *args = sp - argc;
        if (!b->fn) {
          /* map / filter / reduce: a frame of their own that calls f once per element. */
          if (args[0].t != W_ARR) ERROR("Type error: expected array, found %s", wv_type_name(args[0]));
          if (AS_ARR(args[0])->len == 0) {
            WValue result;
            if (b->iter_kind == ITER_REDUCE) {
              result = args[2];
              wv_incref(result);
            } else
              result = wv_obj(warr_new(0));
            for (int i = 0; i < argc; i++) wv_decref(args[i]);
            sp = args;
            PUSH(result);
            ip += 3;
            DISPATCH();
          }
          WIter *it = wmem_alloc(sizeof *it);
          it->kind = b->iter_kind;
          it->src = args[0];
          it->fn = args[1];
          it->acc = it->kind == ITER_REDUCE ? args[2] : wv_obj(warr_new(AS_ARR(args[0])->len));
          it->idx = 0;
          it->line = ch->lines[ip - ch->code];
          sp = args;
          frame->ip = ip + 3;
          WFrame *f = push_frame(vm);
          f->iter = it;
          f->base = f->floor = sp;
          frame = f;
          goto iter_next;
        }
        owned = argc > 0 && W_IS_OBJ(args[0]) && args[0].u.o->rc == 1;
        goto call_builtin_fn;
      }
      default: {
        /* CALL_NAMED: the local first; CALL_NAMED_GLOBAL: the chunk never stores the name. */
        WValue v = ch->kcall_kind[k] == CALL_NAMED ? locals[k] : wv_undef();
        if (v.t == W_UNDEF) v = *ch->kglobal[k];
        if (v.t == W_FUNC) {
          callee_fn = AS_FUNC(v);
          callee_fn->h.rc++;
          call_ch = callee_fn->code;
        } else {
          if (!ch->kcall_chunk[k]) ERROR("Undefined function: '%s'", AS_STR(ch->consts[k])->s);
          callee_fn = NULL;
          call_ch = ch->kcall_chunk[k];
        }
        ret_to = sp - argc;
        break;
      }
      }
      call_argc = argc;
      frame->ip = ip + 3;
      goto do_call;
    }
    /* A CALL of push or reverse in its update forms (wopcodes.h, W_UPDATES). */
#define CALL_UPDATE_CASE(name, OWNED)                                                           \
  CASE(name) {                                                                                  \
    int argc = ip[2];                                                                           \
    WValue *args = sp - argc;                                                                   \
    owned = argc > 0 && W_IS_OBJ(args[0]) && (OWNED);                                           \
    goto call_builtin;                                                                          \
  }
    CALL_UPDATE_CASE(CALL_STORE, owned_then_store(args[0], ch, ip, locals, IN_MAIN()))
    CALL_UPDATE_CASE(CALL_RETURN, owned_then_return(args[0], args, locals, IN_MAIN()))
    call_builtin: {
      const WBuiltin *b = &wbuiltins[ch->kcall_target[ip[1]]];
      if (ip[2] < b->min_args || ip[2] > b->max_args) {
        wvm_arity_error(vm, b->name, b->expected, ip[2]);
        goto error;
      }
    }
    call_builtin_fn: {
      /* A builtin with a C function, arity checked; `owned`: whether args[0] may change in place. */
      const WBuiltin *b = &wbuiltins[ch->kcall_target[ip[1]]];
      int argc = ip[2];
      WValue *args = sp - argc;
      WValue result;
      if (!b->fn(vm, args, argc, &result, owned)) goto error;
      for (int i = 0; i < argc; i++) wv_decref(args[i]);
      sp = args;
      PUSH(result);
      ip += 3;
      DISPATCH();
    }
    CASE(CALL_FN) {
      /* Resolved by wlink: no variable can hold the name, and the chunk takes argc parameters. */
      call_ch = ch->kcall_chunk[ip[1]];
      call_argc = ip[2];
      callee_fn = NULL;
      ret_to = sp - call_argc;
      frame->ip = ip + 3;
      goto enter_frame;
    }
    CASE(RETURN) { goto do_return; }
    CASE(RETURN_NONE) {
      PUSH(wv_none()); /* a frame always has room for one more value (frame_need) */
      goto do_return;
    }
    CASE(MAKE_CLOSURE) {
      uint32_t off = (uint32_t)(ip - ch->code);
      const WClosureSite *site = closure_site(ch, off);
      WFunc *fn = wfunc_new(site->chunk, chunks[site->chunk].name, site->ncaptures);
      fn->code = &chunks[site->chunk];
      fn->ncells = 0;
      for (uint32_t i = 0; i < site->ncaptures; i++) {
        const WCapture *cap = &site->captures[i];
        WCell *cell;
        if (cap->is_local) {
          cell = open_cell(frame, cap->gid);
          if (cell) {
            cell->h.rc++;
          } else {
            WValue v = cap->kslot >= 0 ? locals[cap->kslot] : wv_undef();
            if (v.t == W_UNDEF) v = prog->globals[cap->gid];
            if (v.t == W_UNDEF) v = wv_none();
            wv_incref(v);
            cell = wcell_new(v);
            if (frame->ncells == frame->cells_cap) {
              frame->cells_cap = (uint32_t)wmem_grow_cap(frame->cells_cap, frame->ncells + 1, sizeof(WOpenCell));
              frame->cells = wmem_realloc(frame->cells, frame->cells_cap * sizeof(WOpenCell));
            }
            frame->cells[frame->ncells].gid = cap->gid;
            frame->cells[frame->ncells++].cell = cell;
            cell->h.rc++; /* one for the frame, one for the function */
          }
        } else {
          if (!frame->closure || cap->parent >= frame->closure->ncells) {
            wv_decref(wv_obj(fn));
            ERROR_NOLINE("Internal error: upvalue in invalid state: parent upvalue slot %" PRIu64 " out of range", cap->parent);
          }
          cell = frame->closure->cells[cap->parent];
          cell->h.rc++;
        }
        fn->cells[fn->ncells++] = cell;
      }
      PUSH(wv_obj(fn));
      /* Past the descriptors (u8 is_local, u8 len, len bytes each), read from the operands: the
       * opcode byte itself may be the debugger's OP_DEBUG_HOOK. */
      const uint8_t *past = ip + 3;
      for (uint32_t k = 0; k < ip[2]; k++) past += 2 + past[1];
      ip = past;
      DISPATCH();
    }
    CASE(MAKE_ARRAY) {
      uint32_t n = ip[1];
      WArray *a = warr_new(n);
      if (n) memcpy(a->items, sp - n, n * sizeof(WValue));
      a->len = n;
      sp -= n;
      PUSH(wv_obj(a));
      ip += 2;
      DISPATCH();
    }
    CASE(MAKE_DICT) {
      uint32_t n = ip[1];
      WValue *pairs = sp - 2 * n;
      WDict *d = wdict_new(n);
      for (uint32_t i = 0; i < n; i++) {
        WString *key = wbuiltin_dict_key(vm, pairs[2 * i]);
        if (!key) {
          wv_decref(wv_obj(d));
          goto error;
        }
        wdict_set(d, key, pairs[2 * i + 1]);
        pairs[2 * i + 1] = wv_none();
      }
      for (uint32_t i = 0; i < n; i++) wv_decref(pairs[2 * i]);
      sp = pairs;
      PUSH(wv_obj(d));
      ip += 2;
      DISPATCH();
    }
    CASE(GET_INDEX) {
      WValue obj = sp[-2], idx = sp[-1], v;
      if (obj.t == W_ARR) {
        if (idx.t != W_NUM) ERROR("Array index must be a number");
        uint64_t i = wnum_usize(idx.u.n);
        WArray *a = AS_ARR(obj);
        if (i >= a->len) ERROR("Array index %" PRIu64 " out of bounds (length: %zu)", i, a->len);
        v = a->items[i];
      } else if (obj.t == W_DICT) {
        WString *key = wbuiltin_dict_key(vm, idx);
        if (!key) goto error;
        WValue *found = wdict_find(AS_DICT(obj), key);
        if (!found) {
          wvm_error(vm, "Undefined variable: 'key \"%s\" not found in dict'", key->s);
          wv_decref(wv_obj(key));
          goto error;
        }
        wv_decref(wv_obj(key));
        v = *found;
      } else
        ERROR("Type error: expected array or dict, found %s", wv_type_name(obj));
      wv_incref(v);
      wv_decref(obj);
      wv_decref(idx);
      sp -= 2;
      PUSH(v);
      ip++;
      DISPATCH();
    }
    /* SET_INDEX and its update forms: `owned` says whether the collection may change in place. */
#define SET_INDEX_CASE(name, OWNED)                                                             \
  CASE(name) {                                                                                  \
    WValue obj = sp[-3];                                                                        \
    owned = W_IS_OBJ(obj) && (OWNED);                                                           \
    goto set_index;                                                                             \
  }
    SET_INDEX_CASE(SET_INDEX, obj.u.o->rc == 1)
    SET_INDEX_CASE(SET_INDEX_STORE, owned_then_store(obj, ch, ip, locals, IN_MAIN()))
    SET_INDEX_CASE(SET_INDEX_RETURN, owned_then_return(obj, sp - 3, locals, IN_MAIN()))
    set_index: {
      WValue obj = sp[-3], idx = sp[-2], v = sp[-1];
      if (obj.t == W_ARR) {
        if (idx.t != W_NUM) ERROR("Array index must be a number");
        uint64_t i = wnum_usize(idx.u.n);
        WArray *a = AS_ARR(obj);
        if (i >= a->len) ERROR("Array index %" PRIu64 " out of bounds (length: %zu)", i, a->len);
        if (!owned) {
          a = warr_copy(a, 0);
          wv_decref(obj);
          obj = wv_obj(a);
        }
        WValue old = a->items[i];
        a->items[i] = v;
        wv_decref(old);
      } else if (obj.t == W_DICT) {
        WString *key = wbuiltin_dict_key(vm, idx);
        if (!key) goto error;
        WDict *d = AS_DICT(obj);
        if (!owned) {
          d = wdict_copy(d);
          wv_decref(obj);
          obj = wv_obj(d);
        }
        wdict_set(d, key, v);
      } else
        ERROR("Type error: expected array or dict, found %s", wv_type_name(obj));
      wv_decref(idx);
      sp -= 3;
      PUSH(obj);
      ip++;
      DISPATCH();
    }
    CASE(PRINT) {
      WValue v = sp[-1];
      if (v.t == W_STR) {
        fwrite(AS_STR(v)->s, 1, AS_STR(v)->len, stdout);
      } else if (v.t == W_NUM) {
        fwrite(num, 1, wnum_format(v.u.n, num), stdout);
      } else {
        WBuf text = {0};
        if (!format_value(vm, &text, v)) {
          wbuf_free(&text);
          goto error;
        }
        if (text.len) fwrite(text.data, 1, text.len, stdout);
        wbuf_free(&text);
      }
      putchar('\n');
      flush_if_stale();
      wv_decref(v);
      sp--;
      ip++;
      DISPATCH();
    }
    CASE(POP) {
      WValue v = POP();
      wv_decref(v);
      ip++;
      DISPATCH();
    }
    CASE(HALT) { goto finish; }
    DEFAULT_CASE {
      ERROR("Internal error: unknown opcode 0x%02x", *ip);
    }
  }

do_call:
  if (UNLIKELY(call_ch->param_count != call_argc)) {
    wvm_arity_error(vm, call_ch->name, call_ch->param_count, call_argc);
    goto error;
  }
enter_frame: {
  /* Arguments are at sp - call_argc; the result will replace everything from ret_to. The call
   * depth, the step budget and the room for the frame share one unlikely branch. */
  WChunk *cc = call_ch;
  if (UNLIKELY(--budget == 0 || vm->nframes >= WVM_MAX_CALL_DEPTH || vm->nframes == vm->frames_cap ||
               (size_t)(stack_end - sp) < cc->frame_need)) {
    if (vm->nframes >= WVM_MAX_CALL_DEPTH) ERROR("Stack overflow: more than %d nested calls", WVM_MAX_CALL_DEPTH);
    if (budget == 0) ERROR_NOLINE("Internal error: step limit reached");
    if (vm->nframes == vm->frames_cap) grow_frames(vm);
    size_t ret_off = (size_t)(ret_to - vm->stack);
    ENSURE(cc->frame_need);
    ret_to = vm->stack + ret_off;
  }
  WValue *args = sp - call_argc;
  uint32_t nslots = cc->nslots;
  if (LIKELY(cc->entry)) {
    /* The call does the parameter prologue: each argument goes straight into its parameter's
     * slot (already there when they are in order and nothing sits below them), the other slots
     * start unset, and the callee starts after its STOREs. */
    if (LIKELY(cc->params_in_place && args == ret_to)) {
      for (uint32_t i = (uint32_t)call_argc; i < nslots; i++) ret_to[i].t = W_UNDEF;
    } else {
      WValue moved[256];
      for (int i = 0; i < call_argc; i++) WV_COPY(moved[i], args[i]);
      for (uint32_t i = 0; i < nslots; i++) ret_to[i].t = W_UNDEF;
      for (int i = 0; i < call_argc; i++) WV_COPY(ret_to[cc->param_slot[i]], moved[i]);
    }
    sp = ret_to + nslots;
    ip = cc->code + cc->entry;
  } else {
    /* The arguments move up above the callee's locals, for its own code to store. */
    WValue *dst = ret_to + nslots;
    if (dst > args)
      for (int i = call_argc - 1; i >= 0; i--) dst[i] = args[i];
    else if (dst < args)
      for (int i = 0; i < call_argc; i++) dst[i] = args[i];
    for (uint32_t i = 0; i < nslots; i++) ret_to[i].t = W_UNDEF;
    sp = dst + call_argc;
    ip = cc->code;
  }
  frame = vm->frames + vm->nframes++;
  frame->ch = ch = cc;
  frame->ip = ip;
  frame->base = locals = ret_to;
  frame->floor = ret_to + nslots;
  frame->closure = callee_fn; /* cells and iter are already NULL: see grow_frames */
  SELECT_TABLE();
  DISPATCH();
}

do_return: {
  /* The value is on top. Release the frame's locals and leftovers, its closure and its open
   * cells; the value takes the frame's place on the stack. */
  WValue ret = sp[-1];
  WValue *base = frame->base;
  for (WValue *p = base; p < sp - 1; p++) wv_decref(*p);
  if (frame->closure) wv_decref(wv_obj(frame->closure));
  if (UNLIKELY(frame->cells != NULL)) {
    for (uint32_t i = 0; i < frame->ncells; i++) wv_decref(wv_obj(frame->cells[i].cell));
    free(frame->cells);
    frame->cells = NULL; /* a frame record not in use holds no cells (enter_frame relies on it) */
    frame->ncells = frame->cells_cap = 0;
  }
  if (UNLIKELY(--vm->nframes == 0)) {
    /* `return` in <main> ends the program normally (the reference crashes there). */
    wv_decref(ret);
    goto finish;
  }
  *base = ret;
  sp = base + 1;
  frame--;
  if (UNLIKELY(frame->iter != NULL)) goto iter_resume;
  ch = frame->ch;
  ip = frame->ip;
  locals = frame->base;
  SELECT_TABLE();
  DISPATCH();
}

iter_resume: {
  WIter *it = frame->iter;
  WValue v = POP();
  switch (it->kind) {
  case ITER_MAP: warr_push(AS_ARR(it->acc), v); break;
  case ITER_FILTER: {
    int keep = wv_truthy(v);
    wv_decref(v);
    if (keep) {
      WValue x = AS_ARR(it->src)->items[it->idx];
      wv_incref(x);
      warr_push(AS_ARR(it->acc), x);
    }
    break;
  }
  default: it->acc = v; break;
  }
  it->idx++;
  if (it->idx < AS_ARR(it->src)->len) goto iter_next;
  WValue result = it->acc;
  wv_decref(it->src);
  wv_decref(it->fn);
  free(it);
  frame->iter = NULL;
  sp = frame->base;
  vm->nframes--;
  PUSH(result);
  LOAD_FRAME();
  DISPATCH();
}

iter_next: {
  /* Call f on the next element; its result comes back to iter_resume. */
  WIter *it = frame->iter;
  if (it->fn.t != W_FUNC) ERROR("Type error: expected function, found %s", wv_type_name(it->fn));
  ENSURE(3);
  WValue x = AS_ARR(it->src)->items[it->idx];
  wv_incref(x);
  if (it->kind == ITER_REDUCE) {
    PUSH(it->acc);
    it->acc = wv_undef();
    call_argc = 2;
  } else
    call_argc = 1;
  PUSH(x);
  callee_fn = AS_FUNC(it->fn);
  callee_fn->h.rc++;
  call_ch = callee_fn->code;
  ret_to = sp - call_argc;
  goto do_call;
}

finish:
  fflush(stdout);
  return 0;

error:
  if (vm->dbg) wdebug_error(vm, ip);
  report_error(vm, file, ip);
  return 1;
}
