// Reverse execution over DAP: stepBack and reverseContinue land exactly where a forward run
// stopped at that line step, with the same stack and values (conformance programs, seeded random
// step counts), both from checkpoints (forked VMs, POSIX) and by re-running from the start;
// input() lines are replayed and the re-run's output and file writes suppressed; no VM process
// is left behind. The same on the WebAssembly VM (launch `vm: "wasm"`), which has no fork(): there
// going back always re-runs from the start.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DapClient, snapshot } from "./dapClient";
import { mulberry32 as random } from "../../../test-fixtures/tools/rng.cjs";

const RUN = join(__dirname, "../../../test-fixtures/conformance/run");
const ROOT = join(__dirname, "../../..");
type Vm = "native" | "wasm";
const VMS: Vm[] = ["native", "wasm"];
const wasmSkip = { skip: !(existsSync(join(ROOT, "bin/wvm.wasm")) && existsSync(join(ROOT, "out/wvm-wasm.js"))) && "needs npm run build (bin/wvm.wasm)" };
const on = (vm: Vm) => (vm === "wasm" ? " (WebAssembly VM)" : "");
const skipFor = (vm: Vm) => (vm === "wasm" ? wasmSkip : {});
const dir = mkdtempSync(join(tmpdir(), "whispem-rev-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
after(() => DapClient.closeAll());

async function launch(vm: Vm, path: string, extra: object = {}, bps: number[] = []): Promise<DapClient> {
  const dap = new DapClient();
  await dap.request("initialize", { adapterID: "whispem" });
  const r = await dap.request("launch", { program: path, console: "debugConsole", stopOnEntry: true, vm, ...extra });
  assert.ok(r.success, r.message);
  await dap.request("setBreakpoints", { source: { path }, breakpoints: bps.map((line) => ({ line })) });
  const stop = dap.nextStop();
  await dap.request("configurationDone");
  assert.equal((await stop).event, "stopped");
  return dap;
}


async function act(dap: DapClient, command: string): Promise<boolean> {
  const stop = dap.nextStop();
  await dap.request(command, { threadId: 1 });
  return (await stop).event === "stopped";
}

/** Checkpoints every few line steps (so that small programs have many), or none at all; the WebAssembly VM has none. */
const MODES: { label: string; vm: Vm; args: (rand: () => number) => object }[] = [
  { label: "from checkpoints", vm: "native", args: (rand: () => number) => ({ checkpointSteps: 2 + Math.floor(rand() * 6) }) },
  { label: "re-running from the start", vm: "native", args: () => ({ checkpointMs: 0 }) },
  { label: "on the WebAssembly VM (re-running from the start)", vm: "wasm", args: () => ({}) },
];

/** Where a fresh run (no checkpoints) is after `steps` step-ins from its entry. */
async function freshAt(vm: Vm, path: string, steps: number): Promise<string> {
  const dap = await launch(vm, path, { checkpointMs: 0 });
  for (let i = 0; i < steps; i++) assert.ok(await act(dap, "stepIn"));
  const at = await snapshot(dap);
  await dap.request("disconnect");
  dap.close();
  return at;
}

for (const mode of MODES) {
  for (const [name, seed] of [
    ["closures", 7],
    ["control", 11],
    ["collections", 23],
    ["deep", 5],
  ] as const) {
    test(`stepBack on ${name}.wsp lands where the forward run was, ${mode.label} (seed ${seed})`, skipFor(mode.vm), async () => {
      const rand = random(seed);
      const path = join(RUN, `${name}.wsp`);
      const dap = await launch(mode.vm, path, mode.args(rand));
      const seen = [await snapshot(dap)];
      const forward = 5 + Math.floor(rand() * 40);
      for (let i = 0; i < forward; i++) {
        if (!(await act(dap, "stepIn"))) break;
        seen.push(await snapshot(dap));
      }
      assert.ok(seen.length > 3, "the program ran a few line steps");
      let at = seen.length - 1;
      for (let k = 0; k < 3 && at > 0; k++) {
        const back = 1 + Math.floor(rand() * Math.min(3, at));
        for (let b = 0; b < back; b++) {
          assert.ok(await act(dap, "stepBack"));
          at--;
        }
        assert.equal(await snapshot(dap), seen[at], `after going back to step ${at}`);
      }
      // And forward again from there: the same steps as before.
      assert.ok(await act(dap, "stepIn"));
      assert.equal(await snapshot(dap), seen[at + 1]);
      await dap.request("disconnect");
      dap.close();
      // A fresh run stopped at that step is where going back landed.
      assert.equal(await freshAt(mode.vm, path, at), seen[at]);
    });
  }
}

for (const vm of VMS) test(`reverseContinue goes back to the previous breakpoint hit, with its values${on(vm)}`, skipFor(vm), async () => {
  const path = join(dir, "loop.wsp");
  writeFileSync(path, ["let total = 0", "for i in range(0, 5) {", "  let total = total + i", "}", "print total"].join("\n") + "\n");
  const dap = await launch(vm, path, { stopOnEntry: false }, [3]);
  const first = await snapshot(dap);
  assert.ok(await act(dap, "continue"));
  const second = await snapshot(dap);
  assert.ok(await act(dap, "continue"));
  assert.notEqual(second, first);
  assert.ok(await act(dap, "reverseContinue"));
  assert.equal(await snapshot(dap), second);
  assert.ok(await act(dap, "reverseContinue"));
  assert.equal(await snapshot(dap), first);
  await dap.request("disconnect");
  dap.close();
});

for (const mode of MODES) {
  test(`a value set while stopped is set again going back to it or later, and undone going back before it, ${mode.label}`, skipFor(mode.vm), async () => {
    const path = join(dir, `set-${mode.vm}-${MODES.indexOf(mode)}.wsp`);
    writeFileSync(path, ["let total = 0", 'let box = {"list": range(0, 3)}', "for i in range(0, 8) {", "  let total = total + i", "}", "print total", "print box"].join("\n") + "\n");
    const dap = await launch(mode.vm, path, mode.args(random(3)));
    const globalsRef = async () =>
      ((await dap.request("scopes", { frameId: 1 })).body.scopes as { name: string; variablesReference: number }[]).find((x) => x.name === "Globals")!.variablesReference;
    const children = async (ref: number) => (await dap.request("variables", { variablesReference: ref })).body.variables as { name: string; value: string; variablesReference: number }[];
    const find = async (ref: number, name: string) => (await children(ref)).find((v) => v.name === name)!.variablesReference;
    // The stop as snapshot() shows it, and box["list"] (nested values are previewed as […]).
    const state = async () => {
      const box = (await children(await globalsRef())).find((v) => v.name === "box");
      const list = box ? (await children(await find(box.variablesReference, "list"))).map((v) => v.value).join(", ") : "";
      return `${await snapshot(dap)}\nlist: ${list}`;
    };
    const before = [await state()];
    for (let i = 0; i < 5; i++) {
      assert.ok(await act(dap, "stepIn"));
      before.push(await state());
    }
    // Inside the loop: a global, and an element two levels down (found again by its path in a re-run).
    const globals = await globalsRef();
    assert.ok((await dap.request("setVariable", { variablesReference: globals, name: "total", value: "100" })).success);
    const list = await find(await find(globals, "box"), "list");
    const setEl = await dap.request("setVariable", { variablesReference: list, name: "[1]", value: "\"set\"" });
    assert.ok(setEl.success, setEl.message);
    const changed = [await state()];
    assert.notEqual(changed[0], before[5]);
    for (let i = 0; i < 4; i++) {
      assert.ok(await act(dap, "stepIn"));
      changed.push(await state());
    }
    assert.match(changed[4], /total=10\d/, "the change flowed on");
    assert.match(changed[4], /"set"/);
    for (let b = 0; b < 2; b++) assert.ok(await act(dap, "stepBack"));
    assert.equal(await state(), changed[2], "going back within the run with the change: as it was");
    for (let b = 0; b < 2; b++) assert.ok(await act(dap, "stepBack"));
    assert.equal(await state(), changed[0], "back at the step where the values were set: with them");
    assert.ok(await act(dap, "stepBack"));
    assert.equal(await state(), before[4], "before the change");
    assert.ok(await act(dap, "stepIn"));
    assert.equal(await state(), before[5], "going back before the change undid it");
    assert.ok(await act(dap, "stepIn"));
    assert.doesNotMatch(await state(), /total=10\d|"set"/);
    // Going back over that step again does not bring the undone change back.
    assert.ok(await act(dap, "stepBack"));
    assert.equal(await state(), before[5]);
    assert.doesNotMatch(dap.output("console"), /not set again/);
    await dap.request("disconnect");
    dap.close();
  });
}

test("a value set deep in a large array (past the VM's first page of elements) is set again when going back", async () => {
  const path = join(dir, "set-deep.wsp");
  writeFileSync(path, ['let rows = map(range(0, 5000), fn(i) { return {"v": i} })', "let n = 0", "let n = n + 1", "let n = n + 2", "print rows[4500]"].join("\n") + "\n");
  const dap = await launch("native", path, { checkpointMs: 0, stopOnEntry: false }, [3]);
  // rows[4500], read afresh at the current stop (references last one stop).
  const row = async () => {
    const scopes = (await dap.request("scopes", { frameId: 1 })).body.scopes as { name: string; variablesReference: number }[];
    const globals = (await dap.request("variables", { variablesReference: scopes.find((x) => x.name === "Globals")!.variablesReference })).body.variables;
    const rows = globals.find((v: { name: string }) => v.name === "rows").variablesReference;
    return (await dap.request("variables", { variablesReference: rows, start: 4500, count: 1 })).body.variables[0].variablesReference as number;
  };
  const entries = async () =>
    (await dap.request("variables", { variablesReference: await row() })).body.variables.map((v: { name: string; value: string }) => `${v.name}=${v.value}`).join(", ");
  const set = await dap.request("setVariable", { variablesReference: await row(), name: "v", value: '"set"' });
  assert.ok(set.success, set.message);
  assert.ok(await act(dap, "next"));
  assert.ok(await act(dap, "stepBack"));
  assert.equal(await entries(), 'v="set"');
  assert.doesNotMatch(dap.output("console"), /not set again/);
  await dap.request("disconnect");
  dap.close();
});

test("a value set in a watch expression's collection cannot be found again: going back says so in the debug console", async () => {
  const path = join(dir, "set-watch.wsp");
  writeFileSync(path, ["let c = range(0, 3)", "let d = 1", "let e = 2", "print c"].join("\n") + "\n");
  const dap = await launch("native", path, { checkpointMs: 0 }, []);
  assert.ok(await act(dap, "stepIn"));
  const watched = await dap.request("evaluate", { expression: "c", frameId: 1, context: "watch" });
  assert.ok(watched.success, watched.message);
  const set = await dap.request("setVariable", { variablesReference: watched.body.variablesReference, name: "[0]", value: "7" });
  assert.ok(set.success, set.message);
  assert.ok(await act(dap, "stepIn"));
  assert.ok(await act(dap, "stepBack"));
  assert.match(dap.output("console"), /The value set at step \d+ is not set again in the re-run: it was set in a watch expression's value/);
  await dap.request("disconnect");
  dap.close();
});

for (const vm of VMS) test(`going back replays input() and suppresses output and write_file${on(vm)}`, skipFor(vm), async () => {
  const path = join(dir, `io-${vm}.wsp`);
  const out = join(dir, "written.txt");
  writeFileSync(path, ['let a = input("a? ")', `write_file(${JSON.stringify(out)}, a)`, 'print "got " + a', "let b = a + a", "print b"].join("\n") + "\n");
  // The terminal's stdin gives one line; the re-run must not ask again.
  const dap = new DapClient();
  dap.onReverse = async (m) => {
    const { spawn } = await import("node:child_process");
    const [cmd, ...args] = m.arguments.args as string[];
    const child = spawn(cmd, args, { cwd: m.arguments.cwd, env: { ...process.env, ...m.arguments.env }, stdio: ["pipe", "ignore", "inherit"] });
    child.stdin!.end(dap.events.some((e) => e.event === "stopped") ? "" : "xy\n");
    return { processId: child.pid };
  };
  await dap.request("initialize", { adapterID: "whispem", supportsRunInTerminalRequest: true });
  assert.ok((await dap.request("launch", { program: path, console: "integratedTerminal", vm })).success);
  await dap.request("setBreakpoints", { source: { path }, breakpoints: [{ line: 5 }] });
  let stop = dap.nextStop();
  await dap.request("configurationDone");
  await stop;
  const before = await snapshot(dap);
  assert.match(before, /b="xyxy"/);
  assert.equal(readFileSync(out, "utf8"), "xy");
  rmSync(out);
  assert.ok(await act(dap, "stepBack"));
  assert.match(await snapshot(dap), /a="xy"/);
  assert.equal(existsSync(out), false, "the re-run wrote no file");
  stop = dap.nextStop();
  assert.ok(await act(dap, "stepIn"));
  assert.equal(await snapshot(dap), before);
  void stop;
  await dap.request("disconnect");
  dap.close();
});

for (const vm of VMS) test(`in the debug console, going back does not show earlier output again; going on shows what runs again${on(vm)}`, skipFor(vm), async () => {
  const path = join(dir, `prints-${vm}.wsp`);
  writeFileSync(path, ['print "a"', 'print "b"', 'print "c"', 'print "d"'].join("\n") + "\n");
  // No checkpoints: the re-run from the start runs line 1 again, muted.
  const dap = await launch(vm, path, { stopOnEntry: false, checkpointMs: 0 }, [3]);
  assert.ok(await act(dap, "stepBack"));
  assert.match(await snapshot(dap), /^<main>:2\n/);
  const ended = dap.waitEvent((m) => m.event === "terminated");
  await dap.request("setBreakpoints", { source: { path }, breakpoints: [] });
  await dap.request("continue", { threadId: 1 });
  await ended;
  // a, b before the stop at line 3; back to line 2; then b (again: it runs again), c, d.
  assert.equal(dap.output(), "a\nb\nb\nc\nd\n");
  dap.close();
});

for (const vm of VMS) test(`reverseContinue ${vm === "wasm" ? "on the WebAssembly VM (re-running from the start)" : "from checkpoints"}: the previous hit of a conditional, hit-counted breakpoint, with its values`, skipFor(vm), async () => {
  const path = join(dir, `loops-${vm}.wsp`);
  writeFileSync(
    path,
    ["fn f(n) {", "  let k = n * 3", "  return k", "}", "let total = 0", "for i in range(0, 40) {", "  let total = total + f(i)", "}", "print total"].join("\n") + "\n",
  );
  const rand = random(99);
  for (let round = 0; round < 3; round++) {
    const dap = new DapClient();
    await dap.request("initialize", { adapterID: "whispem" });
    await dap.request("launch", { program: path, console: "debugConsole", vm, checkpointSteps: 2 + Math.floor(rand() * 9) });
    // Stops in f when n is odd, every second time: n = 3, 7, 11, …
    await dap.request("setBreakpoints", { source: { path }, breakpoints: [{ line: 2, condition: "n % 2 == 1", hitCondition: "% 2" }] });
    let stop = dap.nextStop();
    await dap.request("configurationDone");
    await stop;
    const seen = [await snapshot(dap)];
    const hits = 3 + Math.floor(rand() * 5);
    for (let i = 1; i < hits; i++) {
      assert.ok(await act(dap, "continue"));
      seen.push(await snapshot(dap));
    }
    assert.match(seen[0], /n=3/);
    assert.match(seen[1], /n=7/);
    let at = seen.length - 1;
    while (at > 0 && rand() < 0.8) {
      assert.ok(await act(dap, "reverseContinue"));
      at--;
      assert.equal(await snapshot(dap), seen[at], `round ${round}: back to hit ${at}`);
    }
    // Forward again: the hit counts are as they were, so the next stop is the next hit.
    assert.ok(await act(dap, "continue"));
    assert.equal(await snapshot(dap), seen[at + 1]);
    stop = dap.nextStop();
    void stop;
    await dap.request("disconnect");
    dap.close();
  }
});

/**
 * The VM processes (live, checkpoints, resumed) running the bytecode named `whbcName`, zombies
 * included (natively: a zombie has no command line; other tests' `wvm` zombies count too, which
 * only makes the check stricter). A WebAssembly VM is a Node process with its command line.
 */
function vmProcesses(whbcName: string, vm: Vm = "native"): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (cmd.includes("--debug") && cmd.includes(whbcName)) pids.push(Number(entry));
      else if (vm === "native" && /\) Z /.test(stat) && stat.includes("(wvm)")) pids.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return pids;
}

async function noneLeft(whbcName: string, vm: Vm): Promise<number[]> {
  const deadline = Date.now() + 5000;
  let left = vmProcesses(whbcName, vm);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    left = vmProcesses(whbcName, vm);
  }
  return left;
}

