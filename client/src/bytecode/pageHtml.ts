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

/** Characters that cannot appear in the URIs and nonce VS Code gives, refused rather than escaped. */
const UNSAFE = /["'<>\s]/;

/**
 * The page. Everything the file says (names, strings) arrives later by message and is put in the
 * DOM as text, so nothing here depends on it.
 */
export function pageHtml(p: PageParts): string {
  for (const part of [p.cspSource, p.scriptUri, p.styleUri, p.nonce]) {
    if (UNSAFE.test(part)) throw new Error(`unexpected character in webview resource ${JSON.stringify(part)}`);
  }
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
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${p.styleUri}">
<title>Whispem bytecode</title>
</head>
<body data-mode="${p.mode === "file" ? "file" : "preview"}">
<div id="app"></div>
<script nonce="${p.nonce}" src="${p.scriptUri}"></script>
</body>
</html>`;
}
