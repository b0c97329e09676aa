/* A loaded .whbc file: chunks with their constant pools, code and lines, plus what the VM
 * resolves once at load time (name slots, global ids, call targets, stack depths). */
#ifndef WPROGRAM_H
#define WPROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "wbuf.h"
#include "wvalue.h"

/* A MAKE_CLOSURE capture descriptor, resolved. */
typedef struct {
  uint8_t is_local;
  int16_t kslot;   /* is_local: the name's constant (= local slot) in this chunk, or -1 */
  uint32_t gid;    /* is_local: the name's global id */
  uint64_t parent; /* !is_local: the parent closure's cell slot */
} WCapture;

typedef struct {
  uint32_t offset; /* of the MAKE_CLOSURE instruction */
  uint32_t chunk;
  uint32_t ncaptures;
  WCapture *captures;
} WClosureSite;

/* What a CALL's name means (runtime.md §5), decided by wlink. CALL_NAMED: the frame's local, else
 * the global, else the named chunk; CALL_NAMED_GLOBAL: the same where the chunk never stores the
 * name (so it is never a local of its frames): the global, else the named chunk. */
enum { CALL_NAMED = 0, CALL_CALLEE = 1, CALL_BUILTIN = 2, CALL_NAMED_GLOBAL = 3 };

typedef struct WChunk {
  char *name; /* NUL-terminated UTF-8 */
  size_t name_len;
  uint8_t param_count;
  uint8_t upvalue_count;
  uint32_t nconst;
  WValue *consts;
  uint8_t *code;
  uint32_t code_len;
  uint32_t *lines;
  uint32_t lines_len;

  /* Resolved by wlink (only for running). Locals live in slots indexed by constant number. */
  uint32_t *kgid;        /* per constant: global id of a string constant */
  WValue **kglobal;      /* per constant: the global variable of that name */
  uint8_t *kcall_kind;   /* per constant: CALL_NAMED / CALL_CALLEE / CALL_BUILTIN / CALL_NAMED_GLOBAL */
  int32_t *kcall_target; /* per constant: builtin id, or chunk index (-1 = none) */
  struct WChunk **kcall_chunk; /* per constant: the chunk a named call of it enters (NULL = none) */
  WClosureSite *sites;
  uint32_t nsites;
  /* A frame of this chunk has nslots locals: slot k belongs to name constant k, and only names
   * the chunk STOREs get one (1 + the highest such k); the chunk reads any other name as a global. */
  uint32_t nslots;
  /* The parameter prologue: when the code starts with param_count STOREs into distinct slots,
   * the call itself puts argument i into param_slot[i] and starts the callee at `entry` (the
   * first instruction after those STOREs); entry is 0 when there is no such prologue. */
  uint32_t entry;
  uint8_t *param_slot;
  int params_in_place; /* a prologue with param_slot[i] == i: arguments pushed in order already sit there */
  uint8_t *update_store; /* per code offset of an update opcode _STORE (wopcodes.h): the name its STORE writes */
  uint32_t max_depth; /* operand stack needed above the locals, when depth_checked is 0 */
  uint32_t frame_need; /* stack a call of this chunk checks for: nslots + max_depth + 2 */
  int depth_checked;  /* 1: the static stack analysis failed; check each instruction at run time */
  void *const *dispatch; /* the interpreter's dispatch table for this chunk's frames (set when it starts) */
  uint8_t *dbg_marks; /* debug mode only (wdebug.c): per code byte, where a line step begins */
  uint8_t *dbg_orig;  /* debug mode, computed-goto builds: the opcodes replaced by OP_DEBUG_HOOK */
} WChunk;

typedef struct {
  uint32_t nchunks;
  WChunk *chunks;
  /* Globals, by interned name id (wlink). */
  uint32_t nglobals;
  WValue *globals;
  char **global_names;
} WProgram;

/* Reads the file layout (bytecode.md §1). On failure returns 0 and puts REASON into err. */
int wload(const uint8_t *data, size_t len, WProgram *p, WBuf *err);
/* The verifier (bytecode.md §3, docs/bytecode-tools.md). On failure returns 0 and REASON in err. */
int wverify(const WProgram *p, WBuf *err);
/* Static operand-stack analysis of one chunk: sets max_depth and depth_checked. */
void wverify_depths(WChunk *c, int entry_depth);
/* Values the (verified) instruction at off pops and pushes; a call counts as popping its
 * arguments (and callee) and pushing one result. */
void wstack_effect(const WChunk *c, uint32_t off, int *pops, int *pushes);
/* Resolves names for execution; the program must be verified. */
void wlink(WProgram *p);
/* The disassembly listing of a verified program. */
void wdump(const WProgram *p, WBuf *out);
/* Length in bytes of the (verified) instruction at code[off]. */
uint32_t winstr_size(const uint8_t *code, uint32_t off);

#endif
