// The conformance corpus: every run/NAME.wsp compiles to exactly NAME.whbc, and every
// compile-errors/NAME.wsp reports NAME.error's text as its first diagnostic.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../src/compiler";
import { referenceText } from "../src/diagnostics";
import { readWhbc } from "../src/whbc";
import { disassemble } from "../src/disasm";

const CORPUS = join(__dirname, "../../test-fixtures/conformance");

function listing(bytes: Uint8Array): string {
  const r = readWhbc(bytes);
  return r.ok ? disassemble(r.file) : r.error;
}

test("every run/ program compiles to the reference's bytes", () => {
  const dir = join(CORPUS, "run");
  const names = readdirSync(dir).filter((f) => f.endsWith(".wsp")).map((f) => f.slice(0, -4)).sort();
  assert.ok(names.length >= 200);
  for (const name of names) {
    const result = compile(readFileSync(join(dir, `${name}.wsp`), "utf8"));
    assert.deepEqual(result.diagnostics.map(referenceText), [], name);
    const expected = new Uint8Array(readFileSync(join(dir, `${name}.whbc`)));
    if (Buffer.compare(Buffer.from(result.bytes!), Buffer.from(expected)) !== 0) {
      // The listing is the oracle: show where the instructions differ, not only that bytes do.
      assert.equal(listing(result.bytes!), listing(expected), `${name}: bytes differ`);
      assert.fail(`${name}: bytes differ but the listings agree`);
    }
  }
});

test("every compile-errors/ program reports the reference's first error", () => {
  const dir = join(CORPUS, "compile-errors");
  const names = readdirSync(dir).filter((f) => f.endsWith(".wsp")).map((f) => f.slice(0, -4)).sort();
  assert.ok(names.length >= 5);
  for (const name of names) {
    const result = compile(readFileSync(join(dir, `${name}.wsp`), "utf8"));
    assert.equal(result.bytes, null, name);
    assert.equal(referenceText(result.diagnostics[0]), readFileSync(join(dir, `${name}.error`), "utf8").trim(), name);
    assert.equal(result.diagnostics.length, 1, name);
    assert.match(result.diagnostics[0].code, /^WSP2\d{3}$/, name);
  }
});
