// Broken documents (the conformance syntax corpus) still get hover and go-to-definition: the
// parser recovers, and names keep resolving around the error.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Hover, Location } from "vscode-languageserver-protocol/node";
import { TestClient, fixtureUri, root } from "./client";

const dir = "test-fixtures/conformance/syntax";
let client: TestClient;
before(async () => {
  client = await TestClient.start();
});
after(async () => {
  await client.stop();
});

test("calls of top-level functions resolve to their declaration in every broken program", async () => {
  // Before the error every call must resolve; after it, the parser's recovery may skip a
  // region as one error statement, so most (not all) calls there must.
  let checked = 0;
  let after = 0;
  let afterResolved = 0;
  const files = readdirSync(join(root, dir)).filter((f) => f.endsWith(".wsp")).sort();
  for (const file of files) {
    const text = readFileSync(join(root, dir, file), "utf8");
    const error = readFileSync(join(root, dir, file.replace(/\.wsp$/, ".error")), "utf8");
    const errorLine = Number(/\[line (\d+)/.exec(error)?.[1] ?? 0) - 1;
    // An unterminated f-string runs to the end of the file: nothing after it is code.
    const lastLine = error.includes("Unterminated string literal") ? errorLine - 2 : Infinity;
    const uri = fixtureUri(join(dir, file));
    const published = await client.open(uri, text);
    assert.ok(published.diagnostics.some((d) => d.severity === 1), `${file}: the syntax error is reported`);
    const lines = text.split("\n");
    const declared = new Map<string, number>();
    lines.forEach((l, i) => {
      const m = /^fn (\w+)\(/.exec(l);
      if (m && Math.abs(i - errorLine) > 1) declared.set(m[1], i);
    });
    for (let i = 0; i < lines.length && i <= lastLine; i++) {
      if (Math.abs(i - errorLine) <= 1) continue;
      for (const m of lines[i].matchAll(/(?<![\w"])(\w+)\(/g)) {
        const declLine = declared.get(m[1]);
        if (declLine === undefined || lines[i].startsWith("fn ")) continue;
        const position = { line: i, character: m.index! + 1 };
        const defs = await client.request<Location[] | null>("textDocument/definition", { textDocument: { uri }, position });
        if (i > errorLine) {
          after++;
          if (defs?.[0]?.range.start.line === declLine) afterResolved++;
          continue;
        }
        assert.deepEqual(defs?.map((d) => d.range.start.line), [declLine], `${file}:${i + 1}: ${m[1]}(…)`);
        const h = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri }, position });
        assert.ok(h && JSON.stringify(h.contents).includes(`fn ${m[1]}(`), `${file}:${i + 1}: hover on ${m[1]}`);
        checked++;
      }
    }
    await client.close(uri);
  }
  assert.ok(checked >= 50, `only ${checked} calls checked`);
  assert.ok(after >= 50 && afterResolved >= 0.8 * after, `after the error: ${afterResolved} of ${after} calls resolved`);
});

test("names defined before an error still resolve after it", async () => {
  const uri = "file:///broken/after-error.wsp";
  const text = "let total = 1\nlet = 2\nprint f(total,\nprint total\n";
  await client.open(uri, text);
  const defs = await client.request<Location[] | null>("textDocument/definition", { textDocument: { uri }, position: { line: 3, character: 8 } });
  assert.deepEqual(defs?.map((d) => [d.range.start.line, d.range.start.character]), [[0, 4]]);
  const h = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri }, position: { line: 3, character: 8 } });
  assert.match(JSON.stringify(h?.contents), /global variable/);
});
