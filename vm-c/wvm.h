/* The virtual machine's state: the program, one operand stack shared by all frames (each frame's
 * locals sit at its base), the frames, and the error being reported. */
#ifndef WVM_H
#define WVM_H

#include <stdint.h>

#include "wprogram.h"

/* The deepest call nesting allowed (runtime.md §5 asks for at least 100 000). */
#define WVM_MAX_CALL_DEPTH 1000000
/* The operand stack never grows beyond this many values. */
#define WVM_MAX_STACK ((size_t)1 << 26)

enum { ITER_MAP, ITER_FILTER, ITER_REDUCE };

/* The state of a map/filter/reduce call: it runs as a frame of its own, so calling f never
 * nests the C interpreter. */
typedef struct {
  int kind;
  WValue src;  /* the array */
  WValue fn;   /* the function */
  WValue acc;  /* map/filter: the result array; reduce: the accumulator (undefined while f runs) */
  size_t idx;
  uint32_t line; /* of the CALL */
} WIter;

typedef struct {
  uint32_t gid;
  WCell *cell;
} WOpenCell;

typedef struct {
  WChunk *ch;        /* NULL for a map/filter/reduce frame */
  const uint8_t *ip; /* where the frame resumes (saved while another frame runs) */
  WValue *base;      /* the frame's locals start here; its result replaces everything from here */
  WValue *floor;     /* the bottom of the frame's operands (base + locals) */
  WFunc *closure;    /* owned; NULL for <main> and named functions */
  WOpenCell *cells;  /* the frame's open cells by name */
  uint32_t ncells, cells_cap;
  WIter *iter;
} WFrame;

typedef struct WVM {
  WProgram *prog;
  WValue *stack;
  size_t stack_cap;
  WFrame *frames;
  size_t nframes, frames_cap;
  int argc;
  char **argv;
  uint64_t budget; /* backward jumps and calls left before a hidden step limit stops the run */
  WBuf err;
  int err_has_line;
  struct WDebug *dbg; /* set only in debug mode (wdebug.c): every instruction then goes through its hook */
} WVM;

/* Builtins (wbuiltin.c). */
typedef int (*WBuiltinFn)(WVM *vm, WValue *args, int argc, WValue *out, int owned);
typedef struct {
  const char *name;
  int min_args, max_args, expected; /* expected: the count an arity error names */
  WBuiltinFn fn;                    /* NULL: map/filter/reduce, run by the interpreter */
  int iter_kind;
} WBuiltin;

extern const WBuiltin wbuiltins[];
extern const int wbuiltin_count;
int wbuiltin_find(const char *name, size_t len);
/* Whether builtin `id` changes args[0] in place when it is owned (push, reverse). */
int wbuiltin_updates_in_place(int id);

/* Records an error message (with the current line); returns 0. */
int wvm_error(WVM *vm, const char *fmt, ...) W_PRINTF(2, 3);
/* Records an error message that carries no line; returns 0. */
int wvm_error_noline(WVM *vm, const char *fmt, ...) W_PRINTF(2, 3);
int wvm_arity_error(WVM *vm, const char *name, int expected, int got);

/* Runs the program. Returns the exit status; an error is written to stderr as
 * "FILE: [line L, col 0] Error: MESSAGE" followed by the call trace. */
int wvm_run(WVM *vm, const char *file);

#endif
