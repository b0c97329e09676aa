// "Convert to f-string": offered only where certain, and then the program compiles to the same
// bytes — checked on every `+` chain of the conformance programs and through the protocol.

import { test, before, after as afterAll } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { CodeAction, TextEdit } from "vscode-languageserver-protocol/node";
import type * as A from "../../compiler/src/ast";
import { compile } from "../../compiler/src/compiler";
import { parse } from "../../compiler/src/parser";
import { toAst } from "../../compiler/src/lower";
import { fstringRewrite } from "../src/fstringRefactor";
import { TestClient, root } from "./client";
import { applyTextEdits, scratch } from "./aidsFixture";

function chains(program: A.Program): A.Expr[] {
  const out: A.Expr[] = [];
  const visit = (x: unknown): void => {
    if (!x || typeof x !== "object") return;
    if (Array.isArray(x)) return x.forEach(visit);
    const o = x as { kind?: string; op?: string };
    if (o.kind === "Binary" && o.op === "+") out.push(o as A.Expr);
    for (const [k, v] of Object.entries(o)) if (k !== "desugared" && v && typeof v === "object") visit(v);
  };
  visit(program.body);
  return out;
}

test("every rewrite of a + chain in the conformance programs keeps the compiled bytes", () => {
  const dir = join(root, "test-fixtures/conformance/run");
  let rewritten = 0;
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".wsp")).sort()) {
    const text = readFileSync(join(dir, f), "utf8");
    const bytes = Buffer.from(compile(text).bytes!);
    for (const chain of chains(toAst(parse(text)))) {
      const edit = fstringRewrite(text, chain);
      if (!edit) continue;
      const changed = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
      const r = compile(changed);
      assert.ok(r.bytes && bytes.equals(Buffer.from(r.bytes)), `${f}: ${text.slice(edit.start, edit.end)} → ${edit.newText}`);
      rewritten++;
    }
  }
  assert.ok(rewritten >= 30, `${rewritten} chains rewritten`);
});

test("not offered where the meaning or the bytes could change", () => {
  const cases = ['"" + x', '"a" + "b" + x', '"a" + f(x)', '"a" + fn(q) { return q }', 'x + y', '"a" + f"{x}"', '"a\\{" + x', '"a" + {"k": 1}["k"]'];
  for (const c of cases) {
    const text = `let x = 1\nlet y = 2\nfn f(v) { return v }\nprint ${c}\n`;
    const program = toAst(parse(text));
    const last = program.body[program.body.length - 1] as A.PrintStmt;
    assert.equal(fstringRewrite(text, last.value), null, c);
  }
});

let client: TestClient;
before(async () => {
  client = await TestClient.start();
});
afterAll(async () => {
  await client.stop();
});

test("the code action rewrites the chain under the cursor; braces in the text are escaped", async () => {
  const text = 'let n = 3\nprint "total {" + n + "} items: " + (n * 2)\n';
  const uri = await scratch(client, text);
  const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range: { start: { line: 1, character: 20 }, end: { line: 1, character: 20 } }, context: { diagnostics: [] } });
  const action = actions.find((a) => a.title === "Convert to f-string");
  assert.ok(action);
  assert.equal(action.kind, "refactor.rewrite");
  const out = applyTextEdits(text, action.edit!.changes![uri] as TextEdit[]);
  assert.equal(out, 'let n = 3\nprint f"total \\{{n}\\} items: {(n * 2)}"\n');
  assert.ok(Buffer.from(compile(out).bytes!).equals(Buffer.from(compile(text).bytes!)));
  const quickOnly = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range: { start: { line: 1, character: 20 }, end: { line: 1, character: 20 } }, context: { diagnostics: [], only: ["quickfix"] } });
  assert.deepEqual(quickOnly, []);
});
