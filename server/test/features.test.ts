// Protocol tests of hover, definition, references, highlight, rename and symbols, against the
// real server over stdio, on the fixtures in test-fixtures/server.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { DocumentHighlight, DocumentSymbol, Hover, Location, Position, SymbolInformation, WorkspaceEdit } from "vscode-languageserver-protocol/node";
import { TestClient, fixtureUri, root } from "./client";
import { readAnnotations } from "./annotations";

const hoverFile = "test-fixtures/server/hover.wsp";
const navFile = "test-fixtures/server/navigation.wsp";
const hoverUri = fixtureUri(hoverFile);
const navUri = fixtureUri(navFile);
const navText = readFileSync(join(root, navFile), "utf8");

let client: TestClient;
before(async () => {
  client = await TestClient.start({ workspaceFolders: [fixtureUri("test-fixtures/server")] });
  await client.open(hoverUri, readFileSync(join(root, hoverFile), "utf8"));
  await client.open(navUri, navText);
});
after(async () => {
  assert.equal(await client.stop(), 0, "the server exits cleanly after shutdown/exit");
});

/** The position of the n-th (0-based) occurrence of `word` as a whole word in the navigation fixture. */
function at(word: string, n: number, text = navText): Position {
  const re = new RegExp(`(?<![\\w])${word}(?![\\w])`, "g");
  let m: RegExpExecArray | null;
  let i = 0;
  while ((m = re.exec(text))) {
    if (i++ === n) {
      const before = text.slice(0, m.index);
      const line = before.split("\n").length - 1;
      return { line, character: m.index - (before.lastIndexOf("\n") + 1) };
    }
  }
  throw new Error(`no occurrence ${n} of ${word}`);
}

function hoverText(h: Hover | null): string {
  if (!h) return "";
  const c = h.contents;
  return typeof c === "string" ? c : Array.isArray(c) ? c.map((x) => (typeof x === "string" ? x : x.value)).join("\n") : c.value;
}

function lines(locs: { range: { start: Position } }[]): string[] {
  return locs.map((l) => `${l.range.start.line}:${l.range.start.character}`).sort();
}

test("hover shows what the fixture's annotations expect", async () => {
  const { hovers } = readAnnotations(readFileSync(join(root, hoverFile), "utf8"));
  assert.ok(hovers.length >= 10);
  for (const h of hovers) {
    const result = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri: hoverUri }, position: h.position });
    const text = hoverText(result);
    assert.ok(text.includes(h.contains), `annotation line ${h.annotationLine}: expected hover to contain ${JSON.stringify(h.contains)}, got ${JSON.stringify(text)}`);
    assert.equal(typeof result?.contents === "object" && "kind" in result.contents ? result.contents.kind : "", "markdown");
  }
});

test("hover on nothing (a keyword, a number, whitespace) is null", async () => {
  for (const position of [{ line: 1, character: 1 }, { line: 1, character: 12 }, { line: 0, character: 200 }]) {
    const r = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri: hoverUri }, position });
    assert.equal(r, null);
  }
});

test("definition goes to the definition the compiler and VM connect the name to", async () => {
  const def = async (p: Position) => (await client.request<Location[] | null>("textDocument/definition", { textDocument: { uri: navUri }, position: p })) ?? [];
  // `count` in bump's body → bump's parameter
  assert.deepEqual(lines(await def(at("count", 2))), [`1:8`]);
  // `count + x` in the main lambda reads the global (LOAD_GLOBAL): line 0
  assert.deepEqual(lines(await def(at("count", 4))), [`0:4`]);
  // `return count` in that lambda: its own local made by `let count`
  assert.deepEqual(lines(await def(at("count", 5))), [`5:8`]);
  // inside inner: the captured count of outer
  assert.deepEqual(lines(await def(at("count", 8))), [`9:8`]);
  // a call goes to the named function
  assert.deepEqual(lines(await def(at("bump", 1))), [`1:3`]);
  // a builtin's definition is the page that describes it
  const builtin = await client.request<Location[] | null>("textDocument/definition", { textDocument: { uri: hoverUri }, position: { line: 24, character: 7 } });
  assert.deepEqual(builtin?.map((l) => l.uri), ["whispem-builtin:/num_to_str.md"]);
});

test("references and highlights list exactly the occurrences of the symbol", async () => {
  const refs = await client.request<Location[]>("textDocument/references", { textDocument: { uri: navUri }, position: at("count", 0), context: { includeDeclaration: true } });
  // the global: its let, the read in the main lambda, bump(count), let count = count + 1 (2), print count
  assert.deepEqual(lines(refs), ["0:4", "17:11", "18:12", "18:4", "19:6", "5:16"].sort());
  const noDecl = await client.request<Location[]>("textDocument/references", { textDocument: { uri: navUri }, position: at("count", 0), context: { includeDeclaration: false } });
  assert.equal(noDecl.length, refs.length - 1);
  const hl = await client.request<DocumentHighlight[]>("textDocument/documentHighlight", { textDocument: { uri: navUri }, position: at("count", 7) });
  // outer's count: let (write), the closure's let (write), its read, return in inner, return in outer
  assert.deepEqual(
    hl.map((h) => `${h.range.start.line}:${h.range.start.character}:${h.kind}`).sort(),
    ["9:8:3", "11:12:3", "11:20:2", "12:15:2", "15:11:2"].sort(),
  );
});

