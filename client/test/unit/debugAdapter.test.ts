// The debug adapter over DAP (out/debugAdapter.js + bin/wvm --debug): breakpoints, stack, values,
// conditions, hit counts, logpoints, stepping through closures, runtime errors, paging,
// setVariable, evaluate, input(). Each test runs on the native VM and again on the WebAssembly VM
// (launch `vm: "wasm"`: bin/wvm.wasm under Node, the control channel through out/wvm-wasm.js).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DapClient, DapMessage } from "./dapClient";
import { VmControl } from "../../../compiler/src/vmControl";
import { compile } from "../../../compiler/src/compiler";
import { wasmCommand } from "../../../compiler/src/vmSelect";

const ROOT = join(__dirname, "../../..");
type Vm = "native" | "wasm";
const wasmBuilt = existsSync(join(ROOT, "bin/wvm.wasm")) && existsSync(join(ROOT, "out/wvm-wasm.js"));

/** A test on each VM: as titled on the native one, "(WebAssembly VM)" added on the other. */
function vmTest(title: string, fn: (vm: Vm) => Promise<void>): void {
  test(title, () => fn("native"));
  test(`${title} (WebAssembly VM)`, { skip: !wasmBuilt && "needs npm run build (bin/wvm.wasm)" }, () => fn("wasm"));
}

