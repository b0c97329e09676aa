// Protocol tests of issue 15's server parts: reference lenses resolved lazily into the
// references peek, call hierarchy, document links on read_file/write_file paths, and workspace
// symbols kept from the client's file list and watcher events.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { CallHierarchyIncomingCall, CallHierarchyItem, CallHierarchyOutgoingCall, CodeLens, DocumentLink, Location, Position, SymbolInformation } from "vscode-languageserver-protocol/node";
import { TestClient, fixtureUri } from "./client";
import { after as positionAfter } from "./aidsFixture";
import { builtinOfPath, builtinPage } from "../../compiler/src/builtinDocs";

let client: TestClient;
let dir: string;
before(async () => {
  client = await TestClient.start();
  dir = mkdtempSync(join(tmpdir(), "whispem-editor-"));
});
after(async () => {
  assert.equal(await client.stop(), 0);
  rmSync(dir, { recursive: true, force: true });
});

let count = 0;
async function open(text: string): Promise<string> {
  const uri = fixtureUri(`test-fixtures/server-editor/scratch-${process.pid}-${++count}.wsp`);
  await client.open(uri, text);
  return uri;
}

const callText = [
  "fn leaf(x) {", //                    0
  "    return x + 1",
  "}",
  "fn middle(y) {", //                  3
  "    return leaf(y) + leaf(y * 2)",
  "}",
  "let twice = fn(v) {", //             6
  "    return middle(v) + leaf(v)",
  "}",
  "print twice(3)", //                  9
  "print middle(1)",
  "",
].join("\n");

function names(items: { from?: CallHierarchyItem; to?: CallHierarchyItem; fromRanges: unknown[] }[]): string[] {
  return items.map((c) => `${(c.from ?? c.to)!.name}×${c.fromRanges.length}`).sort();
}

test("call hierarchy: incoming and outgoing through named functions, a lambda in a variable and main", async () => {
  const uri = await open(callText);
  const prepare = (p: Position) => client.request<CallHierarchyItem[] | null>("textDocument/prepareCallHierarchy", { textDocument: { uri }, position: p });
  const [leaf] = (await prepare(positionAfter(callText, "fn le")))!;
  assert.equal(leaf.name, "leaf");
  assert.deepEqual(leaf.selectionRange.start, { line: 0, character: 3 });
  const leafIn = await client.request<CallHierarchyIncomingCall[]>("callHierarchy/incomingCalls", { item: leaf });
  assert.deepEqual(names(leafIn), ["middle×2", "twice×1"]);
  const fromMiddle = leafIn.find((c) => c.from.name === "middle")!;
  assert.deepEqual(fromMiddle.fromRanges.map((r) => r.start), [{ line: 4, character: 11 }, { line: 4, character: 21 }]);

  // From a call site of the lambda's variable: the item is the lambda, named by its `let`.
  const [twice] = (await prepare(positionAfter(callText, "print tw")))!;
  assert.equal(twice.name, "twice");
  assert.deepEqual(twice.selectionRange.start, { line: 6, character: 4 });
  const twiceOut = await client.request<CallHierarchyOutgoingCall[]>("callHierarchy/outgoingCalls", { item: twice });
  assert.deepEqual(names(twiceOut), ["leaf×1", "middle×1"]);
  const twiceIn = await client.request<CallHierarchyIncomingCall[]>("callHierarchy/incomingCalls", { item: twice });
  assert.deepEqual(names(twiceIn), ["main×1"]);

  const main = twiceIn[0].from;
  const mainOut = await client.request<CallHierarchyOutgoingCall[]>("callHierarchy/outgoingCalls", { item: main });
  assert.deepEqual(names(mainOut), ["middle×1", "twice×1"]);
  assert.equal(await prepare({ line: 1, character: 2 }), null, "no function at a keyword");
});

