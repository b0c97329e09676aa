// Quick fixes through the real server: pitfalls #1 (nested fn), #4 (function used as a value),
// #13 (value builtin as a statement) and "did you mean"; each fix, applied, removes its diagnostic.

import { test, before, after as afterAll } from "node:test";
import assert from "node:assert/strict";
import type { CodeAction, Diagnostic, Range, TextEdit } from "vscode-languageserver-protocol/node";
import { TestClient } from "./client";
import { applyTextEdits, scratch } from "./aidsFixture";

let client: TestClient;
before(async () => {
  client = await TestClient.start();
});
afterAll(async () => {
  await client.stop();
});

async function actionsAt(text: string, line: number, only?: string[]): Promise<{ uri: string; actions: CodeAction[]; diagnostics: Diagnostic[] }> {
  const uri = await scratch(client, text);
  const diagnostics = (await client.diagnostics(uri, 1)).diagnostics;
  const range: Range = { start: { line, character: 0 }, end: { line, character: 200 } };
  const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range, context: { diagnostics, only } });
  return { uri, actions, diagnostics };
}

async function codesAfter(text: string): Promise<string[]> {
  const uri = await scratch(client, text);
  return (await client.diagnostics(uri, 1)).diagnostics.map((d) => String(d.code));
}

function apply(text: string, uri: string, action: CodeAction): string {
  const edits = action.edit!.changes![uri] as TextEdit[];
  return applyTextEdits(text, edits);
}

const cases = [
  {
    name: "#1 nested fn becomes a let-bound lambda",
    text: "fn outer() {\n    fn inner(x) { return x }\n    return inner(1)\n}\nprint outer()\n",
    line: 1,
    code: "WSP3001",
    title: /^Rewrite as 'let inner = fn\(x\)/,
    fixed: "fn outer() {\n    let inner = fn(x) { return x }\n    return inner(1)\n}\nprint outer()\n",
  },
  {
    name: "#4 named function used as a value is wrapped",
    text: "fn double(x) { return x * 2 }\nprint map([1, 2], double)\n",
    line: 1,
    code: "WSP3003",
    title: /^Wrap 'double' in a lambda$/,
    fixed: "fn double(x) { return x * 2 }\nprint map([1, 2], fn(x) { return double(x) })\n",
  },
  {
    name: "#13 a value builtin on its own line gets its let",
    text: "let a = [1]\npush(a, 2)\nprint a\n",
    line: 1,
    code: "WSP1003",
    title: /^Write 'let a = push\(…\)'$/,
    fixed: "let a = [1]\nlet a = push(a, 2)\nprint a\n",
  },
  {
    name: "#18 did you mean",
    text: "let count = 1\nprint cuont\n",
    line: 1,
    code: "WSP3014",
    title: /^Change to 'count'$/,
    fixed: "let count = 1\nprint count\n",
  },
];

for (const c of cases) {
  test(c.name, async () => {
    const { uri, actions } = await actionsAt(c.text, c.line);
    const action = actions.find((a) => c.title.test(a.title));
    assert.ok(action, `an action titled ${c.title} among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(action.kind, "quickfix");
    assert.equal(String(action.diagnostics?.[0]?.code), c.code);
    assert.equal(apply(c.text, uri, action), c.fixed);
    assert.ok(!(await codesAfter(c.fixed)).includes(c.code), `${c.code} is gone after the fix`);
  });
}

test("no quick fixes on clean lines or when only refactorings are asked for", async () => {
  const { actions } = await actionsAt("let count = 1\nprint cuont\n", 0);
  assert.deepEqual(actions, []);
  const refactor = await actionsAt("let count = 1\nprint cuont\n", 1, ["refactor"]);
  assert.deepEqual(refactor.actions, []);
});
