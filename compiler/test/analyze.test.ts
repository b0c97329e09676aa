// The analysis against the conformance corpus (the reference's real behaviour): programs that run
// cleanly get no error, and the static errors the VM raises at run time are found on their line.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { analyzeText, parse, type DocumentAnalysis } from "../src/index";

const corpus = join(__dirname, "..", "..", "test-fixtures", "conformance");

function analyzed(text: string): DocumentAnalysis {
  return analyzeText(text).analysis();
}

function runPrograms(): { name: string; text: string; status: string; stderr: string }[] {
  const dir = join(corpus, "run");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".wsp"))
    .sort()
    .map((f) => {
      const base = join(dir, f.slice(0, -4));
      return {
        name: f,
        text: readFileSync(join(dir, f), "utf8"),
        status: existsSync(base + ".status") ? readFileSync(base + ".status", "utf8").trim() : "0",
        stderr: existsSync(base + ".stderr") ? readFileSync(base + ".stderr", "utf8") : "",
      };
    });
}

test("programs that run cleanly get no error diagnostics", () => {
  const clean = runPrograms().filter((p) => p.status === "0");
  assert.ok(clean.length > 100);
  for (const p of clean) {
    const errors = analyzed(p.text).diagnostics.filter((d) => d.severity === "error");
    assert.deepEqual(errors.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`), [], p.name);
  }
});

test("undefined names and wrong arities the VM stops on are reported on that line", () => {
  const staticError = /^\[line (\d+), col 0\] Error: (Undefined variable: '\w+'|Undefined function: '\w+'|Function '\w+' expected \d+ arguments?, got \d+)$/m;
  let checked = 0;
  for (const p of runPrograms()) {
    const m = staticError.exec(p.stderr);
    if (!m) continue;
    checked++;
    const line = Number(m[1]);
    const errors = analyzed(p.text).diagnostics.filter((d) => d.severity === "error");
    assert.ok(
      errors.some((d) => d.line === line),
      `${p.name}: the VM fails on line ${line} (${m[2]}); analysis errors: ${errors.map((d) => `${d.line} ${d.message}`).join("; ") || "none"}`,
    );
  }
  assert.ok(checked >= 10, `only ${checked} programs checked`);
});

test("on broken programs the parser's first error stays first and the analysis still runs", () => {
  const dir = join(corpus, "syntax");
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".wsp"))) {
    const text = readFileSync(join(dir, f), "utf8");
    const r = parse(text);
    const a = analyzed(text);
    assert.ok(r.diagnostics.length > 0, f);
    assert.equal(a.diagnostics[0].message, r.diagnostics[0].message, f);
    assert.ok(a.resolution.references.length >= 0);
  }
});

test("syntax notes: calls cannot span lines, value builtins as statements, nested index assignment", () => {
  const call = analyzed("fn add(a, b) { return a + b }\nprint add(1,\n    2)\n").diagnostics[0];
  assert.equal(call.code, "WSP1003");
  assert.match(call.related?.[0].message ?? "", /cannot span lines/);
  const push = analyzed("let a = []\npush(a, 1)\nprint a\n").diagnostics[0];
  assert.equal(push.message, "Expected statement, found 'push'");
  assert.match(push.related?.[0].message ?? "", /let a = push/);
  assert.deepEqual(push.fixes?.[0].edits, [{ start: 11, end: 11, newText: "let a = " }]);
  const nested = analyzed("let a = [[1]]\na[0][0] = 2\n").diagnostics[0];
  assert.equal(nested.message, "Expected statement, found '='");
  assert.match(nested.related?.[0].message ?? "", /one level of index assignment/);
});

test("break/continue: every misplaced one is reported with the compiler's code, at column 0", () => {
  const a = analyzed("fn f() {\n  break\n}\nwhile true {\n  let g = fn() { continue }\n  break\n}\n");
  const found = a.diagnostics.filter((d) => d.code === "WSP2001" || d.code === "WSP2002").map((d) => [d.code, d.line, d.column]);
  assert.deepEqual(found, [
    ["WSP2001", 2, 0],
    ["WSP2002", 5, 0],
  ]);
});

test("did-you-mean suggestions come with fixes", () => {
  const d = analyzed("let total = 1\nprint totl\n").diagnostics.find((x) => x.code === "WSP3014")!;
  assert.match(d.message, /did you mean 'total'/);
  assert.deepEqual(d.fixes?.[0].edits, [{ start: 20, end: 24, newText: "total" }]);
});