test("call hierarchy: a call through a parameter has no known target and is left out", async () => {
  const text = "fn apply(f, x) {\n    return f(x)\n}\nfn inc(n) {\n    return n + 1\n}\nprint apply(fn(v) { return inc(v) }, 1)\n";
  const uri = await open(text);
  const [apply] = (await client.request<CallHierarchyItem[]>("textDocument/prepareCallHierarchy", { textDocument: { uri }, position: { line: 0, character: 4 } }))!;
  assert.deepEqual(await client.request<CallHierarchyOutgoingCall[]>("callHierarchy/outgoingCalls", { item: apply }), []);
  const [inc] = (await client.request<CallHierarchyItem[]>("textDocument/prepareCallHierarchy", { textDocument: { uri }, position: { line: 3, character: 4 } }))!;
  const incIn = await client.request<CallHierarchyIncomingCall[]>("callHierarchy/incomingCalls", { item: inc });
  assert.deepEqual(incIn.map((c) => `${c.from.name} ${c.from.detail}`), ["fn(v) lambda on line 7"]);
});

test("reference lens: counted on resolve, and its command opens the references peek at the declaration", async () => {
  const uri = await open(callText);
  const lenses = await client.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri } });
  assert.equal(lenses[0].command!.title, "▶ Run file");
  const leafLens = lenses.find((l) => l.range.start.line === 0 && !l.command)!;
  assert.ok(leafLens, "the function's lens comes without a command");
  const resolved = await client.request<CodeLens>("codeLens/resolve", leafLens);
  assert.equal(resolved.command!.title, "3 references");
  assert.equal(resolved.command!.command, "editor.action.showReferences");
  const [argUri, position, locations] = resolved.command!.arguments as [string, Position, Location[]];
  assert.equal(argUri, uri);
  assert.deepEqual(position, { line: 0, character: 3 });
  assert.deepEqual(locations.map((l) => l.range.start.line), [4, 4, 7]);

  // The document changes under an unresolved lens: the lens still answers, as a label.
  await client.change(uri, 2, [{ text: "print 1\n" }]);
  const stale = await client.request<CodeLens>("codeLens/resolve", leafLens);
  assert.equal(stale.command!.command, "");
  const bad = await client.request<CodeLens>("codeLens/resolve", { range: leafLens.range, data: { uri: 42 } });
  assert.equal(bad.command!.command, "");
});

test("document links: read_file and write_file string paths, relative to the program's folder", async () => {
  const text = 'let a = read_file("data/input.txt")\nwrite_file("out.txt", a)\nlet name = "x.txt"\nprint read_file(name)\nprint len("not/a/path.txt")\nprint read_file("/tmp/abs.txt")\n';
  const uri = await open(text);
  const links = await client.request<DocumentLink[]>("textDocument/documentLink", { textDocument: { uri } });
  const folder = fixtureUri("test-fixtures/server-editor");
  assert.deepEqual(
    links.map((l) => [l.range.start.line, l.range.start.character, l.range.end.character, l.target]),
    [
      [0, 19, 33, `${folder}/data/input.txt`],
      [1, 12, 19, `${folder}/out.txt`],
      [5, 17, 29, "file:///tmp/abs.txt"],
    ],
  );
});

test("workspace symbols: from the client's file list, then created, changed and deleted files", async () => {
  const file = (name: string) => pathToFileURL(join(dir, name)).href;
  writeFileSync(join(dir, "a.wsp"), "fn alpha() {}\n");
  writeFileSync(join(dir, "b.wsp"), "fn beta() {}\n");
  await client.notify("whispem/workspaceFiles", { uris: [file("a.wsp"), file("b.wsp")] });
  const find = async (query: string) => (await client.request<SymbolInformation[]>("workspace/symbol", { query })).map((s) => `${s.name}@${s.location.uri.split("/").pop()}`).sort();
  assert.deepEqual(await find("alpha"), ["alpha@a.wsp"]);
  assert.deepEqual(await find("beta"), ["beta@b.wsp"]);

  // Created: a file the list did not hold.
  writeFileSync(join(dir, "c.wsp"), "fn gamma() {}\n");
  assert.deepEqual(await find("gamma"), [], "not listed yet");
  await client.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: file("c.wsp"), type: 1 }] });
  assert.deepEqual(await find("gamma"), ["gamma@c.wsp"]);

  // Changed: read again.
  writeFileSync(join(dir, "a.wsp"), "fn alpha2() {}\n");
  assert.deepEqual(await find("alpha"), ["alpha@a.wsp"], "the cached symbols until an event says otherwise");
  await client.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: file("a.wsp"), type: 2 }] });
  assert.deepEqual(await find("alpha"), ["alpha2@a.wsp"]);

  // Deleted.
  rmSync(join(dir, "b.wsp"));
  await client.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: file("b.wsp"), type: 3 }] });
  assert.deepEqual(await find("beta"), []);

  // Bad events and a file that cannot be read do not break the answer.
  await client.notify("workspace/didChangeWatchedFiles", { changes: [null, { uri: 7 }, { uri: file("missing.wsp"), type: 1 }] });
  assert.deepEqual(await find("gamma"), ["gamma@c.wsp"]);
  assert.ok(client.alive);
});

