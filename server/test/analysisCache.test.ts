// The analysis host's snapshots (top-level statements' findings reused while their AST node and
// what they read from outside are unchanged) equal a fresh analysis after every edit.
// Sessions run a third of their edits in `npm test`, all of them under WHISPEM_SOAK=1 (`npm run soak`).

import { test } from "node:test";
import assert from "node:assert/strict";
import { AnalysisHost, analyzeText, type AnalysisDiagnostic } from "../../compiler/src/index";
import { Diagnostics } from "../../compiler/src/diagnostics";
import { EditMaker, apply, generatedPrograms, rng, sessionLength, type Edit } from "./randomEdits";

/** A document's analysis host, as the server keeps one. */
class KeptDocument {
  readonly host: AnalysisHost;

  constructor(public text: string) {
    this.host = new AnalysisHost(text);
  }

  edit(e: Edit): void {
    this.text = apply(this.text, e);
    this.host.applyEdit(e);
  }

  diagnostics(): AnalysisDiagnostic[] {
    return this.host.snapshot().analysis().diagnostics;
  }

  get cache() {
    const use = this.host.cacheUse();
    return { structure: { reused: use.structureReused }, names: { reused: use.namesReused } };
  }
}

function freshDiagnostics(text: string): AnalysisDiagnostic[] {
  return analyzeText(text).analysis().diagnostics;
}

test("analysing with the cache of unchanged top-level statements equals analysing afresh, after every edit", () => {
  const programs = generatedPrograms(1101, 4);
  const random = rng(79);
  let reused = 0;
  let edits = 0;
  for (const original of programs) {
    const doc = new KeptDocument(original);
    doc.diagnostics();
    const maker = new EditMaker(random);
    for (let i = 0; i < sessionLength(150); i++) {
      const e = maker.next(doc.text);
      doc.edit(e);
      const kept = doc.diagnostics();
      reused += doc.cache.structure.reused;
      edits++;
      assert.deepEqual(kept, freshDiagnostics(doc.text), `program ${programs.indexOf(original)}, edit ${i}: ${JSON.stringify(e)}`);
    }
  }
  assert.ok(reused > edits * 3, `only ${reused} statements taken from the cache over ${edits} edits`);
});

/** Replaces the first occurrence of `from` and checks the kept analysis against a fresh one. */
function replaceAndCheck(doc: KeptDocument, from: string, to: string): AnalysisDiagnostic[] {
  const start = doc.text.indexOf(from);
  assert.ok(start >= 0, from);
  doc.edit({ start, end: start + from.length, text: to });
  const kept = doc.diagnostics();
  assert.deepEqual(kept, freshDiagnostics(doc.text));
  return kept;
}

test("a statement's findings follow what it reads from elsewhere: a global's value, syntax errors", () => {
  const doc = new KeptDocument(
    ["let limit = [1, 2]", "", "fn check(n) {", "    if n == limit {", "        return 1", "    }", "    return map([n], fn(a, b) { return a })", "}", "", "print check(1)", 'print f"{limit}"', ""].join("\n"),
  );
  const codes = (ds: AnalysisDiagnostic[]) => ds.map((d) => d.code);
  const first = doc.diagnostics();
  assert.ok(codes(first).includes("WSP3012") && codes(first).includes("WSP3021"), JSON.stringify(first));
  // The global becomes a number: the unchanged function no longer compares with a collection.
  const second = replaceAndCheck(doc, "let limit = [1, 2]", "let limit = 3");
  assert.ok(doc.cache.structure.reused > 0, "the function was taken from the cache");
  assert.ok(!codes(second).includes("WSP3012") && codes(second).includes("WSP3021"));
  // And back, with lines added above: the finding returns, in its new place.
  assert.ok(codes(replaceAndCheck(doc, "let limit = 3", "\n\nlet limit = [3]")).includes("WSP3012"));
  // Moving everything keeps the callback-arity finding's span and the unchanged statements cached.
  replaceAndCheck(doc, "\n\nlet", "let");
  // A syntax error inside the f-string's braces elsewhere does not change the function's findings.
  replaceAndCheck(doc, 'f"{limit}"', 'f"{limit )}"');
  replaceAndCheck(doc, 'f"{limit )}"', 'f"{limit}"');
});

