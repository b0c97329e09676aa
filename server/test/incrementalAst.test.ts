// The AST the server keeps across edits (reused statements moved in place, new ones lowered)
// equals a fresh lowering of the whole text after every one of thousands of random edits.
// Sessions run a third of their edits in `npm test`, all of them under WHISPEM_SOAK=1 (`npm run soak`).

import { test } from "node:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import assert from "node:assert/strict";
import { parse, lineIndex, type ParseResult } from "../../compiler/src/parser";
import { reparse } from "../../compiler/src/incremental";
import { toAst } from "../../compiler/src/lower";
import { IncrementalAst } from "../src/incrementalAst";
import { resolve, ResolutionCache, type Resolution } from "../../compiler/src/resolve";
import { EditMaker, apply, generatedPrograms, rng, sessionLength } from "./randomEdits";
import { root } from "./client";

test("the incrementally kept AST equals a fresh lowering after every edit", () => {
  const programs = generatedPrograms(801, 5);
  const random = rng(77);
  let edits = 0;
  let reusedSome = 0;
  for (const original of programs) {
    let text = original;
    let parsed: ParseResult = parse(text);
    const ast = new IncrementalAst();
    ast.program(parsed, lineIndex(parsed));
    const maker = new EditMaker(random);
    for (let i = 0; i < sessionLength(200); i++) {
      const e = maker.next(text);
      text = apply(text, e);
      parsed = reparse(parsed, e);
      const kept = ast.program(parsed, lineIndex(parsed));
      const fresh = toAst(parse(text));
      assert.deepEqual(kept, fresh, `program ${programs.indexOf(original)}, edit ${i}: ${JSON.stringify(e)}`);
      if (kept.body.length > 1) reusedSome++;
      edits++;
    }
  }
  assert.equal(edits, programs.length * sessionLength(200));
  assert.ok(reusedSome > edits / 2);
});

/** Everything a resolution says, as text: references with their symbols, scopes with their captures. */
function describeResolution(res: Resolution): string[] {
  const sym = (s: Resolution["symbols"][number] | null) =>
    s
      ? `${s.id}:${s.kind}:${s.name}@${s.owner?.id ?? "-"} defs=${s.definitions.map((d) => `${d.start}-${d.end}`)} from=${s.definedFrom} cap=${s.captured} nested=${s.nested} refs=${s.references.map((r) => `${r.span.start}:${r.access}`)} fns=${s.functions.length}`
      : "none";
  return [
    ...res.references.map((r) => `${r.span.start}-${r.span.end} ${r.name} ${r.access} ${r.op} cap=${r.captured} new=${r.createsLocal} ${r.problem} loop=${r.loop?.start} scope=${r.scope?.id ?? "-"} -> ${sym(r.symbol)}`),
    ...res.scopes.map((s) => `scope ${s.id} ${s.kind} ${s.name} parent=${s.parent?.id ?? "-"} compiled=${s.compiled} captures=${s.captures.map((c) => c.id)} at=${s.node.span.start}`),
    ...res.symbols.map((s) => `symbol ${sym(s)}`),
  ];
}

test("resolving with the cache of unchanged named functions equals resolving afresh, after every edit", () => {
  const programs = generatedPrograms(901, 4);
  const random = rng(78);
  let reused = 0;
  for (const original of programs) {
    let text = original;
    let parsed: ParseResult = parse(text);
    const ast = new IncrementalAst();
    const cache = new ResolutionCache();
    resolve(ast.program(parsed, lineIndex(parsed)), cache);
    const maker = new EditMaker(random);
    for (let i = 0; i < sessionLength(150); i++) {
      const e = maker.next(text);
      text = apply(text, e);
      parsed = reparse(parsed, e);
      const program = ast.program(parsed, lineIndex(parsed));
      const cached = describeResolution(resolve(program, cache));
      reused += cache.reused;
      assert.deepEqual(cached, describeResolution(resolve(toAst(parse(text)))), `program ${programs.indexOf(original)}, edit ${i}: ${JSON.stringify(e)}`);
    }
  }
  assert.ok(reused > 100, `only ${reused} functions taken from the cache`);
});