const linuxOnly = { skip: process.platform !== "linux" && "reads /proc" };

for (const vm of VMS) for (const ending of ["disconnect", "the program's end", "the adapter's death"] as const) {
  test(`no VM process is left after ${ending} (${vm === "wasm" ? "WebAssembly VM, gone back" : "checkpoints taken, gone back"})`, vm === "wasm" && wasmSkip.skip ? wasmSkip : linuxOnly, async () => {
    const name = `cleanup${Math.random().toString(36).slice(2, 8)}`;
    const path = join(dir, `${name}.wsp`);
    writeFileSync(path, ["let i = 0", "while i < 200 {", "  let i = i + 1", "}", "print i"].join("\n") + "\n");
    const dap = await launch(vm, path, { checkpointSteps: 25, stopOnEntry: false }, [5]);
    assert.ok(await act(dap, "stepBack"));
    assert.ok(await act(dap, "stepBack"));
    const running = vmProcesses(`${name}.whbc`, vm);
    // The WebAssembly VM forks no checkpoints: its one live process, the second re-run from the start.
    if (vm === "wasm") assert.equal(running.length, 1, `the live VM only: ${running.map((p) => readFileSync(`/proc/${p}/cmdline`, "utf8").replace(/\0/g, " ")).join(" | ")}`);
    else assert.ok(running.length > 3, `checkpoints are running (${running.length} processes)`);
    if (ending === "disconnect") {
      await dap.request("disconnect");
      dap.close();
    } else if (ending === "the program's end") {
      await dap.request("setBreakpoints", { source: { path }, breakpoints: [] });
      const end = dap.waitEvent((m) => m.event === "terminated");
      await dap.request("continue", { threadId: 1 });
      await end;
      assert.match(dap.output(), /^200\n$/);
      assert.equal((dap.events.find((m) => m.event === "exited")?.body as { exitCode: number }).exitCode, 0);
      dap.close();
    } else {
      dap.close(); // the adapter is killed: every connection closes
    }
    assert.deepEqual(await noneLeft(`${name}.whbc`, vm), []);
  });
}