test("rename renames exactly the occurrences that resolve to the symbol, across closures", async () => {
  const edit = await client.request<WorkspaceEdit>("textDocument/rename", { textDocument: { uri: navUri }, position: at("count", 7), newName: "tally" });
  const edits = edit.changes![navUri];
  assert.deepEqual(lines(edits), ["11:12", "11:20", "12:15", "15:11", "9:8"].sort());
  for (const e of edits) assert.equal(e.newText, "tally");
  // Applying the edit gives a program whose other `count`s are untouched.
  const renamed = applyEdits(navText, edits);
  assert.equal((renamed.match(/\bcount\b/g) ?? []).length, (navText.match(/\bcount\b/g) ?? []).length - 5);
});

test("rename refuses a new name that would capture or be captured by another variable", async () => {
  // outer's `count` renamed to `inner`: outer already has a local `inner`; the two would merge.
  await assert.rejects(client.request("textDocument/rename", { textDocument: { uri: navUri }, position: at("count", 7), newName: "inner" }), /clash|different things/);
  // bump's parameter renamed to `add`: nothing inside bump reads the global `add`, so it is safe.
  const ok = await client.request<WorkspaceEdit>("textDocument/rename", { textDocument: { uri: navUri }, position: at("count", 1), newName: "add" });
  assert.equal(ok.changes![navUri].length, 2);
  // The global `count` renamed to `add`: a global `add` exists already; the two would merge.
  await assert.rejects(client.request("textDocument/rename", { textDocument: { uri: navUri }, position: at("count", 0), newName: "add" }), /clash|different things/);
});

test("prepareRename refuses builtins and keywords and gives the range of a name", async () => {
  const ok = await client.request<{ range: { start: Position }; placeholder: string }>("textDocument/prepareRename", { textDocument: { uri: navUri }, position: at("add", 0) });
  assert.equal(ok.placeholder, "add");
  await assert.rejects(client.request("textDocument/prepareRename", { textDocument: { uri: hoverUri }, position: { line: 24, character: 8 } }), /builtin/);
  await assert.rejects(client.request("textDocument/prepareRename", { textDocument: { uri: navUri }, position: { line: 0, character: 1 } }));
  await assert.rejects(client.request("textDocument/rename", { textDocument: { uri: navUri }, position: at("add", 0), newName: "print" }), /not a valid name/);
});

test("document symbols form a nested outline", async () => {
  const symbols = await client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri: navUri } });
  const shape = (s: DocumentSymbol): string => (s.children?.length ? `${s.name}(${s.children.map(shape).join(",")})` : s.name);
  assert.deepEqual(symbols.map(shape), ["count", "bump", "add", "outer(inner)"]);
  assert.deepEqual(symbols[1].selectionRange.start, { line: 1, character: 3 });
});

test("workspace symbols come from every .wsp file the client listed, open or not", async () => {
  const dir = join(root, "test-fixtures/server/pitfalls");
  const listed = readdirSync(dir).filter((f) => f.endsWith(".wsp")).map((f) => pathToFileURL(join(dir, f)).href);
  await client.notify("whispem/workspaceFiles", { uris: [...listed, navUri] });
  const found = await client.request<SymbolInformation[]>("workspace/symbol", { query: "outer" });
  const files = new Set(found.map((s) => s.location.uri.split("/").pop()));
  assert.ok(files.has("navigation.wsp"), "the open document");
  assert.ok(files.has("01_nested_fn.wsp"), "a file on disk that is not open");
  const all = await client.request<SymbolInformation[]>("workspace/symbol", { query: "" });
  const onDisk = readdirSync(join(root, "test-fixtures/server/pitfalls")).length;
  assert.ok(new Set(all.map((s) => s.location.uri)).size >= onDisk);
});

test("a request that fails becomes an error response and the server keeps answering", async () => {
  await assert.rejects(client.request("textDocument/hover", { textDocument: { uri: "file:///not/open.wsp" }, position: { line: 0, character: 0 } }));
  const r = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri: navUri }, position: at("bump", 0) });
  assert.ok(hoverText(r).includes("fn bump(count)"));
  assert.ok(client.alive);
});

function applyEdits(text: string, edits: { range: { start: Position; end: Position }; newText: string }[]): string {
  const offsets = (p: Position) => text.split("\n").slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offsets(b.range.start) - offsets(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offsets(e.range.start)) + e.newText + out.slice(offsets(e.range.end));
  return out;
}
