// Running programs with the bundled wvm: Run File in a terminal, input(), runtime errors as
// diagnostics, run on save with its time limit, Stop, tasks and their problem matcher.
import * as assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as vscode from "vscode";
import { api, diagnosticsWhere, nextEvent, runFile, runtimeDiagnostics, setText, setting, workspaceFile } from "./helpers";


suite("running programs", () => {
  suiteSetup(async () => {
    await api();
  });

  teardown(async () => {
    // A failed test must not leave a program running into the next one.
    await vscode.commands.executeCommand("whispem.stop");
    await setting("runOnSave", undefined);
    await setting("runOnSaveTimeLimit", undefined);
    await setting("run.newTerminalPerRun", undefined);
  });

  test("Run File prints the program's output in a terminal and reports the exit status", async () => {
    const result = await runFile("hello.wsp");
    assert.equal(result.outcome, "exited", result.reason);
    assert.equal(result.vm, "native");
    assert.equal(result.exitCode, 0);
    assert.equal(result.output, "Hello, Whispem!\n1 squared is 1\n2 squared is 4\n3 squared is 9\n");
    assert.ok(vscode.window.terminals.some((t) => t.name === "Whispem: hello.wsp"), "the run has its terminal");
  });

  test("input() reads what is typed into the terminal", async () => {
    const opened = nextEvent(vscode.window.onDidOpenTerminal, (t) => t.name === "Whispem: greet.wsp", "the terminal");
    const finished = runFile("greet.wsp");
    const terminal = await opened;
    terminal.sendText("Ada", true);
    const result = await finished;
    assert.equal(result.outcome, "exited", result.reason);
    assert.equal(result.output, "What is your name? Hello, Ada!\n");
  });

  test("a runtime error becomes a diagnostic on the line it names, cleared by the next run", async () => {
    const uri = workspaceFile("runtime_error.wsp");
    const result = await runFile("runtime_error.wsp");
    assert.equal(result.exitCode, 1);
    assert.equal(result.runtimeError?.line, 5);
    assert.match(result.output, /^first score:\n90\n.*runtime_error\.wsp: \[line 5, col 0\] Error: Array index 5 out of bounds \(length: 2\)\n/s);
    const [d] = runtimeDiagnostics(vscode.languages.getDiagnostics(uri));
    assert.equal(d?.message, "Array index 5 out of bounds (length: 2)");
    assert.equal(d.range.start.line, 4);
    assert.equal(d.range.start.character, 0);

    // The same file fixed (unsaved: Run File runs what the editor shows) runs clean.
    const document = await vscode.workspace.openTextDocument(uri);
    const original = document.getText();
    await setText(document, original.replace("scores[5]", "scores[1]"));
    const fixed = await runFile("runtime_error.wsp");
    assert.equal(fixed.exitCode, 0, fixed.output);
    assert.deepEqual(runtimeDiagnostics(vscode.languages.getDiagnostics(uri)), []);
    await setText(document, original);
    await document.save();
  });

  test("run on save puts the runtime error on the line of the saved text", async () => {
    const { runs } = await api();
    await setting("runOnSave", true);
    const uri = workspaceFile("runtime_error.wsp");
    const document = await vscode.workspace.openTextDocument(uri);
    // Two lines more above the failing line: the diagnostic must follow to line 7.
    await setText(document, "# saved\n# twice\n" + document.getText());
    const ended = nextEvent(runs.onDidEnd, (r) => r.file === uri.fsPath, "the run on save");
    assert.ok(await document.save());
    const result = await ended;
    assert.equal(result.runtimeError?.line, 7);
    const diagnostics = await diagnosticsWhere(uri, (d) => runtimeDiagnostics(d).some((x) => x.range.start.line === 6), "the runtime diagnostic on line 7");
    assert.equal(runtimeDiagnostics(diagnostics).length, 1);
  });

  test("run on save stops a program at the time limit", async () => {
    const { runs } = await api();
    await setting("runOnSave", true);
    await setting("runOnSaveTimeLimit", 1);
    const document = await vscode.workspace.openTextDocument(workspaceFile("forever.wsp"));
    await setText(document, document.getText() + "\n");
    const ended = nextEvent(runs.onDidEnd, (r) => r.file === document.uri.fsPath, "the timed-out run");
    await document.save();
    const result = await ended;
    assert.equal(result.outcome, "timedOut");
  });

  test("output streams while the program runs, and Whispem: Stop ends an infinite loop", async () => {
    const { runs } = await api();
    const printed = nextEvent(runs.onDidWrite, (w) => w.file.endsWith("forever.wsp") && w.text.includes("counting forever"), "the output before the loop");
    const finished = runFile("forever.wsp");
    await printed;
    const stopped = await vscode.commands.executeCommand<number>("whispem.stop");
    assert.equal(stopped, 1);
    const result = await finished;
    assert.equal(result.outcome, "stopped");
  });

  test("Run File puts the keyboard focus in its terminal, so typing answers input() and not the file", async () => {
    const { runs } = await api();
    // A first Run File of the file (its terminal from an earlier test closed): the terminal opens focused.
    const old = vscode.window.terminals.filter((t) => t.name === "Whispem: greet.wsp");
    const closed = Promise.all(old.map((t) => nextEvent(vscode.window.onDidCloseTerminal, (c) => c === t, "the old terminal to close")));
    for (const t of old) t.dispose();
    await closed;
    const uri = workspaceFile("greet.wsp");
    const editor = await vscode.window.showTextDocument(uri);
    const before = editor.document.getText();
    const selection = new vscode.Selection(1, 4, 1, 8);
    editor.selection = selection;
    const asked = nextEvent(runs.onDidWrite, (w) => w.file === uri.fsPath && w.text.includes("What is your name?"), "the prompt");
    const finished = runFile("greet.wsp");
    await asked;
    // Typing as the user would: it goes wherever the keyboard focus is.
    await vscode.commands.executeCommand("type", { text: "Ada" });
    assert.equal(editor.document.getText(), before, "the typing went into the source file");
    assert.ok(editor.selection.isEqual(selection), "the editor kept its selection");
    const terminal = vscode.window.terminals.find((t) => t.name === "Whispem: greet.wsp")!;
    terminal.sendText("", true);
    const result = await finished;
    assert.equal(result.outcome, "exited", result.reason);
  });

  test("a second Run File of a file reuses its terminal, stopping the run still going", async () => {
    const { runs } = await api();
    const printed = nextEvent(runs.onDidWrite, (w) => w.file.endsWith("forever.wsp") && w.text.includes("counting forever"), "the first run's output");
    const first = runFile("forever.wsp");
    await printed;
    const terminal = vscode.window.terminals.find((t) => t.name === "Whispem: forever.wsp");
    assert.ok(terminal);
    let opened = 0;
    const sub = vscode.window.onDidOpenTerminal(() => opened++);
    const again = nextEvent(runs.onDidStart, (r) => r.file.endsWith("forever.wsp"), "the second run");
    const second = runFile("forever.wsp");
    assert.equal((await first).outcome, "stopped", "the old run was stopped first");
    await again;
    await vscode.commands.executeCommand("whispem.stop");
    assert.equal((await second).outcome, "stopped");
    sub.dispose();
    assert.equal(opened, 0, "no new terminal");
    assert.equal(vscode.window.terminals.filter((t) => t.name === "Whispem: forever.wsp").length, 1);
    assert.equal(vscode.window.terminals.find((t) => t.name === "Whispem: forever.wsp"), terminal);
  });

  test("with whispem.run.newTerminalPerRun, each Run File has its own terminal", async () => {
    await setting("run.newTerminalPerRun", true);
    await runFile("hello.wsp");
    const opened = nextEvent(vscode.window.onDidOpenTerminal, (t) => t.name === "Whispem: hello.wsp", "a new terminal");
    await runFile("hello.wsp");
    await opened;
  });

  test("auto-save does not run the file; a save the user makes does", async () => {
    const { runs } = await api();
    await setting("runOnSave", true);
    const files = vscode.workspace.getConfiguration("files");
    await files.update("autoSaveDelay", 50, vscode.ConfigurationTarget.Workspace);
    // code-server's default is afterDelay: off first, so that the manual save has something to save.
    await files.update("autoSave", "off", vscode.ConfigurationTarget.Workspace);
    const uri = workspaceFile("hello.wsp");
    let started = 0;
    const sub = runs.onDidStart((r) => r.file === uri.fsPath && started++);
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      // A save the user makes runs it…
      const ended = nextEvent(runs.onDidEnd, (r) => r.file === uri.fsPath, "the run of the manual save");
      await setText(document, document.getText() + "\n");
      assert.ok(await document.save());
      await ended;
      assert.equal(started, 1);
      // …an auto-save does not (the extension's save listener has run by the time this one resumes).
      await files.update("autoSave", "afterDelay", vscode.ConfigurationTarget.Workspace);
      const autoSaved = nextEvent(vscode.workspace.onDidSaveTextDocument, (d) => d.uri.toString() === uri.toString(), "the auto-save");
      await setText(document, document.getText() + "\n");
      await autoSaved;
      assert.equal(started, 1);
    } finally {
      sub.dispose();
      await files.update("autoSave", undefined, vscode.ConfigurationTarget.Workspace);
      await files.update("autoSaveDelay", undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test("run on save of a program reading input() says it read end of input and reports no problem", async () => {
    const { runs } = await api();
    await setting("runOnSave", true);
    const uri = workspaceFile("ask_double.wsp");
    const document = await vscode.workspace.openTextDocument(uri);
    await setText(document, document.getText() + "\n");
    const ended = nextEvent(runs.onDidEnd, (r) => r.file === uri.fsPath, "the run on save");
    assert.ok(await document.save());
    const result = await ended;
    assert.equal(result.exitCode, 1);
    assert.equal(result.endOfInput, true);
    assert.match(result.runtimeError?.message ?? "", /expected numeric string/);
    assert.deepEqual(runtimeDiagnostics(vscode.languages.getDiagnostics(uri)), []);
  });

  test("an edit of the file clears its runtime error, which named a line of the old text", async () => {
    const uri = workspaceFile("runtime_error.wsp");
    const document = await vscode.workspace.openTextDocument(uri);
    const original = document.getText();
    // (An earlier test may have saved lines above it.)
    const failing = original.split("\n").findIndex((l) => l.includes("scores[5]")) + 1;
    const result = await runFile("runtime_error.wsp");
    assert.equal(result.runtimeError?.line, failing);
    assert.equal(runtimeDiagnostics(vscode.languages.getDiagnostics(uri)).length, 1);
    await setText(document, "# a line above\n" + original);
    await diagnosticsWhere(uri, (d) => runtimeDiagnostics(d).length === 0, "the runtime error cleared");
    await setText(document, original);
    await document.save();
  });


  test("without a VM, running explains how to get one", async () => {
    await setting("vmPath", "/nonexistent/wvm", vscode.ConfigurationTarget.Global);
    try {
      const result = await runFile("hello.wsp");
      assert.equal(result.outcome, "refused");
      assert.match(result.reason ?? "", /whispem\.vmPath \(\/nonexistent\/wvm\) does not exist/);
    } finally {
      await setting("vmPath", undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test("the compile task writes the .whbc beside the source", async () => {
    await vscode.window.showTextDocument(workspaceFile("hello.wsp"));
    const tasks = await vscode.tasks.fetchTasks({ type: "whispem" });
    assert.deepEqual(tasks.map((t) => t.name).sort(), ["compile hello.wsp", "run hello.wsp"]);
    const compile = tasks.find((t) => t.definition.command === "compile")!;
    const ended = nextEvent(vscode.tasks.onDidEndTaskProcess, (e) => e.execution.task.name === compile.name, "the compile task");
    await vscode.tasks.executeTask(compile);
    assert.equal((await ended).exitCode, 0);
    assert.ok(existsSync(workspaceFile("hello.whbc").fsPath));
  });

  test("the run task runs the file and reports its runtime error", async () => {
    const uri = workspaceFile("runtime_error.wsp");
    await vscode.window.showTextDocument(uri);
    const tasks = await vscode.tasks.fetchTasks({ type: "whispem" });
    const run = tasks.find((t) => t.definition.command === "run")!;
    assert.deepEqual(run.problemMatchers, ["$whispem"]);
    const ended = nextEvent(vscode.tasks.onDidEndTaskProcess, (e) => e.execution.task.name === run.name, "the run task");
    await vscode.tasks.executeTask(run);
    assert.equal((await ended).exitCode, 1);
    const document = await vscode.workspace.openTextDocument(uri);
    const failing = document.getText().split("\n").findIndex((l) => l.includes("scores[5]"));
    await diagnosticsWhere(uri, (d) => runtimeDiagnostics(d).some((x) => x.range.start.line === failing), "the runtime diagnostic");
  });

});

