// The test page of the web build and its loopback server (shared by run-web.mjs and
// bench/web.bench.ts): bundles client/test/web/page.ts for the browser and serves it with the web
// bundles, the bytecode view's media and the WebAssembly VM. Served cross-origin isolated
// (COOP/COEP, so SharedArrayBuffer exists); under /plain/ the same site without those headers, as
// vscode.dev is by default.
import { createServer } from "node:http";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { build } from "esbuild";
import { noNodeBuiltins } from "../../../scripts/build.mjs";

const types = { ".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".wasm": "application/wasm", ".map": "application/json" };
const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>loading</title></head><body><script src="page.js"></script></body></html>`;

/** Builds the page and starts serving; resolves with its URL and a close function. */
export async function startPageServer({ root, wasmPath }) {
  const outDir = join(root, ".test-output/web");
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(root, "client/test/web/page.ts")],
    outfile: join(outDir, "page.js"),
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    plugins: [noNodeBuiltins],
    logLevel: "warning",
  });
  // Only the web bundles, the page and the bytecode view's media are served.
  const fileFor = (path) => {
    if (path === "/wvm.wasm") return wasmPath;
    if (path === "/page.js") return join(outDir, "page.js");
    if (path.startsWith("/out/web/") || path.startsWith("/out/media/") || path.startsWith("/media/bytecode/")) return join(root, path);
    return null;
  };
  const server = createServer((req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    const plain = path.startsWith("/plain/");
    if (plain) path = path.slice("/plain".length);
    const headers = plain ? {} : { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp", "Cross-Origin-Resource-Policy": "same-origin" };
    if (path === "/" || path === "/index.html") {
      res.writeHead(200, { ...headers, "Content-Type": "text/html" });
      res.end(page);
      return;
    }
    const file = fileFor(path);
    if (!file || !existsSync(file)) {
      res.writeHead(404, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, "Content-Type": types[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Opens the page (or /plain/ with `plain`) in a new tab and waits until it is ready. */
export async function openPage(browser, url, { plain = false } = {}) {
  const tab = await browser.newPage();
  const errors = [];
  tab.on("pageerror", (e) => errors.push(e.message));
  await tab.goto(plain ? `${url}plain/` : url);
  await tab.waitForFunction(() => document.title === "ready");
  if (errors.length) throw new Error(`the test page failed: ${errors.join("; ")}`);
  return tab;
}
