// Running programs on the WebAssembly VM (what a machine with no fitting native `wvm` gets): the
// same Run File, input(), runtime error and Stop as with the native VM. Runs before run.test.ts,
// whose task tests leave the workbench as the launcher's UI checks expect.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { api, nextEvent, runFile, setting } from "./helpers";


// The same runs forced onto the WebAssembly VM (what a machine with no fitting native `wvm` gets):
// output, input() from the terminal, a runtime error on its line, and Stop.
suite("running programs on the WebAssembly VM", () => {
  suiteSetup(async () => {
    await api();
    process.env.WHISPEM_VM = "wasm";
    // Each run opens its own terminal, so that the tests can wait for it to open.
    await setting("run.newTerminalPerRun", true);
  });

  suiteTeardown(async () => {
    delete process.env.WHISPEM_VM;
    await setting("run.newTerminalPerRun", undefined);
    // The next suites wait for their files' terminals to open: close the ones opened here.
    const closing = vscode.window.terminals.filter((t) => t.name.startsWith("Whispem: "));
    const closed = Promise.all(closing.map((t) => nextEvent(vscode.window.onDidCloseTerminal, (c) => c === t, "a terminal to close")));
    for (const t of closing) t.dispose();
    await closed;
  });

  teardown(async () => {
    await vscode.commands.executeCommand("whispem.stop");
  });

  test("forced onto the WebAssembly VM: input() from the terminal, then Stop ends an infinite loop", async () => {
    // whispem.vm = wasm ignores the native VM entirely: with whispem.vmPath pointing nowhere, only
    // the WebAssembly VM can run these.
    await setting("vm", "wasm", vscode.ConfigurationTarget.Global);
    await setting("vmPath", "/nonexistent/wvm", vscode.ConfigurationTarget.Global);
    try {
      const opened = nextEvent(vscode.window.onDidOpenTerminal, (t) => t.name === "Whispem: greet.wsp", "the terminal");
      const greeted = runFile("greet.wsp");
      (await opened).sendText("Ada", true);
      const greet = await greeted;
      assert.equal(greet.outcome, "exited", greet.reason);
      assert.equal(greet.output, "What is your name? Hello, Ada!\n");

      const { runs } = await api();
      const printed = nextEvent(runs.onDidWrite, (w) => w.file.endsWith("forever.wsp") && w.text.includes("counting forever"), "the output before the loop");
      const finished = runFile("forever.wsp");
      await printed;
      assert.equal(await vscode.commands.executeCommand<number>("whispem.stop"), 1);
      assert.equal((await finished).outcome, "stopped");
    } finally {
      await setting("vm", undefined, vscode.ConfigurationTarget.Global);
      await setting("vmPath", undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test("Run File on the WebAssembly VM: output and exit status", async () => {
    const result = await runFile("hello.wsp");
    assert.equal(result.outcome, "exited", result.reason);
    assert.equal(result.vm, "wasm");
    assert.equal(result.output, "Hello, Whispem!\n1 squared is 1\n2 squared is 4\n3 squared is 9\n");
  });

  test("input() on the WebAssembly VM reads what is typed into the terminal", async () => {
    const opened = nextEvent(vscode.window.onDidOpenTerminal, (t) => t.name === "Whispem: greet.wsp", "the terminal");
    const finished = runFile("greet.wsp");
    const terminal = await opened;
    terminal.sendText("Ada", true);
    const result = await finished;
    assert.equal(result.vm, "wasm");
    assert.equal(result.output, "What is your name? Hello, Ada!\n");
  });

  test("a runtime error on the WebAssembly VM is the native VM's, on the same line", async () => {
    process.env.WHISPEM_VM = "native";
    const native = await runFile("runtime_error.wsp");
    process.env.WHISPEM_VM = "wasm";
    const wasm = await runFile("runtime_error.wsp");
    assert.deepEqual([native.vm, wasm.vm], ["native", "wasm"]);
    assert.equal(wasm.exitCode, 1);
    assert.match(wasm.runtimeError?.text ?? "", /Array index 5 out of bounds/);
    assert.deepEqual(wasm.runtimeError, native.runtimeError);
    assert.equal(wasm.output, native.output);
  });

  test("Whispem: Stop ends a WebAssembly run", async () => {
    const { runs } = await api();
    const printed = nextEvent(runs.onDidWrite, (w) => w.file.endsWith("forever.wsp") && w.text.includes("counting forever"), "the output before the loop");
    const finished = runFile("forever.wsp");
    await printed;
    assert.equal(await vscode.commands.executeCommand<number>("whispem.stop"), 1);
    const result = await finished;
    assert.equal(result.outcome, "stopped");
    assert.equal(result.vm, "wasm");
  });
});
