// The bytecode webviews' options and page: scripts run, loading only from the extension's
// media/bytecode folder, under the content security policy of pageHtml.ts.
import * as vscode from "vscode";
import { pageHtml } from "./pageHtml";

/** The only folder a bytecode webview may load from. */
export function mediaRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, "media", "bytecode");
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [mediaRoot(extensionUri)] };
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, mode: "file" | "preview"): string {
  const media = mediaRoot(extensionUri);
  return pageHtml({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, "bytecodeView.js")).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, "bytecodeView.css")).toString(),
    nonce: newNonce(),
    mode,
  });
}

/** 18 random bytes as base64url (no characters that need quoting in the policy or the attribute); Web Crypto, so it works in the browser too. */
function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
