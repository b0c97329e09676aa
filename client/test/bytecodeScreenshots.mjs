// The launcher's UI step for the bytecode views (run after the suite, which leaves the fixtures in
// the workspace's bytecode/ folder): drives the webviews with Playwright and saves screenshots.

import { pick, runCommand } from "./workbench.mjs";
import { contrastFailuresScript } from "./webviewContrast.mjs";

const quickOpen = (page, path) => pick(page, "Control+P", path, path.slice(path.lastIndexOf("/") + 1));

/** The content of the (only) webview on screen: VS Code nests it in two iframes. */
function webview(page) {
  return page.frameLocator("iframe.webview.ready").last().frameLocator("#active-frame");
}

/** The content frame of the (only) webview: where its computed styles can be read. */
function webviewFrame(page) {
  const frame = page.frames().filter((f) => f.url().includes("/fake.html") && !f.isDetached()).pop();
  if (!frame) throw new Error("no webview content frame");
  return frame;
}

/** VS Code's default themes: light, dark and both high-contrast ones. */
const THEMES = ["Light Modern", "Dark Modern", "Dark High Contrast", "Light High Contrast"];

async function setTheme(page, name) {
  // Ctrl+K Ctrl+T: the theme picker (Preferences: Color Theme).
  await page.keyboard.press("Control+K");
  await page.keyboard.press("Control+T");
  await page.locator(".quick-input-widget .quick-input-list").first().waitFor({ state: "visible", timeout: 10_000 });
  await page.keyboard.type(name);
  await page.locator(".quick-input-list .monaco-list-row.focused", { hasText: name }).first().waitFor({ state: "visible", timeout: 10_000 });
  await page.keyboard.press("Enter");
  await page.waitForTimeout(500);
}

