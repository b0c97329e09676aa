// Issue 18: what a file can make the server do stays bounded. Each case reproduces a finding of
// the review (quadratic or recursive work along a line or a chain, malformed params) and checks
// it is answered, and answered right. Sizes scale up under WHISPEM_SOAK=1 (`npm run soak`);
// timings are in bench/robustness.bench.ts, never asserted here.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { CodeAction, CompletionList, TextEdit } from "vscode-languageserver-protocol/node";
import { ResponseError } from "vscode-languageserver-protocol/node";
import { join } from "node:path";
import { TestClient } from "./client";
import { parse } from "../../compiler/src/parser";
import { fstringRewriteAt } from "../src/fstringRefactor";
import { dictKeyContext } from "../src/completion";
import { format } from "../../compiler/src/format";
import { toAst } from "../../compiler/src/lower";

const SOAK = process.env.WHISPEM_SOAK === "1";
/** Terms of a `+` chain, characters of a long line. */
const TERMS = SOAK ? 100_000 : 5_000;
const CHARS = SOAK ? 1_000_000 : 100_000;

let client: TestClient;
before(async () => {
  client = await TestClient.start();
});
after(async () => {
  await client.stop();
});

let serial = 0;
async function openScratch(text: string): Promise<string> {
  const uri = `file:///budgets/${++serial}.wsp`;
  await client.open(uri, text);
  return uri;
}

test(`Convert to f-string on a ${TERMS}-term chain: answered, the whole chain rewritten`, async () => {
  const text = 'let n = 1\nlet a = "s" + ' + Array(TERMS).fill("n").join(" + ") + "\n";
  const uri = await openScratch(text);
  const range = { start: { line: 1, character: 400 }, end: { line: 1, character: 400 } };
  const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range, context: { diagnostics: [] } });
  const convert = actions.find((a) => /f-string/.test(a.title));
  assert.ok(convert, actions.map((a) => a.title).join(", "));
  const edit = convert.edit!.changes![uri][0] as TextEdit;
  assert.equal(edit.newText, 'f"s' + "{n}".repeat(TERMS) + '"');
  assert.deepEqual(edit.range.start, { line: 1, character: 8 });
});

test(`a ${TERMS}-term chain with no literal offers no f-string, and answers`, async () => {
  const text = "let a = " + Array(TERMS).fill("1").join(" + ") + "\n";
  const uri = await openScratch(text);
  const range = { start: { line: 0, character: 400 }, end: { line: 0, character: 400 } };
  const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range, context: { diagnostics: [] } });
  assert.equal(actions.filter((a) => /f-string/.test(a.title)).length, 0);
});

test("Convert to f-string: the longest rewritable prefix holding the cursor, else an inner chain", () => {
  const text = 'let a = "a" + n + "b" + g(x)\nlet b = ("p" + n) * 2 + 1\n';
  const program = toAst(parse(text));
  const first = text.indexOf('"a"') + 1;
  assert.deepEqual(fstringRewriteAt(text, program, first, first), { start: first - 1, end: text.indexOf(" + g"), newText: 'f"a{n}b"' });
  // The cursor on `g(x)`: no prefix holding it can be rewritten.
  const call = text.indexOf("g(x)");
  assert.equal(fstringRewriteAt(text, program, call, call), null);
  const inner = text.indexOf('"p"');
  assert.deepEqual(fstringRewriteAt(text, program, inner, inner), { start: inner, end: text.indexOf(") * 2"), newText: 'f"p{n}"' });
});

test(`completion in a ${CHARS}-character string literal answers`, async () => {
  const text = 'print "' + "x".repeat(CHARS) + '"\n';
  const uri = await openScratch(text);
  const list = await client.request<CompletionList | null>("textDocument/completion", {
    textDocument: { uri },
    position: { line: 0, character: 7 + CHARS / 2 },
    context: { triggerKind: 2, triggerCharacter: '"' },
  });
  assert.deepEqual(list?.items ?? [], []);
});

test(`dict-key completion after a ${CHARS}-letter name still finds the name's keys`, async () => {
  const name = "d" + "x".repeat(CHARS);
  const text = `let ${name} = {"alpha": 1, "beta": 2}\nprint ${name}["`;
  const uri = await openScratch(text);
  const list = await client.request<CompletionList>("textDocument/completion", { textDocument: { uri }, position: { line: 1, character: 6 + name.length + 2 } });
  assert.deepEqual(list.items.map((i) => i.label).sort(), ["alpha", "beta"]);
});

test("dictKeyContext reads what the former regex matched, on random lines", () => {
  const former = /([\p{Alphabetic}_][\p{Alphabetic}\p{Nd}\p{Nl}\p{No}_]*)\s*\[\s*"([^"\\]*)$/u;
  const alphabet = ['a', 'b', '_', '1', '[', '"', ' ', '\\', 'é', '𝒜', '２', '.'];
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  for (let k = 0; k < 20_000; k++) {
    let line = "";
    for (let len = rand(12); len > 0; len--) line += alphabet[rand(alphabet.length)];
    const text = "x\n" + line;
    const m = former.exec(line);
    const got = dictKeyContext(text, 2, text.length);
    assert.deepEqual(got, m ? { nameStart: 2 + m.index, prefix: m[2] } : null, JSON.stringify(line));
  }
});

test(`formatting a comment with ${CHARS} blanks inside: answered, trailing blanks trimmed`, () => {
  const text = "# a" + " ".repeat(CHARS) + "b" + " ".repeat(CHARS) + "\nprint 1\n";
  const out = format(text);
  assert.equal(out, "# a" + " ".repeat(CHARS) + "b\nprint 1\n");
});