test("a checkpoint that does not come back: going back re-runs from the start instead, and the session goes on", linuxOnly, async () => {
  const name = `stuck${Math.random().toString(36).slice(2, 8)}`;
  const path = join(dir, `${name}.wsp`);
  writeFileSync(path, ["let i = 0", "while i < 200 {", "  let i = i + 1", "}", "print i"].join("\n") + "\n");
  // The same going back without checkpoints: what the answer must be.
  const plain = await launch("native", path, { checkpointMs: 0, stopOnEntry: false }, [5]);
  assert.ok(await act(plain, "stepBack"));
  const want = await snapshot(plain);
  await plain.request("disconnect");
  plain.close();

  const dap = await launch("native", path, { checkpointSteps: 25, stopOnEntry: false }, [5]);
  const pids = vmProcesses(`${name}.whbc`);
  const parent = (pid: number) => {
    try {
      return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[1]);
    } catch {
      return -1; // gone meanwhile (a checkpoint thinned out)
    }
  };
  const checkpoints = pids.filter((p) => pids.includes(parent(p)));
  assert.ok(checkpoints.length > 0, "checkpoints were taken");
  // Stopped: they can neither answer a resume nor fork the process that would go on.
  for (const p of checkpoints) {
    try {
      process.kill(p, "SIGSTOP");
    } catch {
      /* thinned out meanwhile */
    }
  }
  try {
    assert.ok(await act(dap, "stepBack"));
    assert.equal(await snapshot(dap), want);
    assert.doesNotMatch(dap.output("stderr"), /Going back failed/);
    assert.ok(await act(dap, "stepIn"), "the session goes on");
  } finally {
    for (const p of checkpoints) {
      try {
        process.kill(p, "SIGCONT");
      } catch {
        /* gone */
      }
    }
  }
  await dap.request("disconnect");
  dap.close();
  assert.deepEqual(await noneLeft(`${name}.whbc`, "native"), []);
});
