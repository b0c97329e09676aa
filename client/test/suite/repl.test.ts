// The REPL terminal: Run Selection or Line in REPL (Shift+Enter) starts the REPL, sends a
// selection holding a function definition and a call, then a single line (the cursor moves
// down). The program's effect is observed through files it writes (fs.watch: no sleeps). The same
// with whispem.vm = wasm, on the WebAssembly VM.
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { api, nextEvent, setting } from "./helpers";

/** Resolves with the file's text once it exists and is not empty. */
function fileWritten(dir: string, name: string, timeoutMs = 30_000): Promise<string> {
  const path = join(dir, name);
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!existsSync(path)) return false;
      const text = readFileSync(path, "utf8");
      if (text === "") return false;
      watcher.close();
      clearTimeout(timer);
      resolve(text);
      return true;
    };
    const watcher = watch(dir, () => void check());
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`timed out waiting for ${path}`));
    }, timeoutMs);
    check();
  });
}

suite("REPL", () => {
  suiteSetup(async () => {
    await api();
  });

  test("Run Selection or Line in REPL runs a function defined in the file, then the current line", async () => {
    const terminal = await runSelectionThenLine();
    assert.deepEqual(terminal.shellArgs?.slice(-2), ["--vm", "native"]);
  });

  test("with whispem.vm = wasm the REPL runs on the WebAssembly VM: the same selection, then the line", async () => {
    await setting("vm", "wasm", vscode.ConfigurationTarget.Global);
    await setting("vmPath", "/nonexistent/wvm", vscode.ConfigurationTarget.Global);
    try {
      const terminal = await runSelectionThenLine();
      assert.deepEqual(terminal.shellArgs?.slice(-2), ["--vm", "wasm"]);
    } finally {
      await setting("vm", undefined, vscode.ConfigurationTarget.Global);
      await setting("vmPath", undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

/** Sends a selection (a function and a call), then the current line; returns the REPL terminal's options (it is closed). */
async function runSelectionThenLine(): Promise<vscode.TerminalOptions> {
  const dir = mkdtempSync(join(tmpdir(), "whispem-repl-ext-"));
  try {
    const text = [
      "fn triple(n) {",
      "  return n * 3",
      "}",
      `write_file(${JSON.stringify(join(dir, "a.txt"))}, triple(4))`,
      `write_file(${JSON.stringify(join(dir, "b.txt"))}, triple(5))`,
      "print 1",
    ].join("\n");
    const document = await vscode.workspace.openTextDocument({ language: "whispem", content: text });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 3, document.lineAt(3).text.length);
    const opened = vscode.window.terminals.some((t) => t.name === "Whispem REPL");
    assert.equal(await vscode.commands.executeCommand("whispem.runSelectionInRepl"), true);
    assert.equal(await fileWritten(dir, "a.txt"), "12");
    assert.ok(opened || vscode.window.terminals.some((t) => t.name === "Whispem REPL"), "the REPL has its terminal");

    // No selection: the current line is sent and the cursor moves to the next line.
    editor.selection = new vscode.Selection(4, 2, 4, 2);
    assert.equal(await vscode.commands.executeCommand("whispem.runSelectionInRepl"), true);
    assert.equal(editor.selection.active.line, 5);
    assert.equal(await fileWritten(dir, "b.txt"), "15");
    const repls = vscode.window.terminals.filter((t) => t.name === "Whispem REPL");
    assert.equal(repls.length, 1, "one REPL is reused");
    return repls[0].creationOptions as vscode.TerminalOptions;
  } finally {
    // Closed before the next test, which must start a REPL of its own.
    const closing = vscode.window.terminals.filter((t) => t.name === "Whispem REPL");
    const closed = Promise.all(closing.map((t) => nextEvent(vscode.window.onDidCloseTerminal, (c) => c === t, "the REPL terminal to close")));
    for (const t of closing) t.dispose();
    await closed;
    rmSync(dir, { recursive: true, force: true });
  }
}
