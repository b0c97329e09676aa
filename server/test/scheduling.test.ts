// Issue 18: long work on one document never holds up a request on another. Opening or changing a
// document only records its text; its parse and analysis run in turns of the event loop after
// the messages that arrived (scheduler.ts). Order-based checks, no timings (those are in
// bench/robustness.bench.ts).

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { CancellationTokenSource, ResponseError } from "vscode-languageserver-protocol/node";
import { TestClient } from "./client";
import { DocumentStore, HUGE_DOCUMENT_CHARS } from "../src/documents";
import { lineIndex, parse } from "../../compiler/src/parser";
import { toAst } from "../../compiler/src/lower";
import { lowerInSlices } from "../src/compact";
import { DocumentWork, Superseded } from "../src/scheduler";
import { toPosition } from "../src/positions";

/** A generated program of about `lines` lines (slow enough to parse and analyse to be seen pending). */
function generated(lines: number, seed = 9): string {
  return execFileSync(process.execPath, [join(__dirname, "../../test-fixtures/tools/gen-wsp.mjs"), "--seed", String(seed), "--size", String(lines)], { encoding: "utf8", maxBuffer: 1 << 28 });
}

const big = generated(20_000);
const small = "let x = 1\nprint x\n";

function open(client: TestClient, uri: string, text: string, version = 1): Promise<void> {
  return client.notify("textDocument/didOpen", { textDocument: { uri, languageId: "whispem", version, text } });
}

test("a hover on another document is answered before a large document's pending work is done", async () => {
  const client = await TestClient.start();
  try {
    const s = "file:///sched/small.wsp";
    const p = "file:///sched/large.wsp";
    await client.open(s, small);
    const order: string[] = [];
    const published = client.diagnostics(p, 1).then(() => order.push("large: diagnostics"));
    await open(client, p, big);
    const symbols = client.request<unknown[]>("textDocument/documentSymbol", { textDocument: { uri: p } }).then((r) => {
      order.push("large: symbols");
      return r;
    });
    const folding = client.request("textDocument/foldingRange", { textDocument: { uri: p } }).then(() => order.push("large: folding"));
    const hover = client.request<{ contents: unknown } | null>("textDocument/hover", { textDocument: { uri: s }, position: { line: 1, character: 6 } }).then((h) => {
      order.push("small: hover");
      return h;
    });
    const [h, syms] = await Promise.all([hover, symbols, folding, published]);
    assert.ok(h, "the hover has an answer");
    assert.ok(syms.length > 0, "the large document's symbols are answered too");
    assert.equal(order[0], "small: hover", order.join(", "));
    assert.equal(order.length, 4);
  } finally {
    await client.stop();
  }
});

test("hovers sent one after another while a large document is being prepared are answered between its pieces of work", async () => {
  const client = await TestClient.start();
  try {
    const s = "file:///sched/small2.wsp";
    const p = "file:///sched/large2.wsp";
    await client.open(s, small);
    await open(client, p, big);
    let symbolsDone = false;
    const symbols = client.request<unknown[]>("textDocument/documentSymbol", { textDocument: { uri: p } }).then((r) => {
      symbolsDone = true;
      return r;
    });
    // Each hover is sent once the previous one is answered, so all but the first arrive while a
    // piece of the large document's work (its parse, its analysis, the symbols) is running: each
    // must be dispatched when that piece ends, not after the rest.
    let answeredBefore = 0;
    while (!symbolsDone) {
      await client.request("textDocument/hover", { textDocument: { uri: s }, position: { line: 1, character: 6 } });
      if (!symbolsDone) answeredBefore++;
    }
    assert.ok((await symbols).length > 0);
    assert.ok(answeredBefore >= 2, `${answeredBefore} hovers answered while the large document's parse, analysis and symbols were pending`);
  } finally {
    await client.stop();
  }
});

test("a request cancelled while its document's work is pending gets RequestCancelled; later ones are answered", async () => {
  const client = await TestClient.start();
  try {
    const p = "file:///sched/cancelled.wsp";
    await open(client, p, big);
    const source = new CancellationTokenSource();
    const cancelled = client.connection.sendRequest("textDocument/documentSymbol", { textDocument: { uri: p } }, source.token);
    source.cancel();
    await assert.rejects(cancelled, (e: unknown) => {
      assert.ok(e instanceof ResponseError, String(e));
      assert.equal(e.code, -32800);
      return true;
    });
    const symbols = await client.request<unknown[]>("textDocument/documentSymbol", { textDocument: { uri: p } });
    assert.ok(symbols.length > 0);
    assert.deepEqual(client.logs.filter((l) => / failed: /.test(l)), []);
  } finally {
    await client.stop();
  }
});

test("a version replaced before its turn is never published; a request made for it gets ContentModified", async () => {
  const client = await TestClient.start();
  try {
    const p = "file:///sched/superseded.wsp";
    const text = big + "let fine = 1\n";
    await client.open(p, text);
    const end = text.split("\n").length - 1;
    const at = (character: number) => ({ line: end - 1, character });
    // Version 2 breaks the last line, a request is made for it, version 3 mends it: three small
    // messages that arrive together (one write), before version 2's turn.
    const { stale, third } = client.together(() => {
      void client.notify("textDocument/didChange", { textDocument: { uri: p, version: 2 }, contentChanges: [{ range: { start: at(11), end: at(12) }, text: "(1 +" }] });
      const stale = client.request("textDocument/documentSymbol", { textDocument: { uri: p } });
      const third = client.change(p, 3, [{ range: { start: at(11), end: at(15) }, text: "2" }]);
      return { stale, third };
    });
    await assert.rejects(stale, (e: unknown) => {
      assert.ok(e instanceof ResponseError, String(e));
      assert.equal(e.code, -32801);
      return true;
    });
    const published = await third;
    assert.equal(published.version, 3);
    assert.deepEqual(
      client.history.get(p)!.map((d) => d.version),
      [1, 3],
      "version 2 was never analysed and published",
    );
    assert.ok(!published.diagnostics.some((d) => d.severity === 1), "the syntax error of version 2 is not shown");
    const symbols = await client.request<{ name: string }[]>("textDocument/documentSymbol", { textDocument: { uri: p } });
    assert.ok(symbols.some((s) => s.name === "fine"));
  } finally {
    await client.stop();
  }
});

