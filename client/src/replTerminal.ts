// "Whispem: Start REPL" and "Whispem: Run Selection or Line in REPL": one terminal running
// `whispem repl` (out/whispem.js under VS Code's own Node, ELECTRON_RUN_AS_NODE=1) on the VM runs
// use (native or WebAssembly, replLaunch.ts), to which selections and lines of a .wsp editor are
// sent. Trusted workspaces only, like running.
import * as vscode from "vscode";
import { replLaunch } from "./replLaunch";
import { locateVm, vmMode } from "./vmLocator";

export class ReplTerminal implements vscode.Disposable {
  private terminal: vscode.Terminal | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly extensionPath: string) {
    this.subscriptions.push(
      vscode.window.onDidCloseTerminal((t) => {
        if (t === this.terminal) this.terminal = undefined;
      }),
    );
  }

  /** The running REPL terminal, started if none runs; undefined when the workspace is not trusted or no VM. */
  start(show = true): vscode.Terminal | undefined {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage("Whispem: the REPL runs programs, so it needs a trusted workspace.");
      return undefined;
    }
    if (this.terminal && this.terminal.exitStatus === undefined) {
      if (show) this.terminal.show(true);
      return this.terminal;
    }
    // Machine-scoped setting: a workspace cannot choose the executable.
    const config = vscode.workspace.getConfiguration("whispem");
    const vm = locateVm(config.get<string>("vmPath"), this.extensionPath, vmMode(config.get<string>("vm")));
    if ("problem" in vm) {
      void vscode.window.showErrorMessage(`Whispem: ${vm.problem}`);
      return undefined;
    }
    // The CLI runs the VM the extension chose (native or WebAssembly: both have the control channel).
    const launch = replLaunch(vm, this.extensionPath);
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    this.terminal = vscode.window.createTerminal({
      name: "Whispem REPL",
      shellPath: launch.shellPath,
      shellArgs: launch.shellArgs,
      env: launch.env,
      cwd,
      iconPath: new vscode.ThemeIcon("terminal"),
      // Why the WebAssembly VM stands in (no native wvm fits), as a run's output says it.
      message: vm.notice ? `Whispem: ${vm.notice}\r\n` : undefined,
    });
    if (show) this.terminal.show(true);
    return this.terminal;
  }

  /** Sends the selection (or the current line, then moves the cursor down) to the REPL. */
  runSelection(editor: vscode.TextEditor | undefined = vscode.window.activeTextEditor): boolean {
    if (!editor) return false;
    const terminal = this.start(true);
    if (!terminal) return false;
    const selection = editor.selection;
    let text: string;
    if (selection.isEmpty) {
      const line = editor.document.lineAt(selection.active.line);
      text = line.text;
      const next = Math.min(line.lineNumber + 1, editor.document.lineCount - 1);
      const position = new vscode.Position(next, 0);
      editor.selection = new vscode.Selection(position, position);
      editor.revealRange(new vscode.Range(position, position));
    } else text = editor.document.getText(selection);
    // One entry per line: the REPL decides where entries end (blocks continue). A final blank
    // line ends nothing by itself, so trailing newlines are dropped and one is added.
    text = text.replace(/\r\n/g, "\n").replace(/\n+$/, "");
    if (text.trim() === "") return true;
    terminal.sendText(text, true);
    return true;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
