// Starts the Whispem language server (`out/server.js`, shipped in the package) over Node IPC.
import * as vscode from "vscode";
import { existsSync } from "node:fs";
import type { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";
import { ServerState } from "./statusBar";
import { sendWorkspaceFiles, watchWorkspaceFiles } from "./workspaceFiles";
import { SERVER_ENV, SERVER_NODE_FLAGS } from "../../server/src/node/flags";

/** VS Code's references peek; the server's reference lenses carry its arguments in LSP types. */
const SHOW_REFERENCES = "editor.action.showReferences";

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
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS], env: { ...process.env, ...SERVER_ENV } } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, "--nolazy", "--inspect=6009"], env: { ...process.env, ...SERVER_ENV } } },
  };
  const watcher = watchWorkspaceFiles();
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "whispem" },
      { scheme: "untitled", language: "whispem" },
    ],
    outputChannel: output,
    // Created, changed and deleted .wsp files reach the server's workspace symbols.
    synchronize: { fileEvents: watcher },
    middleware: {
      // The server offers a Run code lens on every file; in Restricted Mode nothing runs, so that one
      // lens is left out (the reference counts stay).
      provideCodeLenses: async (document, token, next) => {
        const lenses = await next(document, token);
        if (vscode.workspace.isTrusted || !lenses) return lenses;
        return lenses.filter((l) => l.command?.command !== "whispem.runFile");
      },
      // The reference count's command needs VS Code's Uri, Position and Location objects.
      resolveCodeLens: async (lens, token, next) => {
        const resolved = await next(lens, token);
        const command = resolved?.command;
        if (command?.command === SHOW_REFERENCES && command.arguments?.length === 3) {
          const [uri, position, locations] = command.arguments as [string, Parameters<typeof p2c.asPosition>[0], Parameters<typeof p2c.asLocation>[0][]];
          command.arguments = [vscode.Uri.parse(uri), p2c.asPosition(position), locations.map((l) => p2c.asLocation(l))];
        }
        return resolved;
      },
    },
  };
  const client = new LanguageClient("whispem", "Whispem Language Server", serverOptions, clientOptions);
  const p2c = client.protocol2CodeConverter;
  const sendFiles = () =>
    sendWorkspaceFiles(client).catch((e: unknown) => output.appendLine(`Listing the workspace's .wsp files failed: ${e instanceof Error ? e.message : String(e)}`));
  client.onDidChangeState((e) => {
    onState(e.newState === State.Running ? "running" : e.newState === State.Starting ? "starting" : "stopped");
    if (e.newState === State.Running) void sendFiles();
  });
  context.subscriptions.push(watcher, vscode.workspace.onDidChangeWorkspaceFolders(() => {
      if (client.isRunning()) void sendFiles();
    }));
  return client;
}
