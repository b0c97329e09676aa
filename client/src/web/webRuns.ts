// Run File in the browser: compiles in the extension, runs the bytecode with the WebAssembly VM
// (bin/wvm-web.wasm) in a worker, output and typed input in a pseudoterminal, read_file/write_file
// through the workspace file system, a runtime error as a diagnostic on its line.
import * as vscode from "vscode";
import { compile } from "../../../compiler/src/compiler";
import { referenceText } from "../../../compiler/src/diagnostics";
import { RunSet } from "../runSet";
import { RunTerminal } from "../runTerminal";
import type { ActiveRun, RunResult, RunSink } from "../runTypes";
import { parseRuntimeError, renameFileInOutput } from "../runtimeError";
import type { RuntimeDiagnostics } from "../runtimeDiagnostics";
import { extensionWorker } from "./extensionWorker";
import { VmSession, type ProgramFiles } from "./vmSession";

/** `dir/NAME.wsp` → `NAME.whbc`. */
function bytecodeName(uri: vscode.Uri): string {
  const base = uri.path.slice(uri.path.lastIndexOf("/") + 1);
  return base.replace(/\.[^.]*$/, "") + ".whbc";
}

/** Files relative to the program's folder, through workspace.fs (any file system the editor has). */
function filesBeside(source: vscode.Uri): ProgramFiles {
  const folder = vscode.Uri.joinPath(source, "..");
  return {
    read: async (path) => {
      try {
        return await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, path));
      } catch (e) {
        if (e instanceof vscode.FileSystemError && (e.code === "FileNotFound" || e.code === "FileIsADirectory")) return undefined;
        throw e;
      }
    },
    write: async (path, data) => {
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, path), data);
    },
  };
}

/** One program run: compiles, waits for the VM, then follows its session. */
class WebRun implements ActiveRun {
  readonly file: string;
  readonly result: Promise<RunResult>;
  private session: VmSession | undefined;
  private stopped = false;
  private readonly pending: string[] = [];
  private inputEnded = false;

  constructor(
    private readonly document: vscode.TextDocument,
    private readonly sink: RunSink,
    private readonly vm: () => Promise<{ module: WebAssembly.Module; worker: () => Promise<Worker> }>,
    private readonly diagnostics: RuntimeDiagnostics,
  ) {
    this.file = vscode.workspace.asRelativePath(document.uri);
    this.result = this.go();
  }

  write(input: string): void {
    if (this.session) this.session.write(input);
    else this.pending.push(input);
  }

  endInput(): void {
    if (this.session) this.session.endInput();
    else this.inputEnded = true;
  }

  stop(): void {
    this.stopped = true;
    this.session?.stop();
  }

  private async go(): Promise<RunResult> {
    const { file, sink } = this;
    this.diagnostics.clear(this.document.uri);
    const { bytes, diagnostics } = compile(this.document.getText());
    const errors = diagnostics.filter((d) => d.severity === "error").map((d) => `${file}: ${referenceText(d)}`);
    if (errors.length > 0 || !bytes) {
      const output = (errors.length ? errors : [`${file}: Error: the compiler produced no bytecode`]).join("\n") + "\n";
      sink.write(output);
      return { file, outcome: "compileError", exitCode: null, output, reason: "the file has compile errors" };
    }
    let vm;
    let worker: Worker;
    try {
      vm = await this.vm();
      worker = await vm.worker();
    } catch (e) {
      const reason = `The WebAssembly VM could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
      sink.write(reason + "\n");
      return { file, outcome: "failedToStart", exitCode: null, output: "", reason };
    }
    if (this.stopped) {
      worker.terminate();
      return { file, outcome: "stopped", exitCode: null, output: "" };
    }
    let output = "";
    const session = new VmSession({
      worker,
      module: vm.module,
      bytecode: bytes,
      bytecodeName: bytecodeName(this.document.uri),
      files: filesBeside(this.document.uri),
      onOutput: (text, stream) => {
        const shown = stream === "stderr" ? renameFileInOutput(text, session.bytecodePath, file) : stream === "notice" ? `\x1b[33m${text}\x1b[0m` : text;
        if (stream !== "notice") output += shown;
        sink.write(shown);
      },
    });
    this.session = session;
    for (const line of this.pending.splice(0)) session.write(line);
    if (this.inputEnded) session.endInput();
    const end = await session.ended;
    if (end.outcome === "stopped") return { file, outcome: "stopped", exitCode: null, output };
    if (end.outcome === "crashed") return { file, outcome: "failedToStart", exitCode: null, output, reason: `the VM failed: ${end.reason}` };
    const runtimeError = end.exitCode !== 0 ? parseRuntimeError(end.stderr, session.bytecodePath) ?? undefined : undefined;
    if (runtimeError) this.diagnostics.set(this.document, runtimeError);
    return { file, outcome: "exited", exitCode: end.exitCode, output, runtimeError };
  }
}

export class WebRuns extends RunSet {
  private vmLoad: Promise<{ module: WebAssembly.Module; worker: () => Promise<Worker> }> | undefined;
  private readonly terminals = new Map<string, vscode.Terminal>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly diagnostics: RuntimeDiagnostics,
  ) {
    super();
    this.subscriptions.push(
      vscode.window.onDidCloseTerminal((t) => {
        for (const [key, terminal] of this.terminals) if (terminal === t) this.terminals.delete(key);
      }),
    );
  }

  /** The VM, compiled once per window. */
  private vm(): Promise<{ module: WebAssembly.Module; worker: () => Promise<Worker> }> {
    this.vmLoad ??= (async () => {
      const wasm = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.extensionUri, "bin", "wvm-web.wasm"));
      return { module: await WebAssembly.compile(new Uint8Array(wasm)), worker: () => extensionWorker(this.extensionUri, "out", "web", "vmWorker.js") };
    })();
    this.vmLoad.catch(() => (this.vmLoad = undefined));
    return this.vmLoad;
  }

  async runFile(target?: vscode.Uri): Promise<RunResult | undefined> {
    const uri = target ?? vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showWarningMessage("Open a Whispem file to run it.");
      return undefined;
    }
    if (!vscode.workspace.isTrusted) {
      const reason = "Whispem programs run only in trusted workspaces: a program can read and write files.";
      void vscode.window.showWarningMessage(reason);
      return { file: uri.toString(), outcome: "refused", exitCode: null, output: "", reason };
    }
    const document = await vscode.workspace.openTextDocument(uri);
    this.terminals.get(uri.toString())?.dispose();
    const pty = new RunTerminal({
      start: (sink) => {
        const run = new WebRun(document, sink, () => this.vm(), this.diagnostics);
        this.track(run);
        return run;
      },
      closeWhenDone: false,
    });
    const name = uri.path.slice(uri.path.lastIndexOf("/") + 1);
    const terminal = vscode.window.createTerminal({ name: `Whispem: ${name}`, pty, iconPath: new vscode.ThemeIcon("play") });
    this.terminals.set(uri.toString(), terminal);
    terminal.show(true);
    return pty.result;
  }

  dispose(): void {
    super.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
