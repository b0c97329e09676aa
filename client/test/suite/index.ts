// The extension-host test entry point (`extensionTestsPath`): runs the mocha suite for this window's
// mode and writes the results as JSON to $WHISPEM_TEST_RESULTS for the launcher to read.
import { existsSync, renameSync, watch, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import Mocha from "mocha";

interface Failure {
  title: string;
  message: string;
}

export async function run(): Promise<void> {
  // The launcher gives the extension host its environment through the VS Code server it starts.
  const mode = process.env.WHISPEM_TEST_MODE ?? "trusted";
  const resultsFile = process.env.WHISPEM_TEST_RESULTS;
  // WHISPEM_TEST_GREP (from the launcher's environment) runs only the tests whose titles match.
  const grep = process.env.WHISPEM_TEST_GREP || undefined;
  const mocha = new Mocha({ ui: "tdd", timeout: 30_000, color: false, reporter: "spec", grep });
  mocha.suite.emit("pre-require", globalThis, "whispem", mocha);
  // Loaded after "pre-require" has defined suite() and test(); activation is measured first,
  // before anything else activates the extension.
  let activation: typeof import("./activation.test") | undefined;
  if (mode === "trusted") {
    activation = require("./activation.test");
    require("./languageServer.test");
    require("./bytecode.test");
    // Before run.test: the workbench checks afterwards look at what its last run left behind.
    require("./editor.test");
    // The debugger before the runs: run.test.ts ends with the task whose runtime error the
    // launcher's UI checks look for (status bar, squiggle), so nothing may run or open files after it.
    require("./debug.test");
    require("./runWasm.test");
    require("./repl.test");
    // Last: its task's runtime error is what the workbench checks afterwards look at.
    require("./run.test");
  } else if (mode === "untrusted") {
    require("./untrusted.test");
  } else {
    // "activation": the benchmark's window, which only activates.
    activation = require("./activation.test");
  }

  const started = Date.now();
  const failures: Failure[] = [];
  const counts = await new Promise<{ passed: number; failed: number; pending: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }));
    runner.on("fail", (t, err: Error) => failures.push({ title: t.fullTitle(), message: String(err?.stack ?? err) }));
  });
  const results = { mode, ...counts, failures, durationMs: Date.now() - started, activationMs: activation?.measured.activationMs ?? null };
  if (resultsFile) {
    // Written whole, then renamed: the launcher reacts as soon as the name appears.
    writeFileSync(`${resultsFile}.partial`, JSON.stringify(results, null, 2));
    renameSync(`${resultsFile}.partial`, resultsFile);
  }
  // The window stays alive (extension host included) while the launcher checks the workbench UI.
  const release = process.env.WHISPEM_TEST_RELEASE;
  if (release) await fileExists(release, 5 * 60_000);
  if (counts.failed > 0) throw new Error(`${counts.failed} test(s) failed`);
}

function fileExists(file: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      watcher.close();
      clearTimeout(timer);
      resolve();
    };
    const watcher = watch(dirname(file), (_, name) => {
      if (name === basename(file) || existsSync(file)) done();
    });
    const timer = setTimeout(done, timeoutMs);
    if (existsSync(file)) done();
  });
}
