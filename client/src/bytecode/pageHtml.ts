// The HTML page of the bytecode webviews with its content security policy, as plain text (no
// vscode import, so unit tests can check the policy): the script and the style sheet are inlined
// and allowed by nonce, nothing is loaded from anywhere.

export interface PageParts {
  /** The webview script (out/media/bytecodeView.js, built from client/src/bytecode/view/). */
  script: string;
  /** The style sheet (media/bytecode/bytecodeView.css). */
  style: string;
  nonce: string;
  mode: "file" | "preview";
}

/**
 * The page. Everything the file says (names, strings) arrives later by message and is put in the
 * DOM as text, so nothing here depends on it. The script and the style sheet are part of the page:
 * a webview fetches each resource through its service worker and the workbench (hundreds of
 * milliseconds in code-server), and a style sheet link holds back the first paint until it
 * arrives. A placeholder is painted with the page, until the first document arrives.
 */
export function pageHtml(p: PageParts): string {
  if (!/^[A-Za-z0-9_-]+$/.test(p.nonce)) throw new Error("the nonce must be base64url");
  // Inlined text ends at the first closing tag of its element, so it may not contain one.
  if (/<\/script/i.test(p.script)) throw new Error("the webview script contains </script");
  if (/<\/style/i.test(p.style)) throw new Error("the webview style sheet contains </style");
  const csp = ["default-src 'none'", `style-src 'nonce-${p.nonce}'`, `script-src 'nonce-${p.nonce}'`].join("; ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${p.nonce}">
${p.style}
</style>
<title>Whispem bytecode</title>
</head>
<body data-mode="${p.mode === "file" ? "file" : "preview"}">
<div id="app"><p id="loading" class="loading" role="status">${p.mode === "file" ? "Reading the bytecode…" : "Compiling…"}</p></div>
<script nonce="${p.nonce}">
${p.script}
</script>
</body>
</html>`;
}
