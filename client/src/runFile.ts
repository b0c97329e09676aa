// The Run File command: runs a Whispem file in its own terminal, one terminal per file.
import * as vscode from "vscode";
import { basename } from "node:path";
import { RunTerminal } from "./runTerminal";
import { RunResult, Runs } from "./runs";

export class FileRunner implements vscode.Disposable {
  private readonly terminals = new Map<string, vscode.Terminal>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly runs: Runs) {
    this.subscriptions.push(
      vscode.window.onDidCloseTerminal((t) => {
        for (const [file, terminal] of this.terminals) if (terminal === t) this.terminals.delete(file);
      }),
    );
  }

  /** Runs the file (default: the active editor's); resolves when the program ends. */
  async run(target?: vscode.Uri): Promise<RunResult | undefined> {
    const uri = target ?? vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showWarningMessage("Open a Whispem file to run it.");
      return undefined;
    }
    const refusal = this.runs.refusal();
    if (refusal) {
      void this.explain(refusal);
      return { file: uri.fsPath, outcome: "refused", exitCode: null, output: "", reason: refusal };
    }
    const document = await vscode.workspace.openTextDocument(uri);
    // A new run of the same file replaces the old one and its terminal.
    const previous = this.terminals.get(uri.toString());
    previous?.dispose();
    const pty = new RunTerminal({
      start: (sink) => this.runs.start(document, sink, { interactive: true, diagnostics: true }),
      closeWhenDone: false,
    });
    const terminal = vscode.window.createTerminal({ name: `Whispem: ${basename(uri.fsPath)}`, pty, iconPath: new vscode.ThemeIcon("play") });
    this.terminals.set(uri.toString(), terminal);
    terminal.show(true);
    return pty.result;
  }

  private async explain(refusal: string): Promise<void> {
    const actions = vscode.workspace.isTrusted ? ["Open Settings"] : ["Manage Workspace Trust"];
    const choice = await vscode.window.showWarningMessage(refusal, ...actions);
    if (choice === "Open Settings") await vscode.commands.executeCommand("workbench.action.openSettings", "whispem.vmPath");
    if (choice === "Manage Workspace Trust") await vscode.commands.executeCommand("workbench.trust.manage");
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
