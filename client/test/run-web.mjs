#!/usr/bin/env node
// The web build in a real browser (Debian's chromium through playwright-core): a plain page on
// loopback, served cross-origin isolated (COOP/COEP), hosts the language server worker
// (out/web/server.js) and speaks LSP to it over postMessage, runs programs with the WebAssembly VM
// in the VM worker (out/web/vmWorker.js) through the web extension's VmSession, and shows the
// bytecode preview page. Then the same bundles in a real VS Code: code-server runs the extension,
// with only its `browser` entry, in its web worker extension host (web/codeServerWeb.mjs).
// Every check waits for an event (a notification, output, the end of a run, the view's "rendered"
// report, something appearing in the workbench); none sleeps.
//   node client/test/run-web.mjs        (after npm run build; the VM: bin/wvm-web.wasm, or $WHISPEM_WVM_WASM)
import { test, after, before, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser, pick } from "./workbench.mjs";
import { fileWritten, hoverUntil, openFile, openWebWorkbench, quickOpen, runCommand, statusItem, webview } from "./web/codeServerWeb.mjs";
import { openPage, startPageServer } from "./web/pageServer.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const wasmPath = process.env.WHISPEM_WVM_WASM || join(root, "bin/wvm-web.wasm");
const haveVm = existsSync(wasmPath);
let server, browser, tab;

before(async () => {
  server = await startPageServer({ root, wasmPath });
  browser = await launchBrowser();
  tab = await openPage(browser, server.url);
});

after(async () => {
  await browser?.close();
  server?.close();
});

const call = (name, ...args) => tab.evaluate(([n, a]) => window.whispem[n](...a), [name, args]);

test("the page is cross-origin isolated and the server worker initializes with its capabilities", async () => {
  assert.equal(await call("isolated"), true);
  const caps = await call("initialize");
  assert.equal(caps.hoverProvider, true);
  assert.ok(caps.completionProvider, "completion is offered");
  assert.equal(caps.workspaceSymbolProvider, true);
});

test("a broken file gets diagnostics from the worker", async () => {
  const diagnostics = await call("open", "memfs:/broken.wsp", "let total = (1 + 2\nprint total\n");
  assert.ok(diagnostics.length >= 1, "at least one diagnostic");
  assert.equal(diagnostics[0].severity, 1);
  assert.equal(diagnostics[0].range.start.line, 0);
});

const functions = "fn twice(x) {\n    return x * 2\n}\nlet counter = twice(21)\nprint counter\n";

test("hover and completion work in the worker", async () => {
  const diagnostics = await call("open", "memfs:/functions.wsp", functions);
  assert.deepEqual(diagnostics, []);
  const hover = await call("request", "textDocument/hover", { textDocument: { uri: "memfs:/functions.wsp" }, position: { line: 3, character: 15 } });
  assert.match(JSON.stringify(hover.contents), /twice/);
  const completion = await call("request", "textDocument/completion", { textDocument: { uri: "memfs:/functions.wsp" }, position: { line: 4, character: 6 } });
  const labels = (Array.isArray(completion) ? completion : completion.items).map((i) => i.label);
  assert.ok(labels.includes("counter"), `completion offers the variable (got ${labels.slice(0, 10).join(", ")}…)`);
  assert.ok(labels.includes("twice"), "completion offers the function");
});

test("workspace symbols include files the client sent (no disk in a worker)", async () => {
  await call("notify", "whispem/workspaceFiles", { changed: [{ uri: "memfs:/lib/shapes.wsp", text: "fn area_of_square(s) {\n    return s * s\n}\n" }], deleted: [], all: true });
  const symbols = await call("request", "workspace/symbol", { query: "area" });
  assert.deepEqual(symbols.map((s) => [s.name, s.location.uri]), [["area_of_square", "memfs:/lib/shapes.wsp"]]);
  await call("notify", "whispem/workspaceFiles", { changed: [], deleted: ["memfs:/lib/shapes.wsp"] });
  assert.deepEqual(await call("request", "workspace/symbol", { query: "area" }), []);
});

