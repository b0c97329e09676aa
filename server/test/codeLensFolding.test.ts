// Code lenses, folding ranges and selection ranges through the real server, on the fixture and
// on broken documents.

import { test, before, after as afterAll } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { CodeLens, FoldingRange, SelectionRange } from "vscode-languageserver-protocol/node";
import { TestClient, fixtureUri, root } from "./client";
import { after, aidsText, aidsUri, scratch } from "./aidsFixture";

let client: TestClient;
before(async () => {
  client = await TestClient.start();
  await client.open(aidsUri, aidsText);
});
afterAll(async () => {
  await client.stop();
});

const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { contributes: { commands: { command: string }[] } };

test("code lenses: Run file above the first line (the client's run command with the URI), reference counts above functions on resolve", async () => {
  const lenses = await client.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri: aidsUri } });
  const run = lenses[0];
  assert.deepEqual(run.range.start, { line: 0, character: 0 });
  assert.equal(run.command!.title, "▶ Run file");
  assert.ok(manifest.contributes.commands.some((c) => c.command === run.command!.command), "the command is one the extension contributes");
  assert.deepEqual(run.command!.arguments, [aidsUri]);
  assert.ok(lenses.slice(1).every((l) => !l.command), "counts are left to resolve");
  const resolved = await Promise.all(lenses.slice(1).map((l) => client.request<CodeLens>("codeLens/resolve", l)));
  const counts = resolved.map((l) => `${l.range.start.line}:${l.range.start.character} ${l.command!.title}`);
  assert.deepEqual(counts, ["3:3 2 references", "7:3 1 reference"]);
});

test("code lenses: a function never called, and a nested declaration", async () => {
  const uri = await scratch(client, "fn unused() {}\nfn outer() {\n    fn inner() {}\n}\nprint outer()\n");
  const lenses = await client.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri } });
  const resolved = await Promise.all(lenses.slice(1).map((l) => (l.command ? l : client.request<CodeLens>("codeLens/resolve", l))));
  assert.deepEqual(resolved.map((l) => `${l.range.start.line} ${l.command!.title}`), ["0 0 references", "1 1 reference", "2 never compiled (not at the top level)"]);
});

test("folding: blocks, multi-line arrays and dicts, comment runs", async () => {
  const text = "# one\n# two\nfn f() {\n    let d = {\n        \"a\": 1\n    }\n    return [1,\n        2]\n}\nif true {\n    print 1\n} else {\n    print 2\n}\n";
  const uri = await scratch(client, text);
  const ranges = await client.request<FoldingRange[]>("textDocument/foldingRange", { textDocument: { uri } });
  const got = ranges.map((r) => `${r.startLine}-${r.endLine}${r.kind ? " " + r.kind : ""}`);
  assert.deepEqual(got, ["0-1 comment", "2-7", "3-4", "6-7", "9-10", "11-12"]);
});

test("selection ranges grow from the name to the statement, the block, the function, the file", async () => {
  const pos = after(aidsText, "let sum = a", 0);
  const [sel] = await client.request<SelectionRange[]>("textDocument/selectionRange", { textDocument: { uri: aidsUri }, positions: [{ line: pos.line, character: pos.character - 1 }] });
  const texts: string[] = [];
  const lines = aidsText.split("\n");
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  for (let s: SelectionRange | undefined = sel; s; s = s.parent) texts.push(aidsText.slice(offset(s.range.start), offset(s.range.end)));
  assert.equal(texts[0], "a");
  assert.ok(texts.includes("a + b"));
  assert.ok(texts.includes("let sum = a + b"));
  assert.ok(texts.some((t) => t.startsWith("{\n    let sum") && t.endsWith("}")));
  assert.ok(texts.some((t) => t.startsWith("fn add(a, b) {")));
  assert.equal(texts[texts.length - 1], aidsText);
  for (let i = 1; i < texts.length; i++) assert.ok(texts[i].includes(texts[i - 1]) && texts[i].length > texts[i - 1].length, "each range strictly contains the previous");
});

test("broken documents: folding and selection ranges still answer", async () => {
  const dir = "test-fixtures/conformance/syntax";
  let folded = 0;
  let multiLine = 0;
  for (const f of readdirSync(join(root, dir)).filter((x) => x.endsWith(".wsp")).sort().slice(0, 40)) {
    const text = readFileSync(join(root, dir, f), "utf8");
    const uri = fixtureUri(join(dir, f));
    await client.open(uri, text);
    const ranges = await client.request<FoldingRange[]>("textDocument/foldingRange", { textDocument: { uri } });
    for (const r of ranges) assert.ok(r.endLine > r.startLine, `${f}: non-empty folds`);
    if (/\{\n/.test(text) && text.split("\n").length > 10) {
      multiLine++;
      if (ranges.length) folded++;
    }
    const lastLine = text.split("\n").length - 2;
    const sel = await client.request<SelectionRange[]>("textDocument/selectionRange", { textDocument: { uri }, positions: [{ line: Math.max(0, lastLine), character: 2 }] });
    assert.equal(sel.length, 1);
    await client.close(uri);
  }
  assert.ok(multiLine >= 15 && folded === multiLine, `${folded} of ${multiLine} broken files with blocks folded`);
});
