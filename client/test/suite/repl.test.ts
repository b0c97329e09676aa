// The REPL terminal: Run Selection or Line in REPL (Shift+Enter) starts the REPL, sends a
// selection holding a function definition and a call, then a single line (the cursor moves
// down). The program's effect is observed through files it writes (fs.watch: no sleeps).
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { api } from "./helpers";

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
      assert.equal(vscode.window.terminals.filter((t) => t.name === "Whispem REPL").length, 1, "one REPL is reused");
    } finally {
      for (const t of vscode.window.terminals) if (t.name === "Whispem REPL") t.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