test("a function's name findings kept across edits still follow main: new functions, globals and their lines", () => {
  const doc = new KeptDocument(
    [
      "fn user(n) {",
      "    let unused = 1",
      "    let total = helper(n)",
      "    let items = [n]",
      "    items[0] = 2",
      "    let count = 0",
      "    let bump = fn() { let count = count + 1 }",
      "    print count",
      "    print later",
      "    glob[0] = 5",
      "    let shared = 2",
      "    return total + items[0]",
      "}",
      "",
      "let shared = 1",
      "let glob = [1]",
      "print user(1)",
      "",
    ].join("\n"),
  );
  const codes = (ds: AnalysisDiagnostic[]) => ds.map((d) => d.code).sort();
  const first = doc.diagnostics();
  const undefinedFunction = Diagnostics.UndefinedFunction.code;
  assert.ok(codes(first).includes(undefinedFunction) && codes(first).includes(Diagnostics.StaleRead.code), JSON.stringify(codes(first)));
  // A function appears in main with the wrong arity: the kept function's call changes finding.
  const second = replaceAndCheck(doc, "print user(1)", "fn helper(a, b) { return a }\nprint user(1)");
  assert.ok(!codes(second).includes(undefinedFunction) && codes(second).includes(Diagnostics.WrongArity.code), JSON.stringify(codes(second)));
  // Globals `items` and `count` appear: the function's lets now make local copies of them.
  const third = replaceAndCheck(doc, "print user(1)", "let items = [0]\nlet count = 5\nprint user(1)");
  assert.ok(codes(third).includes(Diagnostics.GlobalLocalCopy.code), JSON.stringify(codes(third)));
  // Lines added above the function: every kept finding moves with it, messages naming lines too.
  replaceAndCheck(doc, "fn user(n) {", "# note\n\nfn user(n) {");
  replaceAndCheck(doc, "fn helper(a, b) { return a }\n", "");
  // An undefined name becomes a named function (read as a value); globals get an earlier `let`
  // (the local copies' notes point there). Neither changes which names are globals.
  const fourth = replaceAndCheck(doc, "print user(1)", "fn later() { return 1 }\nprint user(1)");
  assert.ok(codes(fourth).includes(Diagnostics.NamedFunctionAsValue.code), JSON.stringify(codes(fourth)));
  // Both kinds of local copy of a global (a `let`, an index assignment) point to its first `let`.
  for (const name of ["shared", "glob"]) {
    const copyOf = (ds: AnalysisDiagnostic[]) => ds.find((d) => d.code === Diagnostics.GlobalLocalCopy.code && d.message.includes(`'${name}'`))!;
    const before = copyOf(doc.diagnostics());
    const at = doc.text.indexOf(`\nlet ${name} = `, doc.text.indexOf("\n}\n")) + 1;
    doc.edit({ start: at, end: at, text: `let ${name} = 0\n` });
    const kept = doc.diagnostics();
    assert.deepEqual(kept, freshDiagnostics(doc.text));
    // The new first `let` is where the old one was; a diagnostic made before the edit keeps its
    // place (its related span is a copy, not the AST node that the edit moved).
    const nameSpan = { start: at + 4, end: at + 4 + name.length };
    assert.deepEqual(copyOf(kept).related?.[0].span, nameSpan, name);
    assert.deepEqual(before.related?.[0].span, nameSpan, name);
  }
});

test("a kept function's unused-variable findings follow calls that start or stop reaching its own variables", () => {
  const doc = new KeptDocument("fn user() {\n    let g = 5\n    return g()\n}\nprint user()\n");
  const unusedG = (ds: AnalysisDiagnostic[]) => ds.some((d) => d.code === Diagnostics.UnusedVariable.code && d.message.includes("'g'"));
  assert.equal(unusedG(doc.diagnostics()), false, "the call reaches the local g");
  // Once a named function g exists the call reaches it: the local is never read.
  assert.equal(unusedG(replaceAndCheck(doc, "print user()", "fn g() { return 1 }\nprint user()")), true);
  // Lines above move everything; nothing else changes.
  assert.equal(unusedG(replaceAndCheck(doc, "fn user() {", "\nfn user() {")), true);
  assert.equal(unusedG(replaceAndCheck(doc, "fn g() { return 1 }\n", "")), false);
});

