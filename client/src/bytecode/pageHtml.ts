// The HTML page of the bytecode webviews with its content security policy, as plain text (no
// vscode import, so unit tests can check the policy): scripts only by nonce, nothing remote.

export interface PageParts {
  /** The webview's own resource origin (`webview.cspSource`). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
  mode: "file" | "preview";
}

/** For attribute values: VS Code's URIs and origins hold none of these, but a path could. */
function attribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The page. Everything the file says (names, strings) arrives later by message and is put in the
 * DOM as text, so nothing here depends on it. A placeholder is painted at once, before the script
 * loads and the first document arrives (the webview's start-up is most of the time to content).
 */
export function pageHtml(p: PageParts): string {
  if (!/^[A-Za-z0-9_-]+$/.test(p.nonce)) throw new Error("the nonce must be base64url");
  const csp = [
    "default-src 'none'",
    `style-src ${p.cspSource}`,
    `script-src 'nonce-${p.nonce}'`,
    `img-src ${p.cspSource}`,
    `font-src ${p.cspSource}`,
  ].join("; ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attribute(p.styleUri)}">
<title>Whispem bytecode</title>
</head>
<body data-mode="${p.mode === "file" ? "file" : "preview"}">
<div id="app"><p id="loading" class="loading" role="status">${p.mode === "file" ? "Reading the bytecode…" : "Compiling…"}</p></div>
<script nonce="${p.nonce}" src="${attribute(p.scriptUri)}"></script>
</body>
</html>`;
}
