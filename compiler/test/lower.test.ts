// Lowering to the AST: real spans, bytecode lines (relative inside f-string braces), f-string
// desugaring, named and expression calls, and complete trees for broken input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "../src/parser";
import { toAst } from "../src/lower";
import type * as A from "../src/ast";

function ast(text: string): A.Program {
  return toAst(parse(text));
}

function slice(text: string, s: A.Span): string {
  return text.slice(s.start, s.end);
}

test("statements carry the line of their first token and spans without trivia", () => {
  const text = "let x = 1\n\n  print x + 2   # c\nif x {\n} else if y {\n}\n";
  const p = ast(text);
  assert.deepEqual(p.body.map((s) => [s.kind, s.line]), [["Let", 1], ["Print", 3], ["If", 4]]);
  assert.equal(slice(text, p.body[1]), "print x + 2");
  const ifs = p.body[2] as A.IfStmt;
  assert.equal((ifs.else as A.IfStmt).kind, "If");
  assert.equal((ifs.else as A.IfStmt).line, 5, "else if has the line of else");
  assert.equal(slice(text, ifs.then), "{\n}");
  const let_ = p.body[0] as A.LetStmt;
  assert.equal(let_.name.name, "x");
  assert.equal(slice(text, let_.name), "x");
});

test("binary operators are left-associative with the grammar's precedence", () => {
  const text = "print 1 - 2 - 3 * 4 < 5 and not 6 or -7";
  const e = (ast(text).body[0] as A.PrintStmt).value as A.BinaryExpr;
  assert.equal(e.op, "or");
  const and = e.left as A.BinaryExpr;
  assert.equal(and.op, "and");
  const lt = and.left as A.BinaryExpr;
  assert.equal(lt.op, "<");
  const minus = lt.left as A.BinaryExpr;
  assert.equal(minus.op, "-");
  assert.equal(slice(text, minus.left), "1 - 2");
  assert.equal(slice(text, { start: minus.opStart, end: minus.opEnd }), "-");
  assert.equal(((minus.right as A.BinaryExpr).op), "*");
  assert.equal((and.right as A.UnaryExpr).op, "not");
  assert.equal((e.right as A.UnaryExpr).op, "-");
});

test("named calls, expression calls, parentheses and builtin names", () => {
  const text = "print f(1)(2)\nprint (g)(3)\nprint length(x)\nprint a[0](1)\nexit\nassert(true)\n";
  const body = ast(text).body;
  const outer = (body[0] as A.PrintStmt).value as A.CallExpr;
  assert.equal(outer.name, null);
  assert.equal((outer.callee as A.CallExpr).name, "f");
  assert.equal(((body[1] as A.PrintStmt).value as A.CallExpr).name, "g");
  assert.equal(((body[2] as A.PrintStmt).value as A.CallExpr).name, "length");
  assert.equal(((body[3] as A.PrintStmt).value as A.CallExpr).name, null);
  const exit = (body[4] as A.ExprStmt).expr as A.CallExpr;
  assert.equal(exit.kind, "Call");
  assert.equal(exit.name, "exit");
  assert.deepEqual(exit.args, []);
  assert.equal(exit.line, 5);
  assert.deepEqual([exit.argsStart, exit.argsEnd], [exit.callee.end, exit.callee.end]);
  assert.equal(((body[5] as A.ExprStmt).expr as A.CallExpr).name, "assert");
});

test("a call's line is its '(' line; a lambda's is its fn line", () => {
  const text = "let f = fn(a) {\n  return a\n}\nprint [\n  f(1),\n  fn(x) { return x }\n]\n";
  const body = ast(text).body;
  const lambda = (body[0] as A.LetStmt).value as A.LambdaExpr;
  assert.equal(lambda.line, 1);
  assert.equal(lambda.body.body[0].line, 2);
  const arr = (body[1] as A.PrintStmt).value as A.ArrayLit;
  assert.equal((arr.elements[0] as A.CallExpr).line, 5);
  assert.equal((arr.elements[1] as A.LambdaExpr).line, 6);
});

test("index assignment and index chains", () => {
  const text = "a[i + 1] = v\na[0][1]\n";
  const body = ast(text).body;
  const asg = body[0] as A.IndexAssignStmt;
  assert.equal(asg.kind, "IndexAssign");
  assert.equal(asg.target.name, "a");
  assert.equal(slice(text, asg.index), "i + 1");
  assert.equal((asg.value as A.VarRef).name, "v");
  const chain = (body[1] as A.ExprStmt).expr as A.IndexExpr;
  assert.equal(chain.kind, "Index");
  assert.equal(slice(text, chain.object), "a[0]");
});

test("literals: numbers, decoded strings, booleans, arrays and dicts", () => {
  const text = 'print [1.5, "a\\tb", true, {"k": false, 2: [ ]}]';
  const arr = (ast(text).body[0] as A.PrintStmt).value as A.ArrayLit;
  assert.deepEqual(arr.elements.slice(0, 3).map((e) => (e as A.NumberLit).value), [1.5, "a\tb", true]);
  const dict = arr.elements[3] as A.DictLit;
  assert.equal(dict.entries.length, 2);
  assert.equal((dict.entries[1].key as A.NumberLit).value, 2);
});

