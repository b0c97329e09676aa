// Starts the Whispem language server in a web worker (out/web/server.js) and keeps it told about
// the workspace's .wsp files, which a worker cannot read itself (for workspace symbols).
import * as vscode from "vscode";
import { BrowserMessageReader, BrowserMessageWriter, LanguageClient, State, type LanguageClientOptions } from "vscode-languageclient/browser";
import type { ServerState } from "../statusBar";
import { extensionWorker } from "./extensionWorker";

// The same name as server/src/web/sentFiles.ts (the client does not import the server).
const workspaceFilesNotification = "whispem/workspaceFiles";
const WSP_GLOB = "**/*.wsp";
const EXCLUDE_GLOB = "**/{node_modules,.git,out,.vscode-test}/**";
const MAX_FILES = 5000;

export function createWebLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, onState: (state: ServerState) => void): LanguageClient {
  const clientOptions: LanguageClientOptions = {
    // Any scheme: in the browser files live in vscode-vfs:, memfs:, vscode-test-web: …
    documentSelector: [{ language: "whispem" }],
    outputChannel: output,
    middleware: {
      provideCodeLenses: (document, token, next) => (vscode.workspace.isTrusted ? next(document, token) : []),
    },
  };
  // A function, so that each start (and restart) gets a fresh worker. The transports are made
  // here: the worker the web extension host hands out may not be `instanceof Worker` (its Worker
  // is patched), which the client would take for transports.
  const server = async () => {
    const worker = await extensionWorker(context.extensionUri, "out", "web", "server.js");
    return { reader: new BrowserMessageReader(worker), writer: new BrowserMessageWriter(worker) };
  };
  const client = new LanguageClient("whispem", "Whispem Language Server", server, clientOptions);
  client.onDidChangeState((e) => {
    onState(e.newState === State.Running ? "running" : e.newState === State.Starting ? "starting" : "stopped");
    if (e.newState === State.Running) void sendAllFiles(client, output);
  });
  return client;
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

async function sendAllFiles(client: LanguageClient, output: vscode.LogOutputChannel): Promise<void> {
  try {
    const uris = await vscode.workspace.findFiles(WSP_GLOB, EXCLUDE_GLOB, MAX_FILES);
    const changed: { uri: string; text: string }[] = [];
    for (const uri of uris) {
      const text = await readText(uri);
      if (text !== undefined) changed.push({ uri: uri.toString(), text });
    }
    await client.sendNotification(workspaceFilesNotification, { changed, deleted: [], all: true });
  } catch (e) {
    output.error(`finding the workspace's Whispem files failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Sends each created, changed or deleted .wsp file to the server while it runs. */
export function watchWorkspaceFiles(client: () => LanguageClient | undefined): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(WSP_GLOB);
  const send = async (uri: vscode.Uri, gone: boolean) => {
    const c = client();
    if (!c || !c.isRunning()) return;
    const text = gone ? undefined : await readText(uri);
    const params = text === undefined ? { changed: [], deleted: [uri.toString()] } : { changed: [{ uri: uri.toString(), text }], deleted: [] };
    await c.sendNotification(workspaceFilesNotification, params);
  };
  return vscode.Disposable.from(
    watcher,
    watcher.onDidCreate((u) => void send(u, false)),
    watcher.onDidChange((u) => void send(u, false)),
    watcher.onDidDelete((u) => void send(u, true)),
  );
}
