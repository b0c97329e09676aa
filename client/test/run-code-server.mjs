#!/usr/bin/env node
// Integration tests in a real VS Code without downloads (what CI runs): the extension-host suite
// in code-server 4.100.3, driven by Debian's chromium through playwright-core, in two windows:
// a trusted workspace (everything) and an untrusted one (Restricted Mode). Prints `N passed, N failed`.
import { chromium } from "playwright-core";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, basename } from "node:path";
import { buildAll } from "../../scripts/build.mjs";
import { bundleSuite } from "./suiteBundle.mjs";
import { CHROMIUM, ensureCodeServer, root, startCodeServer, workbenchUrl } from "../../scripts/code-server.mjs";

const WINDOW_TIMEOUT_MS = 5 * 60_000;
const outputDir = join(root, ".test-output");
const screenshots = join(outputDir, "screenshots");
const suiteDir = join(outputDir, "suite");
const began = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function log(message) {
  console.log(`[integration] ${message}`);
}

/** Resolves when `file` exists; rejects on timeout or when `abort` rejects first. */
function fileAppears(file, timeoutMs, abort) {
  return new Promise((resolve, reject) => {
    const watcher = watch(dirname(file), () => check());
    const timer = setTimeout(() => finish(new Error(`no results in ${file} after ${timeoutMs / 1000} s`)), timeoutMs);
    function finish(error) {
      watcher.close();
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    }
    function check() {
      if (existsSync(file)) finish();
    }
    abort.catch((e) => finish(e));
    check();
  });
}

/** One VS Code window: starts code-server, opens the workbench with the test payload, collects results. */
async function runWindow(browser, bin, mode, scratch, afterTests) {
  const started = Date.now();
  const workspace = join(scratch, `workspace-${mode}`);
  cpSync(join(root, "test-fixtures/examples"), workspace, { recursive: true });
  const resultsFile = join(scratch, `results-${mode}`, "results.json");
  mkdirSync(dirname(resultsFile), { recursive: true });
  // The extension host inherits code-server's environment: that is how the suite learns its mode.
  process.env.WHISPEM_TEST_MODE = mode;
  process.env.WHISPEM_TEST_RESULTS = resultsFile;
  const releaseFile = join(dirname(resultsFile), "release");
  process.env.WHISPEM_TEST_RELEASE = releaseFile;
  const server = await startCodeServer({
    bin,
    userDataDir: join(scratch, `user-${mode}`),
    extensionsDir: join(scratch, `extensions-${mode}`),
    trust: mode === "trusted",
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const consoleLog = [];
  page.on("console", (m) => consoleLog.push(`[${m.type()}] ${m.text()}`));
  try {
    await page.goto(workbenchUrl(server, { folder: workspace, extensionPath: root, testsPath: suiteDir }));
    const serverGone = new Promise((_, reject) => server.process.once("exit", (code) => reject(new Error(`code-server exited (${code})`))));
    await fileAppears(resultsFile, WINDOW_TIMEOUT_MS, serverGone);
    const results = JSON.parse(readFileSync(resultsFile, "utf8"));
    log(`${mode} window: ${results.passed} passed, ${results.failed} failed, ${results.pending} pending (mocha ${(results.durationMs / 1000).toFixed(1)} s, window ${seconds(started)})`);
    for (const f of results.failures) log(`FAILED ${f.title}\n${f.message}`);
    const ui = afterTests ? await afterTests(page) : { passed: 0, failed: 0 };
    writeFileSync(releaseFile, "");
    return { ...results, ui };
  } finally {
    writeFileSync(join(outputDir, `code-server-${mode}.log`), server.log());
    writeFileSync(join(outputDir, `browser-console-${mode}.log`), consoleLog.join("\n") + "\n");
    await page.close().catch(() => undefined);
    await server.stop();
  }
}

/** UI checks on the workbench the trusted run leaves behind, with screenshots for the README. */
async function checkWorkbench(page) {
  const checks = { passed: 0, failed: 0 };
  async function check(name, body) {
    try {
      await body();
      checks.passed++;
      log(`ui: ${name}: ok`);
    } catch (e) {
      checks.failed++;
      log(`ui: FAILED ${name}: ${e.message}`);
    }
  }
  await check("the status bar item shows the last run's result", async () => {
    // The item's id is the extension's id and the item's own; the suite's last run fails.
    const item = page.locator("[id='whispem.whispem.whispem.status']", { hasText: /error on line \d+/ });
    await item.waitFor({ state: "visible", timeout: 15_000 });
  });
  await check("the runtime error's squiggle shows its message on hover", async () => {
    const line = page.locator(".monaco-editor .view-line", { hasText: "scores[5]" }).first();
    await line.waitFor({ state: "visible", timeout: 15_000 });
    await page.screenshot({ path: join(screenshots, "workbench.png") });
    await line.locator("span", { hasText: "scores" }).last().hover();
    const hover = page.locator(".monaco-hover", { hasText: "out of bounds" }).first();
    await hover.waitFor({ state: "visible", timeout: 15_000 });
    await page.screenshot({ path: join(screenshots, "hover.png") });
  });
  return checks;
}

async function main() {
  mkdirSync(screenshots, { recursive: true });
  if (!existsSync(join(root, "out/extension.js"))) await buildAll();
  await bundleSuite(root, suiteDir);
  const installStarted = Date.now();
  const bin = ensureCodeServer({ browser: true });
  log(`code-server and chromium ready (${seconds(installStarted)})`);
  const scratch = mkdtempSync(join(tmpdir(), "whispem-it-"));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const windows = [];
  try {
    windows.push(await runWindow(browser, bin, "trusted", scratch, checkWorkbench));
    windows.push(await runWindow(browser, bin, "untrusted", scratch));
  } finally {
    await browser.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  const activationMs = windows.find((w) => w.activationMs !== null)?.activationMs;
  if (activationMs !== undefined) {
    writeFileSync(join(outputDir, "activation.json"), JSON.stringify({ activationMs, measuredAt: new Date().toISOString(), vscode: "code-server 4.100.3" }) + "\n");
    log(`extension activation: ${activationMs.toFixed(1)} ms`);
  }
  const passed = windows.reduce((n, w) => n + w.passed + w.ui.passed, 0);
  const failed = windows.reduce((n, w) => n + w.failed + w.ui.failed, 0);
  const pending = windows.reduce((n, w) => n + w.pending, 0);
  log(`total ${seconds(began)}; screenshots in ${basename(outputDir)}/screenshots${pending ? `; ${pending} skipped` : ""}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (e) => {
    console.error(e?.stack ?? e);
    console.log("0 passed, 1 failed");
    process.exit(1);
  },
);
