// Runs in a window whose workspace is not trusted: nothing runs, language features still work.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { RunResult } from "../../src/runs";
import { api, diagnosticsWhere, EXTENSION_ID, workspaceFile } from "./helpers";

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

  test("no Run File code lens is offered, but the reference counts stay", async () => {
    // The language server is up once it has reported the broken file's error.
    const broken = await vscode.workspace.openTextDocument(workspaceFile("broken.wsp"));
    await diagnosticsWhere(broken.uri, (d) => d.length > 0, "the language server");
    await vscode.window.showTextDocument(workspaceFile("functions.wsp"));
    // The reference counts are resolved lazily: ask VS Code to resolve them (up to 100 lenses).
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", workspaceFile("functions.wsp"), 100);
    assert.equal(lenses.filter((l) => l.command?.command === "whispem.runFile").length, 0);
    assert.ok(lenses.some((l) => /\d+ references?$/.test(l.command?.title ?? "")), JSON.stringify(lenses.map((l) => l.command?.title)));
  });

  test("Run File stays in the palette, the editor title and the explorer menu, to explain itself", () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string; enablement?: string }[]; menus: Record<string, { command: string; when?: string }[]> };
    };
    const command = manifest.contributes.commands.find((c) => c.command === "whispem.runFile")!;
    assert.ok(!command.enablement?.includes("isWorkspaceTrusted"), "the command is enabled in Restricted Mode");
    for (const menu of ["commandPalette", "editor/title/run", "explorer/context"]) {
      const item = manifest.contributes.menus[menu].find((m) => m.command === "whispem.runFile");
      assert.ok(item, `Run File is in ${menu}`);
      assert.ok(!item.when?.includes("isWorkspaceTrusted"), `Run File is visible in ${menu} in Restricted Mode`);
    }
  });

  test("the language server still reports errors", async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile("broken.wsp"));
    assert.equal(document.languageId, "whispem");
    const diagnostics = await diagnosticsWhere(document.uri, (d) => d.length > 0, "the syntax error");
    assert.equal(diagnostics[0].message, "Expected ')', found newline");
  });
});