test("an edit inside one named function walks only that function again", () => {
  const r = spawnSync(process.execPath, [join(root, "test-fixtures/tools/gen-wsp.mjs"), "--seed", "5", "--size", "600"], { encoding: "utf8" });
  let text = r.stdout;
  let parsed = parse(text);
  const ast = new IncrementalAst();
  const cache = new ResolutionCache();
  const first = ast.program(parsed, lineIndex(parsed));
  resolve(first, cache);
  const functions = first.body.filter((s) => s.kind === "FnDecl").length;
  assert.ok(functions >= 3);
  assert.equal(cache.walked, functions);
  // A space before a statement in the body of the second function.
  const inside = text.indexOf("\n    print", text.indexOf("\nfn ", 1)) + 1;
  const e = { start: inside, end: inside, text: " " };
  text = apply(text, e);
  parsed = reparse(parsed, e);
  const res = resolve(ast.program(parsed, lineIndex(parsed)), cache);
  assert.deepEqual([cache.walked, cache.reused], [1, functions - 1]);
  assert.deepEqual(describeResolution(res), describeResolution(resolve(toAst(parse(text)))));
});

test("a kept function's own symbols keep their references only while its calls reach the same symbols", () => {
  // `g` in `user` holds a number: the call reaches it while no named function `g` exists (it
  // fails at run time); once `fn g` appears, the call reaches that, and the local is never read.
  let text = "fn user() {\n    let g = 5\n    return g()\n}\nprint user()\n";
  let parsed = parse(text);
  const ast = new IncrementalAst();
  const cache = new ResolutionCache();
  resolve(ast.program(parsed, lineIndex(parsed)), cache);
  const steps = [
    { start: text.length, end: text.length, text: "fn g() { return 1 }\n" },
    { start: 0, end: 0, text: "\n" },
    { start: text.length + 1, end: text.length + 1 + "fn g() { return 1 }\n".length, text: "" },
  ];
  const localReferences: number[] = [];
  for (const e of steps) {
    text = apply(text, e);
    parsed = reparse(parsed, e);
    const res = resolve(ast.program(parsed, lineIndex(parsed)), cache);
    assert.ok(cache.reused >= 1, "user was taken from the cache");
    assert.deepEqual(describeResolution(res), describeResolution(resolve(toAst(parse(text)))), JSON.stringify(e));
    localReferences.push(res.symbols.find((s) => s.name === "g" && s.kind === "local")!.references.length);
  }
  // Its `let`; plus the call while no function `g` exists.
  assert.deepEqual(localReferences, [1, 1, 2]);
});

test("moving a statement keeps the relative lines of calls and lambdas inside f-string braces", () => {
  let text = 'let xs = [1]\nprint f"{length(xs)} and {fn(a) {\n return a }(1)}"\nprint f"{[\n push(xs, 2)][0]}"\n';
  let parsed = parse(text);
  assert.deepEqual(parsed.diagnostics, []);
  const ast = new IncrementalAst();
  const before = ast.program(parsed, lineIndex(parsed));
  const statements = [...before.body];
  for (const e of [{ start: 0, end: 0, text: "\n\n" }, { start: 0, end: 1, text: "" }, { start: 0, end: 0, text: "let y = 1\n" }]) {
    text = apply(text, e);
    parsed = reparse(parsed, e);
    const kept = ast.program(parsed, lineIndex(parsed));
    assert.deepEqual(kept, toAst(parse(text)));
  }
  const after = ast.program(parsed, lineIndex(parsed));
  assert.ok(after.body.includes(statements[1]) && after.body.includes(statements[2]), "the f-string statements were reused, not lowered again");
});
