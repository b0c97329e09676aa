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

enum { CALL_NAMED = 0, CALL_CALLEE = 1, CALL_BUILTIN = 2 };

typedef struct {
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
  uint8_t *kcall_kind;   /* per constant: CALL_NAMED / CALL_CALLEE / CALL_BUILTIN */
  int32_t *kcall_target; /* per constant: builtin id, or chunk index (-1 = none) */
  WClosureSite *sites;
  uint32_t nsites;
  uint32_t max_depth; /* operand stack needed above the locals, when depth_checked is 0 */
  int depth_checked;  /* 1: the static stack analysis failed; check each instruction at run time */
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
/* A REPL session links entry after entry with one growing table of global names. */
typedef struct WLinker WLinker;
WLinker *wlinker_new(void);
void wlinker_free(WLinker *l);
/* Links a session's new <main> (chunk 0) and its new functions [from, nchunks); older chunks'
 * calls of a name defined again now go to the new chunk. Globals keep their values. */
void wlink_more(WProgram *p, WLinker *l, uint32_t from);
/* The disassembly listing of a verified program. */
void wdump(const WProgram *p, WBuf *out);
/* Length in bytes of the (verified) instruction at code[off]. */
uint32_t winstr_size(const uint8_t *code, uint32_t off);

#endif
