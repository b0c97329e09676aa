// The HTML shell both bytecode webviews load: a strict content security policy (scripts only by
// nonce, styles and code only from the extension's media/bytecode folder) and no data from the file.
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";

/** The only folder a bytecode webview may load from. */
export function mediaRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, "media", "bytecode");
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [mediaRoot(extensionUri)] };
}

/**
 * The page. Everything the file says (names, strings) arrives later by message and is put in the
 * DOM as text, so nothing here depends on it; `mode` is one of two fixed words.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, mode: "file" | "preview"): string {
  const nonce = randomBytes(18).toString("base64");
  const media = mediaRoot(extensionUri);
  const script = webview.asWebviewUri(vscode.Uri.joinPath(media, "bytecodeView.js"));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, "bytecodeView.css"));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
  ].join("; ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Whispem bytecode</title>
</head>
<body data-mode="${mode === "file" ? "file" : "preview"}">
<div id="app"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
