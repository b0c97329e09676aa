// Runs first: the extension activates on a .wsp file (not before), quickly, with its commands.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { EXTENSION_ID, workspaceFile } from "./helpers";

/** Filled by the first test, reported by index.ts. */
export const measured: { activationMs?: number } = {};

suite("activation", () => {
  test("the extension is not active before a Whispem file is opened", () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, "the development extension is loaded");
    assert.equal(extension.isActive, false, "no eager activation ('*' or startup)");
  });

  test("opening a .wsp file sets the whispem language and activates the extension", async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    // Code loading and activate() together: what VS Code itself counts as activation time.
    const started = performance.now();
    const activated = extension.activate();
    const document = await vscode.workspace.openTextDocument(workspaceFile("hello.wsp"));
    await activated;
    measured.activationMs = performance.now() - started;
    assert.equal(document.languageId, "whispem");
    assert.equal(extension.isActive, true);
  });

  test("the commands are registered", async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ["whispem.runFile", "whispem.stop", "whispem.restartServer", "whispem.showRunOutput"]) {
      assert.ok(commands.includes(c), `${c} is registered`);
    }
  });

  test("an editor on a .wsp file shows the language", async () => {
    const editor = await vscode.window.showTextDocument(workspaceFile("functions.wsp"));
    assert.equal(editor.document.languageId, "whispem");
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString());
  });
});
