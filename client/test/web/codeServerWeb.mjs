// The web build inside a real VS Code: code-server 4.100.3 runs an extension that has only a
// `browser` entry (a copy of the package with `main` removed and `extensionKind: ["web"]`) in its
// web worker extension host. Playwright drives the workbench; every wait is for something to
// appear on screen.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import { request as httpRequest, createServer } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureCodeServer, startCodeServer, workbenchUrl } from "../../../scripts/code-server.mjs";
import { pick, runCommand } from "../workbench.mjs";

/** The workspace the checks use. */
export const files = {
  "broken.wsp": "let total = (1 + 2\nprint total\n",
  "functions.wsp": "fn twice(x) {\n    return x * 2\n}\nlet counter = twice(21)\nprint counter\n",
  "hello.wsp": 'print "hello from the web"\nprint 6 * 7\n',
  "failing.wsp": 'let scores = [90, 72]\nprint "first"\nprint scores[5]\n',
  "greet.wsp": 'let name = input("Name? ")\nwrite_file("greeting.txt", f"Hello, {name}!")\nprint "saved"\n',
  "lib/shapes.wsp": "fn area_of_square(s) {\n    return s * s\n}\n",
};

/**
 * A loopback proxy in front of code-server that adds the cross-origin isolation headers (COOP +
 * COEP) to every response, as vscode.dev does when asked: code-server does not send them itself.
 * WebSocket upgrades are passed through as they are.
 */
async function isolatingProxy(port) {
  const isolation = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp", "cross-origin-resource-policy": "same-origin" };
  const proxy = createServer((req, res) => {
    const upstream = httpRequest({ host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, { ...r.headers, ...isolation });
      r.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  proxy.on("upgrade", (req, socket, head) => {
    const upstream = connect(port, "127.0.0.1", () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(lines.join("\r\n") + "\r\n\r\n");
      if (head.length) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const proxyPort = proxy.address().port;
  return { url: `http://127.0.0.1:${proxyPort}`, port: proxyPort, close: () => proxy.close() };
}

/** Starts code-server on a workspace with `files` and the web-only copy of the extension. */
export async function openWebWorkbench({ root, browser, wasmPath }) {
  const scratch = mkdtempSync(join(tmpdir(), "whispem-web-"));
  const ext = join(scratch, "extension");
  mkdirSync(join(ext, "bin"), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  delete manifest.main;
  manifest.extensionKind = ["web"];
  writeFileSync(join(ext, "package.json"), JSON.stringify(manifest, null, 2));
  for (const d of ["out/web", "out/media", "media", "syntaxes"]) cpSync(join(root, d), join(ext, d), { recursive: true });
  cpSync(wasmPath, join(ext, "bin/wvm-web.wasm"));
  const folder = join(scratch, "workspace");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(folder, name, ".."), { recursive: true });
    writeFileSync(join(folder, name), text);
  }
  const server = await startCodeServer({ bin: ensureCodeServer({ browser: true }), userDataDir: join(scratch, "user"), extensionsDir: join(scratch, "extensions"), folder });
  const front = await isolatingProxy(server.port);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(workbenchUrl(front, { folder, extensionPath: ext }));
  const hello = page.locator(".explorer-folders-view .monaco-list-row[aria-label^='hello.wsp']").first();
  await hello.waitFor({ timeout: 60_000 });
  // Opening a .wsp file activates the extension; its status bar item shows a check once the
  // language server in its worker is running.
  await hello.click();
  await page.locator("[id='whispem.whispem.whispem.status'] .codicon-check").waitFor({ state: "visible", timeout: 60_000 });
  return {
    page,
    folder,
    close: async () => {
      await page.close();
      front.close();
      await server.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

export const quickOpen = (page, path) => pick(page, "Control+P", path, path.slice(path.lastIndexOf("/") + 1));

export async function openFile(page, path, visibleText) {
  await quickOpen(page, path);
  await page.locator(".monaco-editor .view-line", { hasText: visibleText }).first().waitFor({ state: "visible", timeout: 15_000 });
}

/** The status bar item of the extension (its text says how the last run ended). */
export const statusItem = (page, hasText) => page.locator("[id='whispem.whispem.whispem.status']", { hasText });

/** The content of the (only) webview on screen: VS Code nests it in two iframes. */
export const webview = (page) => page.frameLocator("iframe.webview.ready").last().frameLocator("#active-frame");

export { runCommand };

/** Resolves with the file's text once it exists with some content (watching its folder). */
export function fileWritten(path, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!existsSync(path)) return;
      const text = readFileSync(path, "utf8");
      if (text.length === 0) return;
      finish();
      resolve(text);
    };
    const watcher = watch(join(path, ".."), check);
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${path} was not written within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    function finish() {
      watcher.close();
      clearTimeout(timer);
    }
    check();
  });
}

/** Hovers `target` until a hover containing `text` shows (the first hover may come before the server has analysed the file). */
export async function hoverUntil(page, target, text, attempts = 6) {
  const hover = page.locator(".monaco-hover", { hasText: text }).first();
  for (let i = 1; ; i++) {
    await page.mouse.move(0, 0);
    await target.hover();
    try {
      await hover.waitFor({ state: "visible", timeout: 5_000 });
      return;
    } catch (e) {
      if (i >= attempts) throw e;
    }
  }
}