function hoverText(h: { contents: unknown } | null): string {
  const c = h?.contents as { value?: string } | string | undefined;
  return typeof c === "string" ? c : c?.value ?? "";
}

test("hover: a function shows the comment lines just above it; a lambda in a let too", async () => {
  const text = "# not this: a blank line follows\n\n# Doubles a number.\n#   x: any number\nfn double(x) {\n    return x * 2\n}\n# Adds one.\nlet inc = fn(n) { return n + 1 }\nprint double(inc(1))\n";
  const uri = await open(text);
  const h = hoverText(await client.request("textDocument/hover", { textDocument: { uri }, position: positionAfter(text, "print dou") }));
  assert.ok(h.includes("Doubles a number.\n  x: any number"), h);
  assert.ok(!h.includes("not this"), h);
  const l = hoverText(await client.request("textDocument/hover", { textDocument: { uri }, position: positionAfter(text, "(in") }));
  assert.ok(l.includes("Adds one."), l);
});

test("hover on a builtin lists its errors as real messages, no placeholders", async () => {
  const text = 'print map([1], fn(x) { return x })\nprint read_file("a.txt")\n';
  const uri = await open(text);
  const m = hoverText(await client.request("textDocument/hover", { textDocument: { uri }, position: { line: 0, character: 7 } }));
  assert.ok(m.includes("`Function 'double' expected 2 argument(s), got 1`"), m);
  assert.ok(m.includes("`Type error: expected array, found none`"), m);
  assert.doesNotMatch(m, /'F'|expected N|found T\b/);
  const r = hoverText(await client.request("textDocument/hover", { textDocument: { uri }, position: { line: 1, character: 8 } }));
  assert.ok(r.includes("`Failed to read 'data.txt': No such file or directory`"), r);
});

test("go to definition on a builtin gives its page, whose text describes it", async () => {
  const uri = await open("assert(true)\n");
  const locations = await client.request<Location[]>("textDocument/definition", { textDocument: { uri }, position: { line: 0, character: 2 } });
  assert.deepEqual(locations.map((l) => l.uri), ["whispem-builtin:/assert.md"]);
  const name = builtinOfPath(new URL(locations[0].uri).pathname);
  assert.equal(name, "assert");
  const page = builtinPage(name!)!;
  assert.match(page, /^# assert — Whispem builtin/);
  assert.ok(page.includes("Assertion failed: total must be positive"));
  assert.equal(builtinOfPath("/nothing.md"), null);
  assert.equal(builtinOfPath("/%E0%A4%A.md"), null, "a malformed escape is not a builtin");
});

test("semantic token deltas: each result has its own id; a delta against an older one gets the full tokens", async () => {
  const uri = await open("let a = 1\nprint a\n");
  type Tokens = { resultId?: string; data?: number[]; edits?: unknown[] };
  const first = await client.request<Tokens>("textDocument/semanticTokens/full", { textDocument: { uri } });
  await client.change(uri, 2, [{ range: { start: { line: 1, character: 7 }, end: { line: 1, character: 7 } }, text: " + a" }]);
  const second = await client.request<Tokens>("textDocument/semanticTokens/full/delta", { textDocument: { uri }, previousResultId: first.resultId });
  assert.ok(second.edits, "edits against the latest result");
  assert.notEqual(second.resultId, first.resultId);
  const stale = await client.request<Tokens>("textDocument/semanticTokens/full/delta", { textDocument: { uri }, previousResultId: first.resultId });
  assert.ok(stale.data && !stale.edits, "no edits against a result that is no longer the latest");
  const full = await client.request<Tokens>("textDocument/semanticTokens/full", { textDocument: { uri } });
  assert.deepEqual(stale.data, full.data);
  assert.equal(full.data!.length / 5, 6, "let, a, 1, print, a, a");
});
