// The Whispem extension's entry point: wires the language client, running programs with wvm,
// run on save, tasks and the status bar to VS Code. Each concern lives in its own file.
import * as vscode from "vscode";
import { removeStaleRunFolders } from "./runTempFolders";
import type { LanguageClient } from "vscode-languageclient/node";
import { createLanguageClient } from "./languageClient";
import { FileRunner } from "./runFile";
import { RunOnSave } from "./runOnSave";
import { Runs } from "./runs";
import { RuntimeDiagnostics } from "./runtimeDiagnostics";
import { StatusBar } from "./statusBar";
import { TASK_TYPE, WhispemTaskProvider } from "./taskProvider";
import { registerBytecodeViews } from "./bytecode/bytecodeViews";
import { outputRefusal, writeOutputFile } from "../../compiler/src/outputFile";
import { WhispemTests, type WhispemTestsApi } from "./testing/testController";
import { registerBuiltinPages } from "./builtinPages";
import { registerDebugging } from "./debug/debugging";
import { ReplTerminal } from "./replTerminal";

/** What `activate` returns: other extensions (and the integration tests) can follow runs. */
export interface WhispemApi {
  readonly runs: Pick<Runs, "onDidStart" | "onDidWrite" | "onDidEnd">;
  /** The Testing view's tests; undefined until the workspace is trusted. */
  readonly tests: WhispemTestsApi | undefined;
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): WhispemApi {
  const serverOutput = vscode.window.createOutputChannel("Whispem Language Server", { log: true });
  const runOutput = vscode.window.createOutputChannel("Whispem Run");
  const status = new StatusBar();
  const runtimeDiagnostics = new RuntimeDiagnostics();
  const runs = new Runs(context.extensionPath, runtimeDiagnostics);
  // Run folders a dead extension host left behind go now (never a live host's).
  setImmediate(() => removeStaleRunFolders());
  const fileRunner = new FileRunner(runs);
  const repl = new ReplTerminal(context.extensionPath);
  context.subscriptions.push(serverOutput, runOutput, status, runtimeDiagnostics, runs, fileRunner, repl);

  context.subscriptions.push(
    runs.onDidStart(() => status.setRunning(runs.running)),
    runs.onDidEnd((result) => {
      status.setRunning(runs.running);
      status.setLastRun(result);
    }),
    runtimeDiagnostics.onDidClearOnEdit((uri) => status.fileChanged(uri.fsPath)),
    new RunOnSave(runs, runOutput),
    vscode.tasks.registerTaskProvider(TASK_TYPE, new WhispemTaskProvider(runs)),
    // From menus the argument is a Uri; from the server's code lens, a URI string.
    vscode.commands.registerCommand("whispem.runFile", (uri?: vscode.Uri | string) => fileRunner.run(typeof uri === "string" ? vscode.Uri.parse(uri) : uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand("whispem.stop", () => {
      const stopped = runs.stopAll();
      if (stopped === 0) void vscode.window.showInformationMessage("No Whispem program is running.");
      return stopped;
    }),
    vscode.commands.registerCommand("whispem.showRunOutput", () => runOutput.show()),
    vscode.commands.registerCommand("whispem.startRepl", () => repl.start(true) !== undefined),
    vscode.commands.registerCommand("whispem.runSelectionInRepl", () => repl.runSelection()),
    vscode.commands.registerCommand("whispem.restartServer", async () => {
      if (!client) {
        client = createLanguageClient(context, serverOutput, (s) => status.setServerState(s));
        await client?.start();
      } else {
        await client.restart();
      }
    }),
  );
  registerBytecodeViews(context, { refusal: outputRefusal, write: writeOutputFile });
  context.subscriptions.push(registerBuiltinPages());

  // Tests run programs: the Testing view has them only in a trusted workspace.
  let tests: WhispemTests | undefined;
  const startTests = () => {
    if (tests) return;
    tests = new WhispemTests(runs);
    context.subscriptions.push(tests);
  };
  if (vscode.workspace.isTrusted) startTests();
  else context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(startTests));
  registerDebugging(context);

  // After activation returns: nothing waits for the server process to come up.
  setImmediate(() => {
    if (client) return; // the restart command got there first
    client = createLanguageClient(context, serverOutput, (s) => status.setServerState(s));
    client?.start().catch((e: unknown) => {
      serverOutput.appendLine(`The language server failed to start: ${e instanceof Error ? e.message : String(e)}`);
      status.setServerState("stopped");
    });
  });

  return {
    runs,
    get tests() {
      return tests;
    },
  };
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
