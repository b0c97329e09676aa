// The bytecode webviews' page: a content security policy that allows scripts only by nonce and
// loads nothing but the webview's own resources.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pageHtml } from "../../src/bytecode/pageHtml";

const parts = {
  cspSource: "https://*.vscode-cdn.net",
  scriptUri: "https://file+.vscode-resource.vscode-cdn.net/ext/media/bytecode/bytecodeView.js",
  styleUri: "https://file+.vscode-resource.vscode-cdn.net/ext/media/bytecode/bytecodeView.css",
  nonce: "abcDEF123_-xyz",
  mode: "file" as const,
};

function policy(html: string): Map<string, string[]> {
  const content = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.ok(content, "the page declares a policy");
  return new Map(content.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

test("scripts run only by nonce; nothing inline, nothing remote", () => {
  const html = pageHtml(parts);
  const csp = policy(html);
  assert.deepEqual(csp.get("default-src"), ["'none'"]);
  assert.deepEqual(csp.get("script-src"), [`'nonce-${parts.nonce}'`]);
  assert.deepEqual(csp.get("style-src"), [parts.cspSource]);
  for (const values of csp.values()) assert.ok(!values.some((v) => v.includes("unsafe")), "no unsafe-inline or unsafe-eval");
  const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
  assert.equal(scripts.length, 1);
  assert.ok(scripts[0].includes(`nonce="${parts.nonce}"`) && scripts[0].includes(`src="${parts.scriptUri}"`));
  assert.ok(!/<script[^>]*>[^<]+<\/script>/.test(html), "no inline script body");
});

test("the page holds no file data and refuses a nonce that would need quoting", () => {
  assert.match(pageHtml({ ...parts, mode: "preview" }), /<body data-mode="preview">/);
  assert.throws(() => pageHtml({ ...parts, nonce: "a\"b" }));
  assert.ok(pageHtml({ ...parts, styleUri: 'x"><script>' }).includes("x&quot;&gt;&lt;script&gt;"));
});

test("the page paints a placeholder before its script loads, removed when the first document arrives", () => {
  const html = pageHtml({ ...parts, mode: "preview" });
  const placeholder = html.indexOf('<p id="loading"');
  assert.ok(placeholder > 0 && placeholder < html.indexOf("<script"), "the placeholder comes before the script");
  assert.match(html, /<p id="loading" class="loading" role="status">Compiling…<\/p>/);
  assert.match(pageHtml(parts), /Reading the bytecode…/);
  const script = readFileSync(join(__dirname, "../../../media/bytecode/bytecodeView.js"), "utf8");
  assert.match(script, /case "document":\s*\/\/[^\n]*\n\s*document\.getElementById\("loading"\)\?\.remove\(\);/);
});
