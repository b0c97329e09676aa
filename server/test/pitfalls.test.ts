// Protocol test: for each pitfall fixture, the real server publishes exactly the diagnostics
// written in the fixture (code, range, severity, tags).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from "vscode-languageserver-protocol/node";
import { TestClient, fixtureUri, root } from "./client";
import { readAnnotations, type ExpectedDiagnostic } from "./annotations";

const dir = "test-fixtures/server/pitfalls";
const severityName: Record<number, string> = {
  [DiagnosticSeverity.Error]: "error",
  [DiagnosticSeverity.Warning]: "warning",
  [DiagnosticSeverity.Information]: "information",
  [DiagnosticSeverity.Hint]: "hint",
};

function describeGot(d: Diagnostic): string {
  const tags = d.tags?.includes(DiagnosticTag.Unnecessary) ? " unnecessary" : "";
  return `${d.code} ${severityName[d.severity!]}${tags} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} (${typeof d.message === "string" ? d.message : d.message.value})`;
}

function matches(e: ExpectedDiagnostic, d: Diagnostic): boolean {
  return (
    d.code === e.code &&
    severityName[d.severity!] === e.severity &&
    (d.tags?.includes(DiagnosticTag.Unnecessary) ?? false) === e.unnecessary &&
    d.range.start.line === e.start.line &&
    d.range.start.character === e.start.character &&
    (e.end === null || (d.range.end.line === e.end.line && d.range.end.character === e.end.character))
  );
}

let client: TestClient;
before(async () => {
  client = await TestClient.start();
});
after(async () => {
  await client.stop();
});

for (const file of readdirSync(join(root, dir)).filter((f) => f.endsWith(".wsp")).sort()) {
  test(`pitfall fixture ${file}`, async () => {
    const text = readFileSync(join(root, dir, file), "utf8");
    const expected = readAnnotations(text).diagnostics;
    assert.ok(expected.length > 0, "a pitfall fixture expects at least one diagnostic");
    const published = await client.open(fixtureUri(join(dir, file)), text);
    const got = [...published.diagnostics];
    const missing: string[] = [];
    for (const e of expected) {
      const i = got.findIndex((d) => matches(e, d));
      if (i < 0) missing.push(`line ${e.annotationLine}: ${e.code} ${e.severity} at ${e.start.line}:${e.start.character}`);
      else got.splice(i, 1);
    }
    assert.deepEqual({ missing, unexpected: got.map(describeGot) }, { missing: [], unexpected: [] });
    for (const d of published.diagnostics) {
      assert.equal(d.source, "whispem");
      assert.ok(typeof d.message === "string" && d.message.length > 0);
    }
  });
}
