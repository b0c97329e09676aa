/* Checkpoints of a debug session (see wcheckpoint.h and docs/vm-protocol.md "Checkpoints").
 *
 * The process tree: the live process (the one running the program, the only one that talks on
 * the live connection) forks a checkpoint every `every_ms` ms of running time. The checkpoint
 * closes its copy of the live connection at once (close, not shutdown: the live process's stays
 * open) and never reads it; it opens a connection of its own and waits there. `resume` makes it
 * fork again: that child becomes a live process (its own connection, greeted with "resumed"),
 * and the checkpoint keeps waiting, to be resumed again later. A checkpoint ends when its
 * connection closes (the controller thinned it, the session ended, or the controller died).
 *
 * Cleanup: SIGCHLD is ignored, so ended children are reaped by the system (no zombies), and
 * every process of the session waits for its children before it ends (at exit, after closing its
 * connection so that the controller knows), so no checkpoint outlives its parent as an orphan.
 * Output: stdout and stderr are flushed before each fork (a copy would write the buffer again);
 * stdin is unbuffered in debug mode (wdebug.c), so no copy holds lines another one already read.
 * All processes share the program's terminal or pipes; only a live process writes to them. */
#include "wcheckpoint.h"

#if defined(_WIN32) || defined(__wasi__)
/* No fork(): reverse execution re-runs the program from its start. */
int wckpt_supported(void) { return 0; }
void wckpt_start(const char *spec, WCtl **live, int every_ms) { (void)spec, (void)live, (void)every_ms; }
void wckpt_pause(void) {}
void wckpt_run(void) {}
int wckpt_due(void) { return 0; }
int wckpt_take(uint64_t steps, const uint64_t reads[2]) {
  (void)steps, (void)reads;
  return -1;
}
#else
#include "wjson.h"
#include "wplatform.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static struct {
  char *spec;
  WCtl **live;
  int every_ms;
  int started, failed;
  long long ran_ms; /* running time since the last checkpoint, up to `since` */
  long long since;  /* when the program last started running; -1 while stopped */
} ck = {NULL, NULL, 0, 0, 0, 0, -1};

int wckpt_supported(void) { return 1; }

static void wait_children(void) {
  for (;;) {
    pid_t r = wait(NULL);
    if (r > 0 || (r < 0 && errno == EINTR)) continue;
    return; /* ECHILD: none left (with SIGCHLD ignored, wait returns only then) */
  }
}

/* At exit (the program's end, exit(), a disconnect): the output first, then the connection closes
 * (the controller learns that this process is done and ends its checkpoints), then the children. */
static void at_exit(void) {
  fflush(stdout);
  fflush(stderr);
  if (ck.live && *ck.live) {
    wctl_close(*ck.live);
    *ck.live = NULL;
  }
  wait_children();
}

void wckpt_start(const char *spec, WCtl **live, int every_ms) {
  ck.every_ms = every_ms > 0 ? every_ms : 0;
  ck.ran_ms = ck.every_ms; /* the first one is due at once */
  ck.since = wplat_now_ms();
  if (ck.started) return;
  ck.started = 1;
  ck.spec = strdup(spec);
  ck.live = live;
  signal(SIGCHLD, SIG_IGN); /* ended children are reaped by the system */
  atexit(at_exit);
}

void wckpt_pause(void) {
  if (ck.since < 0) return;
  ck.ran_ms += wplat_now_ms() - ck.since;
  ck.since = -1;
}

void wckpt_run(void) {
  if (ck.since < 0) ck.since = wplat_now_ms();
}

int wckpt_due(void) {
  if (!ck.every_ms || ck.failed || !ck.live || !*ck.live || ck.since < 0) return 0;
  return ck.ran_ms + (wplat_now_ms() - ck.since) >= ck.every_ms;
}

static int send_checkpoint(WCtl *c, long pid, uint64_t steps) {
  WBuf m = {0};
  wbuf_printf(&m, "{\"event\":\"checkpoint\",\"body\":{\"pid\":%ld,\"steps\":%llu}}", pid, (unsigned long long)steps);
  int r = wctl_send(c, m.data, m.len);
  wbuf_free(&m);
  return r;
}

static void respond(WCtl *c, double seq, const char *body_or_null, const char *error) {
  WBuf m = {0};
  if (error) {
    wbuf_printf(&m, "{\"request_seq\":%.0f,\"success\":false,\"message\":", seq);
    wjson_put_string(&m, error, strlen(error));
    wbuf_putc(&m, '}');
  } else {
    wbuf_printf(&m, "{\"request_seq\":%.0f,\"success\":true,\"body\":{%s}}", seq, body_or_null ? body_or_null : "");
  }
  wctl_send(c, m.data, m.len);
  wbuf_free(&m);
}

/* The checkpoint's life: waits on its own connection for resume (returns 1 in the resumed
 * child) or its end (never returns). */
static int serve(uint64_t steps, const uint64_t reads[2]) {
  wctl_close(*ck.live); /* this copy only: the live process's connection stays open */
  *ck.live = NULL;
  WBuf err = {0}, line = {0}, cmd = {0};
  WCtl *c = wctl_open(ck.spec, &err);
  if (!c || send_checkpoint(c, (long)getpid(), steps) != 0) _exit(0); /* the controller is gone */
  for (;;) {
    int r = wctl_recv(c, &line, -1);
    if (r < 0) break;
    if (r == 0) continue;
    double seq = 0;
    wjson_number(wjson_find(line.data, "seq"), &seq);
    if (!wjson_string(wjson_find(line.data, "command"), &cmd)) {
      respond(c, seq, NULL, "a request needs a command");
      continue;
    }
    if (strcmp(cmd.data, "resume") == 0) {
      pid_t child = fork();
      if (child == 0) {
        wctl_close(c);
        WCtl *mine = wctl_open(ck.spec, &err);
        if (!mine) _exit(1);
        *ck.live = mine;
        WBuf m = {0};
        wbuf_printf(&m, "{\"event\":\"resumed\",\"body\":{\"steps\":%llu,\"reads\":{\"input\":%llu,\"read_file\":%llu}}}",
                    (unsigned long long)steps, (unsigned long long)reads[0], (unsigned long long)reads[1]);
        int sent = wctl_send(mine, m.data, m.len);
        wbuf_free(&m);
        wbuf_free(&line);
        wbuf_free(&cmd);
        if (sent != 0) exit(1);
        ck.ran_ms = 0;
        ck.since = -1; /* stopped until the controller resumes it */
        return 1;
      }
      if (child < 0) {
        respond(c, seq, NULL, strerror(errno));
      } else {
        char body[48];
        snprintf(body, sizeof body, "\"pid\":%ld", (long)child);
        respond(c, seq, body, NULL);
      }
    } else if (strcmp(cmd.data, "disconnect") == 0) {
      respond(c, seq, NULL, NULL);
      break;
    } else {
      respond(c, seq, NULL, "a checkpoint answers resume and disconnect only");
    }
  }
  wctl_close(c);
  wait_children();
  _exit(0);
}

int wckpt_take(uint64_t steps, const uint64_t reads[2]) {
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    ck.failed = 1; /* out of processes or memory: the session goes on without more */
    return -1;
  }
  if (pid == 0) return serve(steps, reads);
  ck.ran_ms = 0;
  ck.since = wplat_now_ms();
  send_checkpoint(*ck.live, (long)pid, steps); /* a closed channel shows at the next receive */
  return 0;
}
#endif
