// The parser never throws and is always lossless, whatever the input: random characters, deep
// nesting, unbalanced brackets and f-strings; nesting past the limit is a diagnostic, not a crash.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parse, Parser } from "../src/parser";
import { toAst } from "../src/lower";
import { greenText } from "../src/syntax";

test("random character soup: no throw, lossless, AST complete", () => {
  const alphabet = ['"', "f", "{", "}", "(", ")", "[", "]", "\n", " ", "\\", "#", "else", "if", "let", "x", "=", "1", ".", ",", ":", "@", "é", "😀", "\r", "fn", "print", "return", "+", "<"];
  let seed = 99;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0), seed / 4294967296);
  for (let i = 0; i < 3000; i++) {
    let text = "";
    const n = Math.floor(rnd() * 60);
    for (let j = 0; j < n; j++) text += alphabet[Math.floor(rnd() * alphabet.length)];
    const r = parse(text);
    assert.equal(greenText(r.root.green), text, JSON.stringify(text));
    for (const d of r.diagnostics) assert.ok(d.start >= 0 && d.start <= d.end && d.end <= text.length && d.line >= 1 && d.column >= 1);
    const ast = toAst(r);
    assert.equal(ast.kind, "Program");
  }
});

test("deep nesting is reported, not a stack overflow", () => {
  for (const text of ["print " + "(".repeat(5000) + "1" + ")".repeat(5000), "print " + "[".repeat(5000), "if x { ".repeat(3000), "print " + "-".repeat(20000) + "1", 'print f"' + "{f\"".repeat(400) + '"'] ) {
    const r = parse(text);
    assert.equal(greenText(r.root.green), text);
    assert.ok(r.diagnostics.length > 0);
  }
  const deep = parse("print " + "(".repeat(1000) + "1" + ")".repeat(1000));
  assert.equal(deep.diagnostics[0].code, "WSP1005");
  const fine = parse("print " + "(".repeat(100) + "1" + ")".repeat(100));
  assert.deepEqual(fine.diagnostics, []);
});

test("the first error is the reference's even when recovery reports more", () => {
  const r = parse('print 1 +\nprint (2\nlet = 3\nprint "x\n');
  assert.equal(r.diagnostics[0].message, "Unterminated string literal", "a lexical error anywhere wins");
  const p = parse("print 1 +\nprint (2\nlet = 3\n");
  assert.deepEqual(p.diagnostics.map((d) => [d.line, d.column, d.message]), [
    [1, 10, "Expected expression, found newline"],
    [2, 9, "Expected ')', found newline"],
    [3, 5, "Expected identifier, found '='"],
  ]);
});

test("one typo, one diagnostic: recovery keeps most corrupted programs to a single error", async () => {
  const { execFileSync } = await import("node:child_process");
  const { mkdtempSync, readdirSync, readFileSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "wsp-typo-"));
  try {
    execFileSync(process.execPath, [join(__dirname, "../../test-fixtures/tools/gen-wsp.mjs"), "--seed", "8", "--count", "400", "--mode", "syntax", "--out", dir]);
    let broken = 0;
    let single = 0;
    for (const f of readdirSync(dir)) {
      const n = parse(readFileSync(join(dir, f), "utf8")).diagnostics.length;
      if (n > 0) broken++;
      if (n === 1) single++;
    }
    assert.ok(broken > 300, `most corruptions break the program (${broken})`);
    // Measured 84% on another seed; a drop below 75% means recovery got worse.
    assert.ok(single / broken >= 0.75, `${single} of ${broken} broken programs have exactly one diagnostic`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an internal failure still yields a lossless tree instead of an exception", () => {
  const text = 'let a = 1\nprint f"{a}"\nfn f() {\n  print 2\n}\nprint 3\n';
  let calls = 0;
  const failing = {
    nodeAt(): null {
      if (++calls === 4) throw new Error("a bug in the reuse oracle");
      return null;
    },
  };
  const r = new Parser(text, failing).run();
  assert.equal(greenText(r.root.green), text);
  assert.ok(r.root.hasError);
});

test("a parse result stays whole after later parses (the parser keeps nothing of it)", () => {
  const first = "let x = 1\nprint x +\nprint @\n";
  const a = parse(first);
  const before = { text: greenText(a.root.green), diags: JSON.stringify(a.diagnostics) };
  assert.ok(a.diagnostics.length >= 2);
  parse("fn f(a) {\n  return a[0](1) + 2\n}\n");
  parse("print \"unterminated\n");
  assert.equal(greenText(a.root.green), first);
  assert.equal(greenText(a.root.green), before.text);
  assert.equal(JSON.stringify(a.diagnostics), before.diags);
});
