// Keystrokes in a run terminal become echo and lines of stdin, as a tty would make them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LineDiscipline, toTerminalText } from "../../src/lineDiscipline";

test("typed characters echo and Enter sends the line", () => {
  const d = new LineDiscipline();
  assert.deepEqual(d.feed("Ad"), { echo: "Ad", lines: [], interrupt: false, endOfInput: false });
  assert.deepEqual(d.feed("a\r"), { echo: "a\r\n", lines: ["Ada\n"], interrupt: false, endOfInput: false });
});

test("pasted text with several lines sends each, CRLF counting once", () => {
  const d = new LineDiscipline();
  assert.deepEqual(d.feed("one\r\ntwo\nthr").lines, ["one\n", "two\n"]);
  assert.deepEqual(d.feed("\r").lines, ["thr\n"]);
});

test("backspace removes one character, including one outside the BMP", () => {
  const d = new LineDiscipline();
  d.feed("ab😀");
  assert.equal(d.feed("\x7f").echo, "\b \b");
  assert.deepEqual(d.feed("\r").lines, ["ab\n"]);
  assert.equal(d.feed("\x7f").echo, "", "nothing to erase on an empty line");
});

test("Ctrl+C interrupts and drops the line; Ctrl+D ends input on an empty line", () => {
  const d = new LineDiscipline();
  const c = d.feed("abc\x03");
  assert.equal(c.interrupt, true);
  assert.deepEqual(c.lines, []);
  const partial = d.feed("xy\x04");
  assert.deepEqual([partial.lines, partial.endOfInput], [["xy"], false]);
  assert.equal(d.feed("\x04").endOfInput, true);
});

test("escape sequences (arrow keys) are dropped", () => {
  const d = new LineDiscipline();
  assert.equal(d.feed("a\x1b[Db\x1bOA").echo, "ab");
});

test("program output gets CRLF line ends", () => {
  assert.equal(toTerminalText("a\nb\r\nc"), "a\r\nb\r\nc");
});
