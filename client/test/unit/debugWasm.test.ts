// The debug adapter on the WebAssembly VM (launch `vm: "wasm"`: Node + out/wvm-wasm.js, the control
// channel bridged by the host's worker thread), beyond the scenarios debugAdapter.test.ts and
// debugReverse.test.ts run on both VMs: each stop of a stepped program compared with the native
// VM's at the same step, before and after going back (a re-run from the start there: no fork(),
// no checkpoints); in the terminal, input() replayed, output and write_file suppressed by the
// host, reverse continue and setVariable; and the VM's end when the adapter dies.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DapClient, snapshot } from "./dapClient";

const ROOT = join(__dirname, "../../..");
const RUN = join(ROOT, "test-fixtures/conformance/run");
const ready = existsSync(join(ROOT, "bin/wvm.wasm")) && existsSync(join(ROOT, "out/wvm-wasm.js")) ? false : "needs npm run build (bin/wvm.wasm, out/wvm-wasm.js)";
const dir = mkdtempSync(join(tmpdir(), "whispem-dap-wasm-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
after(() => DapClient.closeAll());
const client = () => new DapClient();

async function launch(path: string, vm: "wasm" | "native", bps: number[], extra: object = {}): Promise<DapClient> {
  const dap = client();
  await dap.request("initialize", { adapterID: "whispem" });
  const r = await dap.request("launch", { program: path, console: "debugConsole", vm, ...extra });
  assert.ok(r.success, r.message);
  await dap.request("setBreakpoints", { source: { path }, breakpoints: bps.map((line) => ({ line })) });
  const stop = dap.nextStop();
  await dap.request("configurationDone");
  assert.equal((await stop).event, "stopped");
  return dap;
}


async function act(dap: DapClient, command: string, args: object = {}): Promise<boolean> {
  const stop = dap.nextStop();
  const r = await dap.request(command, { threadId: 1, ...args });
  assert.ok(r.success, `${command}: ${r.message}`);
  return (await stop).event === "stopped";
}

for (const [name, seed] of [
  ["closures", 3],
  ["collections", 17],
] as const) {
  test(`${name}.wsp on the WebAssembly VM: step in, step back and forward again stop where the native VM stops, with the same values (seed ${seed})`, { skip: ready }, async () => {
    let state = seed;
    const rand = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const path = join(RUN, `${name}.wsp`);
    const steps = 8 + Math.floor(rand() * 20);
    // The native VM's stops, step after step from the entry.
    const native = await launch(path, "native", [], { stopOnEntry: true, checkpointMs: 0 });
    const want = [await snapshot(native)];
    for (let i = 0; i < steps && (await act(native, "stepIn")); i++) want.push(await snapshot(native));
    await native.request("disconnect");
    native.close();
    const dap = await launch(path, "wasm", [], { stopOnEntry: true });
    const seen = [await snapshot(dap)];
    for (let i = 0; i < steps && (await act(dap, "stepIn")); i++) seen.push(await snapshot(dap));
    assert.deepEqual(seen, want);
    let at = seen.length - 1;
    for (let k = 0; k < 2 && at > 1; k++) {
      const back = 1 + Math.floor(rand() * Math.min(3, at));
      for (let b = 0; b < back; b++, at--) assert.ok(await act(dap, "stepBack"));
      assert.equal(await snapshot(dap), want[at], `after going back to step ${at}`);
    }
    assert.ok(await act(dap, "stepIn"));
    assert.equal(await snapshot(dap), want[at + 1]);
    await dap.request("disconnect");
    dap.close();
  });
}

test("on the WebAssembly VM, going back replays input() and suppresses output and write_file; reverse continue; setVariable", { skip: ready }, async () => {
  const path = join(dir, "io.wsp");
  const out = join(dir, "written.txt");
  writeFileSync(
    path,
    ['let a = input("a? ")', `write_file(${JSON.stringify(out)}, a)`, 'print "got " + a', "let total = 0", "for i in range(0, 4) {", "  let total = total + i", "}", "print total"].join("\n") + "\n",
  );
  // The terminal's stdin gives one line; a re-run must not ask again (it reads the recorded one).
  const dap = client();
  const terminals: string[] = [];
  /** Each terminal's process has closed its output (`terminated` can come before the last of it). */
  const closed: Promise<void>[] = [];
  dap.onReverse = async (m) => {
    const { spawn } = await import("node:child_process");
    const [cmd, ...args] = m.arguments.args as string[];
    const child = spawn(cmd, args, { cwd: m.arguments.cwd, env: { ...process.env, ...m.arguments.env }, stdio: ["pipe", "pipe", "inherit"] });
    let text = "";
    const index = terminals.push("") - 1;
    child.stdout!.on("data", (d: Buffer) => (terminals[index] = text += d.toString()));
    closed.push(new Promise((resolve) => child.on("close", () => resolve())));
    child.stdin!.end(index === 0 ? "xy\n" : "");
    return { processId: child.pid };
  };
  await dap.request("initialize", { adapterID: "whispem", supportsRunInTerminalRequest: true });
  assert.ok((await dap.request("launch", { program: path, console: "integratedTerminal", vm: "wasm" })).success);
  await dap.request("setBreakpoints", { source: { path }, breakpoints: [{ line: 6 }] });
  let stop = dap.nextStop();
  await dap.request("configurationDone");
  await stop;
  const hits = [await snapshot(dap)];
  assert.match(hits[0], /a="xy"/);
  assert.equal(readFileSync(out, "utf8"), "xy");
  rmSync(out);
  assert.ok(await act(dap, "continue"));
  hits.push(await snapshot(dap));
  assert.ok(await act(dap, "continue"));
  hits.push(await snapshot(dap));
  assert.match(hits[2], /i=2/);
  assert.ok(await act(dap, "reverseContinue"));
  assert.equal(await snapshot(dap), hits[1]);
  assert.ok(await act(dap, "stepBack"));
  // The loop going back to its line after the first round (i = 0 added).
  assert.match(await snapshot(dap), /^<main>:5\n.*total=0, i=0/s);
  assert.equal(existsSync(out), false, "the re-runs wrote no file");
  // Each going back started the VM again (reverse continue twice: a search, then the re-run to the hit).
  assert.ok(terminals.length >= 3, `${terminals.length} VMs started`);
  assert.deepEqual(new Set(terminals.slice(1)), new Set([""]), "a muted re-run shows nothing");
  // Forward from there, with a value changed: what the program prints later follows it.
  const frames = (await dap.request("stackTrace", { threadId: 1 })).body.stackFrames as { id: number }[];
  const scopes = await dap.request("scopes", { frameId: frames[0].id });
  const globals = scopes.body.scopes.find((s: { name: string }) => s.name === "Globals").variablesReference;
  assert.ok((await dap.request("setVariable", { variablesReference: globals, name: "total", value: "100" })).success);
  await dap.request("setBreakpoints", { source: { path }, breakpoints: [] });
  const ended = dap.waitEvent((m) => m.event === "terminated");
  await dap.request("continue", { threadId: 1 });
  await ended;
  await closed[closed.length - 1];
  assert.equal(terminals[terminals.length - 1], "106\n"); // 100 + 1 + 2 + 3
  dap.close();
});

/** VM processes (native, or the WebAssembly host) running the bytecode named `whbcName`. */
function vms(whbcName: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmd.includes("--debug") && cmd.includes(whbcName)) pids.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return pids;
}

for (const vm of ["wasm", "native"] as const) {
  test(`the ${vm === "wasm" ? "WebAssembly" : "native"} VM ends when the adapter dies while the program is stopped, and while it runs`, { skip: (vm === "wasm" && ready) || (process.platform !== "linux" && "reads /proc") }, async () => {
    for (const when of ["stopped", "running"]) {
      const name = `ends${when}${Math.random().toString(36).slice(2, 8)}`;
      const path = join(dir, `${name}.wsp`);
      // Running: a loop that never ends and never stops; the VM finds the channel closed when it looks at it.
      writeFileSync(path, ["let i = 0", "while true {", "  let i = i + 1", "}"].join("\n") + "\n");
      const dap = await launch(path, vm, when === "stopped" ? [3] : [], { stopOnEntry: when === "running", checkpointMs: 0 });
      if (when === "running") {
        await dap.request("continue", { threadId: 1 });
      }
      assert.equal(vms(`${name}.whbc`).length, 1, "the VM runs");
      dap.close();
      const deadline = Date.now() + 10000;
      while (vms(`${name}.whbc`).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(vms(`${name}.whbc`), [], `no VM left after the adapter died (${when})`);
    }
  });
}
