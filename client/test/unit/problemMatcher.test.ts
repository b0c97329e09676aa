// The `$whispem` problem matcher from package.json against what the tools really print: the CLI's
// compile errors and wvm's runtime errors (with the bytecode path renamed to the source, as runs do).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renameFileInOutput } from "../../src/runtimeError";

const root = join(__dirname, "..", "..", "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const matcher = manifest.contributes.problemMatchers.find((m: { name: string }) => m.name === "whispem");
const pattern = matcher.pattern as { regexp: string; file: number; line: number; column: number; message: number };
const regexp = new RegExp(pattern.regexp);

function problem(line: string) {
  const m = regexp.exec(line);
  return m && { file: m[pattern.file], line: Number(m[pattern.line]), column: Number(m[pattern.column]), message: m[pattern.message] };
}

test("the matcher is contributed with an owner and file locations VS Code can resolve", () => {
  assert.equal(matcher.owner, "whispem");
  assert.deepEqual(matcher.fileLocation, ["autoDetect", "${workspaceFolder}"]);
});

const cli = join(root, "out", "whispem.js");
test("it reads the command line's compile errors", { skip: !existsSync(cli) && "out/whispem.js is not built" }, () => {
  const dir = mkdtempSync(join(tmpdir(), "whispem-matcher-"));
  const file = join(dir, "broken file.wsp");
  writeFileSync(file, "let total = (1 + 2\nprint total\n");
  const r = spawnSync(process.execPath, [cli, "compile", file], { encoding: "utf8" });
  assert.equal(r.status, 1, r.stderr);
  const first = r.stderr.split("\n")[0];
  assert.deepEqual(problem(first), { file, line: 1, column: 19, message: "Expected ')', found newline" });
});

const wvm = join(root, "bin", "wvm");
test("it reads wvm's runtime errors once runs name the source file", { skip: !existsSync(wvm) && "bin/wvm is not built" }, () => {
  const bytecode = join(root, "test-fixtures", "conformance", "run", "errors_arity.whbc");
  const r = spawnSync(wvm, [bytecode], { encoding: "utf8", input: "" });
  assert.equal(r.status, 1);
  const shown = renameFileInOutput(r.stderr, bytecode, "/work/prog.wsp").split("\n");
  assert.deepEqual(problem(shown[0]), { file: "/work/prog.wsp", line: 2, column: 0, message: "Function 'add' expected 2 arguments, got 1" });
  for (const other of shown.slice(1)) assert.equal(problem(other), null, `trace line ${JSON.stringify(other)}`);
});

test("lines that are not located errors are not problems", () => {
  assert.equal(problem("prog.wsp: Error: Division by zero"), null);
  assert.equal(problem("  at <main> (line 7)"), null);
  assert.equal(problem("[line 3, col 0] Error: printed by the program itself"), null);
});

test("Windows paths: drive letters, backslashes, spaces and non-ASCII names", () => {
  const file = "C:\\Users\\Zoë Doe\\My Programs\\données.wsp";
  assert.deepEqual(problem(`${file}: [line 3, col 7] Error: Undefined variable: x`), { file, line: 3, column: 7, message: "Undefined variable: x" });
});
