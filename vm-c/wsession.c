/* The session mode's request loop: the commands every control-channel mode answers (ping,
 * terminate) and the session's own. */
#include "wsession.h"
#include "wjson.h"
#include "wmem.h"

#include "wopcodes.h"
#include "wvm.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The session: one program whose chunk 0 is the current entry's <main> and whose other chunks
 * are the functions of every entry so far (the newest of a name wins), one table of globals. */
static WProgram sess;
static uint32_t chunks_cap;
static WLinker *linker;
static WVM vm;
static WCtl *ctl;
static long running_seq;
/* Per session chunk: a hash of its bytes as loaded (before wlink rewrites them). A function sent
 * again unchanged (the editor's "run selection" twice) reuses the chunk instead of adding one. */
static uint64_t *chunk_hash;

static uint64_t mix(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
  return h;
}

/* A chunk's own bytes as loaded (before wlink rewrites them). */
static uint64_t hash_chunk(const WChunk *c) {
  uint64_t h = 14695981039346656037ull;
  h = mix(h, c->name, c->name_len);
  h = mix(h, &c->param_count, 1);
  h = mix(h, &c->upvalue_count, 1);
  h = mix(h, c->code, c->code_len);
  h = mix(h, c->lines, c->lines_len * sizeof(uint32_t));
  for (uint32_t k = 0; k < c->nconst; k++) {
    const WValue *v = &c->consts[k];
    h = mix(h, &v->t, sizeof v->t);
    if (v->t == W_STR) h = mix(h, AS_STR(*v)->s, AS_STR(*v)->len);
    else if (v->t == W_NUM) h = mix(h, &v->u.n, sizeof v->u.n);
    else if (v->t == W_BOOL) h = mix(h, &v->u.b, sizeof v->u.b);
  }
  return h;
}

/* The entry's last chunk named `name` (as wlink resolves a closure site), or 0. */
static uint32_t entry_chunk(const WProgram *e, const WString *name) {
  for (uint32_t i = e->nchunks; i-- > 1;)
    if (e->chunks[i].name_len == name->len && memcmp(e->chunks[i].name, name->s, name->len) == 0) return i;
  return 0;
}

/* Chunk i's hash with those of the functions its closures make (a lambda changed inside an
 * unchanged function changes the function's hash too). state: 0 new, 1 in progress, 2 done. */
static uint64_t deep_hash(const WProgram *e, uint32_t i, uint64_t *h, uint8_t *state) {
  if (state[i] == 2) return h[i];
  if (state[i] == 1) return 0; /* a cycle (hand-made bytecode): its own bytes are enough */
  state[i] = 1;
  const WChunk *c = &e->chunks[i];
  uint64_t d = hash_chunk(c);
  for (uint32_t off = 0; off < c->code_len; off += winstr_size(c->code, off)) {
    if (c->code[off] != OP_MAKE_CLOSURE) continue;
    uint32_t j = entry_chunk(e, AS_STR(c->consts[c->code[off + 1]]));
    uint64_t sub = j ? deep_hash(e, j, h, state) : 0;
    d = mix(d, &sub, sizeof sub);
  }
  state[i] = 2;
  return h[i] = d;
}

/* The newest session chunk named like c, or 0 (chunk 0 is <main>, never a match). */
static uint32_t newest_named(const WChunk *c) {
  for (uint32_t i = sess.nchunks; i-- > 1;)
    if (sess.chunks[i].name_len == c->name_len && memcmp(sess.chunks[i].name, c->name, c->name_len) == 0) return i;
  return 0;
}

static void reset_session(void) {
  for (uint32_t i = 0; i < sess.nchunks; i++) wchunk_free(&sess.chunks[i]);
  free(sess.chunks);
  for (uint32_t g = 0; g < sess.nglobals; g++) {
    wv_decref(sess.globals[g]);
    free(sess.global_names[g]);
  }
  free(sess.globals);
  free(sess.global_names);
  memset(&sess, 0, sizeof sess);
  chunks_cap = 0;
  wlinker_free(linker);
  linker = wlinker_new();
}

/* The chunk array moved: every closure the session can still reach points at its chunk again
 * (WFunc.code, which calls enter without an index). Between entries only the globals hold values
 * (the stack and the frames are cleared), so a walk from them finds every closure that can run;
 * a set of the objects seen stops at cycles (a closure whose cell holds itself). */
