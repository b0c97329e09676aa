// Issue 18: direction controls in constants and chunk names are shown as escapes in the bytecode
// views' model (and isolated by the stylesheet), so a listing reads as what it holds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../../../compiler/src/compiler";
import { viewOfFile, viewOfSource } from "../../src/bytecode/viewModel";
import { visibleText } from "../../src/bytecode/visibleText";

const CONTROLS = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c, 0x200b, 0xfeff];

test("visibleText writes every direction control as an escape and keeps the rest", () => {
  for (const cp of CONTROLS) {
    const c = String.fromCharCode(cp);
    assert.equal(visibleText(`a${c}b`), `a\\u{${cp.toString(16).toUpperCase().padStart(4, "0")}}b`);
  }
  assert.equal(visibleText("héllo 𝒜 — ok"), "héllo 𝒜 — ok");
});

test("a string constant holding U+202E shows the escape, in the constants and the operands", () => {
  const preview = viewOfSource('print "abc\u202Edef\u2066x"\n');
  assert.ok(preview.ok);
  const view = preview.view;
  const texts = view.chunks.flatMap((c) => c.constants.map((k) => k.text));
  assert.ok(texts.includes("'abc\\u{202E}def\\u{2066}x'"), texts.join(" "));
  const operandTexts = view.rows.flatMap((r) => (r.kind === "instruction" ? r.operands.map((o) => ("text" in o ? o.text : "")) : []));
  assert.ok(operandTexts.includes("'abc\\u{202E}def\\u{2066}x'"));
  assert.equal(JSON.stringify(view).includes("\u202E"), false);
});

test("a chunk name holding U+202E (a crafted file) shows the escape everywhere, the file still verified", () => {
  const bytes = Buffer.from(compile("fn qqq() {\n    return 1\n}\nprint qqq()\n").bytes!);
  // Every "qqq" (the chunk's name and the constants naming it) becomes U+202E (3 bytes in UTF-8).
  let at = bytes.indexOf("qqq");
  assert.ok(at >= 0);
  while (at >= 0) {
    bytes.set([0xe2, 0x80, 0xae], at);
    at = bytes.indexOf("qqq");
  }
  const view = viewOfFile(bytes);
  assert.equal(view.error, null);
  assert.ok(view.chunks.some((c) => c.name === "\\u{202E}"), view.chunks.map((c) => c.name).join(","));
  assert.ok(view.rows.some((r) => r.kind === "chunk" && r.text.startsWith("== \\u{202E} ==")));
  assert.equal(JSON.stringify(view).includes("\u202E"), false);
});

test("the stylesheet isolates each value", () => {
  const css = readFileSync(join(__dirname, "../../../media/bytecode/bytecodeView.css"), "utf8");
  assert.match(css, /unicode-bidi:\s*isolate/);
});
