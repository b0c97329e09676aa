// Left-nested chains (`1 + 1 + …`, `a[0][0]…`, `f(1)(1)…`) tens of thousands long: parsing,
// lowering, dumping and compiling them walk the spine in loops, so none overflows the stack.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "../src/parser";
import { toAst } from "../src/lower";
import { compile } from "../src/compiler";
import { dumpTree } from "../src/syntax";
import { Op } from "../src/opcodes";
import type * as A from "../src/ast";
import { analyzeText } from "../src/host";
import { format } from "../src/format";
import { excerpt } from "../src/analysis/finding";

const chains: Record<string, (n: number) => string> = {
  "+": (n) => "print " + Array(n).fill("1").join(" + "),
  and: (n) => "print " + Array(n).fill("true").join(" and "),
  or: (n) => "print " + Array(n).fill("false").join(" or "),
  "<": (n) => "print " + Array(n).fill("1").join(" < "),
  "==": (n) => "print " + Array(n).fill("1").join(" == "),
  index: (n) => "let a = [1]\nprint a" + "[0]".repeat(n - 1),
  call: (n) => "fn f(x) {\n  return f\n}\nprint f" + "(1)".repeat(n - 1),
};

/** How many links the chain's left spine has, counted in the AST. */
function spineLength(e: A.Expr): number {
  let n = 0;
  for (;;) {
    if (e.kind === "Binary") e = e.left;
    else if (e.kind === "Index") e = e.object;
    else if (e.kind === "Call" && e.name === null) e = e.callee;
    else return n + (e.kind === "Call" ? 1 : 0);
    n++;
  }
}

for (const n of [5000, 50000]) {
  for (const [name, make] of Object.entries(chains)) {
    test(`a chain of ${n} × ${name} parses, lowers and compiles`, () => {
      const text = make(n);
      const parsed = parse(text);
      assert.deepEqual(parsed.diagnostics, []);
      const program = toAst(parsed);
      const print = program.body[program.body.length - 1] as A.PrintStmt;
      assert.equal(print.kind, "Print");
      assert.equal(spineLength(print.value), n - 1);
      if (n === 5000 && name === "+") {
        // A dump indents by depth, so its size grows with the square of the chain: one suffices.
        const dump = dumpTree(parsed.root);
        assert.ok(dump.split("\n").length > 2 * n, "every token of the chain is dumped");
      }
      // Name resolution, the pitfall analysis and the formatter walk the spine without recursion.
      const analysis = analyzeText(text).analysis();
      assert.equal(analysis.failure, null);
      if (name === "index") assert.equal(analysis.resolution.references.filter((r) => r.name === "a" && r.symbol?.kind === "global").length, 2);
      assert.equal(analysis.diagnostics.filter((d) => d.code === "WSP3011").length, name === "<" || name === "==" ? n - 2 : 0);
      const formatted = format(text);
      assert.equal(formatted.replace(/^ +/gm, ""), text.replace(/^ +/gm, ""), "only indentation changes");
      assert.equal(format(formatted), formatted);
      const compiled = compile(text);
      if (n === 5000) {
        assert.deepEqual(compiled.diagnostics, []);
        assert.ok(compiled.bytes && compiled.bytes.length > 2 * n);
      } else {
        // 50 000 links need more than 65 535 bytes of code: the reference's limit, reported.
        assert.equal(compiled.bytes, null);
        assert.equal(compiled.diagnostics.length, 1);
        assert.match(compiled.diagnostics[0].message, /too large/);
      }
    });
  }
}

function mainCode(text: string): number[] {
  const r = compile(text);
  assert.deepEqual(r.diagnostics, []);
  return [...r.chunks![0].code];
}

test("a short chain lowers to a left-nested tree and compiles left operand first", () => {
  const text = "print 1 - 2 + 3 < 4 and true or false";
  const e = (toAst(parse(text)).body[0] as A.PrintStmt).value as A.BinaryExpr;
  const shape = (x: A.Expr): unknown => (x.kind === "Binary" ? [shape(x.left), x.op, shape(x.right)] : text.slice(x.start, x.end));
  assert.deepEqual(shape(e), [[[[["1", "-", "2"], "+", "3"], "<", "4"], "and", "true"], "or", "false"]);
  assert.deepEqual(mainCode("print 1 - 2 + 3"), [
    Op.PUSH_CONST, 0, Op.PUSH_CONST, 1, Op.SUB, Op.PUSH_CONST, 2, Op.ADD, Op.PRINT, Op.HALT,
  ]);
  // `a and b or c`: each short-circuit jump skips only its own right operand.
  assert.deepEqual(mainCode("print true and false or true"), [
    Op.PUSH_TRUE, Op.PEEK_JUMP_IF_FALSE, 0, 6, Op.POP, Op.PUSH_FALSE,
    Op.PEEK_JUMP_IF_TRUE, 0, 11, Op.POP, Op.PUSH_TRUE, Op.PRINT, Op.HALT,
  ]);
});

test("short index and call chains compile object/callee first, the named call by name", () => {
  // Constants: 7, "a", 0.
  assert.deepEqual(mainCode("let a = [[7]]\nprint a[0][0]").slice(-10), [
    Op.LOAD, 1, Op.PUSH_CONST, 2, Op.GET_INDEX, Op.PUSH_CONST, 2, Op.GET_INDEX, Op.PRINT, Op.HALT,
  ]);
  const r = compile("fn f(x) {\n  return f\n}\nprint f(1)(2)");
  const main = r.chunks![0];
  const names = main.constants.map((c) => ("value" in c ? c.value : c));
  const code = [...main.code];
  const fAt = names.indexOf("f");
  const calleeAt = names.indexOf("__callee__");
  assert.ok(fAt >= 0 && calleeAt >= 0);
  assert.deepEqual(code, [
    Op.PUSH_CONST, names.indexOf(1), Op.CALL, fAt, 1,
    Op.PUSH_CONST, names.indexOf(2), Op.CALL, calleeAt, 1, Op.PRINT, Op.HALT,
  ]);
});

test("a message's excerpt of a span reads only what it shows, and equals collapsing the whole span", () => {
  const pieces = ["a", "b", " ", "\n", "\t", "\u00a0", "é", "😀", "+"];
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let k = 0; k < 20_000; k++) {
    let text = "";
    for (let i = random(60); i > 0; i--) text += pieces[random(pieces.length)];
    const start = random(text.length + 1);
    const span = { start, end: start + random(text.length - start + 1) };
    const max = 1 + random(45);
    const whole = text.slice(span.start, span.end).replace(/\s+/g, " ").trim();
    assert.equal(excerpt(text, span, max), whole.length > max ? whole.slice(0, max - 1) + "…" : whole, JSON.stringify({ text, span, max }));
  }
});
