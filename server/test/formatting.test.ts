// Document, range and on-type formatting through the real server, on the golden fixture and on
// broken documents (whose error lines stay as written).

import { test, before, after as afterAll } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { TextEdit } from "vscode-languageserver-protocol/node";
import { TestClient, fixtureUri, root } from "./client";
import { applyTextEdits, scratch } from "./aidsFixture";

const options = { tabSize: 2, insertSpaces: false };
let client: TestClient;
before(async () => {
  client = await TestClient.start();
});
afterAll(async () => {
  await client.stop();
});

test("document formatting gives the golden layout (whatever the client's tab options)", async () => {
  const input = readFileSync(join(root, "test-fixtures/server-aids/format-input.wsp"), "utf8");
  const expected = readFileSync(join(root, "test-fixtures/server-aids/format-expected.wsp"), "utf8");
  const uri = await scratch(client, input);
  const edits = await client.request<TextEdit[]>("textDocument/formatting", { textDocument: { uri }, options });
  assert.equal(applyTextEdits(input, edits), expected);
  const tidy = await scratch(client, expected);
  assert.deepEqual(await client.request<TextEdit[]>("textDocument/formatting", { textDocument: { uri: tidy }, options }), []);
});

test("range formatting touches only the lines of the range", async () => {
  const text = "let  a=1\nlet  b=[1,2]\nlet  c=3\n";
  const uri = await scratch(client, text);
  const edits = await client.request<TextEdit[]>("textDocument/rangeFormatting", { textDocument: { uri }, range: { start: { line: 1, character: 2 }, end: { line: 1, character: 4 } }, options });
  assert.equal(applyTextEdits(text, edits), "let  a=1\nlet b = [1, 2]\nlet  c=3\n");
});

test("on-type formatting after `}` formats the block it closes", async () => {
  const text = "let x = 1\nif x>0 {\nprint   x\n  }\nlet  y=2\n";
  const uri = await scratch(client, text);
  const edits = await client.request<TextEdit[]>("textDocument/onTypeFormatting", { textDocument: { uri }, position: { line: 3, character: 3 }, ch: "}", options });
  assert.equal(applyTextEdits(text, edits), "let x = 1\nif x > 0 {\n    print x\n}\nlet  y=2\n");
  const none = await client.request<TextEdit[]>("textDocument/onTypeFormatting", { textDocument: { uri }, position: { line: 2, character: 3 }, ch: "}", options });
  assert.deepEqual(none, []);
});

test("broken documents: the lines with the error stay as written, the rest is formatted", async () => {
  const dir = "test-fixtures/conformance/syntax";
  let reformatted = 0;
  for (const f of readdirSync(join(root, dir)).filter((x) => x.endsWith(".wsp")).sort().slice(0, 60)) {
    const text = readFileSync(join(root, dir, f), "utf8");
    const errorLine = Number(/\[line (\d+)/.exec(readFileSync(join(root, dir, f.replace(/\.wsp$/, ".error")), "utf8"))![1]) - 1;
    const messy = text.split("\n").map((l, i) => (i === errorLine || l.trim() === "" ? l : l.replace(/ = /g, "  =  ") + "  ")).join("\n");
    const uri = fixtureUri(join(dir, f));
    await client.open(uri, messy);
    const edits = await client.request<TextEdit[]>("textDocument/formatting", { textDocument: { uri }, options });
    const out = applyTextEdits(messy, edits);
    assert.equal(out.split("\n")[errorLine], messy.split("\n")[errorLine], `${f}: the error line is untouched`);
    assert.equal(out.split("\n").length, messy.split("\n").length, `${f}: no line added or removed`);
    if (out !== messy) reformatted++;
    await client.close(uri);
  }
  assert.ok(reformatted >= 50, `${reformatted} broken files had their clean lines formatted`);
});
