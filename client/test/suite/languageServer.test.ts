// The language server through the real language client: diagnostics while editing, hover, definition.
import * as assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { api, diagnosticsWhere, EXTENSION_ID, setText, workspaceFile } from "./helpers";

function serverDiagnostics(d: vscode.Diagnostic[]): vscode.Diagnostic[] {
  return d.filter((x) => x.source !== "wvm");
}

/** The position of the `occurrence`-th `word` in the document (0-based). */
function positionOf(document: vscode.TextDocument, word: string, occurrence = 0): vscode.Position {
  const re = new RegExp(`\\b${word}\\b`, "g");
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(document.getText()))) if (n++ === occurrence) return document.positionAt(m.index + 1);
  throw new Error(`no occurrence ${occurrence} of ${word}`);
}

suite("language server", function () {
  suiteSetup(async function () {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    if (!existsSync(join(extension.extensionPath, "out", "server.js"))) this.skip();
    await api();
  });

  test("a syntax error is reported while typing and disappears when fixed", async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile("broken.wsp"));
    await vscode.window.showTextDocument(document);
    const broken = await diagnosticsWhere(document.uri, (d) => serverDiagnostics(d).length > 0, "the syntax error");
    const first = serverDiagnostics(broken)[0];
    assert.equal(first.severity, vscode.DiagnosticSeverity.Error);
    // Newlines are tokens: the missing `)` is noticed at the end of line 2 (language.md §3).
    assert.equal(first.message, "Expected ')', found newline");
    assert.equal(first.range.start.line, 1);

    await setText(document, document.getText().replace("(1 + 2\n", "(1 + 2)\n"));
    await diagnosticsWhere(document.uri, (d) => serverDiagnostics(d).length === 0, "the diagnostics to clear");
  });

  test("hover on a function call describes that function", async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile("hello.wsp"));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", document.uri, positionOf(document, "square", 1));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === "string" ? c : c.value))).join("\n");
    assert.match(text, /square/);
    assert.match(text, /\bn\b/, "the hover shows the parameter");
  });

  test("go to definition jumps from a call to the fn declaration", async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile("hello.wsp"));
    const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>("vscode.executeDefinitionProvider", document.uri, positionOf(document, "square", 1));
    assert.equal(found.length, 1);
    const target = "targetUri" in found[0] ? { uri: found[0].targetUri, range: found[0].targetSelectionRange ?? found[0].targetRange } : found[0];
    assert.equal(target.uri.toString(), document.uri.toString());
    assert.equal(target.range.start.line, 1, "fn square is on line 2");
  });
});
