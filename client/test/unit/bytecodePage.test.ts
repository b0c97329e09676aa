// The bytecode webviews' page: a content security policy that allows the inlined script and style
// sheet only by nonce and loads nothing at all.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pageHtml } from "../../src/bytecode/pageHtml";

const parts = {
  script: 'document.body.dataset.ok = "1";',
  style: "body { color: red; }",
  nonce: "abcDEF123_-xyz",
  mode: "file" as const,
};

function policy(html: string): Map<string, string[]> {
  const content = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.ok(content, "the page declares a policy");
  return new Map(content.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

test("the script and the style sheet run only by nonce; nothing is loaded, nothing unsafe", () => {
  const html = pageHtml(parts);
  const csp = policy(html);
  assert.deepEqual([...csp.keys()].sort(), ["default-src", "script-src", "style-src"]);
  assert.deepEqual(csp.get("default-src"), ["'none'"]);
  assert.deepEqual(csp.get("script-src"), [`'nonce-${parts.nonce}'`]);
  assert.deepEqual(csp.get("style-src"), [`'nonce-${parts.nonce}'`]);
  for (const values of csp.values()) assert.ok(!values.some((v) => v.includes("unsafe")), "no unsafe-inline or unsafe-eval");
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  assert.equal(scripts[0][1], ` nonce="${parts.nonce}"`);
  assert.equal(scripts[0][2].trim(), parts.script);
  const styles = [...html.matchAll(/<style([^>]*)>([\s\S]*?)<\/style>/g)];
  assert.equal(styles.length, 1);
  assert.equal(styles[0][1], ` nonce="${parts.nonce}"`);
  assert.ok(!/<link|src=|href=/.test(html), "no resource is fetched");
});

test("the page refuses a nonce that would need quoting, and inlined text that would end its element", () => {
  assert.match(pageHtml({ ...parts, mode: "preview" }), /<body data-mode="preview">/);
  assert.throws(() => pageHtml({ ...parts, nonce: 'a"b' }), /nonce/);
  assert.throws(() => pageHtml({ ...parts, script: 'const s = "</SCRIPT><script>alert(1)";' }), /<\/script/);
  assert.throws(() => pageHtml({ ...parts, style: "a{} </style><script>" }), /<\/style/);
});

test("the page paints a placeholder before its script runs, removed when the first document arrives", () => {
  const html = pageHtml({ ...parts, mode: "preview" });
  const placeholder = html.indexOf('<p id="loading"');
  assert.ok(placeholder > 0 && placeholder < html.indexOf("<script"), "the placeholder comes before the script");
  assert.match(html, /<p id="loading" class="loading" role="status">Compiling…<\/p>/);
  assert.match(pageHtml(parts), /Reading the bytecode…/);
  const script = readFileSync(join(__dirname, "../../src/bytecode/view/main.ts"), "utf8");
  assert.match(script, /case "document":\s*\/\/[^\n]*\n\s*document\.getElementById\("loading"\)\?\.remove\(\);/);
});

test("the built webview script can be inlined (it holds no closing script tag)", { skip: !existsBuilt() && "run `node scripts/build.mjs` first" }, () => {
  const script = readFileSync(join(__dirname, "../../../out/media/bytecodeView.js"), "utf8");
  const style = readFileSync(join(__dirname, "../../../media/bytecode/bytecodeView.css"), "utf8");
  assert.doesNotThrow(() => pageHtml({ script, style, nonce: "n0nce", mode: "file" }));
  assert.ok(!script.includes("sourceMappingURL"), "no source map link that would point nowhere");
});

function existsBuilt(): boolean {
  try {
    readFileSync(join(__dirname, "../../../out/media/bytecodeView.js"));
    return true;
  } catch {
    return false;
  }
}
