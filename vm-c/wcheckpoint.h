/* Checkpoints of a debug session (POSIX): fork()ed copies of the VM process, taken every few tens
 * of milliseconds of running time. Each one connects to the controller on a control connection
 * of its own and waits there; reverse execution resumes the nearest earlier one (it forks again:
 * the checkpoint stays for the next time) instead of re-running the program from its start.
 * docs/vm-protocol.md, "Checkpoints". Windows and WebAssembly builds take none: the controller
 * then re-runs from the start. */
#ifndef WCHECKPOINT_H
#define WCHECKPOINT_H

#include <stdint.h>

#include "wctl.h"

/* Whether this build can take checkpoints (fork). */
int wckpt_supported(void);

/* Starts a session's checkpoints: one every `every_ms` ms of running time (0: none by time, the
 * caller takes them by line steps; again: a new period).
 * spec is the control spec (PORT:TOKEN) the checkpoints connect with; *live is this process's
 * control connection (the variable itself: a resumed process gets a new one there). From here on,
 * a process of the session waits for its checkpoint children before it exits, so none is left
 * behind and none becomes an orphan. */
void wckpt_start(const char *spec, WCtl **live, int every_ms);

/* The program stops (time stopped does not count as running time) / runs again. */
void wckpt_pause(void);
void wckpt_run(void);

/* Whether a checkpoint is due. Cheap (a clock read): called every few thousand line steps. */
int wckpt_due(void);

/* Takes a checkpoint at line step `steps`, with reads[0] input() lines and reads[1] read_file()
 * texts read so far. Returns 0 in the live process (the controller has been told: event
 * "checkpoint"); 1 in a process resumed from the checkpoint, later (its new connection is in
 * *live, and the controller has had its "resumed" event); -1 when fork failed (no more are taken). */
int wckpt_take(uint64_t steps, const uint64_t reads[2]);

#endif
