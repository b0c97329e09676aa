// The Run File command: runs a Whispem file in its own terminal, one terminal per file (a new run
// stops the old one and reuses its terminal; `whispem.run.newTerminalPerRun` gives each run its own).
// The terminal takes the keyboard focus, so what the user types goes to input(), not into the file.
import * as vscode from "vscode";
import { basename } from "node:path";
import { RunTerminal } from "./runTerminal";
import { RunResult, Runs, RunSink } from "./runs";

export class FileRunner implements vscode.Disposable {
  private readonly terminals = new Map<string, { terminal: vscode.Terminal; pty: RunTerminal }>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly runs: Runs) {
    this.subscriptions.push(
      vscode.window.onDidCloseTerminal((t) => {
        for (const [file, entry] of this.terminals) if (entry.terminal === t) this.terminals.delete(file);
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
    const start = (sink: RunSink) => this.runs.start(document, sink, { interactive: true, diagnostics: true });
    const perRun = vscode.workspace.getConfiguration("whispem", uri).get<boolean>("run.newTerminalPerRun", false);
    const previous = this.terminals.get(uri.toString());
    if (previous && !perRun) {
      // The file's terminal is reused: its program (if still running) is stopped first.
      // The focus moves before the program starts, so nothing typed after its prompt reaches the editor.
      previous.terminal.show(false);
      return previous.pty.rerun(start);
    }
    const pty = new RunTerminal({ start, closeWhenDone: false });
    const terminal = vscode.window.createTerminal({ name: `Whispem: ${basename(uri.fsPath)}`, pty, iconPath: new vscode.ThemeIcon("play") });
    this.terminals.set(uri.toString(), { terminal, pty });
    // Focus in the terminal (the editor keeps its selection): typing answers input(), never the file.
    terminal.show(false);
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
