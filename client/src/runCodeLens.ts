// A "Run File" code lens at the top of each Whispem file, where running is allowed.
import * as vscode from "vscode";

export class RunCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  /** Trust can be granted while files are open: their lenses appear then. */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted || document.lineCount === 0) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    return [new vscode.CodeLens(top, { title: "$(play) Run File", command: "whispem.runFile", arguments: [document.uri] })];
  }
}
