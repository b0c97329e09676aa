// Debugging in a real VS Code: F5 on a .wsp file without launch.json, a breakpoint hit, the
// variables of the stopped frame, and a step back; on the native VM, and with whispem.vm = wasm on
// the WebAssembly VM (whispem.vmPath pointing nowhere, so that only it can run).
import * as assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as vscode from "vscode";
import { nextEvent, setting, workspaceFile } from "./helpers";

suite("debugging", () => {
  test("F5 on a .wsp file stops at a breakpoint, shows variables and steps back", async () => {
    const session = await f5StopsAndStepsBack();
    assert.equal(session.configuration.wvmArgs.length, 0, "the native VM");
  });

  test("F5 with whispem.vm = wasm debugs on the WebAssembly VM: breakpoint, variables, step back", async () => {
    await setting("vm", "wasm", vscode.ConfigurationTarget.Global);
    await setting("vmPath", "/nonexistent/wvm", vscode.ConfigurationTarget.Global);
    try {
      const session = await f5StopsAndStepsBack();
      assert.match(session.configuration.wvmArgs.join(" "), /wvm-wasm\.js$/);
      assert.match(session.configuration.wvmEnv.WHISPEM_WVM_WASM, /wvm\.wasm$/);
    } finally {
      await setting("vm", undefined, vscode.ConfigurationTarget.Global);
      await setting("vmPath", undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

/** F5 on debug-sample.wsp with a breakpoint in square(): the stack, the locals, a step back; returns the ended session. */
async function f5StopsAndStepsBack(): Promise<vscode.DebugSession> {
  const uri = workspaceFile("debug-sample.wsp");
  writeFileSync(uri.fsPath, ["fn square(n) {", "  let r = n * n", "  return r", "}", "let total = 0", "for x in [1, 2, 3] {", "  let total = total + square(x)", "}", "print total"].join("\n") + "\n");
  const stops: { line?: number }[] = [];
  const stopped = new vscode.EventEmitter<void>();
  const tracker = vscode.debug.registerDebugAdapterTrackerFactory("whispem", {
    createDebugAdapterTracker: () => ({
      onDidSendMessage: (m: { type: string; event?: string }) => {
        if (m.type === "event" && m.event === "stopped") {
          stops.push({});
          stopped.fire();
        }
      },
    }),
  });
  const bp = new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(2, 0)));
  vscode.debug.addBreakpoints([bp]);
  try {
    await vscode.window.showTextDocument(uri);
    const first = nextEvent(stopped.event, () => true, "the first stop", 60_000);
    const started = nextEvent(vscode.debug.onDidStartDebugSession, () => true, "a debug session");
    // F5 with no launch.json: the configuration provider fills in an empty configuration.
    await vscode.commands.executeCommand("workbench.action.debug.start");
    const session = await started;
    assert.equal(session.type, "whispem");
    await first;
    const stack = await session.customRequest("stackTrace", { threadId: 1 });
    assert.deepEqual(
      stack.stackFrames.map((f: { name: string; line: number }) => [f.name, f.line]),
      [["square", 3], ["<main>", 7]],
    );
    const scopes = await session.customRequest("scopes", { frameId: stack.stackFrames[0].id });
    const locals = await session.customRequest("variables", { variablesReference: scopes.scopes[0].variablesReference });
    const values = Object.fromEntries(locals.variables.map((v: { name: string; value: string }) => [v.name, v.value]));
    assert.deepEqual(values, { n: "1", r: "1" });
    const back = nextEvent(stopped.event, () => true, "the stop after stepping back", 60_000);
    await session.customRequest("stepBack", { threadId: 1 });
    await back;
    const after = await session.customRequest("stackTrace", { threadId: 1 });
    assert.deepEqual([after.stackFrames[0].name, after.stackFrames[0].line], ["square", 2]);
    const ended = nextEvent(vscode.debug.onDidTerminateDebugSession, () => true, "the end of the session");
    await vscode.debug.stopDebugging(session);
    await ended;
    return session;
  } finally {
    vscode.debug.removeBreakpoints([bp]);
    tracker.dispose();
    // Leaves the workbench as the other UI checks expect it: the explorer, no panel.
    await vscode.commands.executeCommand("workbench.view.explorer");
    await vscode.commands.executeCommand("workbench.action.closePanel");
  }
}
