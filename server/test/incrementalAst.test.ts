// The AST the server keeps across edits (reused statements moved in place, new ones lowered)
// equals a fresh lowering of the whole text after every one of thousands of random edits.

import { test } from "node:test";
import assert from "node:assert/strict";
import { parse, lineIndex, type ParseResult } from "../../compiler/src/parser";
import { reparse } from "../../compiler/src/incremental";
import { toAst } from "../../compiler/src/lower";
import { IncrementalAst } from "../src/incrementalAst";
import { EditMaker, apply, generatedPrograms, rng } from "./randomEdits";

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
    for (let i = 0; i < 200; i++) {
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
  assert.equal(edits, programs.length * 200);
  assert.ok(reusedSome > edits / 2);
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
