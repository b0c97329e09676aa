// The programs this window runs with `wvm`, whoever started them (Run File, run on save, a task):
// compiles, starts, streams output to a sink, turns a runtime error into a diagnostic, reports the end.
import * as vscode from "vscode";
import { homedir } from "node:os";
import { dirname } from "node:path";
import { compileForRun } from "./compileForRun";
import { Program } from "./runner";
import { parseRuntimeError, renameFileInOutput } from "./runtimeError";
import { RuntimeDiagnostics } from "./runtimeDiagnostics";
import { RunSet } from "./runSet";
import type { ActiveRun, RunOptions, RunResult, RunSink } from "./runTypes";
import { locateVm, vmMode } from "./vmLocator";
import type { VmCommand } from "../../compiler/src/vmSelect";

export type { ActiveRun, RunOptions, RunOutcome, RunResult, RunSink } from "./runTypes";
import { TailBuffer } from "./tailBuffer";

/** Programs run beside their file, so `read_file("data.txt")` finds what sits next to it. */
function workingDirectory(uri: vscode.Uri): string {
  if (uri.scheme === "file") return dirname(uri.fsPath);
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? homedir();
}

export class Runs extends RunSet {
  private readonly wrote = new vscode.EventEmitter<{ file: string; text: string }>();
  /** Output as it streams in, while the program runs. */
  readonly onDidWrite = this.wrote.event;

  constructor(
    private readonly extensionPath: string,
    private readonly diagnostics: RuntimeDiagnostics,
  ) {
    super();
  }

  /** Why this window may not run programs right now, or undefined when it may. */
  refusal(): string | undefined {
    if (!vscode.workspace.isTrusted) {
      return "Running Whispem programs is disabled in Restricted Mode: a program can read and write files. Trust this workspace to run it.";
    }
    const vm = this.vm();
    return "problem" in vm ? vm.problem : undefined;
  }

  private vm() {
    // Machine-scoped: a workspace cannot point the extension at an executable of its choosing.
    const config = vscode.workspace.getConfiguration("whispem");
    return locateVm(config.get<string>("vmPath"), this.extensionPath, vmMode(config.get<string>("vm")));
  }

  /** Starts `source` (the document's current text, saved or not) and streams it to `sink`. */
  start(source: vscode.TextDocument, sink: RunSink, options: RunOptions): ActiveRun {
    const file = source.uri.fsPath;
    const text = source.getText();
    // Only the last 1 MB is kept (a flood would otherwise fill memory); the sink streams it all.
    const kept = new TailBuffer();
    const output = () => kept.text();
    const show = (t: string) => {
      kept.append(t);
      sink.write(t);
      this.wrote.fire({ file, text: t });
    };
    if (options.diagnostics) this.diagnostics.clear(source.uri);

    const refused = this.refusal();
    if (refused) return this.finished(file, { file, outcome: "refused", exitCode: null, output: output(), reason: refused });
    const vm = this.vm() as VmCommand;
    const compiled = compileForRun(file, text);
    if (!compiled.ok) {
      show(compiled.errors.join("\n") + "\n");
      return this.finished(file, { file, outcome: "compileError", exitCode: null, output: output(), reason: "the file has compile errors" });
    }

    // stderr is passed on line by line so that the bytecode path can be replaced by the source path.
    // The runtime error is at the end of stderr: its last part is enough, kept bounded too.
    const stderr = new TailBuffer(64 * 1024);
    let stderrLine = "";
    if (vm.notice) show(vm.notice);
    const program = new Program(
      { vm, bytecode: compiled.bytecodePath, cwd: workingDirectory(source.uri), interactive: options.interactive, timeLimitMs: options.timeLimitMs },
      {
        stdout: show,
        stderr: (t) => {
          stderr.append(t);
          const lines = (stderrLine + t).split("\n");
          stderrLine = lines.pop()!;
          // A line that never ends is passed on in pieces, not gathered without limit.
          if (stderrLine.length > 64 * 1024) {
            lines.push(stderrLine);
            stderrLine = "";
          }
          for (const l of lines) show(renameFileInOutput(l, compiled.bytecodePath, file) + "\n");
        },
      },
    );
    const result = program.exited.then((exit): RunResult => {
      if (stderrLine) show(renameFileInOutput(stderrLine, compiled.bytecodePath, file));
      compiled.dispose();
      const runtimeError = exit.code === 1 ? parseRuntimeError(stderr.tail(), compiled.bytecodePath) ?? undefined : undefined;
      if (runtimeError && options.diagnostics) this.diagnostics.set(source, runtimeError);
      const base = { file, exitCode: exit.code, output: output(), runtimeError, vm: vm.kind, ...(options.endOfInput ? { endOfInput: true } : {}) };
      if (exit.failure) return { ...base, outcome: "failedToStart", reason: exit.failure };
      if (exit.timedOut) return { ...base, outcome: "timedOut", reason: `stopped after the time limit of ${(options.timeLimitMs ?? 0) / 1000} s` };
      if (exit.stopped) return { ...base, outcome: "stopped", reason: "stopped" };
      return { ...base, outcome: "exited" };
    });
    const run: ActiveRun = {
      file,
      result,
      write: (input) => program.write(input),
      endInput: () => program.endInput(),
      stop: () => program.stop(),
    };
    this.track(run);
    return run;
  }

  private finished(file: string, result: RunResult): ActiveRun {
    const run: ActiveRun = { file, result: Promise.resolve(result), write: () => undefined, endInput: () => undefined, stop: () => undefined };
    this.track(run);
    return run;
  }

  dispose(): void {
    super.dispose();
    this.wrote.dispose();
  }
}
