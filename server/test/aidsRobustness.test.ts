// Every editing aid answers, without throwing, at seeded random positions of every broken program
// of the syntax corpus (and some of its programs cut at random points), with ranges that lie in
// the document. In-process, on the server's own document type.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Position, Range } from "vscode-languageserver/node";
import { OpenDocument } from "../src/documents";
import { completion } from "../src/completion";
import { signatureHelp } from "../src/signatureHelp";
import { encodeTokens } from "../src/semanticTokens";
import { formatDocument, formatOnType, formatRange } from "../src/formatting";
import { codeActions } from "../src/codeActions";
import { inlayHints } from "../src/inlayHints";
import { codeLenses } from "../src/codeLens";
import { foldingRanges } from "../src/folding";
import { selectionRanges } from "../src/selectionRanges";
import { root } from "./client";

function inDocument(lines: string[], p: Position, what: string): void {
  assert.ok(p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line].length, `${what}: ${JSON.stringify(p)} outside the document`);
}

function checkRange(lines: string[], r: Range, what: string): void {
  inDocument(lines, r.start, what);
  inDocument(lines, r.end, what);
  assert.ok(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), `${what}: inverted range`);
}

test("every aid answers at random positions of broken programs", () => {
  const dir = join(root, "test-fixtures/conformance/syntax");
  let seed = 12345;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const files = readdirSync(dir).filter((f) => f.endsWith(".wsp")).sort();
  let asked = 0;
  for (const f of files) {
    const full = readFileSync(join(dir, f), "utf8");
    for (const text of [full, full.slice(0, rand(full.length + 1))]) {
      const doc = new OpenDocument(`file:///${f}`, 1, text);
      const lines = text.split("\n");
      const whole: Range = { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } };
      const data = encodeTokens(doc);
      assert.equal(data.length % 5, 0);
      for (const e of formatDocument(doc)) checkRange(lines, e.range, `${f} format`);
      for (const l of codeLenses(doc)) checkRange(lines, l.range, `${f} lens`);
      for (const r of foldingRanges(doc)) assert.ok(r.startLine < r.endLine && r.endLine < lines.length, `${f} fold`);
      for (const h of inlayHints(doc, whole)) inDocument(lines, h.position, `${f} hint`);
      for (let i = 0; i < 12; i++) {
        const line = rand(lines.length);
        const position = { line, character: rand(lines[line].length + 1) };
        for (const item of completion(doc, position).items) if (item.textEdit && "range" in item.textEdit) checkRange(lines, item.textEdit.range, `${f} completion`);
        const help = signatureHelp(doc, position);
        if (help) assert.ok(help.signatures.length === 1 && (help.activeParameter ?? 0) >= 0);
        for (let s = selectionRanges(doc, [position])[0]; s; s = s.parent!) checkRange(lines, s.range, `${f} selection`);
        for (const a of codeActions(doc, { start: position, end: position })) for (const e of Object.values(a.edit!.changes!).flat()) checkRange(lines, e.range, `${f} action`);
        for (const e of formatOnType(doc, position, "}")) checkRange(lines, e.range, `${f} on-type`);
        for (const e of formatRange(doc, { start: position, end: position })) checkRange(lines, e.range, `${f} range format`);
        asked++;
      }
    }
  }
  assert.ok(asked >= 3000, `${asked} positions`);
});