static void repoint_closures(void) {
  void **seen = NULL; /* open addressing, NULL = empty */
  size_t seen_cap = 0, seen_n = 0;
  WValue *work = NULL;
  size_t n = 0, cap = 0;
  for (uint32_t g = 0; g < sess.nglobals; g++) {
    if (n == cap) work = wmem_realloc(work, (cap = wmem_grow_cap(cap, n + 1, sizeof(WValue))) * sizeof(WValue));
    work[n++] = sess.globals[g];
  }
  while (n > 0) {
    WValue v = work[--n];
    if (v.t != W_ARR && v.t != W_DICT && v.t != W_FUNC) continue;
    void *o = v.u.o;
    if ((seen_n + 1) * 2 > seen_cap) {
      size_t ncap = seen_cap ? seen_cap * 2 : 256;
      void **grown = wmem_calloc(ncap, sizeof(void *));
      for (size_t i = 0; i < seen_cap; i++)
        if (seen[i])
          for (size_t j = ((uintptr_t)seen[i] >> 4) & (ncap - 1);; j = (j + 1) & (ncap - 1))
            if (!grown[j]) {
              grown[j] = seen[i];
              break;
            }
      free(seen);
      seen = grown;
      seen_cap = ncap;
    }
    size_t j = ((uintptr_t)o >> 4) & (seen_cap - 1);
    while (seen[j] && seen[j] != o) j = (j + 1) & (seen_cap - 1);
    if (seen[j]) continue;
    seen[j] = o;
    seen_n++;
    size_t more = v.t == W_ARR ? AS_ARR(v)->len : v.t == W_DICT ? AS_DICT(v)->len : AS_FUNC(v)->ncells;
    if (n + more > cap) work = wmem_realloc(work, (cap = wmem_grow_cap(cap, n + more, sizeof(WValue))) * sizeof(WValue));
    if (v.t == W_ARR) {
      for (size_t i = 0; i < more; i++) work[n++] = AS_ARR(v)->items[i];
    } else if (v.t == W_DICT) {
      for (size_t i = 0; i < more; i++) work[n++] = AS_DICT(v)->entries[i].val;
    } else {
      WFunc *f = AS_FUNC(v);
      f->code = &sess.chunks[f->chunk];
      for (size_t i = 0; i < more; i++) work[n++] = f->cells[i]->v;
    }
  }
  free(work);
  free(seen);
}

/* After a run (finished or stopped by an error): drop the frames and whatever the stack holds. */
static void clear_frames(void) {
  for (size_t i = 0; i < vm.nframes; i++) {
    WFrame *f = &vm.frames[i];
    if (f->closure) wv_decref(wv_obj(f->closure));
    for (uint32_t k = 0; k < f->ncells; k++) wv_decref(wv_obj(f->cells[k].cell));
    free(f->cells);
    if (f->iter) {
      wv_decref(f->iter->src);
      wv_decref(f->iter->fn);
      wv_decref(f->iter->acc);
      free(f->iter);
    }
    /* A frame record not in use holds nothing (wexec.c's enter_frame relies on it). */
    f->closure = NULL;
    f->cells = NULL;
    f->ncells = f->cells_cap = 0;
    f->iter = NULL;
  }
  vm.nframes = 0;
  if (vm.sp_end)
    for (WValue *p = vm.stack; p < vm.sp_end; p++) wv_decref(*p);
  vm.sp_end = NULL;
  vm.err.len = 0;
}

static void on_input(WVM *v) {
  (void)v;
  fflush(stdout);
  fflush(stderr);
  wctl_event(ctl, "input", NULL);
}

static void on_exit_hook(WVM *v, int status) {
  (void)v;
  fflush(stdout);
  fflush(stderr);
  char body[96];
  snprintf(body, sizeof body, "{\"outcome\":\"exit\",\"status\":%d}", status);
  wctl_respond(ctl, running_seq, 1, body, NULL);
}