test("a kept function's call findings follow what they read outside it: globals' values, nested declarations, fixes' offsets", () => {
  const doc = new KeptDocument(
    [
      "fn user(n) {",
      "    print cb(n)",
      "    print inner(n)",
      "    return n",
      "}",
      "",
      "fn typo(n) {",
      "    return helpr(n)",
      "}",
      "",
      "if true {",
      "    fn inner(x) {",
      "        return x",
      "    }",
      "}",
      "",
      "fn helper(x) {",
      "    return x",
      "}",
      "",
      "let cb = fn(a, b) { return a }",
      "print user(1) + helper(2) + typo(3)",
      "",
    ].join("\n"),
  );
  const has = (ds: AnalysisDiagnostic[], code: string) => ds.some((d) => d.code === code);
  const first = doc.diagnostics();
  assert.ok(has(first, Diagnostics.WrongArity.code) && has(first, Diagnostics.UndefinedFunction.code), JSON.stringify(first.map((d) => d.code)));
  // The global's lambda takes one parameter now: the call in the kept function is right.
  const second = replaceAndCheck(doc, "let cb = fn(a, b) { return a }", "let cb = fn(a) { return a }");
  assert.ok(!has(second, Diagnostics.WrongArity.code));
  // The nested declaration the undefined call points to is written again, one line lower.
  const nested = replaceAndCheck(doc, "if true {\n", "if true {\n    print 0\n");
  const note = nested.find((d) => d.message.includes("'inner'"))?.related?.[0];
  assert.ok(note && doc.text.slice(note.span.start, note.span.end) === "inner", JSON.stringify(note));
  // A statement above the kept function moves it: its "did you mean 'helper'" fix moves too.
  doc.edit({ start: 0, end: 0, text: "print 0\n" });
  const moved = doc.diagnostics();
  assert.deepEqual(moved, freshDiagnostics(doc.text));
  const fix = moved.find((d) => d.message.includes("'helpr'"))?.fixes?.[0]?.edits[0];
  assert.ok(fix && doc.text.slice(fix.start, fix.end) === "helpr", JSON.stringify(fix));
});

test("a kept function's undefined names get their suggestions from the names defined elsewhere", () => {
  const doc = new KeptDocument("fn user(n) {\n    return zqxv(n)\n}\nprint user(1)\n");
  const message = (ds: AnalysisDiagnostic[]) => ds.find((d) => d.code === Diagnostics.UndefinedFunction.code)?.message;
  assert.equal(message(doc.diagnostics()), "undefined function 'zqxv'");
  // A function of a similar name appears in main: the kept function's finding now suggests it.
  const suggested = replaceAndCheck(doc, "print user(1)", "fn zqxw(a) { return a }\nprint user(1)");
  assert.match(message(suggested) ?? "", /did you mean 'zqxw'/);
});

test("an edit in main that changes no answer a function read keeps every function's name findings, moved", () => {
  const doc = new KeptDocument("fn a(n) {\n    return helpr(n) + g(n)\n}\n\nfn b() {\n    let unused = 1\n    return a(1)\n}\n\nlet g = 2\nprint b()\n");
  doc.diagnostics();
  doc.edit({ start: 0, end: 0, text: "print 0\n\n" });
  assert.deepEqual(doc.diagnostics(), freshDiagnostics(doc.text));
  assert.equal(doc.host.cacheUse().namesReused, 2);
  replaceAndCheck(doc, "let g = 2", "let g = 3");
  assert.equal(doc.host.cacheUse().namesReused, 2, "g still holds a number");
  replaceAndCheck(doc, "let g = 3", "let g = [3]");
  assert.equal(doc.host.cacheUse().namesReused, 1, "a calls g, whose value kind changed");
});
