// Chains of tens of thousands of terms (`1 + 1 + …`, `a[0][0]…`, `f(1)(1)…`, f-strings of as
// many parts) nest the tree that deep: every feature still answers, and the analysis runs
// instead of failing on the stack (no WSP3024), before and after an edit.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Hover, Location, PublishDiagnosticsParams } from "vscode-languageserver-protocol/node";
import { TestClient } from "./client";
import { Diagnostics } from "../../compiler/src/diagnostics";

const N = 50_000;
const lines = [
  "fn f(x) {",
  "    return f",
  "}",
  "let a = [1]",
  "print " + Array(N).fill("1").join(" + "),
  "print a" + "[0]".repeat(N),
  "print f" + "(1)".repeat(N),
  "print " + Array(N).fill("true").join(" and "),
  'print f"' + "{a}".repeat(N) + '"',
  "print " + Array(2000).fill("1").join(" < "),
  "print f(a)",
  "",
];
const text = lines.join("\n");
const uri = "file:///long-chains/chains.wsp";

let client: TestClient;
before(async () => {
  client = await TestClient.start();
});
after(async () => {
  await client.stop();
});

function noAnalysisFailure(p: PublishDiagnosticsParams): void {
  const failed = p.diagnostics.filter((d) => d.code === Diagnostics.AnalysisFailed.code);
  assert.deepEqual(failed.map((d) => d.message), []);
}

test("a file of 50 000-term chains is analysed, and every feature answers", async () => {
  const opened = await client.open(uri, text);
  noAnalysisFailure(opened);
  // Comparisons chained 2 000 deep: one warning per link, 1 998 in all; 1 000 are published, then
  // a summary counting the rest (diagnosticsPublisher's cap).
  assert.equal(opened.diagnostics.length, 1001);
  assert.ok(opened.diagnostics.filter((d) => d.code === Diagnostics.ChainedComparison.code).length > 900);
  const summary = opened.diagnostics.at(-1)!;
  assert.equal(summary.code, "limit");
  const total = Number(/of ([\d,]+) are/.exec(String(summary.message))![1].replace(/,/g, ""));
  assert.ok(total >= 1998, String(summary.message));
  const doc = { textDocument: { uri } };
  const last = lines.length - 2;
  const hover = await client.request<Hover | null>("textDocument/hover", { ...doc, position: { line: last, character: 8 } });
  assert.match(JSON.stringify(hover?.contents), /global/);
  const definition = await client.request<Location[] | null>("textDocument/definition", { ...doc, position: { line: last, character: 6 } });
  assert.deepEqual(definition?.map((d) => d.range.start.line), [0]);
  const references = await client.request<Location[]>("textDocument/references", { ...doc, position: { line: 3, character: 4 }, context: { includeDeclaration: true } });
  // `a`: its `let`, the index chain's base, every f-string part, and the call's argument.
  assert.equal(references.length, N + 3);
  const requests: [string, object][] = [
    ["textDocument/semanticTokens/full", doc],
    ["textDocument/foldingRange", doc],
    ["textDocument/documentSymbol", doc],
    ["textDocument/selectionRange", { ...doc, positions: [{ line: 4, character: 20 }] }],
    ["textDocument/inlayHint", { ...doc, range: { start: { line: 0, character: 0 }, end: { line: last + 1, character: 0 } } }],
    ["textDocument/codeLens", doc],
    ["textDocument/documentHighlight", { ...doc, position: { line: 3, character: 4 } }],
    ["textDocument/completion", { ...doc, position: { line: last, character: 6 } }],
    ["textDocument/signatureHelp", { ...doc, position: { line: last, character: 8 } }],
    ["textDocument/formatting", { ...doc, options: { tabSize: 4, insertSpaces: true } }],
    ["textDocument/codeAction", { ...doc, range: { start: { line: 4, character: 0 }, end: { line: 4, character: 10 } }, context: { diagnostics: [] } }],
  ];
  const failed: string[] = [];
  for (const [method, params] of requests) {
    await client.request(method, params).catch((e: Error) => failed.push(`${method}: ${e.message}`));
  }
  assert.deepEqual(failed, []);
  // An edit above every chain moves them all.
  const changed = await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "\n" }]);
  noAnalysisFailure(changed);
  assert.equal(changed.diagnostics.length, opened.diagnostics.length);
  assert.ok(client.alive);
});