export async function bytecodeScreenshots(page, check, screenshots) {
  await check("the .whbc viewer shows chunks, disassembly and the selected instruction's bytes", async () => {
    await runCommand(page, "Notifications: Clear All Notifications");
    await runCommand(page, "View: Close All Editors");
    await quickOpen(page, "bytecode/program.whbc");
    const view = webview(page);
    await view.locator(".chunk-row", { hasText: "count_to" }).click({ timeout: 20_000 });
    await view.locator(".row", { hasText: "PEEK_JUMP_IF_FALSE" }).first().click();
    await view.locator(".hex-row .byte.sel").first().waitFor({ state: "visible", timeout: 10_000 });
    await page.screenshot({ path: `${screenshots}/bytecode-editor.png` });
  });
  await check("the .whbc viewer's text meets WCAG AA contrast in the default light, dark and high-contrast themes (computed styles)", async () => {
    const report = [];
    try {
      for (const theme of THEMES) {
        await setTheme(page, theme);
        const view = webview(page);
        await view.locator(".chunk-row.sel", { hasText: "count_to" }).waitFor({ state: "visible", timeout: 10_000 });
        const { checked, failures } = JSON.parse(await webviewFrame(page).evaluate(contrastFailuresScript));
        await page.screenshot({ path: `${screenshots}/bytecode-editor-${theme.toLowerCase().replace(/ /g, "-")}.png` });
        if (checked < 50) report.push(`${theme}: only ${checked} text elements checked`);
        const seen = new Set();
        for (const f of failures) {
          const key = `${f.element} ${f.color} ${f.background}`;
          if (seen.has(key)) continue;
          seen.add(key);
          report.push(`${theme}: ${f.element} in ${f.parent} "${f.text}" ${f.color} on ${f.background} = ${f.ratio}:1`);
        }
      }
    } finally {
      await setTheme(page, "Dark Modern");
    }
    if (report.length > 0) throw new Error(`contrast below 4.5:1:\n${report.join("\n")}`);
  });
  await check("the .whbc viewer: hex in lower case, the constants' bytes column whole at 1600 px, panes stacked at half width", async () => {
    const view = webview(page);
    const legend = await view.locator(".hex-pane .pane-title").first().innerText();
    if (!/selected 0x[0-9a-f]{6}/.test(legend) || /0X|[A-F]{2}/.test(legend.replace(/Bytes|selected/g, ""))) throw new Error(`hex legend: ${legend}`);
    const size = page.viewportSize();
    try {
      await page.setViewportSize({ width: 1600, height: 900 });
      await page.waitForTimeout(400);
      const cut = JSON.parse(
        await webviewFrame(page).evaluate(`JSON.stringify([...document.querySelectorAll(".constant-table td.off")].filter((td) => td.textContent).map((td) => { const box = td.getBoundingClientRect(), pane = td.closest(".constants").getBoundingClientRect(); return { text: td.textContent, cut: td.scrollWidth > td.clientWidth || box.right > pane.right + 0.5 }; }))`),
      );
      if (cut.length === 0 || cut.some((c) => c.cut)) throw new Error(`bytes column at 1600 px: ${JSON.stringify(cut)}`);
      await page.screenshot({ path: `${screenshots}/bytecode-editor-1600.png` });
      await page.setViewportSize({ width: 700, height: 900 });
      await page.waitForTimeout(400);
      const columns = await webviewFrame(page).evaluate(`getComputedStyle(document.querySelector(".file-layout")).gridTemplateColumns.split(" ").length`);
      if (columns !== 1) throw new Error(`at half width the viewer has ${columns} columns`);
      await page.screenshot({ path: `${screenshots}/bytecode-editor-half-width.png` });
    } finally {
      await page.setViewportSize(size);
    }
  });
  await check("a broken .whbc shows the verifier's message beside the bytes", async () => {
    await quickOpen(page, "bytecode/bad-jump.whbc");
    const view = webview(page);
    await view.locator(".banner", { hasText: "jump target" }).waitFor({ state: "visible", timeout: 20_000 });
    // The failing instruction is selected, its bytes marked in the hex view.
    await view.locator(".row.sel", { hasText: "JUMP_IF_FALSE" }).waitFor({ state: "visible", timeout: 10_000 });
    await view.locator(".hex-row .byte.err").first().waitFor({ state: "visible", timeout: 10_000 });
    await page.screenshot({ path: `${screenshots}/bytecode-invalid.png` });
  });
  await check("a viewer shown again comes back where it was left", async () => {
    await quickOpen(page, "bytecode/program.whbc");
    const view = webview(page);
    await view.locator(".row.sel", { hasText: "PEEK_JUMP_IF_FALSE" }).waitFor({ state: "visible", timeout: 15_000 });
    await view.locator(".chunk-row.sel", { hasText: "count_to" }).waitFor({ state: "visible", timeout: 5_000 });
  });
  await check("a file over 1 MB scrolls to its end from the keyboard", async () => {
    await quickOpen(page, "bytecode/large.whbc");
    const view = webview(page);
    await view.locator(".row", { hasText: "PUSH_CONST" }).first().click({ timeout: 30_000 });
    await page.keyboard.press("End");
    // The last row of the last chunk: a function's closing RETURN_NONE.
    await view.locator(".row.sel", { hasText: "RETURN_NONE" }).waitFor({ state: "visible", timeout: 15_000 });
    await page.screenshot({ path: `${screenshots}/bytecode-large.png` });
  });
  await check("the text preview shows the listing beside the source, coloured, with hovers; a click on an instruction moves the cursor to its line", async () => {
    await runCommand(page, "View: Close All Editors");
    await quickOpen(page, "bytecode/program.wsp");
    const source = page.locator(".editor-group-container").nth(0);
    const preview = page.locator(".editor-group-container").nth(1);
    await source.locator(".view-line", { hasText: "count_to(limit)" }).first().waitFor({ state: "visible", timeout: 15_000 });
    await runCommand(page, "Whispem: Show Bytecode");
    await preview.locator(".view-line", { hasText: "== <main> ==" }).first().waitFor({ state: "visible", timeout: 15_000 });
    // The grammar's colours: the opcode and the string operand in other colours than the offset.
    const colours = JSON.parse(
      await page.evaluate(`(() => { const line = [...document.querySelectorAll(".editor-group-container")[1].querySelectorAll(".view-line")].find((l) => l.textContent.replace(/\\u00a0/g, " ").includes("'adder' argc=1")); return JSON.stringify([...line.querySelectorAll("span span")].map((s) => [s.textContent.replace(/\\u00a0/g, " ").trim(), getComputedStyle(s).color]).filter(([t]) => t)); })()`),
    );
    const colourOf = (text) => colours.find(([t]) => t.includes(text))?.[1];
    if (!colourOf("CALL") || colourOf("CALL") === colourOf("0006") || colourOf("'adder'") === colourOf("CALL")) throw new Error(`tokens not coloured: ${JSON.stringify(colours)}`);
    await source.locator(".view-line", { hasText: "print add2(40)" }).first().click({ position: { x: 4, y: 4 } });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${screenshots}/bytecode-preview.png` });
    // A hover on an opcode: its meaning and its source line.
    await preview.locator(".view-line", { hasText: "'add2' argc=1" }).first().locator("span", { hasText: "CALL" }).last().hover();
    await page.locator(".monaco-hover", { hasText: "CALL (0x50)" }).first().waitFor({ state: "visible", timeout: 10_000 });
    await page.locator(".monaco-hover", { hasText: "source line 21" }).first().waitFor({ state: "visible", timeout: 5_000 });
    await page.screenshot({ path: `${screenshots}/bytecode-preview-hover.png` });
    await page.mouse.move(5, 5);
    // A click on `CALL 'count_to'` (line 20) moves the source cursor from line 21 there.
    await preview.locator(".view-line", { hasText: "'count_to' argc=1" }).first().click();
    await source.locator(".line-numbers.active-line-number", { hasText: /^20$/ }).first().waitFor({ state: "visible", timeout: 10_000 });
    // The pointer leaves the right half: over the rich view's rows later, it would scroll the source.
    await page.mouse.move(5, 5);
  });
  await check("the text preview follows the active Whispem editor to another file", async () => {
    await page.locator(".tabs-container .tab", { hasText: "program.wsp" }).first().click();
    await quickOpen(page, "bytecode/other.wsp");
    await page.locator(".editor-group-container").nth(1).locator(".view-line", { hasText: "'424242'" }).first().waitFor({ state: "visible", timeout: 20_000 });
    await page.screenshot({ path: `${screenshots}/bytecode-preview-follows.png` });
  });
  await check("the rich preview follows the cursor, and a click on an instruction moves the cursor to its line", async () => {
    await runCommand(page, "View: Close All Editors");
    await quickOpen(page, "bytecode/program.wsp");
    await page.locator(".monaco-editor .view-line", { hasText: "count_to(limit)" }).first().waitFor({ state: "visible", timeout: 15_000 });
    await runCommand(page, "Whispem: Show Bytecode in Rich View");
    const view = webview(page);
    await view.locator(".row", { hasText: "PUSH_CONST" }).first().waitFor({ state: "visible", timeout: 20_000 });
    await page.locator(".monaco-editor .view-line", { hasText: "print add2(40)" }).first().click({ position: { x: 4, y: 4 } });
    await view.locator(".row.hl", { hasText: "'add2'" }).first().waitFor({ state: "visible", timeout: 10_000 });
    await page.screenshot({ path: `${screenshots}/bytecode-preview-rich.png` });
    // Hovers: an opcode's meaning from the opcode table, a number operand in decimal and hex.
    const opTitle = await view.locator(".row .op", { hasText: "CALL" }).first().getAttribute("title");
    if (!/^CALL \(0x50\): /.test(opTitle ?? "")) throw new Error(`opcode hover: ${opTitle}`);
    const indexTitle = await view.locator(".row .num.idx", { hasText: /^6$/ }).first().getAttribute("title", { timeout: 5_000 });
    const constantTitle = await view.locator(".row .k-number", { hasText: "'40'" }).first().getAttribute("title", { timeout: 5_000 });
    if (indexTitle !== "6 = 0x6" || constantTitle !== "40 = 0x28") throw new Error(`number hovers: ${indexTitle} / ${constantTitle}`);
    // To the top of the source (the focus is there), where `let limit = 3` is on screen.
    await page.keyboard.press("Control+Home");
    await page.locator(".monaco-editor .view-line", { hasText: "let limit = 3" }).first().click({ position: { x: 4, y: 4 } });
    await view.locator(".row.hl", { hasText: "'limit'" }).first().waitFor({ state: "visible", timeout: 10_000 });
    await view.locator(".row", { hasText: "'count_to' argc=1" }).first().click();
    // The focus stays in the preview, so the status bar shows no position: the editor's current line does.
    await page.locator(".monaco-editor .line-numbers.active-line-number", { hasText: /^20$/ }).first().waitFor({ state: "visible", timeout: 10_000 });
  });
  await check("the rich preview follows the active Whispem editor to another file", async () => {
    // The suite left bytecode/other.wsp (`print 424242`); open it in the source's group.
    // The source's tab: quick open then opens in its group (the focus was in the preview).
    await page.locator(".tabs-container .tab", { hasText: "program.wsp" }).first().click();
    await quickOpen(page, "bytecode/other.wsp");
    await webview(page).locator(".row", { hasText: "'424242'" }).first().waitFor({ state: "visible", timeout: 20_000 });
    await page.screenshot({ path: `${screenshots}/bytecode-preview-rich-follows.png` });
  });
}
