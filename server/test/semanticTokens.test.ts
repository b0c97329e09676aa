// Semantic tokens through the real server: what each name is (function, parameter, local or
// global variable, captured, builtin), keywords, numbers, strings, f-string braces; delta and range
// results agree with full ones; broken documents still get tokens.

import { test, before, after as afterAll } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { SemanticTokens, SemanticTokensDelta, SemanticTokensLegend } from "vscode-languageserver-protocol/node";
import { TestClient, fixtureUri, root } from "./client";
import { aidsText, aidsUri, scratch } from "./aidsFixture";
import { semanticTokensLegend, tokenEdits } from "../src/semanticTokens";
import { mulberry32 } from "../../test-fixtures/tools/rng.cjs";

let client: TestClient;
// The legend the server announces in its capabilities (same module the server registers).
const legend: SemanticTokensLegend = semanticTokensLegend;
before(async () => {
  client = await TestClient.start();
  await client.open(aidsUri, aidsText);
});
afterAll(async () => {
  await client.stop();
});

/** Decodes the five-integer form into "line:char text type.mod.mod" strings. */
function decode(text: string, data: number[]): string[] {
  const lines = text.split("\n");
  const out: string[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
    const mods = legend.tokenModifiers.filter((_, b) => data[i + 4] & (1 << b));
    out.push(`${line}:${char} ${lines[line].slice(char, char + data[i + 2])} ${[legend.tokenTypes[data[i + 3]], ...mods].join(".")}`);
  }
  return out;
}

async function full(uri: string): Promise<SemanticTokens> {
  return client.request<SemanticTokens>("textDocument/semanticTokens/full", { textDocument: { uri } });
}

test("the legend names the standard types and our modifiers", () => {
  for (const t of ["keyword", "number", "string", "function", "parameter", "variable"]) assert.ok(legend.tokenTypes.includes(t));
  for (const m of ["declaration", "defaultLibrary", "global", "local", "captured"]) assert.ok(legend.tokenModifiers.includes(m));
});

test("names are classified by the resolution", async () => {
  const got = decode(aidsText, (await full(aidsUri)).data);
  const expect = [
    "1:0 let keyword",
    "1:4 total variable.declaration.global",
    "1:12 0 number",
    "2:14 \"name\" string",
    "3:3 add function.declaration",
    "3:7 a parameter.declaration.local",
    "4:8 sum variable.declaration.local",
    "4:14 a parameter.local",
    "8:17 map function.defaultLibrary",
    "8:21 xs parameter.local",
    "8:44 factor parameter.local.captured",
    "7:13 factor parameter.declaration.local.captured",
    "11:4 twice function.declaration.global",
    "14:6 add function",
    "19:4 item variable.declaration.global",
    "20:14 item variable.global",
  ];
  for (const e of expect) assert.ok(got.includes(e), `${e} in\n${got.join("\n")}`);
  assert.ok(!got.some((g) => g.includes("# a run")), "comments are left to the grammar");
});

test("f-strings: literal pieces are strings, the braces stand out, the inside is code", async () => {
  const text = 'let n = 1\nprint f"a{n + 2}b"\n';
  const uri = await scratch(client, text);
  const got = decode(text, (await full(uri)).data);
  for (const e of ['1:6 f" string', "1:8 a string", "1:9 { operator", "1:10 n variable.global", "1:14 2 number", "1:15 } operator", "1:16 b string", '1:17 " string']) assert.ok(got.includes(e), `${e} in ${JSON.stringify(got)}`);
});

test("delta after an edit equals a new full result; range is the slice of the full one", async () => {
  const text = "let a = 1\nfn f(p) {\n    return p + a\n}\nprint f(a)\n";
  const uri = await scratch(client, text);
  const first = await full(uri);
  await client.change(uri, 2, [{ range: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } }, text: "bb" }]);
  const delta = await client.request<SemanticTokensDelta | SemanticTokens>("textDocument/semanticTokens/full/delta", { textDocument: { uri }, previousResultId: first.resultId });
  assert.ok("edits" in delta, "a delta, not a full result");
  let data = [...first.data];
  for (const e of [...delta.edits].sort((x, y) => y.start - x.start)) data.splice(e.start, e.deleteCount, ...(e.data ?? []));
  const fresh = await full(uri);
  assert.deepEqual(data, fresh.data);
  const newText = text.replace("let a", "let bb");
  const range = await client.request<SemanticTokens>("textDocument/semanticTokens/range", { textDocument: { uri }, range: { start: { line: 1, character: 0 }, end: { line: 2, character: 99 } } });
  const all = decode(newText, fresh.data).filter((t) => /^[12]:/.test(t));
  assert.deepEqual(decode(newText, range.data), all);
  // An unknown previous result gets a full answer.
  const unknown = await client.request<SemanticTokens>("textDocument/semanticTokens/full/delta", { textDocument: { uri }, previousResultId: "nope" });
  assert.deepEqual(unknown.data, fresh.data);
});

test("broken documents get tokens around their errors", async () => {
  const dir = "test-fixtures/conformance/syntax";
  for (const f of readdirSync(join(root, dir)).filter((x) => x.endsWith(".wsp")).sort().slice(0, 30)) {
    const text = readFileSync(join(root, dir, f), "utf8");
    const uri = fixtureUri(join(dir, f));
    await client.open(uri, text);
    const got = decode(text, (await full(uri)).data);
    assert.ok(got.some((g) => g.endsWith(" keyword")), `${f}: keywords`);
    for (let i = 1; i < got.length; i++) {
      const [l0, c0] = got[i - 1].split(" ")[0].split(":").map(Number);
      const [l1, c1] = got[i].split(" ")[0].split(":").map(Number);
      assert.ok(l1 > l0 || (l1 === l0 && c1 > c0), `${f}: tokens in order`);
    }
    await client.close(uri);
  }
});

test("token edits: applied to the last result they give the new one (random sequences)", () => {
  const random = mulberry32(2026);
  const seq = (n: number) => Uint32Array.from({ length: n }, () => Math.floor(random() * 4));
  for (let i = 0; i < 2000; i++) {
    const before = seq(Math.floor(random() * 12));
    const after = random() < 0.2 ? before.slice() : seq(Math.floor(random() * 12));
    const data = [...before];
    const edits = tokenEdits(before, after);
    for (const e of edits) data.splice(e.start, e.deleteCount, ...(e.data ?? []));
    assert.deepEqual(data, [...after], `${[...before]} → ${[...after]}: ${JSON.stringify(edits)}`);
    if (before.length === after.length && before.every((x, k) => x === after[k])) assert.deepEqual(edits, []);
  }
});
