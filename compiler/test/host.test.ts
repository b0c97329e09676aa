// The analysis host's one rule (keep.ts): an item's results are kept while its node and the
// answers to the questions it asked outside itself are the same. Each test here stands for one
// input of that rule: dropping the input (not asking the question, or not comparing an answer)
// makes the test fail — each was checked by planting that fault.

import { test } from "node:test";
import assert from "node:assert/strict";
import { AnalysisHost, analyzeText, type AnalysisDiagnostic } from "../src/index";

/** Applies `from` → `to` (first occurrence) and checks the host's snapshot against a fresh analysis. */
function edit(host: AnalysisHost, from: string, to: string): AnalysisDiagnostic[] {
  const start = host.text.indexOf(from);
  assert.ok(start >= 0, from);
  host.applyEdit({ start, end: start + from.length, text: to });
  const kept = host.snapshot().analysis().diagnostics;
  assert.deepEqual(kept, analyzeText(host.text).analysis().diagnostics, `after ${JSON.stringify(from)} → ${JSON.stringify(to)}`);
  return kept;
}

const messages = (ds: AnalysisDiagnostic[]) => ds.map((d) => d.message);

test("resolution asks whether main stores into a name: a `for` in main makes an unchanged function's read a global", () => {
  const host = new AnalysisHost("fn show() {\n    print x\n}\n\nfn other(n) {\n    return n\n}\n\nprint show()\nprint other(1)\n");
  assert.ok(messages(host.snapshot().analysis().diagnostics).some((m) => m.startsWith("undefined variable 'x'")));
  const after = edit(host, "print other(1)\n", "print other(1)\nfor x in [1] {}\n");
  assert.ok(!messages(after).some((m) => m.startsWith("undefined variable 'x'")), JSON.stringify(messages(after)));
  assert.ok(host.cacheUse().resolutionReused >= 1, "the function that does not read x was kept");
});

test("resolution asks whether a name is a top-level let: a new global turns a function's early read from its own local to the global", () => {
  const host = new AnalysisHost("fn f() {\n    print y\n    let y = 2\n    return y\n}\n\nprint f()\n");
  const codes = (ds: AnalysisDiagnostic[]) => ds.map((d) => d.code);
  const before = host.snapshot().analysis().diagnostics;
  assert.ok(before.some((d) => d.message.includes("'y'")), JSON.stringify(messages(before)));
  const after = edit(host, "print f()\n", "let y = 1\nprint f()\n");
  assert.notDeepEqual(codes(after), codes(before));
});