test("malformed params get InvalidParams, for every request, over the protocol", async () => {
  const uri = await openScratch("let a = 1\nprint a\n");
  const doc = { textDocument: { uri } };
  const cases: [string, unknown][] = [
    ["textDocument/hover", { textDocument: { uri } }],
    ["textDocument/hover", { ...doc, position: { line: "0", character: 1 } }],
    ["textDocument/hover", null],
    ["textDocument/hover", { textDocument: 3, position: { line: 0, character: 0 } }],
    ["workspace/symbol", {}],
    ["workspace/symbol", { query: 42 }],
    ["textDocument/definition", { ...doc, position: { line: -1, character: 0 } }],
    ["textDocument/references", { ...doc, position: { line: 0, character: 4 } }],
    ["textDocument/rename", { ...doc, position: { line: 0, character: 4 } }],
    ["textDocument/documentSymbol", { textDocument: {} }],
    ["textDocument/completion", { ...doc }],
    ["textDocument/codeAction", { ...doc, range: { start: { line: 0, character: 0 } } }],
    ["textDocument/selectionRange", { ...doc, positions: [{ line: 0 }] }],
    ["textDocument/semanticTokens/range", { ...doc }],
    ["textDocument/inlayHint", { ...doc }],
    ["textDocument/foldingRange", { textDocument: null }],
  ];
  for (const [method, params] of cases) {
    await assert.rejects(client.request(method, params), (e: unknown) => {
      assert.ok(e instanceof ResponseError, `${method}: ${String(e)}`);
      assert.equal(e.code, -32602, `${method} ${JSON.stringify(params)}: ${e.message}`);
      return true;
    });
  }
  // Well-formed params still answer.
  const hover = await client.request("textDocument/hover", { ...doc, position: { line: 1, character: 6 } });
  assert.ok(hover);
  assert.ok(client.alive);
});

test("more than 1 000 diagnostics: the first 1 000 and one summary are published", async () => {
  const text = Array.from({ length: 1500 }, (_, i) => `let v${i} = (1 +\n`).join("") + "print 1\n";
  const uri = await openScratch(text);
  const published = client.latest.get(uri)!;
  assert.equal(published.diagnostics.length, 1001);
  const summary = published.diagnostics.at(-1)!;
  assert.equal(summary.code, "limit");
  assert.match(String(summary.message), /more problems are not shown/);
});

test(`a huge document (${SOAK ? "10 MB, gen-wsp" : "over 2 MB"}): syntax diagnostics, one note, and every request answered`, async () => {
  let text: string;
  if (SOAK) {
    const { execFileSync } = await import("node:child_process");
    text = execFileSync(process.execPath, [join(__dirname, "../../test-fixtures/tools/gen-wsp.mjs"), "--seed", "3", "--size", "300000"], { encoding: "utf8", maxBuffer: 1 << 30 });
  } else {
    const block = 'fn add(a, b) {\n    return a + b\n}\nlet total = add(1, 2)\nprint "total: " + total\n';
    text = block.repeat(Math.ceil(2_100_000 / block.length));
  }
  text += "let broken = (1 +\n";
  const uri = `file:///budgets/huge-${++serial}.wsp`;
  const start = Date.now();
  const opened = await client.open(uri, text);
  const firstMs = Date.now() - start;
  const note = opened.diagnostics.filter((d) => d.code === "large-file");
  assert.equal(note.length, 1);
  assert.ok(opened.diagnostics.some((d) => d.severity === 1), "the syntax error is reported");
  assert.ok(opened.diagnostics.length <= 1002);
  assert.ok(client.logs.filter((l) => l.includes(uri) && /syntax diagnostics/.test(l)).length <= 1);
  const doc = { textDocument: { uri } };
  const symbols = await client.request<unknown[]>("textDocument/documentSymbol", doc);
  assert.ok(symbols.length > 0);
  const hover = await client.request("textDocument/hover", { ...doc, position: { line: 1, character: 12 } });
  assert.ok(hover !== undefined);
  const definition = await client.request("textDocument/definition", { ...doc, position: { line: 3, character: 14 } });
  assert.ok(definition !== undefined);
  // Its tree is not kept: completion, signature help and selection ranges parse the statement
  // around the position; no semantic tokens, no folding ranges (the editor's own stand in).
  const lines = text.split("\n");
  const last = lines.length - 2;
  const completion = await client.request<{ items: { label: string }[] }>("textDocument/completion", { ...doc, position: { line: last, character: 0 } });
  assert.ok(completion.items.some((i) => i.label === "print"), "statement keywords at a statement's start");
  const selection = await client.request<{ range: unknown; parent?: unknown }[]>("textDocument/selectionRange", { ...doc, positions: [{ line: last, character: 5 }] });
  assert.deepEqual(selection[0].range, { start: { line: last, character: 4 }, end: { line: last, character: 10 } });
  assert.deepEqual(await client.request("textDocument/semanticTokens/full", doc), { data: [] });
  assert.equal(await client.request("textDocument/foldingRange", doc), null);
  // An edit (the syntax error fixed) is parsed and published.
  const fixedAt = { line: last, character: lines[last].length };
  const fixed = await client.change(uri, 2, [{ range: { start: fixedAt, end: fixedAt }, text: " 1)" }]);
  assert.ok(!fixed.diagnostics.some((d) => d.severity === 1), JSON.stringify(fixed.diagnostics.slice(0, 3)));
  assert.equal(fixed.diagnostics.filter((d) => d.code === "large-file").length, 1);
  const memory = await client.request<{ rss: number; maxRss: number }>("whispem/memoryUsage", null);
  console.log(JSON.stringify({ hugeChars: text.length, firstDiagnosticsMs: firstMs, serverRssMB: Math.round(memory.rss / 1024 / 1024), serverPeakRssMB: Math.round(memory.maxRss / 1024 / 1024) }));
  await client.close(uri);
});
