// LineIndex: reference positions (1-based, code points), LSP positions (0-based, UTF-16), their
// inverse, and the index derived after an edit equals one built from scratch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LineIndex } from "../src/text";

test("reference positions count code points; lines end at \\n only", () => {
  const text = "ab\ncafé😀x\r\ny";
  const li = new LineIndex(text);
  assert.deepEqual(li.position(0), { line: 1, column: 1 });
  assert.deepEqual(li.position(2), { line: 1, column: 3 });
  assert.deepEqual(li.position(3), { line: 2, column: 1 });
  assert.deepEqual(li.position(text.indexOf("x")), { line: 2, column: 6 }, "the emoji is one column");
  assert.deepEqual(li.position(text.indexOf("\r")), { line: 2, column: 7 });
  assert.deepEqual(li.position(text.length), { line: 3, column: 2 });
});

test("the index derived after an edit equals a fresh one", () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0), seed / 4294967296);
  let text = "one\ntwo\n\nthree\n";
  let li = new LineIndex(text);
  const pieces = ["", "\n", "x", "\n\n", "ab\ncd", "é\n"];
  for (let i = 0; i < 3000; i++) {
    const start = Math.floor(rnd() * (text.length + 1));
    const end = Math.min(text.length, start + Math.floor(rnd() * 5));
    const ins = pieces[Math.floor(rnd() * pieces.length)];
    const next = text.slice(0, start) + ins + text.slice(end);
    li = li.edited(start, end, ins, next);
    text = next;
    assert.deepEqual(li.lineStarts, new LineIndex(text).lineStarts, `step ${i}`);
  }
});
