// Protocol tests of diagnostics beyond the pitfall fixtures: the compiler's limit errors, the
// notes on syntax errors, settings, ordering of publications, and the IPC transport.

import { test } from "node:test";
import assert from "node:assert/strict";
import { fork } from "node:child_process";
import {
  createProtocolConnection,
  IPCMessageReader,
  IPCMessageWriter,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  ExitNotification,
  DidChangeConfigurationNotification,
  type Hover,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";
import { OpenDocument } from "../src/documents";
import { TestClient, serverPath } from "./client";

test("the compiler's limit errors are published for the same version after the analysis's", async () => {
  const client = await TestClient.start();
  try {
    const uri = "file:///limits.wsp";
    const text = `let a = [${Array(256).fill("0").join(", ")}]\nprint a\n`;
    const withCompile = client.waitFor(uri, (p) => p.diagnostics.some((d) => d.code === "WSP2004"));
    await client.open(uri, text);
    const p = await withCompile;
    assert.equal(p.version, 1);
    const d = p.diagnostics.find((x) => x.code === "WSP2004")!;
    assert.equal(d.message, "Too many elements (max 255).");
    assert.equal(d.range.start.line, 0);
  } finally {
    await client.stop();
  }
});

test("syntax errors carry the pitfall notes as related information", async () => {
  const client = await TestClient.start();
  try {
    const uri = "file:///notes.wsp";
    const call = await client.open(uri, "fn add(a, b) { return a + b }\nprint add(1,\n    2)\n");
    const first = call.diagnostics[0];
    assert.equal(first.message, "Expected expression, found newline");
    assert.equal(first.code, "WSP1003");
    assert.match(first.relatedInformation?.[0].message ?? "", /cannot span lines/);
    assert.deepEqual(first.relatedInformation?.[0].location.range.start, { line: 1, character: 9 });

    const push = await client.change(uri, 2, [{ text: "let a = []\npush(a, 1)\nprint a\n" }]);
    assert.equal(push.diagnostics[0].message, "Expected statement, found 'push'");
    assert.match(push.diagnostics[0].relatedInformation?.[0].message ?? "", /let a = push/);
    assert.deepEqual((push.diagnostics[0].data as { fixes: unknown[] }).fixes.length, 1);

    const nested = await client.change(uri, 3, [{ text: "let a = [[1]]\na[0][0] = 2\n" }]);
    assert.equal(nested.diagnostics[0].message, "Expected statement, found '='");
    assert.match(nested.diagnostics[0].relatedInformation?.[0].message ?? "", /only one level of index assignment/);
  } finally {
    await client.stop();
  }
});

test("settings: unused-variable hints and all diagnostics can be turned off, and changes apply at once", async () => {
  const settings = { diagnostics: { unused: false, enable: true } };
  const client = await TestClient.start({ settings });
  try {
    const uri = "file:///settings.wsp";
    const text = "let unused = 1\nprint undefined_name\n";
    let p = await client.open(uri, text);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ["WSP3014"]);
    settings.diagnostics.enable = false;
    const cleared = client.waitFor(uri, (x) => x.diagnostics.length === 0);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    p = await cleared;
    assert.equal(p.diagnostics.length, 0);
    settings.diagnostics.enable = true;
    settings.diagnostics.unused = true;
    const back = client.waitFor(uri, (x) => x.diagnostics.length === 2);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.deepEqual((await back).diagnostics.map((d) => d.code).sort(), ["WSP3014", "WSP3016"]);
  } finally {
    await client.stop();
  }
});

test("after a burst of edits, publications never go back to an older version and end on the newest", async () => {
  const client = await TestClient.start();
  try {
    const uri = "file:///burst.wsp";
    await client.open(uri, "let x = 1\n");
    const last = 40;
    const done = client.diagnostics(uri, last);
    for (let v = 2; v <= last; v++) {
      void client.connection.sendNotification("textDocument/didChange", {
        textDocument: { uri, version: v },
        contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: v % 2 ? "print x\n" : "print y\n" }],
      });
    }
    const final = await done;
    assert.equal(final.version, last);
    const versions = client.history.get(uri)!.map((p) => p.version!);
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i] >= versions[i - 1], `published ${versions.join(",")}`);
    assert.ok(versions.length <= last, "no more publications than versions");
    // 39 lines alternate `print x` (defined) and `print y` (undefined): 20 even versions add y.
    assert.equal(final.diagnostics.filter((d) => d.code === "WSP3014").length, 20);
  } finally {
    await client.stop();
  }
});

test("the IPC transport serves the same protocol", async () => {
  const child = fork(serverPath, ["--node-ipc"], { stdio: ["ignore", "ignore", "ignore", "ipc"] });
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const published = new Promise<PublishDiagnosticsParams>((resolve) => connection.onNotification(PublishDiagnosticsNotification.type, resolve));
  connection.listen();
  const init = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
  assert.equal(init.capabilities.hoverProvider, true);
  await connection.sendNotification(InitializedNotification.type, {});
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: "file:///ipc.wsp", languageId: "whispem", version: 1, text: "print nope\n" } });
  const p = await published;
  assert.deepEqual(p.diagnostics.map((d) => d.code), ["WSP3014"]);
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  assert.equal(await exited, 0);
  connection.dispose();
});

test("a 20 000-term chain beside a syntax error is analysed: hover and the name checks work", async () => {
  const client = await TestClient.start();
  try {
    const uri = "file:///deep.wsp";
    const p = await client.open(uri, "let x = 1\nprint 1" + " + x".repeat(20000) + " + y\nprint (\n");
    assert.ok(p.diagnostics.some((d) => d.code === "WSP1003"), "the syntax error is still reported");
    assert.ok(!p.diagnostics.some((d) => d.code === "WSP3024"), "the analysis did not fail");
    assert.ok(p.diagnostics.some((d) => d.code === "WSP3014" && String(d.message).includes("'y'")), "the undefined name at the chain's end is found");
    const hover = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri }, position: { line: 0, character: 4 } });
    assert.match(JSON.stringify(hover?.contents), /global/);
    const fixed = await client.change(uri, 2, [{ text: "let x = 1\nprint x\n" }]);
    assert.deepEqual(fixed.diagnostics, []);
    assert.ok(client.alive);
  } finally {
    await client.stop();
  }
});

test("when the analysis itself fails, the document keeps its syntax diagnostics, says why, and recovers on the next edit", () => {
  const doc = new OpenDocument("file:///failing.wsp", 1, "let x = 1\nprint (\n");
  // Stands for any failure of a pass over the tree (the server must not lose the document).
  assert.ok(doc.text.length > 0, "parsed: the host exists");
  (doc as unknown as { host: { kept: { ast: { program(): never } } } }).host.kept.ast = {
    program(): never {
      throw new RangeError("Maximum call stack size exceeded");
    },
  };
  const failed = doc.analysis();
  assert.match(failed.failure ?? "", /call stack/);
  assert.deepEqual(failed.diagnostics.map((d) => d.code).sort(), ["WSP1003", "WSP3024"]);
  assert.match(failed.diagnostics.find((d) => d.code === "WSP3024")!.message, /Maximum call stack size exceeded/);
  doc.update(2, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 7 } }, text: "print x" }]);
  const recovered = doc.analysis();
  assert.equal(recovered.failure, null);
  assert.deepEqual(recovered.diagnostics, []);
});
