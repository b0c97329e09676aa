// The workspace's .wsp files for the language server's workspace symbols: the client finds them
// (`workspace.findFiles`, so VS Code's search excludes apply and the server never walks the disk)
// and sends the list whenever the server (re)starts or the workspace folders change. Later
// creations, changes and deletions reach the server as `workspace/didChangeWatchedFiles` through
// the language client's `synchronize.fileEvents` watcher.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

/** Files beyond this many are not sent (the server keeps the same bound). */
const maxFiles = 5000;
const exclude = "**/{node_modules,.git,out,.vscode-test}/**";

export const WORKSPACE_FILES_NOTIFICATION = "whispem/workspaceFiles";

export function watchWorkspaceFiles(): vscode.FileSystemWatcher {
  return vscode.workspace.createFileSystemWatcher("**/*.wsp");
}

export async function sendWorkspaceFiles(client: LanguageClient): Promise<void> {
  const found = await vscode.workspace.findFiles("**/*.wsp", exclude, maxFiles);
  await client.sendNotification(WORKSPACE_FILES_NOTIFICATION, { uris: found.map((u) => client.code2ProtocolConverter.asUri(u)) });
}