test("the bytecode preview page renders the listing of a file", async () => {
  const { report, text } = await call("preview", functions);
  assert.ok(report.rowCount > 5, `rows: ${report.rowCount}`);
  assert.match(text, /twice/);
});

const runTest = haveVm ? test : test.skip;
if (!haveVm) console.log(`# Run File checks SKIPPED: no WebAssembly VM at ${wasmPath} (built on the platforms branch; or set WHISPEM_WVM_WASM)`);

runTest("Run File: output streams, input() reads a typed line, read_file and write_file use the program's files", async () => {
  const source = 'let name = input("Name? ")\nprint f"Hello, {name}!"\nwrite_file("out.txt", f"saved {name}")\nprint read_file("data.txt")\n';
  const i = await call("run", source, { "data.txt": "from the workspace" });
  await call("outputContains", i, "Name? ");
  await call("write", i, "Ada\n");
  const r = await call("ended", i);
  assert.equal(r.interactive, true);
  assert.deepEqual(r.end.outcome, "exited");
  assert.equal(r.end.exitCode, 0, r.output);
  assert.equal(r.output, "Name? Hello, Ada!\nfrom the workspace\n");
  assert.equal(r.files["out.txt"], "saved Ada");
});

runTest("Run File: a runtime error names its line", async () => {
  const i = await call("run", 'let scores = [90, 72]\nprint "first"\nprint scores[5]\n');
  const r = await call("ended", i);
  assert.notEqual(r.end.exitCode, 0);
  assert.equal(r.output.split("\n")[0], "first");
  assert.equal(r.runtimeError?.line, 3, r.output);
});

runTest("Stop ends a program that never ends", async () => {
  const i = await call("run", 'print "counting"\nlet n = 0\nwhile true {\n    let n = n + 1\n}\n');
  await call("outputContains", i, "counting");
  await call("stop", i);
  const r = await call("ended", i);
  assert.equal(r.end.outcome, "stopped");
});

runTest("without cross-origin isolation, input() reads nothing and the terminal says why", async () => {
  const plainTab = await openPage(browser, server.url, { plain: true });
  try {
    const r = await plainTab.evaluate(async () => {
      const w = window.whispem;
      const i = await w.run('let name = input("Name? ")\nprint f"[{name}]"\n');
      return { isolated: w.isolated(), ...(await w.ended(i)) };
    });
    assert.equal(r.isolated, false);
    assert.equal(r.interactive, false);
    assert.equal(r.end.exitCode, 0);
    assert.match(r.output, /input\(\) read nothing: reading what you type in the browser needs a cross-origin isolated page/);
    assert.match(r.output, /\[\]\n$/);
  } finally {
    await plainTab.close();
  }
});

