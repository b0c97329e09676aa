// The warm-up (server/src/warmUp.ts): one keystroke rehearsed before the first large document's
// first diagnostics go out, the rest once its diagnostics are out and it is idle, each in a piece
// of its own; the document's text, version and answers stay as they were; a change stops it;
// small documents are left alone. Order-based checks, no timings (bench/keystrokes.bench.ts
// measures what it saves).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { DocumentStore, type OpenDocument } from "../src/documents";
import { DocumentWork } from "../src/scheduler";
import { WarmUp, WARM_UP_EDITS, WARM_UP_MIN_CHARS } from "../src/warmUp";
import { DiagnosticsPublisher } from "../src/diagnosticsPublisher";
import { defaultSettings, type SettingsSource } from "../src/settings";
import type { Connection } from "vscode-languageserver/node";
import { analyzeText } from "../../compiler/src/index";

const big = execFileSync(process.execPath, [join(__dirname, "../../test-fixtures/tools/gen-wsp.mjs"), "--seed", "4", "--size", "6000"], { encoding: "utf8", maxBuffer: 1 << 26 });

/** A server's document store, its scheduler and its warm-up. */
function server(): { store: DocumentStore; work: DocumentWork; warmUp: WarmUp } {
  const store = new DocumentStore();
  const work = new DocumentWork(store);
  return { store, work, warmUp: new WarmUp(store, work) };
}

/** Opens the big document, analysed, and traces the turns from then on. */
async function openBig(store: DocumentStore, work: DocumentWork, uri: string): Promise<{ doc: OpenDocument; diagnostics: unknown }> {
  const doc = store.open(uri, 1, big);
  await work.ready(uri);
  const diagnostics = doc.analysis().diagnostics;
  work.tracing(true);
  return { doc, diagnostics };
}

/** The big document is as it was opened (version 1), analysed, with the diagnostics it had and a fresh analysis has. */
function asOpened(doc: OpenDocument, diagnostics: unknown): void {
  assert.equal(doc.version, 1);
  assert.equal(doc.text, big);
  assert.ok(doc.isAnalysed);
  assert.deepEqual(doc.analysis().diagnostics, diagnostics);
  assert.deepEqual(doc.analysis().diagnostics, analyzeText(big).analysis().diagnostics);
}

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 10));
}

test("a large idle document gets its rehearsal, one keystroke per piece, and keeps its text, version and diagnostics", async () => {
  assert.ok(big.length >= WARM_UP_MIN_CHARS, `the fixture is large enough (${big.length})`);
  const { store, work, warmUp } = server();
  const uri = "file:///warm/big.wsp";
  const { doc, diagnostics } = await openBig(store, work, uri);
  warmUp.published(uri);
  await until(() => warmUp.rehearsed === WARM_UP_EDITS);
  assert.deepEqual(work.trace, Array.from({ length: WARM_UP_EDITS }, () => `rehearse ${uri}@1`));
  asOpened(doc, diagnostics);
  // Done once per server: another large document is not rehearsed again.
  const other = "file:///warm/other.wsp";
  store.open(other, 1, big);
  await work.ready(other);
  warmUp.published(other);
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(work.trace.filter((t) => t.startsWith("rehearse")).length, WARM_UP_EDITS);
  warmUp.dispose();
});

test("the first large document's first publication rehearses one keystroke before it goes out, at once; the idle rehearsal does the rest", async () => {
  const { store, work, warmUp } = server();
  const small = "file:///warm/first-small.wsp";
  store.open(small, 1, "let a = 1\nprint a\n");
  await work.ready(small);
  const uri = "file:///warm/first.wsp";
  const { doc, diagnostics } = await openBig(store, work, uri);
  warmUp.beforePublication(small);
  assert.equal(warmUp.rehearsed, 0, "a small document is not rehearsed before its publication either");
  warmUp.beforePublication(uri);
  // Synchronous: done when the call returns, before the publisher sends anything.
  assert.equal(warmUp.rehearsed, 1);
  assert.deepEqual(work.trace, [`rehearse ${uri}@1 before publication`]);
  asOpened(doc, diagnostics);
  // Once per server: a second publication does not rehearse before it.
  warmUp.beforePublication(uri);
  assert.equal(warmUp.rehearsed, 1);
  warmUp.published(uri);
  await until(() => warmUp.rehearsed === WARM_UP_EDITS);
  assert.equal(work.trace.length, WARM_UP_EDITS);
  assert.deepEqual(work.trace.slice(1), Array.from({ length: WARM_UP_EDITS - 1 }, () => `rehearse ${uri}@1`));
  assert.deepEqual(doc.analysis().diagnostics, analyzeText(big).analysis().diagnostics);
  warmUp.dispose();
});

