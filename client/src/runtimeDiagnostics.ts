// A runtime error as a diagnostic on the source line the VM names; it stays until that file runs again.
import * as vscode from "vscode";
import { RuntimeError } from "./runtimeError";

export class RuntimeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("whispem-run");

  set(document: vscode.TextDocument, error: RuntimeError): void {
    // The VM knows lines only (its column is always 0): underline the line's code, not its indentation.
    const lineIndex = error.line !== null && error.line <= document.lineCount ? error.line - 1 : 0;
    const line = document.lineAt(lineIndex);
    const range = line.isEmptyOrWhitespace ? line.range : new vscode.Range(lineIndex, line.firstNonWhitespaceCharacterIndex, lineIndex, line.range.end.character);
    const message = error.line === null ? `${error.message} (the VM named no line)` : error.message;
    const diagnostic = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = "wvm";
    diagnostic.code = "runtime";
    this.collection.set(document.uri, [diagnostic]);
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
