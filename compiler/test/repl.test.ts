// `whispem repl` with entries piped in: each test-fixtures/repl/NAME.in is fed to the REPL's
// stdin and what comes out is compared with NAME.golden (stdout, stderr, exit status).
// Regenerate with `UPDATE_GOLDEN=1 npm test -- repl.test`, then review the diff.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findWvm } from "../src/cli-bytecode";
import { judgeEntry } from "../src/repl";

const DIR = join(__dirname, "../../test-fixtures/repl");
const CLI = join(__dirname, "../../out/whispem.js");
const update = process.env.UPDATE_GOLDEN === "1";
const ready = findWvm() !== null && existsSync(CLI);

function runRepl(input: string): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "repl"], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ stdout, stderr, status }));
    child.stdin.end(input);
  });
}

/** The golden format: three sections, each a header line then the text as is. */
function golden(r: { stdout: string; stderr: string; status: number | null }): string {
  return `--- stdout\n${r.stdout}--- stderr\n${r.stderr}--- status\n${r.status}\n`;
}

for (const name of readdirSync(DIR).filter((f) => f.endsWith(".in")).sort()) {
  test(`repl transcript ${name}`, { skip: !ready }, async () => {
    const input = readFileSync(join(DIR, name), "utf8");
    const got = golden(await runRepl(input));
    const path = join(DIR, name.replace(/\.in$/, ".golden"));
    if (update || !existsSync(path)) writeFileSync(path, got);
    assert.equal(got, readFileSync(path, "utf8"));
  });
}

test("entries: open blocks and arrays continue, else continues, a hopeless line is an error at once", () => {
  assert.equal(judgeEntry("if x > 0 {").kind, "more");
  assert.equal(judgeEntry("if x > 0 {\n  print 1\n} else {").kind, "more");
  assert.equal(judgeEntry("fn f(x) {\nif x > 0 {\nreturn 1\n}").kind, "more");
  assert.equal(judgeEntry("let a = [1,").kind, "more");
  assert.equal(judgeEntry("let a = [1,\n2]").kind, "complete");
  const bad = judgeEntry("let = 3");
  assert.equal(bad.kind, "error");
  assert.equal(bad.kind === "error" && bad.diagnostic.message, "Expected identifier, found '='");
  assert.equal(judgeEntry("}").kind, "error");
  const expr = judgeEntry("x * 2");
  assert.equal(expr.kind === "complete" && expr.source, "print x * 2\n");
});