const dir = mkdtempSync(join(tmpdir(), "whispem-dap-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
after(() => DapClient.closeAll());
let n = 0;

function program(lines: string[]): string {
  const path = join(dir, `p${n++}.wsp`);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

/** initialize → launch → breakpoints → configurationDone, then the first stop (or the end). */
async function start(
  vm: Vm,
  path: string,
  bps: { line: number; condition?: string; hitCondition?: string; logMessage?: string }[],
  extra: object = {},
): Promise<{ dap: DapClient; stop: DapMessage }> {
  const dap = new DapClient();
  const init = await dap.request("initialize", { adapterID: "whispem", linesStartAt1: true, columnsStartAt1: true });
  assert.ok(init.success);
  const launch = await dap.request("launch", { program: path, console: "debugConsole", vm, ...extra });
  assert.ok(launch.success, launch.message);
  await dap.waitEvent((m) => m.event === "initialized");
  const set = await dap.request("setBreakpoints", { source: { path }, breakpoints: bps });
  assert.ok(set.success);
  const first = dap.nextStop();
  await dap.request("configurationDone");
  return { dap, stop: await first };
}

async function stack(dap: DapClient): Promise<{ name: string; line: number; id: number }[]> {
  const r = await dap.request("stackTrace", { threadId: 1 });
  return r.body.stackFrames;
}

async function vars(dap: DapClient, frameId: number, scope: string): Promise<Record<string, string>> {
  const s = await dap.request("scopes", { frameId });
  const ref = s.body.scopes.find((x: { name: string }) => x.name === scope)?.variablesReference;
  if (!ref) return {};
  const v = await dap.request("variables", { variablesReference: ref });
  return Object.fromEntries(v.body.variables.map((x: { name: string; value: string }) => [x.name, x.value]));
}

async function finish(dap: DapClient): Promise<number> {
  const exited = dap.waitEvent((m) => m.event === "exited");
  await dap.request("continue", { threadId: 1 });
  const code = (await exited).body.exitCode;
  await dap.waitEvent((m) => m.event === "terminated");
  await dap.request("disconnect");
  dap.close();
  return code;
}

const FACT = ["fn fact(n) {", "  if n <= 1 {", "    return 1", "  }", "  return n * fact(n - 1)", "}", "print fact(5)"];

vmTest("a breakpoint in a recursive function stops with the whole stack and each frame's n", async (vm) => {
  const path = program(FACT);
  const { dap, stop } = await start(vm, path, [{ line: 3 }]);
  assert.equal(stop.body.reason, "breakpoint");
  const frames = await stack(dap);
  assert.deepEqual(
    frames.map((f) => [f.name, f.line]),
    [["fact", 3], ["fact", 5], ["fact", 5], ["fact", 5], ["fact", 5], ["<main>", 7]],
  );
  assert.deepEqual(await vars(dap, frames[0].id, "Locals"), { n: "1" });
  assert.deepEqual(await vars(dap, frames[3].id, "Locals"), { n: "4" });
  assert.equal(await finish(dap), 0);
  assert.equal(dap.output(), "120\n");
});

vmTest("a line without code moves the breakpoint to the next line with code", async (vm) => {
  const path = program(["let a = 1", "", "# note", "let b = a + 1", "print b"]);
  const dap = new DapClient();
  await dap.request("initialize", { adapterID: "whispem" });
  await dap.request("launch", { program: path, console: "debugConsole", vm });
  const set = await dap.request("setBreakpoints", { source: { path }, breakpoints: [{ line: 2 }, { line: 40 }] });
  assert.deepEqual(
    set.body.breakpoints.map((b: { verified: boolean; line: number }) => [b.verified, b.line]),
    [[true, 4], [false, 40]],
  );
  const stopped = dap.nextStop();
  await dap.request("configurationDone");
  const s = await stopped;
  assert.equal(s.body.reason, "breakpoint");
  assert.equal((await stack(dap))[0].line, 4);
  assert.equal(await finish(dap), 0);
});

vmTest("conditional breakpoints, hit counts and logpoints are evaluated by the adapter", async (vm) => {
  const path = program(["let total = 0", "for i in range(0, 10) {", "  let total = total + i", "}", "print total"]);
  const { dap, stop } = await start(vm, path, [{ line: 3, condition: "i == 6" }]);
  const frames = await stack(dap);
  assert.equal((await vars(dap, frames[0].id, "Globals")).i, "6");
  assert.equal(await finish(dap), 0);

  const hit = await start(vm, path, [{ line: 3, hitCondition: "4" }]);
  assert.equal(hit.stop.body.reason, "breakpoint");
  assert.equal((await vars(hit.dap, (await stack(hit.dap))[0].id, "Globals")).i, "3");
  assert.equal(await finish(hit.dap), 0);

  const log = await start(vm, path, [{ line: 3, logMessage: "i={i} total={total}" }]);
  assert.equal(log.stop.event, "terminated");
  assert.match(log.dap.output("console"), /i=0 total=0\n[^]*i=9 total=36\n/);
  assert.equal(log.dap.output(), "45\n");
  log.dap.close();
  void stop;
});

vmTest("step in / over / out go through closures called by map, filter and reduce", async (vm) => {
  const path = program([
    "let xs = [1, 2, 3]",
    "let ys = map(xs, fn(x) {",
    "  return x * 2",
    "})",
    "let zs = filter(ys, fn(y) { return y > 2 })",
    "let s = reduce(zs, fn(a, b) {",
    "  return a + b",
    "}, 0)",
    "print s",
  ]);
  const { dap, stop } = await start(vm, path, [{ line: 2 }]);
  assert.equal(stop.body.reason, "breakpoint");
  let next = dap.nextStop();
  await dap.request("stepIn", { threadId: 1 });
  await next;
  let frames = await stack(dap);
  assert.deepEqual(frames.map((f) => [f.name, f.line]), [["lambda (line 2)", 3], ["map (builtin)", 2], ["<main>", 2]]);
  assert.deepEqual(await vars(dap, frames[0].id, "Locals"), { x: "1" });
  // Step out of the lambda: back in <main> after map has called it on every element.
  next = dap.nextStop();
  await dap.request("stepOut", { threadId: 1 });
  await next;
  frames = await stack(dap);
  assert.equal(frames[0].name, "<main>");
  assert.equal(frames[0].line, 5);
  // Step over filter: no stop inside its lambda.
  next = dap.nextStop();
  await dap.request("next", { threadId: 1 });
  await next;
  frames = await stack(dap);
  assert.deepEqual([frames[0].name, frames[0].line], ["<main>", 6]);
  assert.equal((await vars(dap, frames[0].id, "Globals")).zs, "[4, 6]");
  // Step in reduce's function: parameters a and b.
  next = dap.nextStop();
  await dap.request("stepIn", { threadId: 1 });
  await next;
  frames = await stack(dap);
  assert.equal(frames[1].name, "reduce (builtin)");
  assert.deepEqual(await vars(dap, frames[0].id, "Locals"), { a: "0", b: "4" });
  assert.equal(await finish(dap), 0);
  assert.equal(dap.output(), "10\n");
});

vmTest("captured variables are shown by name", async (vm) => {
  const path = program(["fn counter(start) {", "  let step = 2", "  return fn() {", "    return start + step", "  }", "}", "print counter(5)()"]);
  const { dap } = await start(vm, path, [{ line: 4 }]);
  const frames = await stack(dap);
  assert.deepEqual(await vars(dap, frames[0].id, "Captured"), { start: "5", step: "2" });
  assert.equal(await finish(dap), 0);
});

vmTest("a runtime error stops with the reference's error text, then ends with status 1", async (vm) => {
  const path = program(["let a = [1, 2]", "print a[5]"]);
  const { dap, stop } = await start(vm, path, []);
  assert.equal(stop.body.reason, "exception");
  assert.equal(stop.body.text, "Array index 5 out of bounds (length: 2)");
  const info = await dap.request("exceptionInfo", { threadId: 1 });
  assert.equal(info.body.description, "Array index 5 out of bounds (length: 2)");
  assert.equal(await finish(dap), 1);
  assert.match(dap.output("stderr"), /\[line 2, col 0\] Error: Array index 5 out of bounds/);
});

vmTest("a large array is read in pages", async (vm) => {
  const path = program(["let big = range(0, 2000000)", "print length(big)"]);
  const { dap } = await start(vm, path, [{ line: 2 }]);
  const frames = await stack(dap);
  const s = await dap.request("scopes", { frameId: frames[0].id });
  const globals = await dap.request("variables", { variablesReference: s.body.scopes[0].variablesReference });
  const big = globals.body.variables.find((v: { name: string }) => v.name === "big");
  assert.equal(big.indexedVariables, 2000000);
  assert.ok(big.value.length < 100, big.value);
  const page = await dap.request("variables", { variablesReference: big.variablesReference, filter: "indexed", start: 1999990, count: 5 });
  assert.deepEqual(
    page.body.variables.map((v: { name: string; value: string }) => [v.name, v.value]),
    [["[1999990]", "1999990"], ["[1999991]", "1999991"], ["[1999992]", "1999992"], ["[1999993]", "1999993"], ["[1999994]", "1999994"]],
  );
  assert.equal(await finish(dap), 0);
});

vmTest("setVariable changes what the program prints later", async (vm) => {
  const path = program(["fn f(x) {", "  let y = x + 1", "  print y", "}", "f(1)"]);
  const { dap } = await start(vm, path, [{ line: 3 }]);
  const frames = await stack(dap);
  const s = await dap.request("scopes", { frameId: frames[0].id });
  const set = await dap.request("setVariable", { variablesReference: s.body.scopes[0].variablesReference, name: "y", value: '"changed" ' });
  assert.ok(set.success, set.message);
  assert.equal(set.body.value, '"changed"');
  assert.equal(await finish(dap), 0);
  assert.equal(dap.output(), "changed\n");
});

vmTest("an element of a collection shown several times can be set; one another variable also holds cannot", async (vm) => {
  const path = program(["let a = range(0, 3)", "let b = a", "let c = range(0, 3)", "print c", "print a"]);
  const { dap } = await start(vm, path, [{ line: 4 }]);
  const s = await dap.request("scopes", { frameId: (await stack(dap))[0].id });
  const globals = s.body.scopes[0].variablesReference;
  // The Variables view, a hover and a watch each list the same collections again.
  let listed: { name: string; variablesReference: number }[] = [];
  for (let i = 0; i < 3; i++) listed = (await dap.request("variables", { variablesReference: globals })).body.variables;
  const ref = (name: string) => listed.find((v) => v.name === name)!.variablesReference;
  const set = await dap.request("setVariable", { variablesReference: ref("c"), name: "[1]", value: "9" });
  assert.ok(set.success, set.message);
  const shared = await dap.request("setVariable", { variablesReference: ref("a"), name: "[1]", value: "9" });
  assert.equal(shared.success, false);
  assert.match(shared.message ?? "", /shared with another variable/);
  assert.equal(await finish(dap), 0);
  assert.equal(dap.output(), "[0, 9, 2]\n[0, 1, 2]\n");
});

vmTest("evaluate over variables: indexing, arithmetic, length, dict keys; no calls with effects", async (vm) => {
  const path = program(['let d = {"k": 41, "s": "hé"}', "let a = [10, 20, 30]", "let i = 1", "print a[i]"]);
  const { dap } = await start(vm, path, [{ line: 4 }]);
  const frameId = (await stack(dap))[0].id;
  const ev = async (expression: string) => {
    const r = await dap.request("evaluate", { expression, frameId, context: "watch" });
    return r.success ? r.body.result : `error: ${r.message}`;
  };
  assert.equal(await ev("a[i] + 1"), "21");
  assert.equal(await ev("length(d)"), "2");
  assert.equal(await ev('d["k"] + 1'), "42");
  assert.equal(await ev('d["s"]'), '"hé"');
  assert.equal(await ev("a"), "[10, 20, 30]");
  assert.equal(await ev("a[7]"), "error: Array index 7 out of bounds (length: 3)");
  assert.match(await ev('write_file("x", "y")'), /^error: only length/);
  assert.match(await ev("nope"), /Undefined variable: 'nope'/);
  assert.equal(await finish(dap), 0);
});

vmTest("function breakpoints stop on entry to the function", async (vm) => {
  const path = program(["fn g(a) {", "  return a * 3", "}", "print g(2)"]);
  const dap = new DapClient();
  await dap.request("initialize", { adapterID: "whispem" });
  await dap.request("launch", { program: path, console: "debugConsole", vm });
  const set = await dap.request("setFunctionBreakpoints", { breakpoints: [{ name: "g" }, { name: "missing" }] });
  assert.deepEqual(set.body.breakpoints.map((b: { verified: boolean }) => b.verified), [true, false]);
  const stopped = dap.nextStop();
  await dap.request("configurationDone");
  assert.equal((await stopped).body.reason, "function breakpoint");
  assert.equal((await stack(dap))[0].name, "g");
  assert.equal(await finish(dap), 0);
});

vmTest("input() under the debugger reads from the terminal started by runInTerminal", async (vm) => {
  const path = program(['let name = input("who? ")', 'print "hi " + name']);
  const dap = new DapClient();
  let terminal: import("node:child_process").ChildProcess | null = null;
  dap.onReverse = async (m) => {
    const { spawn } = await import("node:child_process");
    const [cmd, ...args] = m.arguments.args as string[];
    terminal = spawn(cmd, args, { cwd: m.arguments.cwd, env: { ...process.env, ...m.arguments.env }, stdio: ["pipe", "pipe", "inherit"] });
    terminal.stdin!.end("Ada\n");
    return { processId: terminal.pid };
  };
  await dap.request("initialize", { adapterID: "whispem", supportsRunInTerminalRequest: true });
  const launch = await dap.request("launch", { program: path, console: "integratedTerminal", vm });
  assert.ok(launch.success, launch.message);
  await dap.request("setBreakpoints", { source: { path }, breakpoints: [{ line: 2 }] });
  const stopped = dap.nextStop();
  await dap.request("configurationDone");
  await stopped;
  assert.equal((await vars(dap, (await stack(dap))[0].id, "Globals")).name, '"Ada"');
  let out = "";
  (terminal as unknown as import("node:child_process").ChildProcess).stdout!.on("data", (d: Buffer) => (out += d));
  // "close": its output is all read ("exit" can come before the last of it).
  const ended = new Promise((r) => (terminal as unknown as import("node:child_process").ChildProcess).on("close", r));
  assert.equal(await finish(dap), 0);
  await ended;
  assert.equal(out, "who? hi Ada\n");
});

vmTest("in the debug console input() reads end of input (an empty string)", async (vm) => {
  const path = program(['let s = input("> ")', "print length(s)"]);
  const { dap, stop } = await start(vm, path, []);
  assert.equal(stop.event, "terminated");
  assert.equal(dap.output(), "> 0\n");
  dap.close();
});

/** Conformance programs (every `every`-th one) under --debug with no breakpoint: output and status. */
async function conformanceUnderDebug(kind: Vm, every: number): Promise<number> {
  const RUN = join(__dirname, "../../../test-fixtures/conformance/run");
  const wvm = join(__dirname, "../../../bin/wvm");
  const wasm = wasmCommand({ node: process.execPath, wasmHost: join(ROOT, "out/wvm-wasm.js"), binDir: join(ROOT, "bin") });
  let checked = 0;
  for (const name of readdirSync(RUN).filter((f) => f.endsWith(".wsp")).filter((_, i) => i % every === 0)) {
    const base = join(RUN, name.slice(0, -4));
    const text = readFileSync(join(RUN, name), "utf8");
    if (/input\(|args\(\)|read_file|write_file|write_hex/.test(text)) continue;
    const r = compile(text);
    if (!r.bytes) continue;
    const whbc = join(dir, `${name}.whbc`);
    writeFileSync(whbc, r.bytes);
    const vm = await VmControl.start(
      kind === "wasm"
        ? { command: wasm.command, prefixArgs: wasm.args, args: ["--debug", whbc], spawn: { env: { ...process.env, ...wasm.env }, stdio: ["ignore", "pipe", "pipe"] } }
        : { command: wvm, args: ["--debug", whbc], spawn: { stdio: ["ignore", "pipe", "pipe"] } },
    );
    let out = "";
    vm.process!.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    // The exit can be seen before the last output is read: wait for the end of the pipe too.
    const drained = new Promise((resolve) => vm.process!.stdout!.on("end", resolve));
    const code = vm.exited();
    // A runtime error stops the program for the debugger first; continuing reports it.
    vm.on("stopped", () => void vm.request("continue"));
    await vm.request("configurationDone");
    assert.equal(await code, Number(readFileSync(`${base}.status`, "utf8").trim()), name);
    await drained;
    assert.equal(out, readFileSync(`${base}.stdout`, "utf8"), name);
    vm.dispose();
    checked++;
  }
  return checked;
}

test("every conformance program runs under --debug (no breakpoint) with the reference's output and status", async () => {
  const checked = await conformanceUnderDebug("native", 1);
  assert.ok(checked > 10, `${checked} programs`);
});

// A WebAssembly VM starts in about a quarter of a second (Node, the module, the channel's worker):
// every fifth program keeps this test near ten seconds.
test("every fifth conformance program runs under --debug on the WebAssembly VM with the reference's output and status", { skip: !wasmBuilt && "needs npm run build (bin/wvm.wasm)" }, async () => {
  const checked = await conformanceUnderDebug("wasm", 5);
  assert.ok(checked > 10, `${checked} programs`);
});

vmTest("stopOnEntry stops with reason entry (VS Code's \"Paused on entry\"), then steps say step", async (vm) => {
  const path = program(["let a = 1", "let b = a + 1", "print b"]);
  const { dap, stop } = await start(vm, path, [], { stopOnEntry: true });
  assert.equal(stop.body.reason, "entry");
  assert.deepEqual((await stack(dap)).map((f) => f.line), [1]);
  const next = dap.nextStop();
  await dap.request("next", { threadId: 1 });
  assert.equal((await next).body.reason, "step");
  assert.deepEqual((await stack(dap)).map((f) => f.line), [2]);
  assert.equal(await finish(dap), 0);
});

vmTest("a lambda that captures nothing has no Captured scope; one that captures has it", async (vm) => {
  const path = program(["let k = 3", "let f = fn(x) {", "  return x + k", "}", "fn mk(a) {", "  return fn(y) {", "    return y + a", "  }", "}", "print f(1) + mk(2)(4)"]);
  const { dap } = await start(vm, path, [{ line: 3 }, { line: 7 }]);
  const scopeNames = async () => {
    const s = await dap.request("scopes", { frameId: (await stack(dap))[0].id });
    return s.body.scopes.map((x: { name: string }) => x.name);
  };
  assert.deepEqual(await scopeNames(), ["Locals", "Globals"]);
  const next = dap.nextStop();
  await dap.request("continue", { threadId: 1 });
  assert.equal((await next).body.reason, "breakpoint");
  assert.deepEqual(await scopeNames(), ["Locals", "Captured", "Globals"]);
  assert.equal(await finish(dap), 0);
});
