// Tasks of type `whispem`: `run` runs a file with wvm, `compile` writes FILE.whbc beside it.
// Both print errors as `FILE: [line L, col C] Error: MESSAGE`, which the `$whispem` matcher reads.
import * as vscode from "vscode";
import { outputRefusal, writeOutputFile } from "../../compiler/src/outputFile";
import { dirname, isAbsolute, join, relative } from "node:path";
import { bytecodeName, compileErrorLines } from "./compileForRun";
import { toTerminalText } from "./lineDiscipline";
import { RunTerminal } from "./runTerminal";
import { Runs } from "./runs";

export const TASK_TYPE = "whispem";

export interface WhispemTaskDefinition extends vscode.TaskDefinition {
  command: "run" | "compile";
  /** The source file, absolute or relative to the workspace folder. */
  file: string;
}

export class WhispemTaskProvider implements vscode.TaskProvider {
  constructor(private readonly runs: Runs) {}

  /** A run and a compile task for the active Whispem file. */
  provideTasks(): vscode.Task[] {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== "whispem" || document.uri.scheme !== "file") return [];
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    const file = folder ? relative(folder.uri.fsPath, document.uri.fsPath) : document.uri.fsPath;
    return (["run", "compile"] as const).map((command) => this.task({ type: TASK_TYPE, command, file }, folder ?? vscode.TaskScope.Workspace));
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const d = task.definition as WhispemTaskDefinition;
    if ((d.command !== "run" && d.command !== "compile") || typeof d.file !== "string") return undefined;
    return this.task(d, task.scope ?? vscode.TaskScope.Workspace);
  }

  private task(definition: WhispemTaskDefinition, scope: vscode.WorkspaceFolder | vscode.TaskScope): vscode.Task {
    const folder = typeof scope === "object" ? scope : undefined;
    const execution = new vscode.CustomExecution(async (resolved) => {
      const d = resolved as WhispemTaskDefinition;
      const path = isAbsolute(d.file) || !folder ? d.file : join(folder.uri.fsPath, d.file);
      return d.command === "compile" ? compileTerminal(path) : this.runTerminal(path);
    });
    const task = new vscode.Task(definition, scope, `${definition.command} ${definition.file}`, TASK_TYPE, execution, ["$whispem"]);
    task.group = definition.command === "compile" ? vscode.TaskGroup.Build : undefined;
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
    return task;
  }

  private async runTerminal(path: string): Promise<vscode.Pseudoterminal> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
    return new RunTerminal({
      // Diagnostics straight from the run: the problem matcher can miss the last lines of a task
      // terminal that closes at once (microsoft/vscode#92868).
      start: (sink) => this.runs.start(document, sink, { interactive: true, diagnostics: true }),
      closeWhenDone: true,
    });
  }
}

/** Compiles `path` (as the editor has it, like Run File) to the `.whbc` beside it. */
async function compileTerminal(path: string): Promise<vscode.Pseudoterminal> {
  const writer = new vscode.EventEmitter<string>();
  const closer = new vscode.EventEmitter<number>();
  return {
    onDidWrite: writer.event,
    onDidClose: closer.event,
    open: async () => {
      let status = 0;
      try {
        const text = (await vscode.workspace.openTextDocument(vscode.Uri.file(path))).getText();
        const { bytes, errors } = compileErrorLines(path, text);
        if (bytes) {
          const out = join(dirname(path), bytecodeName(path));
          const refusal = outputRefusal(path, out);
          if (refusal) {
            writer.fire(toTerminalText(`${refusal}\n`));
            status = 1;
          } else {
            writeOutputFile(out, bytes);
            writer.fire(toTerminalText(`${out}: ${bytes.length} bytes\n`));
          }
        } else {
          writer.fire(toTerminalText(errors.join("\n") + "\n"));
          status = 1;
        }
      } catch (e) {
        writer.fire(toTerminalText(`Cannot read '${path}': ${(e as Error).message}\n`));
        status = 1;
      }
      closer.fire(status);
    },
    close: () => undefined,
  };
}
