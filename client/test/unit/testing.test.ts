// The Testing view's plain logic: which files are tests, and the verdict of a finished run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { callsAssert, classify, expectedCandidates, isExpectedFile, programNameOf } from "../../src/testing/discovery";
import { firstDifferentLine, verdict } from "../../src/testing/verdict";

const root = join("/", "ws");

test("expected output: NAME.expected beside, then tests/expected/NAME.txt in the program's folder, then the workspace's", () => {
  assert.deepEqual(expectedCandidates(join(root, "examples", "fib.wsp"), root), [
    join(root, "examples", "fib.expected"),
    join(root, "examples", "tests", "expected", "fib.txt"),
    join(root, "tests", "expected", "fib.txt"),
  ]);
  assert.deepEqual(expectedCandidates(join(root, "fib.wsp"), root), [join(root, "fib.expected"), join(root, "tests", "expected", "fib.txt")]);
  assert.ok(isExpectedFile(join(root, "tests", "expected", "fib.txt")));
  assert.ok(isExpectedFile(join(root, "a", "fib.expected")));
  assert.ok(!isExpectedFile(join(root, "notes", "fib.txt")));
  assert.ok(!isExpectedFile(join(root, "expected", "fib.txt")));
  assert.equal(programNameOf(join(root, "tests", "expected", "fib.txt")), "fib.wsp");
  assert.equal(programNameOf(join(root, "fib.expected")), "fib.wsp");
});

test("assert tests: test_*.wsp calling assert( in code, not in a comment or a string", async () => {
  assert.ok(callsAssert('let x = 1\nassert(x == 1, "one")\n'));
  assert.ok(callsAssert("if true { assert (false) }"));
  assert.ok(!callsAssert('# assert(x)\nprint "assert(y)"\n'));
  assert.ok(!callsAssert("let my_assert = 1\nprint reassert\n"));
  const none = () => false;
  const text = (t: string) => () => Promise.resolve(t);
  assert.deepEqual(await classify(join(root, "test_a.wsp"), root, none, text("assert(true)")), { kind: "assert" });
  assert.equal(await classify(join(root, "test_a.wsp"), root, none, text("print 1")), null);
  assert.equal(await classify(join(root, "a.wsp"), root, none, text("assert(true)")), null, "the name must start with test_");
  assert.equal(await classify(join(root, "test_a.wsp"), root, none, () => Promise.reject(new Error("gone"))), null);
  const expected = join(root, "tests", "expected", "a.txt");
  assert.deepEqual(await classify(join(root, "sub", "a.wsp"), root, (p) => p === expected, text("")), { kind: "expected", expectedPath: expected });
});

const exited = { outcome: "exited" as const, exitCode: 0, output: "1\n2\n", runtimeError: undefined, reason: undefined };

test("verdict: output equal (line endings aside) passes; different gives the diff from its first different line", () => {
  assert.deepEqual(verdict(exited, "1\r\n2\r\n"), { status: "passed", messages: [] });
  const v = verdict(exited, "1\n3\n", "a.txt");
  assert.equal(v.status, "failed");
  assert.deepEqual(v.messages, [{ text: "The output differs from a.txt from line 2.", expected: "1\n3\n", actual: "1\n2\n" }]);
  assert.equal(firstDifferentLine("a\nb", "a\nb\nc"), 3);
});

test("verdict: a failed assert or runtime error is a message on its line; no-run outcomes are errors or skips", () => {
  const failed = verdict({ ...exited, exitCode: 1, output: "x: [line 7, col 0] Error: Assertion failed: no\n", runtimeError: { message: "Assertion failed: no", line: 7, text: "" } }, null);
  assert.deepEqual(failed, { status: "failed", messages: [{ text: "Assertion failed: no", line: 7 }] });
  assert.deepEqual(verdict({ ...exited, exitCode: 0 }, null), { status: "passed", messages: [] });
  assert.equal(verdict({ ...exited, outcome: "refused", exitCode: null, reason: "Restricted Mode" }, null).status, "errored");
  assert.equal(verdict({ ...exited, outcome: "stopped", exitCode: null }, null).status, "skipped");
  assert.equal(verdict({ ...exited, outcome: "timedOut", exitCode: null }, "1\n2\n").status, "failed");
  const compile = verdict({ ...exited, outcome: "compileError", exitCode: null, output: "f.wsp: [line 3, col 1] Error: bad\n" }, null);
  assert.deepEqual(compile.messages.map((m) => m.line), [3]);
});
