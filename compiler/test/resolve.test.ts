// Name resolution follows the compiler's rules (compiler.md §2–§4) and the VM's (runtime.md §4–§6).

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeText, referenceAt, resolveText, type Reference, type Resolution } from "../src/index";

function resolved(text: string): Resolution {
  assert.deepEqual(analyzeText(text).syntaxDiagnostics, [], "test programs must parse");
  return resolveText(text);
}

/** The references to `name`, in order, described as "access op symbol-kind@owner". */
function refs(res: Resolution, name: string): string[] {
  return res.references
    .filter((r) => r.name === name)
    .map((r) => `${r.access} ${r.op ?? "-"} ${describe(r)}${r.problem ? " !" + r.problem : ""}`);
}

function describe(r: Reference): string {
  const s = r.symbol;
  if (!s) return "unresolved";
  return `${s.kind}@${s.owner ? s.owner.name ?? "lambda" : "top"}#${s.id}`;
}

test("globals come from top-level lets; functions read them with LOAD_GLOBAL", () => {
  const res = resolved("fn f() { return limit }\nlet limit = 3\nprint f()\n");
  const [read, write] = res.references.filter((r) => r.name === "limit");
  assert.equal(read.op, "LOAD_GLOBAL");
  assert.equal(read.symbol, write.symbol);
  assert.equal(read.symbol?.kind, "global");
});

test("a name read before its let in the same function is not yet a local", () => {
  const res = resolved("let x = 1\nfn f() {\n  print x\n  let x = 2\n  print x\n}\n");
  const xs = res.references.filter((r) => r.name === "x");
  // global write, read (global), local write, local read
  assert.deepEqual(
    xs.map((r) => [r.access, r.op, r.symbol?.kind]),
    [
      ["write", "STORE", "global"],
      ["read", "LOAD_GLOBAL", "global"],
      ["write", "STORE", "local"],
      ["read", "LOAD", "local"],
    ],
  );
  assert.equal(xs[2].createsLocal, true);
});

test("a closure's `let` of a variable it already captured writes the captured cell", () => {
  const src = "fn make() {\n  let count = 0\n  return fn() {\n    let count = count + 1\n    return count\n  }\n}\n";
  const res = resolved(src);
  const counts = res.references.filter((r) => r.name === "count");
  const sym = counts[0].symbol!;
  assert.equal(sym.kind, "local");
  for (const r of counts) assert.equal(r.symbol, sym, "every `count` is the maker's variable");
  // In source order: `let count = 0`, the closure's `let count`, its read `count + 1`, `return count`.
  assert.deepEqual(
    counts.map((r) => r.op),
    ["STORE", "STORE_UPVALUE", "LOAD_UPVALUE", "LOAD_UPVALUE"],
  );
  const lambda = res.scopes.find((s) => s.kind === "lambda")!;
  assert.deepEqual(lambda.captures.map((c) => c.name), ["count"]);
});

test("a closure's `let` of an enclosing variable it has not read yet makes its own local", () => {
  const res = resolved("fn make() {\n  let n = 0\n  let g = fn() { let n = 5\n return n }\n  return g\n}\n");
  const ns = res.references.filter((r) => r.name === "n");
  assert.notEqual(ns[0].symbol, ns[1].symbol);
  assert.equal(ns[1].symbol?.owner?.kind, "lambda");
  assert.equal(ns[2].symbol, ns[1].symbol);
});

test("captures go through every enclosing lambda (upvalue chains)", () => {
  const res = resolved("fn outer(a) {\n  return fn(b) {\n    return fn(c) { return a + b + c }\n  }\n}\n");
  const [middle, inner] = res.scopes.filter((s) => s.kind === "lambda");
  assert.deepEqual(inner.captures.map((c) => c.name), ["a", "b"]);
  assert.deepEqual(middle.captures.map((c) => c.name), ["a"], "the middle lambda captures a to pass it on");
  const a = res.references.filter((r) => r.name === "a");
  assert.equal(a[1].symbol, a[0].symbol);
  assert.equal(a[0].symbol?.kind, "parameter");
});

