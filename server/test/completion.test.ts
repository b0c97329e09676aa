// Completion and completionItem/resolve through the real server: names under the resolution
// rules, keywords and snippets by position, dict keys, and broken documents.

import { test, before, after as afterAll } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { CompletionItem, CompletionList, Position } from "vscode-languageserver-protocol/node";
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

async function complete(uri: string, position: Position): Promise<CompletionItem[]> {
  const r = await client.request<CompletionList | CompletionItem[] | null>("textDocument/completion", { textDocument: { uri }, position });
  return Array.isArray(r) ? r : r?.items ?? [];
}

const labels = (items: CompletionItem[]) => new Set(items.map((i) => i.label));

test("inside a function: its parameters and locals, globals, named functions and builtins, nearest first", async () => {
  const items = await complete(aidsUri, after(aidsText, "    return ", 0));
  const l = labels(items);
  for (const name of ["a", "b", "sum", "total", "config", "twice", "add", "scale", "length", "num_to_hex", "true", "not"]) assert.ok(l.has(name), `${name} offered`);
  // scale's local and the lambda's parameter are not visible in add.
  for (const name of ["result", "x", "factor", "let", "while"]) assert.ok(!l.has(name), `${name} not offered`);
  const sort = (name: string) => items.find((i) => i.label === name)!.sortText!;
  assert.ok(sort("sum") < sort("total") && sort("total") < sort("add") && sort("add") < sort("length"));
  const add = items.find((i) => i.label === "add")!;
  assert.equal(add.insertTextFormat, 2);
  assert.equal((add.textEdit as { newText: string }).newText, "add(${1:a}, ${2:b})");
  assert.equal(add.detail, "fn add(a, b)");
});

test("in a lambda: captured variables of the enclosing function, never one whose let is not compiled yet", async () => {
  const items = await complete(aidsUri, after(aidsText, "fn(x) { return x * ", 0));
  const l = labels(items);
  assert.ok(l.has("x") && l.has("xs") && l.has("factor"));
  assert.ok(!l.has("result"), "`let result = map(…)`: result becomes a local only after its value, the lambda, is compiled");
  assert.match(items.find((i) => i.label === "factor")!.detail!, /captured from fn scale/);
});

test("at the start of a statement: statement keywords and snippets; value builtins are not statements", async () => {
  const items = await complete(aidsUri, { line: aidsText.split("\n").length - 1, character: 0 });
  const l = labels(items);
  for (const name of ["let", "print", "if", "while", "for", "fn", "for … in", "if … else", "map", "assert", "add", "twice", "item"]) assert.ok(l.has(name), `${name} offered`);
  for (const name of ["push", "length", "true", "sum", "result"]) assert.ok(!l.has(name), `${name} not offered`);
  const forSnippet = items.find((i) => i.label === "for … in")!;
  assert.equal(forSnippet.insertTextFormat, 2);
  assert.match((forSnippet.textEdit as { newText: string }).newText, /^for \$\{1:x\} in/);
});

test("in main, globals appear once stored; loop variables are not captured by closures", async () => {
  const uri = await scratch(client, "let early = 1\nprint \nlet late = 2\nfn f() {\n    for i in range(0, 2) {\n        let g = fn() { return  }\n    }\n}\n");
  const inMain = labels(await complete(uri, { line: 1, character: 6 }));
  assert.ok(inMain.has("early") && !inMain.has("late"));
  const inLambda = labels(await complete(uri, { line: 5, character: 30 }));
  assert.ok(!inLambda.has("i"), "a loop variable of the enclosing function is not captured (pitfalls #8)");
  assert.ok(inLambda.has("late") && inLambda.has("early"), "functions run later: every global");
});

test("after an if block: else and else if; after `let`, `for`, `fn` or in parameters: nothing", async () => {
  const uri = await scratch(client, "if true {\n    print 1\n} \nlet \nfn named(p, ) {\n}\nfor x \n");
  const afterIf = await complete(uri, { line: 2, character: 2 });
  assert.ok(labels(afterIf).has("else") && labels(afterIf).has("else if"));
  assert.deepEqual(await complete(uri, { line: 3, character: 4 }), []);
  assert.deepEqual(await complete(uri, { line: 4, character: 12 }), []);
  assert.deepEqual([...labels(await complete(uri, { line: 6, character: 6 }))], ["in"]);
});

test("dict keys after d[\" and nothing in comments or plain strings", async () => {
  const uri = await scratch(client, 'let d = {"alpha": 1, "beta": 2}\nprint d["al\nprint "text  # d["\n# d["\nd["gamma"] = 3\nlet e = {"other": 1}\ne["not d"] = 2\n');
  const keys = await complete(uri, { line: 1, character: 11 });
  assert.deepEqual([...labels(keys)].sort(), ["alpha", "beta", "gamma"]);
  const alpha = keys.find((k) => k.label === "alpha")!;
  assert.deepEqual((alpha.textEdit as { range: unknown }).range, { start: { line: 1, character: 9 }, end: { line: 1, character: 11 } });
  assert.deepEqual(await complete(uri, { line: 2, character: 10 }), []);
  assert.deepEqual(await complete(uri, { line: 3, character: 5 }), []);
});

test("completionItem/resolve documents builtins and functions", async () => {
  const items = await complete(aidsUri, after(aidsText, "    return ", 0));
  const slice = await client.request<CompletionItem>("completionItem/resolve", items.find((i) => i.label === "slice"));
  assert.match(JSON.stringify(slice.documentation), /slice\(array, start, end\)/);
  assert.match(JSON.stringify(slice.documentation), /out of bounds/);
  const scale = await client.request<CompletionItem>("completionItem/resolve", items.find((i) => i.label === "scale"));
  assert.match(JSON.stringify(scale.documentation), /named function on line 8/);
});

test("broken documents (the syntax corpus) still complete names", async () => {
  const dir = "test-fixtures/conformance/syntax";
  const files = readdirSync(join(root, dir)).filter((f) => f.endsWith(".wsp")).sort().slice(0, 40);
  let withFunctions = 0;
  for (const f of files) {
    const text = readFileSync(join(root, dir, f), "utf8");
    const uri = fixtureUri(join(dir, f));
    await client.open(uri, text);
    const lines = text.split("\n");
    const items = await complete(uri, { line: lines.length - 1, character: 0 });
    assert.ok(labels(items).has("print"), `${f}: keywords`);
    const declared = [...text.matchAll(/^fn (\w+)\(/gm)].map((m) => m[1]);
    if (declared.length && declared.every((n) => labels(items).has(n))) withFunctions++;
    await client.close(uri);
  }
  assert.ok(withFunctions >= 20, `${withFunctions} broken files completed their functions`);
});
