// Runs in a window whose workspace is not trusted: nothing runs, language features still work.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { RunResult } from "../../src/runs";
import { api, diagnosticsWhere, workspaceFile } from "./helpers";

suite("restricted mode", () => {
  test("the workspace really is untrusted", () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test("Run File refuses, says why, and starts no program", async () => {
    const { runs } = await api();
    let started = 0;
    const sub = runs.onDidStart(() => started++);
    const before = vscode.window.terminals.length;
    const result = await vscode.commands.executeCommand<RunResult>("whispem.runFile", workspaceFile("hello.wsp"));
    sub.dispose();
    assert.equal(result.outcome, "refused");
    assert.match(result.reason ?? "", /Restricted Mode/);
    assert.equal(started, 0);
    assert.equal(vscode.window.terminals.length, before);
  });

  test("the Testing view has no Whispem tests (running them runs programs)", async () => {
    assert.equal((await api()).tests, undefined);
  });

  test("no Run File code lens is offered", async () => {
    await vscode.window.showTextDocument(workspaceFile("hello.wsp"));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", workspaceFile("hello.wsp"));
    assert.equal(lenses.filter((l) => l.command?.command === "whispem.runFile").length, 0);
  });

  test("the language server still reports errors", async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile("broken.wsp"));
    assert.equal(document.languageId, "whispem");
    const diagnostics = await diagnosticsWhere(document.uri, (d) => d.length > 0, "the syntax error");
    assert.equal(diagnostics[0].message, "Expected ')', found newline");
  });
});