test("for-loop variables are not locals: in a function a lambda cannot capture them", () => {
  const res = resolved("fn f() {\n  for i in [1] {\n    print i\n    let g = fn() { return i }\n  }\n}\n");
  assert.deepEqual(refs(res, "i").map((s) => s.replace(/#\d+/, "")), [
    "write STORE loop@f",
    "read LOAD loop@f",
    "read LOAD loop@f !uncaptured-loop-variable",
  ]);
});

test("main's for-loop variable is a global, which lambdas read by name", () => {
  const res = resolved("for j in [1] {\n  let g = fn() { return j }\n  print g()\n}\n");
  const js = res.references.filter((r) => r.name === "j");
  assert.equal(js[0].symbol?.kind, "global");
  assert.equal(js[1].symbol, js[0].symbol);
  assert.equal(js[1].problem, null);
});

test("calls: builtins first, then variables, then named functions; forward calls resolve", () => {
  const res = resolved("print twice(2)\nfn twice(x) { return x * 2 }\nlet num_to_hex = 5\nprint num_to_hex(1)\nprint length([1])\n");
  const call = res.references.find((r) => r.name === "twice" && r.access === "call")!;
  assert.equal(call.symbol?.kind, "function");
  const hex = res.references.filter((r) => r.name === "num_to_hex");
  assert.equal(hex[1].symbol?.kind, "builtin", "a builtin wins over a variable of the same name");
  assert.equal(res.references.find((r) => r.name === "length")?.symbol?.kind, "builtin");
});

test("a call by name does not see captured variables", () => {
  const res = resolved("fn outer() {\n  let helper = fn(n) { return n }\n  let use = fn() { return helper(1) }\n  return use()\n}\n");
  const call = res.references.find((r) => r.name === "helper" && r.access === "call")!;
  assert.equal(call.problem, "captured-call");
  assert.equal(call.symbol?.kind, "local");
});

test("index assignment inside a closure on a captured variable is flagged, and reaches no cell", () => {
  const res = resolved("fn make() {\n  let cells = [0]\n  let set = fn(v) { cells[0] = v }\n  return set\n}\n");
  const target = res.references.find((r) => r.access === "readwrite")!;
  assert.equal(target.problem, "captured-index-assign");
  const lambda = res.scopes.find((s) => s.kind === "lambda")!;
  assert.deepEqual(lambda.captures, [], "LOAD/STORE by name add no upvalue");
});

test("a nested fn declaration is never compiled and adds no captures to the function around it", () => {
  const res = resolved("fn outer() {\n  let v = 1\n  let k = fn() {\n    fn inner() { return v }\n    let v = 2\n    return v\n  }\n  return k\n}\n");
  const k = res.scopes.find((s) => s.kind === "lambda")!;
  assert.deepEqual(k.captures, []);
  const inner = res.scopes.find((s) => s.name === "inner")!;
  assert.equal(inner.compiled, false);
  const vs = res.references.filter((r) => r.name === "v");
  assert.equal(vs[2].op, "STORE", "k's own `let v` makes a local: v never became an upvalue of k");
});

test("referenceAt finds a name with the cursor inside or just after it", () => {
  const res = resolved("let abc = 1\nprint abc\n");
  const at = (o: number) => referenceAt(res, o)?.span.start ?? null;
  assert.equal(at(4), 4);
  assert.equal(at(7), 4);
  assert.equal(at(18), 18);
  assert.equal(at(21), 18);
  assert.equal(at(9), null);
});

test("broken programs still resolve", () => {
  for (const src of ["let x = \nprint x\n", "fn f(a, { return a }\nprint f(1)\n", 'print f"{x +}"\nlet x = 1\n', "if x {\n let y = 1\n"]) {
    const res = resolveText(src);
    assert.ok(res.references.length > 0, src);
  }
});
