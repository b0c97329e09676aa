// The conformance corpus against the parser: the first diagnostic of every syntax/ case is the
// reference's error (message, line, column); run/ and compile-errors/ programs parse cleanly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "../src/parser";
import { referenceText } from "../src/diagnostics";
import { greenText } from "../src/syntax";

const corpus = join(__dirname, "../../test-fixtures/conformance");

function programs(dir: string): string[] {
  return readdirSync(join(corpus, dir)).filter((f) => f.endsWith(".wsp")).sort();
}

test("syntax/: the first diagnostic is the reference's error, for every case", () => {
  const files = programs("syntax");
  assert.ok(files.length >= 100, "the corpus is present");
  const wrong: string[] = [];
  for (const f of files) {
    const text = readFileSync(join(corpus, "syntax", f), "utf8");
    const expected = readFileSync(join(corpus, "syntax", f.replace(/\.wsp$/, ".error")), "utf8").trim();
    const r = parse(text);
    assert.equal(greenText(r.root.green), text, `${f} is lossless`);
    const got = r.diagnostics.length ? referenceText(r.diagnostics[0]) : "(no diagnostic)";
    if (got !== expected) wrong.push(`${f}: expected ${expected}, got ${got}`);
    for (const d of r.diagnostics) assert.ok(d.start <= d.end && d.end <= text.length, `${f}: diagnostic range inside the text`);
  }
  assert.deepEqual(wrong, []);
});

for (const dir of ["run", "compile-errors"]) {
  test(`${dir}/: every program parses without a diagnostic`, () => {
    const files = programs(dir);
    assert.ok(files.length > 0);
    for (const f of files) {
      const text = readFileSync(join(corpus, dir, f), "utf8");
      const r = parse(text);
      assert.deepEqual(r.diagnostics, [], f);
      assert.equal(greenText(r.root.green), text, `${f} is lossless`);
    }
  });
}

test("syntax/: the error codes are the catalogue's lexical and syntax codes", () => {
  for (const f of programs("syntax")) {
    const r = parse(readFileSync(join(corpus, "syntax", f), "utf8"));
    assert.match(r.diagnostics[0].code, /^WSP100[1-4]$/, f);
    assert.equal(r.diagnostics[0].severity, "error");
  }
});
