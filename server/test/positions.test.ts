// LSP positions (0-based lines, UTF-16 characters) ↔ offsets: server/src/positions.ts, the only
// place that converts.

import { test } from "node:test";
import assert from "node:assert/strict";
import { AnalysisHost, LineIndex } from "../../compiler/src/index";
import { toEdit, toOffset, toPosition } from "../src/positions";

test("LSP positions use UTF-16 characters and invert with toOffset", () => {
  const text = "ab\ncafé😀x\r\ny";
  const li = new LineIndex(text);
  assert.deepEqual(toPosition(li, text.indexOf("x")), { line: 1, character: 6 });
  for (let o = 0; o <= text.length; o++) {
    if (o === text.indexOf("\n", 4)) continue; // between \r and \n: editors have no such position
    assert.equal(toOffset(li, toPosition(li, o)), o, `offset ${o}`);
  }
  assert.equal(toOffset(li, { line: 0, character: 99 }), 2, "clamped to the line's end");
  assert.equal(toOffset(li, { line: 1, character: 99 }), text.indexOf("\r"), "a line's end is before \\r\\n");
  assert.equal(toOffset(li, { line: 9, character: 0 }), text.length);
  assert.equal(toOffset(li, { line: -1, character: 3 }), 0);
});

test("LSP changes apply in order, with 0-based lines and UTF-16 characters", () => {
  const host = new AnalysisHost("let é = 1\nprint é\n");
  for (const c of [
    { range: { start: { line: 1, character: 6 }, end: { line: 1, character: 7 } }, text: "😀x" },
    { range: { start: { line: 1, character: 8 }, end: { line: 1, character: 9 } }, text: "" },
  ]) {
    host.applyEdit(toEdit(host.snapshot().lines, c.range, c.text));
  }
  const snap = host.snapshot();
  assert.equal(snap.text, "let é = 1\nprint 😀\n");
  assert.equal(snap.syntaxDiagnostics[0].message, "Unexpected character: '😀'");
  assert.equal(snap.syntaxDiagnostics[0].column, 7);
});
