// The launcher's UI step for the debugger (run after the suite, whose debug test leaves
// debug-sample.wsp in the workspace): F5 on the file with a breakpoint set from the keyboard, the
// stop shown in the editor, the Variables view, Step Back from the debug toolbar; screenshots.

import { pick, runCommand } from "./workbench.mjs";

const quickOpen = (page, path) => pick(page, "Control+P", path, path.slice(path.lastIndexOf("/") + 1));

/** The Call Stack view's top frame: "NAME … LINE:COL". */
async function topFrame(page, name, line) {
  const row = page.locator(".debug-call-stack .monaco-list-row", { hasText: name }).first();
  await row.locator(".line-number", { hasText: new RegExp(`^${line}:`) }).waitFor({ state: "visible", timeout: 20_000 });
}

/** A row of the Variables view by its accessible name. */
const variable = (page, label) => page.locator(`.debug-variables .monaco-list-row[aria-label='${label}']`).first();

export async function debugScreenshots(page, check, screenshots) {
  let started = false;
  await check("F5 on a .wsp file stops at its breakpoint, shown in the editor, with the Variables view", async () => {
    await runCommand(page, "Notifications: Clear All Notifications");
    await runCommand(page, "View: Close All Editors");
    await quickOpen(page, "debug-sample.wsp");
    const line = page.locator(".monaco-editor .view-line", { hasText: "return r" }).first();
    await line.waitFor({ state: "visible", timeout: 15_000 });
    await line.click();
    await page.keyboard.press("F9"); // toggle a breakpoint on the cursor's line
    await page.locator(".monaco-editor .codicon-debug-breakpoint").first().waitFor({ state: "visible", timeout: 10_000 });
    await page.keyboard.press("F5"); // no launch.json: the extension's default configuration
    started = true;
    // The stop: the editor marks the line (glyph and highlight), the Call Stack view shows it.
    await page.locator(".monaco-editor .codicon-debug-stackframe").first().waitFor({ state: "visible", timeout: 30_000 });
    await page.locator(".monaco-editor .debug-top-stack-frame-line").first().waitFor({ state: "visible", timeout: 10_000 });
    await topFrame(page, "square", 3);
    // Locals of square(1): n = 1, r = 1 (each row's accessible name is "NAME, value VALUE").
    for (const name of ["n", "r"]) await variable(page, `${name}, value 1`).waitFor({ state: "visible", timeout: 15_000 });
    await page.screenshot({ path: `${screenshots}/debug-breakpoint.png` });
  });
  await check("Step Back in the debug toolbar goes back a line, with that line's values", async () => {
    const stepBack = page.locator(".debug-toolbar .action-label[aria-label^='Step Back']").first();
    await stepBack.waitFor({ state: "visible", timeout: 10_000 });
    await stepBack.click();
    await topFrame(page, "square", 2);
    // Before `let r = n * n` ran: n is set, r is not there yet.
    await variable(page, "n, value 1").waitFor({ state: "visible", timeout: 15_000 });
    await page.locator(".debug-variables .monaco-list-row[aria-label^='r, value']").first().waitFor({ state: "hidden", timeout: 10_000 });
    await page.screenshot({ path: `${screenshots}/debug-step-back.png` });
  });
  if (started) {
    // Leaves the workbench as it was: no session, no breakpoint, the explorer.
    await page.keyboard.press("Shift+F5").catch(() => undefined);
    await page.locator(".debug-toolbar").first().waitFor({ state: "hidden", timeout: 15_000 }).catch(() => undefined);
    await runCommand(page, "Remove All Breakpoints").catch(() => undefined);
  }
}
