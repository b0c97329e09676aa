// Starts a worker from a script shipped in the extension. The script is read through the editor's
// file system and started from a blob: URL, because the web extension host refuses `new Worker`
// on the extension's own URI when the extension is served by a remote (code-server, VS Code
// Server: "Creating workers from remote extensions is currently not supported"), and a blob works
// wherever the extension is served from (vscode.dev's CDN too). One blob per script, kept for the
// window's life: the host may load it again each time a worker starts.
import * as vscode from "vscode";

const blobs = new Map<string, Promise<string>>();

async function readAsBlobUrl(script: vscode.Uri): Promise<string> {
  const bytes = await vscode.workspace.fs.readFile(script);
  return URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: "text/javascript" }));
}

function scriptUrl(script: vscode.Uri): Promise<string> {
  const key = script.toString();
  const known = blobs.get(key);
  if (known) return known;
  const url = readAsBlobUrl(script);
  url.catch(() => blobs.delete(key)); // a failed read is tried again next time
  blobs.set(key, url);
  return url;
}

export async function extensionWorker(extensionUri: vscode.Uri, ...path: string[]): Promise<Worker> {
  return new Worker(await scriptUrl(vscode.Uri.joinPath(extensionUri, ...path)), { name: path[path.length - 1] });
}
