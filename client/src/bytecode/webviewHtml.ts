// The bytecode webviews' options and page: scripts run, nothing is loaded (the script and the
// style sheet are inlined, under the content security policy of pageHtml.ts).
import * as vscode from "vscode";
import { pageHtml } from "./pageHtml";

export function webviewOptions(): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [] };
}

interface PageAssets {
  script: string;
  style: string;
}

/** Read once per session (a few tens of kilobytes), through workspace.fs so the web build reads them too. */
let assets: Promise<PageAssets> | undefined;

function pageAssets(extensionUri: vscode.Uri): Promise<PageAssets> {
  const read = async (...path: string[]): Promise<string> => new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, ...path)));
  assets ??= Promise.all([read("out", "media", "bytecodeView.js"), read("media", "bytecode", "bytecodeView.css")]).then(([script, style]) => ({ script, style }));
  assets.catch(() => (assets = undefined));
  return assets;
}

export async function webviewHtml(extensionUri: vscode.Uri, mode: "file" | "preview"): Promise<string> {
  let parts: PageAssets;
  try {
    parts = await pageAssets(extensionUri);
  } catch (e) {
    // A broken installation: say so in the pane rather than leave it blank.
    const message = String(e instanceof Error ? e.message : e).replace(/&/g, "&amp;").replace(/</g, "&lt;");
    return `<!DOCTYPE html><html lang="en"><body><p>The bytecode view could not load its script: ${message}</p></body></html>`;
  }
  return pageHtml({ ...parts, nonce: newNonce(), mode });
}

/** 18 random bytes as base64url (no characters that need quoting in the policy or the attribute); Web Crypto, so it works in the browser too. */
function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