test("DocumentWork: a version replaced while waiting is never parsed; the current one is parsed, then analysed, in separate turns", async () => {
  const store = new DocumentStore();
  const work = new DocumentWork(store);
  work.tracing(true);
  const uri = "file:///sched/unit.wsp";
  store.open(uri, 1, "let a = 1\nprint a\n");
  const waiting = work.ready(uri);
  store.get(uri)!.update(2, [{ range: { start: { line: 1, character: 6 }, end: { line: 1, character: 7 } }, text: "a + 1" }]);
  await assert.rejects(waiting, Superseded);
  assert.deepEqual(work.trace, []);
  const doc = await work.ready(uri);
  assert.equal(doc.text, "let a = 1\nprint a + 1\n");
  assert.deepEqual(work.trace, [`parse ${uri}@2`, `analyse ${uri}@2`]);
  assert.ok(work.isReady(doc));
  // Ready now: nothing more runs.
  await work.ready(uri);
  assert.equal(work.trace.length, 2);
});

test("DocumentWork: changes made before the first parse are applied in order, and a whole new text drops what came before", async () => {
  const store = new DocumentStore();
  const uri = "file:///sched/lazy.wsp";
  const doc = store.open(uri, 1, "print 1\n");
  assert.equal(doc.isParsed, false);
  doc.update(2, [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } }, text: "2" }]);
  doc.update(3, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: "print 3\n" }]);
  assert.equal(doc.text, "print 2\nprint 3\n");
  assert.equal(doc.isParsed, true);
  doc.update(4, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "x" }, { text: "print 4\n" }, { range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } }, text: "5" }]);
  assert.equal(doc.isParsed, false);
  assert.equal(doc.text, "print 5\n");
  assert.deepEqual(doc.syntaxDiagnostics, []);
});

test("DocumentWork: a cancelled wait rejects with RequestCancelled before any work", async () => {
  const store = new DocumentStore();
  const work = new DocumentWork(store);
  work.tracing(true);
  const uri = "file:///sched/cancel.wsp";
  store.open(uri, 1, "print 1\n");
  const source = new CancellationTokenSource();
  const waiting = work.ready(uri, "analysed", source.token);
  source.cancel();
  await assert.rejects(waiting, (e: unknown) => e instanceof ResponseError && e.code === -32800);
  assert.deepEqual(work.trace, []);
});

test("a huge document lets its tree go after the analysis: a statement's own parse stands in at a position, an edit parses the new text", () => {
  const block = 'fn add(a, b) {\n    # sum\n    return a + b\n}\nlet total = add(1, 2)\nprint f"total: {total}" + "!"\n\n';
  const text = block.repeat(Math.ceil((HUGE_DOCUMENT_CHARS + 1000) / block.length));
  const store = new DocumentStore();
  const doc = store.open("file:///sched/huge.wsp", 1, text);
  assert.ok(doc.huge);
  const whole = parse(text).root;
  const analysis = doc.analysis();
  assert.ok(analysis.program.body.length > 1000);
  assert.deepEqual(analysis.diagnostics, []);
  // At offsets across the file (statement starts, ends, blank lines, comments, f-strings), the
  // token found is the whole tree's.
  for (let k = 0; k < 400; k++) {
    const offset = k < block.length ? block.length * 500 + k : Math.floor(((k * 7919) % 10007) / 10007 * text.length);
    const want = whole.tokenAt(offset);
    const got = doc.treeAround(offset).tokenAt(offset);
    assert.deepEqual(got && [got.kind, got.start, got.end], want && [want.kind, want.start, want.end], `offset ${offset}`);
  }
  // An edit: the text is edited and parsed whole, then analysed again.
  const at = toPosition(doc.lines, text.length - 2);
  doc.update(2, [{ range: { start: at, end: at }, text: "(" }, { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } }, text: "fn" }]);
  assert.equal(doc.isParsed, false);
  const edited = text.slice(0, text.length - 2) + "(" + text.slice(text.length - 2);
  assert.equal(doc.text, edited);
  assert.deepEqual(doc.syntaxDiagnostics, parse(edited).diagnostics);
  assert.ok(doc.syntaxDiagnostics.length > 0);
  assert.equal(doc.analysis().diagnostics.length, doc.syntaxDiagnostics.length);
});

test("a huge document's AST, lowered in slices while its tree is let go, equals the whole lowering", () => {
  const lines = Array.from({ length: 6000 }, (_, i) => (i % 3 === 0 ? `# note ${i}\nlet v${i} = [${i}, "s"]` : i % 3 === 1 ? `print f"{v${i - 1}[0] +\n1} x"` : `fn f${i}(a) { return a + ${i} }`));
  const text = generated(2_000, 4) + lines.join("\n") + "\nlet broken = (1 +\n";
  const whole = parse(text);
  const want = toAst(whole);
  const again = parse(text);
  const got = lowerInSlices(again.root.green.kind, again.root.green.children.slice(), text, lineIndex(again));
  assert.ok(again.root.green.children.length > 4096 * 2, "several slices");
  assert.deepEqual(got, want);
});
