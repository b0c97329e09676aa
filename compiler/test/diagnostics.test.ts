// The diagnostics catalogue: codes are unique and well-formed, templates fill.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Diagnostics, formatMessage, referenceText } from "../src/diagnostics";

test("every catalogue code is unique and of the form WSPnnnn", () => {
  const codes = Object.values(Diagnostics).map((d) => d.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const c of codes) assert.match(c, /^WSP\d{4}$/);
});

test("templates fill their placeholders", () => {
  assert.equal(formatMessage(Diagnostics.Expected, { expected: "')'", found: "newline" }), "Expected ')', found newline");
  assert.equal(referenceText({ line: 3, column: 7, message: "Unexpected end of file" }), "[line 3, col 7] Error: Unexpected end of file");
});
