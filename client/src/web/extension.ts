// The Whispem extension's web entry (package.json `browser`, out/web/extension.js) for vscode.dev
// and github.dev: the language server in a web worker, Run File with the WebAssembly VM in
// another, the bytecode views. Not here: run on save and tasks (they start a native process).
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/browser";
import { registerBytecodeViews } from "../bytecode/bytecodeViews";
import { RuntimeDiagnostics } from "../runtimeDiagnostics";
import { StatusBar } from "../statusBar";
import { createWebLanguageClient, watchWorkspaceFiles } from "./webLanguageClient";
import { WebRuns } from "./webRuns";

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): { runs: Pick<WebRuns, "onDidStart" | "onDidEnd"> } {
  const serverOutput = vscode.window.createOutputChannel("Whispem Language Server", { log: true });
  const status = new StatusBar();
  const runtimeDiagnostics = new RuntimeDiagnostics();
  const runs = new WebRuns(context.extensionUri, runtimeDiagnostics);
  context.subscriptions.push(serverOutput, status, runtimeDiagnostics, runs);

  const startClient = async () => {
    client = createWebLanguageClient(context, serverOutput, (s) => status.setServerState(s));
    await client.start();
  };
  context.subscriptions.push(
    runs.onDidStart(() => status.setRunning(runs.running)),
    runs.onDidEnd((result) => {
      status.setRunning(runs.running);
      status.setLastRun(result);
    }),
    watchWorkspaceFiles(() => client),
    // From menus the argument is a Uri; from the server's code lens, a URI string.
    vscode.commands.registerCommand("whispem.runFile", (uri?: vscode.Uri | string) => runs.runFile(typeof uri === "string" ? vscode.Uri.parse(uri) : uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand("whispem.stop", () => {
      const stopped = runs.stopAll();
      if (stopped === 0) void vscode.window.showInformationMessage("No Whispem program is running.");
      return stopped;
    }),
    vscode.commands.registerCommand("whispem.showRunOutput", () => {
      void vscode.window.showInformationMessage("In the browser, Run File shows a program's output in its terminal (Whispem: NAME).");
    }),
    vscode.commands.registerCommand("whispem.restartServer", async () => {
      if (!client) return startClient();
      if (client.isRunning()) await client.stop();
      await client.start();
    }),
  );
  registerBytecodeViews(context);

  startClient().catch((e: unknown) => {
    serverOutput.error(`The language server failed to start: ${e instanceof Error ? e.message : String(e)}`);
    status.setServerState("stopped");
  });
  return { runs };
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
