// The analysis kept across edits (top-level statements' findings reused while their AST node and
// what they read of the resolution are unchanged) equals a fresh analysis after every edit.

import { test } from "node:test";
import assert from "node:assert/strict";
import { parse, lineIndex, type ParseResult } from "../../compiler/src/parser";
import { reparse } from "../../compiler/src/incremental";
import { toAst } from "../../compiler/src/lower";
import { IncrementalAst } from "../src/incrementalAst";
import { resolve, ResolutionCache } from "../../compiler/src/resolve";
import { analyze, AnalysisCache, type AnalysisDiagnostic } from "../../compiler/src/analyze";
import { EditMaker, apply, generatedPrograms, rng, type Edit } from "./randomEdits";

/** Keeps a document's AST, resolution and analysis across edits, as the server does. */
class KeptDocument {
  private readonly ast = new IncrementalAst();
  private readonly resolutions = new ResolutionCache();
  readonly cache = new AnalysisCache();
  parsed: ParseResult;

  constructor(public text: string) {
    this.parsed = parse(text);
  }

  edit(e: Edit): void {
    this.text = apply(this.text, e);
    this.parsed = reparse(this.parsed, e);
  }

  diagnostics(): AnalysisDiagnostic[] {
    const lines = lineIndex(this.parsed);
    const program = this.ast.program(this.parsed, lines);
    const resolution = resolve(program, this.resolutions);
    return analyze({ text: this.parsed.text, program, syntax: this.parsed.diagnostics, resolution, cache: this.cache, position: (o) => lines.position(o) }).diagnostics;
  }
}

function freshDiagnostics(text: string): AnalysisDiagnostic[] {
  const parsed = parse(text);
  const lines = lineIndex(parsed);
  return analyze({ text, program: toAst(parsed), syntax: parsed.diagnostics, position: (o) => lines.position(o) }).diagnostics;
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
    for (let i = 0; i < 150; i++) {
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
