// The analysis host's AST and resolution (kept for unchanged top-level statements and named
// functions) equal a fresh lowering and resolution after every one of thousands of random edits.
// Sessions run a third of their edits in `npm test`, all of them under WHISPEM_SOAK=1 (`npm run soak`).

import { test } from "node:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import assert from "node:assert/strict";
import { AnalysisHost, analyzeText, type Resolution } from "../../compiler/src/index";
import { EditMaker, apply, generatedPrograms, rng, sessionLength } from "./randomEdits";
import { root } from "./client";

const program = (host: AnalysisHost) => host.snapshot().analysis().program;
const resolution = (host: AnalysisHost) => host.snapshot().analysis().resolution;
const fresh = (text: string) => analyzeText(text).analysis();

test("the host's kept AST equals a fresh lowering after every edit", () => {
  const programs = generatedPrograms(801, 5);
  const random = rng(77);
  let edits = 0;
  let reusedSome = 0;
  for (const original of programs) {
    let text = original;
    const host = new AnalysisHost(text);
    program(host);
    const maker = new EditMaker(random);
    for (let i = 0; i < sessionLength(200); i++) {
      const e = maker.next(text);
      text = apply(text, e);
      host.applyEdit(e);
      const kept = program(host);
      assert.deepEqual(kept, fresh(text).program, `program ${programs.indexOf(original)}, edit ${i}: ${JSON.stringify(e)}`);
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
    ...res.scopes.map((s) => `scope ${s.id} ${s.kind} ${s.name} parent=${s.parent?.id ?? "-"} compiled=${s.compiled} captures=${s.captures.map((c) => c.id)} at=${s.node.start}`),
    ...res.symbols.map((s) => `symbol ${sym(s)}`),
  ];
}

test("resolving with the cache of unchanged named functions equals resolving afresh, after every edit", () => {
  const programs = generatedPrograms(901, 4);
  const random = rng(78);
  let reused = 0;
  for (const original of programs) {
    let text = original;
    const host = new AnalysisHost(text);
    resolution(host);
    const maker = new EditMaker(random);
    for (let i = 0; i < sessionLength(150); i++) {
      const e = maker.next(text);
      text = apply(text, e);
      host.applyEdit(e);
      const cached = describeResolution(resolution(host));
      reused += host.cacheUse().resolutionReused;
      assert.deepEqual(cached, describeResolution(fresh(text).resolution), `program ${programs.indexOf(original)}, edit ${i}: ${JSON.stringify(e)}`);
    }
  }
  assert.ok(reused > 100, `only ${reused} functions taken from the cache`);
});

test("an edit inside one named function walks only that function again", () => {
  const r = spawnSync(process.execPath, [join(root, "test-fixtures/tools/gen-wsp.mjs"), "--seed", "5", "--size", "600"], { encoding: "utf8" });
  let text = r.stdout;
  const host = new AnalysisHost(text);
  const first = program(host);
  const functions = first.body.filter((s) => s.kind === "FnDecl").length;
  assert.ok(functions >= 3);
  assert.equal(host.cacheUse().resolutionWalked, functions);
  // A space before a statement in the body of the second function.
  const inside = text.indexOf("\n    print", text.indexOf("\nfn ", 1)) + 1;
  const e = { start: inside, end: inside, text: " " };
  text = apply(text, e);
  host.applyEdit(e);
  const res = resolution(host);
  const use = host.cacheUse();
  assert.deepEqual([use.resolutionWalked, use.resolutionReused], [1, functions - 1]);
  assert.deepEqual(describeResolution(res), describeResolution(fresh(text).resolution));
});

test("a kept function's own symbols keep their references only while its calls reach the same symbols", () => {
  // `g` in `user` holds a number: the call reaches it while no named function `g` exists (it
  // fails at run time); once `fn g` appears, the call reaches that, and the local is never read.
  let text = "fn user() {\n    let g = 5\n    return g()\n}\nprint user()\n";
  const host = new AnalysisHost(text);
  resolution(host);
  const steps = [
    { start: text.length, end: text.length, text: "fn g() { return 1 }\n" },
    { start: 0, end: 0, text: "\n" },
    { start: text.length + 1, end: text.length + 1 + "fn g() { return 1 }\n".length, text: "" },
  ];
  const localReferences: number[] = [];
  for (const e of steps) {
    text = apply(text, e);
    host.applyEdit(e);
    const res = resolution(host);
    assert.ok(host.cacheUse().resolutionReused >= 1, "user was taken from the cache");
    assert.deepEqual(describeResolution(res), describeResolution(fresh(text).resolution), JSON.stringify(e));
    localReferences.push(res.symbols.find((s) => s.name === "g" && s.kind === "local")!.references.length);
  }
  // Its `let`; plus the call while no function `g` exists.
  assert.deepEqual(localReferences, [1, 1, 2]);
});

test("moving a statement keeps the relative lines of calls and lambdas inside f-string braces", () => {
  let text = 'let xs = [1]\nprint f"{length(xs)} and {fn(a) {\n return a }(1)}"\nprint f"{[\n push(xs, 2)][0]}"\n';
  const host = new AnalysisHost(text);
  assert.deepEqual(host.snapshot().syntaxDiagnostics, []);
  const before = program(host);
  const statements = [...before.body];
  for (const e of [{ start: 0, end: 0, text: "\n\n" }, { start: 0, end: 1, text: "" }, { start: 0, end: 0, text: "let y = 1\n" }]) {
    text = apply(text, e);
    host.applyEdit(e);
    assert.deepEqual(program(host), fresh(text).program);
  }
  const after = program(host);
  assert.ok(after.body.includes(statements[1]) && after.body.includes(statements[2]), "the f-string statements were reused, not lowered again");
});
