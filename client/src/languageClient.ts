// Starts the Whispem language server (`out/server.js`, shipped in the package) over Node IPC.
import * as vscode from "vscode";
import { existsSync } from "node:fs";
import type { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";
import { ServerState } from "./statusBar";

export function createLanguageClient(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  onState: (state: ServerState) => void,
): LanguageClient | undefined {
  const module = context.asAbsolutePath("out/server.js");
  if (!existsSync(module)) {
    output.appendLine(`The language server ${module} is missing; run \`npm run build\` in the extension's folder.`);
    onState("missing");
    return undefined;
  }
  // Loaded here, not at the top: its module graph is most of the bundle, and activation should not pay for it.
  const { LanguageClient, State, TransportKind } = require("vscode-languageclient/node") as typeof import("vscode-languageclient/node");
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6009"] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "whispem" },
      { scheme: "untitled", language: "whispem" },
    ],
    outputChannel: output,
    middleware: {
      // The server offers a Run code lens on every file; in Restricted Mode nothing runs, so that one
      // lens is left out (the reference counts stay).
      provideCodeLenses: async (document, token, next) => {
        const lenses = await next(document, token);
        if (vscode.workspace.isTrusted || !lenses) return lenses;
        return lenses.filter((l) => l.command?.command !== "whispem.runFile");
      },
    },
  };
  const client = new LanguageClient("whispem", "Whispem Language Server", serverOptions, clientOptions);
  client.onDidChangeState((e) => onState(e.newState === State.Running ? "running" : e.newState === State.Starting ? "starting" : "stopped"));
  return client;
}
