/* Values and heap objects. Objects are reference counted, so a collection or string that
 * nothing else holds can be changed in place while keeping the language's value semantics. */
#ifndef WVALUE_H
#define WVALUE_H

#include <stddef.h>
#include <stdint.h>

#include "wbuf.h"

typedef enum {
  W_UNDEF, /* not a language value: an unset variable slot */
  W_NONE,
  W_BOOL,
  W_NUM,
  W_STR, /* from here on: heap objects */
  W_ARR,
  W_DICT,
  W_FUNC,
  W_CELL /* not a language value: a captured variable's cell */
} WType;

typedef struct WObj {
  uint32_t rc;
  uint8_t type;
  uint8_t gc; /* the cycle collector's color (wcycle.c): 0 outside a collection */
} WObj;

typedef struct {
  uint64_t t; /* a whole word: written and read at one width, so a store forwards to the next load */
  union {
    double n;
    int b;
    WObj *o;
  } u;
} WValue;

typedef struct {
  WObj h;
  uint32_t hash; /* 0 = not computed yet */
  size_t len, cap;
  size_t nchars; /* code points; == len when the text is ASCII */
  char *s;       /* NUL-terminated UTF-8: inline below, or its own block once grown */
  int owns_block; /* s was malloc'd on its own */
  char inline_text[];
} WString;

typedef struct {
  WObj h;
  size_t len, cap;
  WValue *items;
} WArray;

typedef struct {
  WString *key;
  WValue val;
} WDictEntry;

typedef struct {
  uint32_t hash;  /* the key's hash, compared before the key is touched */
  uint32_t entry; /* entry number + 1; 0 = empty */
} WDictSlot;

typedef struct {
  WObj h;
  size_t len, cap;       /* entries, in insertion order */
  WDictEntry *entries;
  WDictSlot *slots;       /* open-addressing index */
  size_t nslots;          /* power of two */
} WDict;

typedef struct WCell {
  WObj h;
  WValue v;
  struct WCell *gc_prev, *gc_next; /* the cycle collector's list of live cells (wcycle.c) */
} WCell;

typedef struct {
  WObj h;
  uint32_t chunk;
  uint32_t ncells;
  const char *name; /* the chunk's name, owned by the loaded program */
  struct WChunk *code; /* that chunk (set by MAKE_CLOSURE), which a call enters */
  WCell *cells[];
} WFunc;

#define W_IS_OBJ(v) ((v).t >= W_STR)
#define AS_STR(v) ((WString *)(v).u.o)
#define AS_ARR(v) ((WArray *)(v).u.o)
#define AS_DICT(v) ((WDict *)(v).u.o)
#define AS_FUNC(v) ((WFunc *)(v).u.o)

static inline WValue wv_num(double n) { WValue v; v.t = W_NUM; v.u.n = n; return v; }
static inline WValue wv_bool(int b) { WValue v; v.t = W_BOOL; v.u.b = b != 0; return v; }
static inline WValue wv_none(void) { WValue v; v.t = W_NONE; v.u.o = NULL; return v; }
static inline WValue wv_undef(void) { WValue v; v.t = W_UNDEF; v.u.o = NULL; return v; }
static inline WValue wv_obj(void *o) { WValue v; v.t = ((WObj *)o)->type; v.u.o = (WObj *)o; return v; }

/* Copies a value field by field. Values are mostly written field by field; reading them back at
 * the same widths lets the store buffer forward the data (a wider load would wait). */
#define WV_COPY(dst, src)   \
  do {                      \
    (dst).t = (src).t;      \
    (dst).u = (src).u;      \
  } while (0)

void wobj_release(WObj *o); /* frees o and everything only it held (iteratively, no deep recursion) */

static inline void wv_incref(WValue v) { if (W_IS_OBJ(v)) v.u.o->rc++; }
static inline void wv_decref(WValue v) {
  if (W_IS_OBJ(v) && --v.u.o->rc == 0) wobj_release(v.u.o);
}

/* Values */
const char *wv_type_name(WValue v);
int wv_truthy(WValue v);
int wv_equal(WValue a, WValue b);
/* format(v) appended to b; returns 0 when the value nests too deeply to print. */
int wv_format(WBuf *b, WValue v);

/* Strings */
WString *wstr_new(const char *s, size_t len);           /* copies; s must be valid UTF-8 */
WString *wstr_take(char *s, size_t len, size_t cap);     /* adopts a malloc'd buffer */
void wstr_append(WString *str, const char *s, size_t len); /* in place: only when unshared */
uint32_t wstr_hash(WString *s);
size_t wutf8_count(const char *s, size_t len);
/* Byte offset of code point i (i ≤ nchars). */
size_t wstr_offset_of_char(const WString *s, size_t i);
int wutf8_valid(const unsigned char *s, size_t len);

/* Arrays */
WArray *warr_new(size_t cap);
WArray *warr_copy(const WArray *a, size_t extra_cap);
void warr_push(WArray *a, WValue v); /* takes the reference */

/* Dicts: keys are strings */
WDict *wdict_new(size_t cap);
WDict *wdict_copy(const WDict *d);
WValue *wdict_find(WDict *d, WString *key);
void wdict_set(WDict *d, WString *key, WValue v); /* takes both references */
/* Entries sorted by key bytes (for keys() and values()); caller frees the array. */
WDictEntry **wdict_sorted(const WDict *d);

/* Functions and cells */
WFunc *wfunc_new(uint32_t chunk, const char *name, uint32_t ncells);
WCell *wcell_new(WValue v); /* takes the reference */

#endif