/* `run {"path":P}`: load, verify, link into the session, run the entry's <main>. */
static void run_entry(long seq, const char *args) {
  WBuf path = {0}, err = {0}, data = {0};
  WProgram e;
  memset(&e, 0, sizeof e);
  if (!wjson_string(wjson_find(args, "path"), &path)) {
    wctl_respond(ctl, seq, 0, NULL, "run needs arguments {\"path\":\"ENTRY.whbc\"}");
    goto done;
  }
  int rc = wbuf_read_file(&data, path.data);
  if (rc) {
    wbuf_printf(&err, "Cannot read '%s': %s", path.data, strerror(rc));
    wctl_respond(ctl, seq, 0, NULL, err.data);
    goto done;
  }
  if (!wload((const uint8_t *)(data.data ? data.data : ""), data.len, &e, &err) || !wverify(&e, &err)) {
    WBuf msg = {0};
    wbuf_printf(&msg, "Invalid bytecode: %s", err.data ? err.data : "");
    wctl_respond(ctl, seq, 0, NULL, msg.data);
    wbuf_free(&msg);
    for (uint32_t i = 0; i < e.nchunks; i++) wchunk_free(&e.chunks[i]);
    free(e.chunks);
    goto done;
  }
  uint64_t *h = wmem_calloc(e.nchunks, sizeof(uint64_t));
  uint8_t *state = wmem_calloc(e.nchunks, 1);
  for (uint32_t i = 1; i < e.nchunks; i++) deep_hash(&e, i, h, state);
  /* The entry's <main> replaces chunk 0; its functions are appended (the array moves only when
   * it doubles: then the closures, and wlink_more the linked pointers, are set again). */
  int moved = 0;
  if (sess.nchunks == 0) sess.nchunks = 1;
  else wchunk_free(&sess.chunks[0]);
  uint32_t from = sess.nchunks;
  if (sess.nchunks + e.nchunks - 1 > chunks_cap || !sess.chunks) {
    uint32_t cap = chunks_cap ? chunks_cap : 16;
    while (cap < sess.nchunks + e.nchunks - 1) cap *= 2;
    sess.chunks = wmem_realloc(sess.chunks, cap * sizeof(WChunk));
    chunk_hash = wmem_realloc(chunk_hash, cap * sizeof(uint64_t));
    chunks_cap = cap;
    moved = 1;
    repoint_closures();
  }
  sess.chunks[0] = e.chunks[0];
  for (uint32_t i = 1; i < e.nchunks; i++) {
    uint32_t same = newest_named(&e.chunks[i]);
    if (same >= 1 && same < from && chunk_hash[same] == h[i]) {
      wchunk_free(&e.chunks[i]); /* unchanged: calls by name already reach the session's copy */
      continue;
    }
    chunk_hash[sess.nchunks] = h[i];
    sess.chunks[sess.nchunks++] = e.chunks[i];
  }
  free(h);
  free(state);
  free(e.chunks);
  wlink_more(&sess, linker, from, moved);
  vm.prog = &sess;
  running_seq = seq;
  int status = wvm_run(&vm, NULL);
  clear_frames();
  fflush(stdout);
  fflush(stderr);
  wctl_respond(ctl, seq, 1, status ? "{\"outcome\":\"error\",\"status\":1}" : "{\"outcome\":\"ok\",\"status\":0}", NULL);
done:
  wbuf_free(&path);
  wbuf_free(&err);
  wbuf_free(&data);
}

int wsession_serve(WCtl *c) {
  WBuf line = {0}, command = {0};
  ctl = c;
  linker = wlinker_new();
  vm.budget = UINT64_MAX;
  vm.on_input = on_input;
  vm.on_exit = on_exit_hook;
  int status = 0;
  for (;;) {
    int r = wctl_recv(c, &line, -1);
    if (r < 0) break;
    if (r == 0) continue;
    double seqn = 0;
    const char *text = line.data ? line.data : "";
    if (!wjson_number(wjson_find(text, "seq"), &seqn) || !wjson_string(wjson_find(text, "command"), &command)) {
      wctl_respond(c, (long)seqn, 0, NULL, "not a request: expected {\"seq\":N,\"command\":\"...\"}");
      continue;
    }
    long seq = (long)seqn;
    if (strcmp(command.data, "ping") == 0) {
      wctl_respond(c, seq, 1, "{\"protocol\":1,\"mode\":\"session\"}", NULL);
    } else if (strcmp(command.data, "run") == 0) {
      const char *args = wjson_find(text, "arguments");
      run_entry(seq, args ? args : "{}");
    } else if (strcmp(command.data, "reset") == 0) {
      reset_session();
      wctl_respond(c, seq, 1, NULL, NULL);
    } else if (strcmp(command.data, "terminate") == 0) {
      fflush(stdout);
      fflush(stderr);
      wctl_respond(c, seq, 1, NULL, NULL);
      break;
    } else {
      WBuf msg = {0};
      wbuf_printf(&msg, "unknown command '%s'", command.data);
      wctl_respond(c, seq, 0, NULL, msg.data);
      wbuf_free(&msg);
    }
  }
  wbuf_free(&line);
  wbuf_free(&command);
  return status;
}