describe("in code-server's web worker extension host (the extension with only its browser entry)", { skip: !haveVm && "no WebAssembly VM" }, () => {
  let wb;
  before(async () => {
    wb = await openWebWorkbench({ root, browser, wasmPath });
    // A .whbc file for the viewer, compiled by the whispem command line.
    const r = spawnSync(process.execPath, [join(root, "out/whispem.js"), "compile", join(wb.folder, "functions.wsp")], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  });
  after(async () => {
    await wb?.close();
  });

  test("a broken file is underlined", async () => {
    await openFile(wb.page, "broken.wsp", "let total");
    await wb.page.locator(".monaco-editor .squiggly-error").first().waitFor({ state: "attached", timeout: 30_000 });
  });

  test("hover shows a function's signature", async () => {
    await openFile(wb.page, "functions.wsp", "let counter");
    await hoverUntil(wb.page, wb.page.locator(".monaco-editor .view-line", { hasText: "let counter" }).locator("span", { hasText: "twice" }).last(), "fn twice");
  });

  test("completion offers the file's names", async () => {
    await wb.page.keyboard.press("Escape");
    await wb.page.locator(".monaco-editor .view-line", { hasText: "print counter" }).first().click();
    await wb.page.keyboard.press("End");
    await wb.page.keyboard.press("Enter");
    await wb.page.keyboard.type("print cou");
    await wb.page.keyboard.press("Control+Space");
    await wb.page.locator(".suggest-widget .monaco-list-row", { hasText: "counter" }).first().waitFor({ state: "visible", timeout: 20_000 });
    await wb.page.keyboard.press("Escape");
    await runCommand(wb.page, "File: Revert File");
  });

  test("workspace symbols find a function in a file never opened (sent by the client)", async () => {
    await pick(wb.page, "Control+P", "#area_of", "area_of_square");
    await wb.page.locator(".monaco-editor .view-line", { hasText: "fn area_of_square" }).first().waitFor({ state: "visible", timeout: 15_000 });
  });

  test("Run File runs the program on the WebAssembly VM and the status bar reports it", async () => {
    await openFile(wb.page, "hello.wsp", "hello from the web");
    await runCommand(wb.page, "Whispem: Run File");
    await statusItem(wb.page, /ran/).waitFor({ state: "visible", timeout: 30_000 });
  });

  test("served cross-origin isolated, input() reads a line typed in the run's terminal and write_file saves through the workspace", async () => {
    assert.equal(await wb.page.evaluate(() => crossOriginIsolated), true);
    await openFile(wb.page, "greet.wsp", "Name?");
    await runCommand(wb.page, "Whispem: Run File");
    try {
      // Run File shows the run's terminal without taking the focus: a click on its tab gives it.
      await wb.page.locator(".terminal-tabs-entry", { hasText: "greet.wsp" }).first().click({ timeout: 15_000 });
      await wb.page.locator(".xterm-screen").filter({ visible: true }).first().click({ timeout: 15_000 });
      await wb.page.waitForFunction(() => document.activeElement?.classList.contains("xterm-helper-textarea") === true, undefined, { timeout: 15_000 });
      await wb.page.keyboard.type("Ada");
      await wb.page.keyboard.press("Enter");
      assert.equal(await fileWritten(join(wb.folder, "greeting.txt")), "Hello, Ada!");
    } finally {
      // A program still waiting for input would keep the status bar at "running".
      await runCommand(wb.page, "Whispem: Stop");
    }
  });

  test("a runtime error becomes a diagnostic on its line", async () => {
    await openFile(wb.page, "failing.wsp", "scores[5]");
    await runCommand(wb.page, "Whispem: Run File");
    await statusItem(wb.page, /error on line 3/).waitFor({ state: "visible", timeout: 30_000 });
    await wb.page.locator(".monaco-editor .squiggly-error").first().waitFor({ state: "attached", timeout: 15_000 });
  });

  test("the bytecode preview shows the file's instructions, as text and in the rich view", async () => {
    await openFile(wb.page, "functions.wsp", "let counter");
    await runCommand(wb.page, "Whispem: Show Bytecode");
    await wb.page.locator(".editor-group-container").nth(1).locator(".view-line", { hasText: "twice" }).first().waitFor({ state: "visible", timeout: 30_000 });
    await runCommand(wb.page, "Whispem: Show Bytecode in Rich View");
    await webview(wb.page).locator(".row", { hasText: "twice" }).first().waitFor({ state: "visible", timeout: 30_000 });
  });
  test("the .whbc viewer shows a compiled file's chunks", async () => {
    await runCommand(wb.page, "View: Close All Editors");
    await quickOpen(wb.page, "functions.whbc");
    await webview(wb.page).locator(".chunk-row", { hasText: "twice" }).first().waitFor({ state: "visible", timeout: 30_000 });
  });

  test("VS Code runs it in the web worker extension host", async () => {
    await runCommand(wb.page, "Developer: Show Running Extensions");
    const row = wb.page.locator(".runtime-extensions-editor .monaco-list-row", { hasText: /whispem/i }).first();
    await row.waitFor({ state: "visible", timeout: 20_000 });
    assert.match(await row.innerText(), /web worker/i);
  });
});