test("the publisher rehearses before it sends the first large document's diagnostics, and the idle rehearsal follows its publication", async () => {
  const { store, work, warmUp } = server();
  const sent: string[] = [];
  const connection = { sendDiagnostics: async (p: { uri: string; version?: number }) => void sent.push(`${p.uri}@${p.version}`) } as unknown as Connection;
  const settings = { get: () => defaultSettings } as unknown as SettingsSource;
  const publisher = new DiagnosticsPublisher(connection, store, settings, () => undefined, work, warmUp);
  const uri = "file:///warm/published.wsp";
  store.open(uri, 1, big);
  work.tracing(true);
  const trace: string[] = work.trace;
  // What was rehearsed when each publication went out.
  const order: string[] = [];
  const send = connection.sendDiagnostics;
  connection.sendDiagnostics = async (p) => {
    order.push(`sent after ${warmUp.rehearsed} rehearsed`);
    return send(p);
  };
  await publisher.publish(uri);
  assert.deepEqual(sent, [`${uri}@1`]);
  assert.deepEqual(order, ["sent after 1 rehearsed"]);
  assert.ok(trace.includes(`rehearse ${uri}@1 before publication`), trace.join(", "));
  await until(() => warmUp.rehearsed === WARM_UP_EDITS);
  publisher.dispose();
  warmUp.dispose();
});

test("a document not yet analysed at its current version is not rehearsed before publication; nor with the warm-up off", async () => {
  const { store, work, warmUp } = server();
  const uri = "file:///warm/unanalysed.wsp";
  store.open(uri, 1, big);
  warmUp.beforePublication(uri);
  assert.equal(warmUp.rehearsed, 0);
  await work.ready(uri);
  warmUp.enabled = false;
  warmUp.beforePublication(uri);
  assert.equal(warmUp.rehearsed, 0);
  warmUp.enabled = true;
  warmUp.beforePublication(uri);
  assert.equal(warmUp.rehearsed, 1);
  warmUp.dispose();
});

test("a change before the rehearsal starts (the user typing) stops it; the next publication starts it again", async () => {
  const { store, work, warmUp } = server();
  const uri = "file:///warm/typing.wsp";
  const doc = store.open(uri, 1, big);
  await work.ready(uri);
  work.tracing(true);
  warmUp.published(uri);
  doc.update(2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "\n" }]);
  await new Promise((r) => setTimeout(r, 400));
  const trace: string[] = work.trace;
  assert.equal(trace.length, 0, "no rehearsal of a version the user already replaced");
  await work.ready(uri);
  warmUp.published(uri);
  await until(() => warmUp.rehearsed === WARM_UP_EDITS);
  assert.ok(trace.filter((t) => t.startsWith("rehearse")).every((t) => t === `rehearse ${uri}@2`), trace.join(", "));
  assert.equal(doc.text, "\n" + big);
  warmUp.dispose();
});

test("small documents are not rehearsed", async () => {
  const { store, work, warmUp } = server();
  const uri = "file:///warm/small.wsp";
  store.open(uri, 1, "let a = 1\nprint a\n");
  await work.ready(uri);
  work.tracing(true);
  warmUp.published(uri);
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(warmUp.rehearsed, 0);
  assert.deepEqual(work.trace, []);
  warmUp.dispose();
});
