// Drives one code-server window for the extension-host suite: starts the server, opens the workbench
// with the test payload in chromium, waits for the suite's results, lets the caller check the UI.
import { chromium } from "playwright-core";
import { cpSync, existsSync, mkdirSync, readFileSync, watch, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { CHROMIUM, root, startCodeServer, workbenchUrl } from "../../scripts/code-server.mjs";

const WINDOW_TIMEOUT_MS = 5 * 60_000;

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
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

/**
 * Runs the suite (bundled in `suiteDir`) in `mode` ("trusted", "untrusted" or "activation") in a
 * fresh window on a copy of test-fixtures/examples; `afterTests(page)` runs while the window is alive.
 * Returns the suite's results, plus `ui` from afterTests.
 */
export async function runWindow({ browser, bin, mode, scratch, suiteDir, logDir, afterTests }) {
  const workspace = join(scratch, `workspace-${mode}`);
  cpSync(join(root, "test-fixtures/examples"), workspace, { recursive: true });
  const resultsDir = join(scratch, `results-${mode}`);
  mkdirSync(resultsDir, { recursive: true });
  const resultsFile = join(resultsDir, "results.json");
  const releaseFile = join(resultsDir, "release");
  const server = await startCodeServer({
    bin,
    userDataDir: join(scratch, `user-${mode}`),
    extensionsDir: join(scratch, `extensions-${mode}`),
    trust: mode !== "untrusted",
    env: { WHISPEM_TEST_MODE: mode, WHISPEM_TEST_RESULTS: resultsFile, WHISPEM_TEST_RELEASE: releaseFile },
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const consoleLog = [];
  page.on("console", (m) => consoleLog.push(`[${m.type()}] ${m.text()}`));
  try {
    await page.goto(workbenchUrl(server, { folder: workspace, extensionPath: root, testsPath: suiteDir }));
    const serverGone = new Promise((_, reject) => server.process.once("exit", (code) => reject(new Error(`code-server exited (${code})`))));
    await fileAppears(resultsFile, WINDOW_TIMEOUT_MS, serverGone);
    const results = JSON.parse(readFileSync(resultsFile, "utf8"));
    const ui = afterTests ? await afterTests(page) : { passed: 0, failed: 0 };
    writeFileSync(releaseFile, "");
    return { ...results, ui };
  } finally {
    if (logDir) {
      writeFileSync(join(logDir, `code-server-${mode}.log`), server.log());
      writeFileSync(join(logDir, `browser-console-${mode}.log`), consoleLog.join("\n") + "\n");
    }
    await page.close().catch(() => undefined);
    await server.stop();
  }
}

/**
 * Types into the quick input and accepts once the entry is listed (Enter earlier takes a stale one).
 * Tried up to three times: on a loaded machine the opener's key can go to a webview that has just
 * taken focus, and the picker never opens (a CI run failed so); between tries the picker is closed
 * and the focus put back on the editor tabs, so one miss does not spill into the next check.
 */
export async function pick(page, opener, typed, entry) {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press(opener);
    await page.keyboard.type(typed);
    try {
      await page.locator(".quick-input-list .monaco-list-row.focused", { hasText: entry }).first().waitFor({ state: "visible", timeout: 10_000 });
      break;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press("Escape");
      await page.locator(".part.editor .tabs-container").first().click({ position: { x: 2, y: 2 }, timeout: 2_000 }).catch(() => undefined);
    }
  }
  await page.keyboard.press("Enter");
}

/** Runs a command by its title through the command palette. */
export const runCommand = (page, title) => pick(page, "F1", title, title);

/** VS Code's own activation figure for the extension, from Developer: Show Running Extensions. */
export async function activationTimeShown(page) {
  await runCommand(page, "Developer: Show Running Extensions");
  // The view lists extensions slowest first in a virtualised list: ours, among the fastest, may be
  // below the fold (and then not in the DOM at all), so scroll through the list until it shows.
  const list = page.locator(".runtime-extensions-editor .monaco-list").first();
  await list.waitFor({ state: "visible", timeout: 15_000 });
  const row = page.locator(".runtime-extensions-editor .monaco-list-row", { hasText: "whispem.whispem" }).first();
  const deadline = Date.now() + 15_000;
  while (!(await row.isVisible())) {
    if (Date.now() > deadline) throw new Error("the Running Extensions view does not list whispem.whispem");
    await list.hover();
    await page.mouse.wheel(0, 200);
    await page.waitForTimeout(150);
  }
  await row.scrollIntoViewIfNeeded();
  const text = (await row.innerText()).replace(/\s+/g, " ");
  const m = /Activation: (\d+)\s*ms/.exec(text);
  if (!m) throw new Error(`no activation time in "${text}"`);
  return Number(m[1]);
}
