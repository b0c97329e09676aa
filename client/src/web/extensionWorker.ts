// Starts a worker from a script shipped in the extension. The script is read through the editor's
// file system and started from a blob: URL, because the web extension host refuses `new Worker`
// on the extension's own URI when the extension is served by a remote (code-server, VS Code
// Server: "Creating workers from remote extensions is currently not supported"), and a blob works
// wherever the extension is served from (vscode.dev's CDN too).
import * as vscode from "vscode";

export async function extensionWorker(extensionUri: vscode.Uri, ...path: string[]): Promise<Worker> {
  const script = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, ...path));
  const url = URL.createObjectURL(new Blob([new Uint8Array(script)], { type: "text/javascript" }));
  return new Worker(url, { name: path[path.length - 1] });
}
