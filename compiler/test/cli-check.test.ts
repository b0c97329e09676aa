// `whispem check`: the text and JSON forms, exit statuses, --help and --version, both through
// main() and through the bundled out/whispem.js that `npm test` builds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli";

const root = join(__dirname, "../..");

async function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const status = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

function file(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "whispem-check-"));
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

test("a clean file: no output, exit 0", async () => {
  const r = await run(["check", join(root, "test-fixtures/conformance/run/closures.wsp")]);
  assert.deepEqual(r, { status: 0, stdout: "", stderr: "" });
});

test("FILE:LINE:COL: SEVERITY CODE: MESSAGE, the reference's error first, exit 1", async () => {
  const p = file("broken.wsp", 'print 1 +\nlet café = "open\n');
  const r = await run(["check", p]);
  assert.equal(r.status, 1);
  const lines = r.stdout.trimEnd().split("\n");
  assert.equal(lines[0], `${p}:2:12: error WSP1002: Unterminated string literal`, "the lexical error wins");
  assert.equal(lines[1], `${p}:1:10: error WSP1003: Expected expression, found newline`);
  assert.equal(lines.length, 2);
});

test("every syntax/ case: the first line carries the reference's position and message", async () => {
  const dir = join(root, "test-fixtures/conformance/syntax");
  for (const name of ["syn_unicode_column", "syn_fstring_inner_error", "syn_eof_in_block", "syn_lexical_wins"]) {
    const r = await run(["check", join(dir, `${name}.wsp`)]);
    const m = /^\[line (\d+), col (\d+)\] Error: (.*)$/.exec(readFileSync(join(dir, `${name}.error`), "utf8").trim())!;
    const first = r.stdout.split("\n")[0];
    assert.ok(first.startsWith(`${join(dir, name)}.wsp:${m[1]}:${m[2]}: error WSP100`), first);
    assert.ok(first.endsWith(`: ${m[3]}`), first);
    assert.equal(r.status, 1);
  }
});

test("--json: an array with end positions", async () => {
  const p = file("j.wsp", "let naïve = café + @\n");
  const r = await run(["check", p, "--json"]);
  assert.equal(r.status, 1);
  const diags = JSON.parse(r.stdout);
  assert.deepEqual(diags[0], { line: 1, column: 20, endLine: 1, endColumn: 21, severity: "error", code: "WSP1001", message: "Unexpected character: '@'" });
  const clean = await run(["check", "--json", join(root, "test-fixtures/conformance/run/closures.wsp")]);
  assert.deepEqual(clean, { status: 0, stdout: "[]\n", stderr: "" });
});

test("usage errors and unreadable files exit 2 with a message on stderr", async () => {
  assert.equal((await run(["check"])).status, 2);
  const missing = await run(["check", "/nonexistent/x.wsp"]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /Cannot read '\/nonexistent\/x.wsp': No such file or directory/);
  assert.equal((await run(["check", "--bogus", "x.wsp"])).status, 2);
  const unknown = await run(["frobnicate"]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
});

test("--help lists the subcommands; --version prints the package version", async () => {
  const help = await run(["--help"]);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /check FILE\.wsp \[--json\]/);
  const version = await run(["--version"]);
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  assert.equal(version.stdout, `whispem ${pkg.version}\n`);
});

test("the bundled CLI behaves the same", () => {
  const bundle = join(root, "out/whispem.js");
  assert.ok(existsSync(bundle), "npm test builds out/whispem.js first");
  const p = file("b.wsp", "let x = 1\nx\n");
  const r = spawnSync(process.execPath, [bundle, "check", p], { encoding: "utf8" });
  assert.equal(r.status, 1);
  assert.equal(r.stdout, `${p}:2:2: error WSP1003: Expected '(' or '[', found newline\n`);
  const v = spawnSync(process.execPath, [bundle, "--version"], { encoding: "utf8" });
  assert.match(v.stdout, /^whispem \d+\.\d+\.\d+/);
});

test("a program that parses but does not compile: the compiler's first error (column 0, as the reference)", async () => {
  const dir = join(root, "test-fixtures/conformance/compile-errors");
  for (const name of ["break_top", "continue_in_fn", "break_fn_first"]) {
    const r = await run(["check", join(dir, `${name}.wsp`)]);
    const m = /^\[line (\d+), col (\d+)\] Error: (.*)$/.exec(readFileSync(join(dir, `${name}.error`), "utf8").trim())!;
    assert.equal(r.status, 1);
    assert.match(r.stdout, new RegExp(`^${join(dir, name)}\\.wsp:${m[1]}:${m[2]}: error WSP2\\d{3}: ${m[3].replace(/[.*+?^${}()|[\]\\']/g, "\\$&")}\\n$`));
  }
});
