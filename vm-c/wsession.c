/* The session mode's request loop: the commands every control-channel mode answers (ping,
 * terminate) and the session's own. */
#include "wsession.h"
#include "wjson.h"
#include "wmem.h"

#include "wvm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The session: one program whose chunk 0 is the current entry's <main> and whose other chunks
 * are the functions of every entry so far (the newest of a name wins), one table of globals. */
static WProgram sess;
static WLinker *linker;
static WVM vm;
static WCtl *ctl;
static long running_seq;
/* Per session chunk: a hash of its bytes as loaded (before wlink rewrites them). A function sent
 * again unchanged (the editor's "run selection" twice) reuses the chunk instead of adding one. */
static uint64_t *chunk_hash;
static uint32_t chunk_hash_cap;

static uint64_t mix(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
  return h;
}

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

/* The newest session chunk named like c, or 0 (chunk 0 is <main>, never a match). */
static uint32_t newest_named(const WChunk *c) {
  for (uint32_t i = sess.nchunks; i-- > 1;)
    if (sess.chunks[i].name_len == c->name_len && memcmp(sess.chunks[i].name, c->name, c->name_len) == 0) return i;
  return 0;
}

static void free_chunk(WChunk *c) {
  for (uint32_t k = 0; k < c->nconst; k++) wv_decref(c->consts[k]);
  free(c->name);
  free(c->consts);
  free(c->code);
  free(c->lines);
  free(c->kgid);
  free(c->kglobal);
  free(c->kcall_kind);
  free(c->kcall_target);
  for (uint32_t s = 0; s < c->nsites; s++) free(c->sites[s].captures);
  free(c->sites);
  memset(c, 0, sizeof *c);
}

static void reset_session(void) {
  for (uint32_t i = 0; i < sess.nchunks; i++) free_chunk(&sess.chunks[i]);
  free(sess.chunks);
  for (uint32_t g = 0; g < sess.nglobals; g++) {
    wv_decref(sess.globals[g]);
    free(sess.global_names[g]);
  }
  free(sess.globals);
  free(sess.global_names);
  memset(&sess, 0, sizeof sess);
  wlinker_free(linker);
  linker = wlinker_new();
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
static void run_entry(long seq, const char *args, size_t args_len) {
  WBuf path = {0}, err = {0}, data = {0};
  WProgram e;
  memset(&e, 0, sizeof e);
  if (!wjson_get_string(args, args_len, "path", &path)) {
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
    for (uint32_t i = 0; i < e.nchunks; i++) free_chunk(&e.chunks[i]);
    free(e.chunks);
    goto done;
  }
  /* The entry's <main> replaces chunk 0; its functions are appended. */
  if (sess.nchunks == 0) {
    sess.chunks = wmem_calloc(1, sizeof(WChunk));
    sess.nchunks = 1;
  } else
    free_chunk(&sess.chunks[0]);
  uint32_t from = sess.nchunks;
  sess.chunks = wmem_realloc(sess.chunks, (sess.nchunks + e.nchunks - 1) * sizeof(WChunk));
  sess.chunks[0] = e.chunks[0];
  for (uint32_t i = 1; i < e.nchunks; i++) {
    uint64_t h = hash_chunk(&e.chunks[i]);
    uint32_t same = newest_named(&e.chunks[i]);
    if (same >= 1 && same < from && chunk_hash[same] == h) {
      free_chunk(&e.chunks[i]); /* unchanged: calls by name already reach the session's copy */
      continue;
    }
    if (sess.nchunks >= chunk_hash_cap) {
      chunk_hash_cap = chunk_hash_cap ? chunk_hash_cap * 2 : 64;
      chunk_hash = wmem_realloc(chunk_hash, chunk_hash_cap * sizeof(uint64_t));
    }
    chunk_hash[sess.nchunks] = h;
    sess.chunks[sess.nchunks++] = e.chunks[i];
  }
  free(e.chunks);
  wlink_more(&sess, linker, from);
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

int wctl_parse_request(const char *line, size_t len, long *seq, WBuf *command) {
  double s;
  command->len = 0;
  if (!wjson_get_number(line, len, "seq", &s)) return 0;
  *seq = (long)s;
  return wjson_get_string(line, len, "command", command);
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
    long seq = 0;
    if (!wctl_parse_request(line.data, line.len, &seq, &command)) {
      wctl_respond(c, seq, 0, NULL, "not a request: expected {\"seq\":N,\"command\":\"...\"}");
      continue;
    }
    if (strcmp(command.data, "ping") == 0) {
      wctl_respond(c, seq, 1, "{\"protocol\":1,\"mode\":\"session\"}", NULL);
    } else if (strcmp(command.data, "run") == 0) {
      const char *args = "{}";
      size_t args_len = 2;
      wjson_find(line.data, line.len, "arguments", &args, &args_len);
      run_entry(seq, args, args_len);
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
