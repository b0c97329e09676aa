// The VM's stderr (runtime.md §8) read back into a message and a source line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRuntimeError, renameFileInOutput } from "../../src/runtimeError";

const FILE = "/tmp/whispem-run-x/prog.whbc";

test("an error with a line names that line", () => {
  const e = parseRuntimeError(`${FILE}: [line 5, col 0] Error: Array index 5 out of bounds (length: 2)\n  at <main> (line 5)\n`, FILE);
  assert.deepEqual(e, { message: "Array index 5 out of bounds (length: 2)", line: 5, text: "[line 5, col 0] Error: Array index 5 out of bounds (length: 2)" });
});

test("an error without a line takes the innermost frame of the trace", () => {
  const e = parseRuntimeError(`${FILE}: Error: Division by zero\n  at divide (line 3)\n  at <main> (line 9)\n`, FILE);
  assert.equal(e?.line, 3);
  assert.equal(e?.message, "Division by zero");
});

test("an error with neither line nor trace has no line", () => {
  const e = parseRuntimeError(`${FILE}: Error: Invalid bytecode: truncated chunk\n`, FILE);
  assert.deepEqual(e, { message: "Invalid bytecode: truncated chunk", line: null, text: "Error: Invalid bytecode: truncated chunk" });
});

test("messages keep their colons, brackets and quotes", () => {
  const e = parseRuntimeError(`${FILE}: [line 3, col 0] Error: Undefined variable: 'key "missing" not found in dict'\n`, FILE);
  assert.equal(e?.message, `Undefined variable: 'key "missing" not found in dict'`);
});

test("stderr that is not a runtime error of this file is not one", () => {
  assert.equal(parseRuntimeError(`Cannot read '${FILE}': No such file or directory\n`, FILE), null);
  assert.equal(parseRuntimeError(`/other.whbc: [line 1, col 0] Error: x\n`, FILE), null);
  assert.equal(parseRuntimeError("", FILE), null);
});

test("the bytecode path is replaced by the source path at line starts only", () => {
  const out = renameFileInOutput(`${FILE}: [line 2, col 0] Error: boom\nprinted ${FILE}: not a prefix\n`, FILE, "/w/prog.wsp");
  assert.equal(out, `/w/prog.wsp: [line 2, col 0] Error: boom\nprinted ${FILE}: not a prefix\n`);
});
