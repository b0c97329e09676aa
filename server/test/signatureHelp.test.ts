// Signature help and inlay hints through the real server: named functions, builtins, lambdas
// bound by `let`, lambdas called in place, the active parameter; parameter-name hints and their
// setting.

import { test, before, after as afterAll } from "node:test";
import assert from "node:assert/strict";
import type { InlayHint, Position, SignatureHelp } from "vscode-languageserver-protocol/node";
import { TestClient } from "./client";
import { after, aidsText, aidsUri, scratch } from "./aidsFixture";

let client: TestClient;
before(async () => {
  client = await TestClient.start();
  await client.open(aidsUri, aidsText);
});
afterAll(async () => {
  await client.stop();
});

function help(uri: string, position: Position): Promise<SignatureHelp | null> {
  return client.request<SignatureHelp | null>("textDocument/signatureHelp", { textDocument: { uri }, position });
}

function active(h: SignatureHelp | null): { label: string; param: string } {
  assert.ok(h, "signature help expected");
  const s = h.signatures[h.activeSignature ?? 0];
  const p = s.parameters![h.activeParameter ?? 0].label as [number, number];
  return { label: s.label, param: s.label.slice(p[0], p[1]) };
}

test("named function: the active parameter follows the commas", async () => {
  assert.deepEqual(active(await help(aidsUri, after(aidsText, "print add("))), { label: "fn add(a, b)", param: "a" });
  assert.deepEqual(active(await help(aidsUri, after(aidsText, "print add(1, "))), { label: "fn add(a, b)", param: "b" });
});

test("builtins, lambdas bound by let, nested calls, and lambdas called in place", async () => {
  assert.deepEqual(active(await help(aidsUri, after(aidsText, "slice([1, 2, 3], 0, "))), { label: "slice(array, start, end) -> array", param: "end" });
  assert.deepEqual(active(await help(aidsUri, after(aidsText, "print twice("))), { label: "let twice = fn(f, x)", param: "f" });
  // Inside the inner call's parentheses the inner call wins; after its `)` the outer one again.
  assert.deepEqual(active(await help(aidsUri, after(aidsText, "print add(item, "))), { label: "fn add(a, b)", param: "b" });
  const uri = await scratch(client, "print fn(p, q) { return p }(1, \nprint length(add(1, 2), \nfn add(a, b) { return a }\n");
  assert.deepEqual(active(await help(uri, { line: 0, character: 32 })), { label: "fn(p, q)", param: "q" });
  assert.deepEqual(active(await help(uri, { line: 1, character: 13 })), { label: "length(x) -> number", param: "x" });
  assert.deepEqual(active(await help(uri, { line: 1, character: 23 })), { label: "length(x) -> number", param: "x" });
});

test("no signature outside calls or inside a lambda body passed as an argument", async () => {
  assert.equal(await help(aidsUri, { line: 1, character: 5 }), null);
  assert.equal(await help(aidsUri, after(aidsText, "fn(x) { return ")), null);
});

async function hints(uri: string): Promise<string[]> {
  const r = await client.request<InlayHint[]>("textDocument/inlayHint", { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } } });
  return r.map((h) => `${h.position.line}:${h.position.character} ${h.label}`);
}

test("inlay hints: parameter names for calls of functions with two or more parameters", async () => {
  const got = await hints(aidsUri);
  const line = (needle: string) => after(aidsText, needle, 0, true);
  const at = (needle: string, label: string) => `${line(needle).line}:${line(needle).character} ${label}`;
  for (const expected of [at("1, 2)\nprint scale", "a:"), at("2)\nprint scale", "b:"), at("[1, 2,\n", "xs:"), at("10)", "factor:"), at("fn(v)", "f:"), at("total)\nprint slice", "x:"), at("0, 2)", "start:")]) {
    assert.ok(got.includes(expected), `${expected} in ${JSON.stringify(got)}`);
  }
  // map(xs, …): `xs` is passed for `array`, a different name: hinted; add(item, total): both hinted.
  assert.ok(got.includes(at("xs, fn(x)", "array:")));
  // one-parameter calls (range has two, length one) and unknown callees get none
  assert.ok(!got.some((g) => g.endsWith(" x:") && g.startsWith(`${line("f(f(x))").line}:`)), "calls of a parameter get no hints");
});

test("inlay hints: a variable named like the parameter gets none; the setting turns them off", async () => {
  const uri = await scratch(client, "fn pair(a, b) { return a }\nlet a = 1\nprint pair(a, 2)\n");
  assert.deepEqual(await hints(uri), ["2:14 b:"]);
  const off = await TestClient.start({ settings: { inlayHints: { parameterNames: false } } });
  try {
    await off.open(aidsUri, aidsText);
    const r = await off.request<InlayHint[]>("textDocument/inlayHint", { textDocument: { uri: aidsUri }, range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } } });
    assert.deepEqual(r, []);
  } finally {
    await off.stop();
  }
});
