// A runtime error as a diagnostic on the source line the VM names. It stays until that file runs
// again or is edited: the line number belongs to the text that ran, so an edit clears it (a
// squiggle that moved with the text while the Problems entry and the status bar kept the old line
// would disagree about where the error is).
import * as vscode from "vscode";
import { RuntimeError } from "./runtimeError";

export class RuntimeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("whispem-run");
  private readonly edited = new vscode.EventEmitter<vscode.Uri>();
  /** A file whose runtime error was cleared because its text changed. */
  readonly onDidClearOnEdit = this.edited.event;
  private readonly subscription = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.contentChanges.length === 0) return;
    this.edited.fire(e.document.uri);
    if (!this.collection.has(e.document.uri)) return;
    this.collection.delete(e.document.uri);
  });

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
    this.subscription.dispose();
    this.edited.dispose();
    this.collection.dispose();
  }
}
