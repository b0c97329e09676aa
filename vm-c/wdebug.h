/* The debug mode (wvm --control PORT:TOKEN --debug FILE.whbc ARGS…): breakpoints, stepping by
 * source line, the stack, values read in pages, set variable, stop on a runtime error; commands
 * and events on the control channel (docs/vm-protocol.md, "Debug commands"). */
#ifndef WDEBUG_H
#define WDEBUG_H

#include <stdint.h>

#include "wctl.h"
#include "wvm.h"

typedef struct WDebug WDebug;

/* Marks where line steps begin in every chunk; before wlink (it reads the original code). */
void wdebug_mark(WProgram *p);
/* The byte that replaces the opcode where a line step begins, so that only those instructions
 * reach the hook (an invalid opcode otherwise; the verifier never lets it through). */
#define OP_DEBUG_HOOK 0xFE
/* After wlink: replaces the opcodes at line-step starts by OP_DEBUG_HOOK (computed-goto builds,
 * chunks not run on the checked path); the others reach the hook through the checked path. */
void wdebug_patch(WProgram *p);
/* Starts a debug session on vm over ctl (opened with spec, PORT:TOKEN, which checkpoints also
 * connect with); the program stays stopped until configurationDone. */
WDebug *wdebug_new(WVM *vm, WCtl *ctl, const char *spec);
/* Answers the controller's set-up requests (breakpoints) until configurationDone. */
void wdebug_configure(WVM *vm);
/* At every instruction that begins a line step (WChunk.dbg_marks) while debugging. */
void wdebug_hook(WVM *vm, const uint8_t *ip);
/* A runtime error is about to be reported: stop with it until the controller resumes. */
void wdebug_error(WVM *vm, const uint8_t *ip);
/* The program ended with this exit status: says so and closes the channel. */
void wdebug_end(WVM *vm, int status);

/* Reverse execution (the controller re-runs to a step): recorded inputs are fed back and the
 * run's effects are suppressed until the target step. */
/* kind is "input" or "read_file". 1 and the recorded text in out when one is queued (replay). */
int wdebug_replayed(WVM *vm, const char *kind, WBuf *out);
/* Tells the controller what the program just read (kind as above), to replay it later. */
void wdebug_record(WVM *vm, const char *kind, const char *text, size_t len);
/* 1 while re-running to a step: write_file and write_hex do nothing, output goes nowhere. */
int wdebug_muted(WVM *vm);

#endif