test("f-strings: parts at real positions, desugared left-associated, lines relative inside braces", () => {
  const text = 'let n = 1\n\nprint f"a{n}b{[\n\nf(1)][0]}"\n';
  const fs = (ast(text).body[1] as A.PrintStmt).value as A.FStringExpr;
  assert.deepEqual(fs.parts.map((p) => p.kind), ["Text", "Interpolation", "Text", "Interpolation"]);
  const interp = fs.parts[1] as { kind: "Interpolation"; expr: A.Expr; start: number; end: number };
  assert.equal(slice(text, interp), "{n}");
  assert.equal(slice(text, interp.expr), "n");
  const d = fs.desugared as A.BinaryExpr;
  assert.equal(d.op, "+");
  assert.equal(((d.left as A.BinaryExpr).left as A.BinaryExpr).left.kind, "String");
  // the call inside braces is on the real line 5, but its bytecode line counts from the brace contents
  const call = ((d.right as A.IndexExpr).object as A.ArrayLit).elements[0] as A.CallExpr;
  assert.equal(call.line, 3);
  assert.equal(slice(text, call), "f(1)");
  assert.equal(parse(text).diagnostics.length, 0);
});

test("f-string special cases: empty, one part, ignored tokens, escapes", () => {
  const get = (src: string) => (ast(src).body[0] as A.PrintStmt).value as A.FStringExpr;
  assert.deepEqual(get('print f""').desugared, { kind: "String", value: "", start: 6, end: 9 });
  assert.equal(get('print f"{x}"').desugared.kind, "Var");
  assert.equal((get('print f"{1 2}"').desugared as A.NumberLit).value, 1);
  assert.equal((get('print f"\\{a\\}"').desugared as A.StringLit).value, "{a}");
  const lambdaLine = get('print f"{fn() {\n\nreturn 1\n}()}"').desugared as A.CallExpr;
  assert.equal(lambdaLine.line, 4, "relative line of the ( after the lambda's block");
  assert.equal((lambdaLine.callee as A.LambdaExpr).body.body[0].line, 3);
});

test("broken input still gives a complete tree", () => {
  const body = ast("let x = \nprint 1\nlet = 2\n}\nif y { print 2\n").body;
  assert.equal(body[0].kind, "Let");
  assert.equal((body[0] as A.LetStmt).value.kind, "Missing");
  assert.equal(body[1].kind, "Print");
  assert.ok(body.some((s) => s.kind === "ErrorStmt"));
  const last = body[body.length - 1] as A.IfStmt;
  assert.equal(last.kind, "If");
  assert.equal(last.then.body[0].kind, "Print");
});

test("every run/ program lowers with spans inside the text and ordered children", () => {
  const dir = join(__dirname, "../../test-fixtures/conformance/run");
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".wsp"))) {
    const text = readFileSync(join(dir, f), "utf8");
    const p = ast(text);
    const check = (v: unknown, outer: A.Span): void => {
      if (Array.isArray(v)) return v.forEach((x) => check(x, outer));
      if (!v || typeof v !== "object") return;
      const o = v as Record<string, unknown>;
      let inner = outer;
      if (typeof o.start === "number" && typeof o.end === "number" && (o.kind !== undefined || typeof o.name === "string")) {
        const s = { start: o.start, end: o.end };
        assert.ok(s.start <= s.end && s.start >= outer.start && s.end <= outer.end, `${f}: ${String(o.kind)} span inside its parent`);
        inner = s;
      }
      for (const [a, b] of [["opStart", "opEnd"], ["argsStart", "argsEnd"]]) {
        if (!(a in o)) continue;
        const s = { start: o[a] as number, end: o[b] as number };
        assert.ok(s.start <= s.end && s.start >= inner.start && s.end <= inner.end, `${f}: ${String(o.kind)} ${a}..${b} inside the node`);
      }
      for (const [k, x] of Object.entries(o)) if (k !== "desugared") check(x, inner);
    };
    check(p, p);
  }
});

test("chains of thousands of operations, calls and indexes lower without deep recursion", () => {
  const sum = ast("print " + Array(50000).fill("1").join(" + "));
  let e = (sum.body[0] as A.PrintStmt).value;
  let depth = 0;
  while (e.kind === "Binary") {
    e = e.left;
    depth++;
  }
  assert.equal(depth, 49999);
  const calls = (ast("print f" + "(1)".repeat(30000)).body[0] as A.PrintStmt).value as A.CallExpr;
  assert.equal(calls.name, null);
  assert.equal(calls.args.length, 1);
  const idx = (ast("a" + "[0]".repeat(30000)).body[0] as A.ExprStmt).expr;
  assert.equal(idx.kind, "Index");
});
