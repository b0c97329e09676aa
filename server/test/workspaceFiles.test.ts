// Workspace symbols over the platform's file list: the files a web client sends (the browser
// build's server has no disk), replaced, changed and deleted, and an open document winning over
// its sent copy.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DocumentStore } from "../src/documents";
import { applySentFiles, readThrough, WorkspaceSymbols } from "../src/symbols";
import { SentFiles } from "../src/web/sentFiles";

function setup() {
  const documents = new DocumentStore();
  const files = new SentFiles();
  const symbols = new WorkspaceSymbols(documents, readThrough(files));
  // What the server does with the web client's notification.
  const send = (params: unknown) => applySentFiles(symbols, files, params as { changed?: unknown });
  return { documents, files: { apply: send }, symbols };
}

const names = (s: { name: string; location: { uri: string } }[]) => s.map((x) => `${x.name}@${x.location.uri}`).sort();

test("files sent by the client give workspace symbols; a change replaces them, a deletion removes them", async () => {
  const { files, symbols } = setup();
  files.apply({ changed: [{ uri: "memfs:/a.wsp", text: "fn alpha() {\n    return 1\n}\n" }, { uri: "memfs:/b.wsp", text: "let beta = 2\n" }], deleted: [], all: true });
  assert.deepEqual(names(await symbols.find("")), ["alpha@memfs:/a.wsp", "beta@memfs:/b.wsp"]);
  files.apply({ changed: [{ uri: "memfs:/a.wsp", text: "fn gamma() {\n    return 1\n}\n" }], deleted: ["memfs:/b.wsp"] });
  assert.deepEqual(names(await symbols.find("")), ["gamma@memfs:/a.wsp"]);
  files.apply({ changed: [{ uri: "memfs:/c.wsp", text: "let delta = 1\n" }], deleted: [], all: true });
  assert.deepEqual(names(await symbols.find("")), ["delta@memfs:/c.wsp"]);
});

test("an open document is read from the editor, not from its sent copy", async () => {
  const { documents, files, symbols } = setup();
  files.apply({ changed: [{ uri: "memfs:/a.wsp", text: "let on_disk = 1\n" }], deleted: [] });
  documents.open("memfs:/a.wsp", 1, "let in_editor = 1\n");
  assert.deepEqual(names(await symbols.find("")), ["in_editor@memfs:/a.wsp"]);
});

test("malformed notifications are ignored entry by entry", async () => {
  const { files, symbols } = setup();
  files.apply({ changed: [{ uri: 3, text: "x" } as never, { uri: "memfs:/ok.wsp", text: "let fine = 1\n" }, null as never], deleted: [7 as never] });
  files.apply(null as never);
  assert.deepEqual(names(await symbols.find("fine")), ["fine@memfs:/ok.wsp"]);
});
