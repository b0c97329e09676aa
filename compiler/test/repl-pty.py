#!/usr/bin/env python3
"""Drives `whispem repl` in a pseudo-terminal (compiler/test/repl.test.ts runs it in a session of its
own: `detached`): types keys, waits for expected text on the screen (never a fixed sleep), prints
the whole screen output at the end. A fresh prompt is readline's ">>> " followed by its cursor
move to column 5 (a redraw while typing writes ">>> " with the text typed so far): waiting for
the N-th fresh prompt waits until entry N-1 has run (and its names can be completed).
usage: repl-pty.py NODE CLI  (HOME is the caller's: the history file goes there)"""
import os, pty, select, sys, time

node, cli = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.execv(node, [node, cli, "repl"])

screen = b""
FRESH = ">>> \x1b[5G"
CONT = "... \x1b[5G"
def wait_for(text, count=1, timeout=20.0):
    """Reads until `text` occurs `count` times in the screen output."""
    global screen
    end = time.monotonic() + timeout
    while screen.count(text.encode()) < count:
        left = end - time.monotonic()
        if left <= 0:
            sys.stdout.write(screen.decode("utf-8", "replace"))
            sys.exit(f"timed out waiting for {text!r} x{count}")
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            if not data:
                break
            screen += data

def type_keys(keys):
    os.write(fd, keys.encode())

wait_for("Type 'exit' or press Ctrl-D to quit.")
wait_for(FRESH, 1)
type_keys("let x = 4")
wait_for("let x = 4")
type_keys("\r")
wait_for(FRESH, 2)
# Editing: a key too many removed with backspace; one inserted before the cursor (left arrow).
type_keys("print x * 100")
wait_for("print x * 100")
type_keys("\x7f")
wait_for("print x * 10")
type_keys("\r")
wait_for("40\r\n", 1)
wait_for(FRESH, 3)
type_keys("\x1b[A")  # the up arrow recalls: print x * 10
wait_for("print x * 10", 2)
type_keys("\r")
wait_for("40\r\n", 2)
wait_for(FRESH, 4)
# Tab completes a session name (xylophone) from its prefix.
type_keys("let xylophone = 7")
wait_for("let xylophone = 7")
type_keys("\r")
wait_for(FRESH, 5)
type_keys("print xyl")
wait_for("print xyl")
type_keys("\t")
wait_for("print xylophone")
type_keys("\r")
wait_for("7\r\n", 1)
wait_for(FRESH, 6)
# A block continues with '... '.
type_keys("if x > 1 {")
wait_for("if x > 1 {")
type_keys("\r")
wait_for(CONT, 1)
type_keys('print "big"')
wait_for('print "big"')
type_keys("\r")
wait_for(CONT, 2)
type_keys("}")
wait_for("}")
type_keys("\r")
wait_for("big\r\n", 1)
wait_for(FRESH, 7)
type_keys("\x04")
wait_for("Bye!")
_, status = os.waitpid(pid, 0)
sys.stdout.write(screen.decode("utf-8", "replace"))
sys.stdout.write("\n[status %d]\n" % os.waitstatus_to_exitcode(status))
