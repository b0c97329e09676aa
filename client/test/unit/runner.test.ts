// The child-process side of running: output streams, stdin, stop and the time limit. The process
// plumbing is exercised with /bin/sh as the "VM"; the VM's own contract with bin/wvm when built.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Program } from "../../src/runner";
import { parseRuntimeError } from "../../src/runtimeError";

const root = join(__dirname, "..", "..", "..");

function script(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "whispem-runner-")), "prog.sh");
  writeFileSync(path, text);
  return path;
}

function collect() {
  const out = { stdout: "", stderr: "" };
  return { out, sink: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) } };
}

test("stdout and stderr arrive, and the exit status is reported", async () => {
  const { out, sink } = collect();
  const p = new Program({ vm: "/bin/sh", bytecode: script("echo out; echo err >&2; exit 3"), cwd: tmpdir() }, sink);
  const exit = await p.exited;
  assert.deepEqual(exit, { code: 3, signal: null, stopped: false, timedOut: false, failure: undefined });
  assert.equal(out.stdout, "out\n");
  assert.equal(out.stderr, "err\n");
});

test("lines written go to the program's stdin", async () => {
  const { out, sink } = collect();
  const p = new Program({ vm: "/bin/sh", bytecode: script('read name; echo "hi $name"'), cwd: tmpdir() }, sink);
  p.write("Ada\n");
  await p.exited;
  assert.equal(out.stdout, "hi Ada\n");
});

test("a non-interactive program reads end of input at once", async () => {
  const { out, sink } = collect();
  const p = new Program({ vm: "/bin/sh", bytecode: script('read name; echo "[$name] $?"'), cwd: tmpdir(), interactive: false }, sink);
  await p.exited;
  assert.equal(out.stdout, "[] 1\n");
});

test("stop ends a program that would never end", async () => {
  const { out, sink } = collect();
  const p = new Program({ vm: "/bin/sh", bytecode: script("echo started; while :; do :; done"), cwd: tmpdir() }, sink);
  while (!out.stdout.includes("started")) await new Promise((r) => setImmediate(r));
  assert.equal(p.running, true);
  p.stop();
  const exit = await p.exited;
  assert.equal(exit.stopped, true);
  assert.equal(exit.signal, "SIGKILL");
  assert.equal(p.running, false);
});

test("on Windows, stop ends the process tree without POSIX signals (taskkill /T /F)", async () => {
  const { out, sink } = collect();
  const killed: number[] = [];
  const p = new Program(
    { vm: "/bin/sh", bytecode: script("echo started; while :; do :; done"), cwd: tmpdir(), platform: "win32", killTree: (pid) => killed.push(pid) },
    sink,
  );
  while (!out.stdout.includes("started")) await new Promise((r) => setImmediate(r));
  p.stop();
  const exit = await p.exited;
  assert.equal(killed.length, 1, "the tree kill ran once, with the child's pid");
  assert.equal(exit.stopped, true);
  // child.kill() with no signal (TerminateProcess on Windows; SIGTERM here).
  assert.equal(exit.signal, "SIGTERM");
});

test("the WebAssembly VM runs as a command with arguments and environment, like wvm", { skip: !existsSync(join(root, "bin/wvm.wasm")) && "bin/wvm.wasm is not built" }, async () => {
  const { out, sink } = collect();
  const dir = mkdtempSync(join(tmpdir(), "whispem wasm é-"));
  const whbc = join(root, "test-fixtures/conformance/run/closures.whbc");
  const p = new Program(
    { vm: { kind: "wasm", command: process.execPath, args: [join(root, "out/wvm-wasm.js")], env: { ELECTRON_RUN_AS_NODE: "1" } }, bytecode: whbc, args: ["a1", "b 2"], cwd: dir },
    sink,
  );
  const exit = await p.exited;
  assert.equal(exit.code, 0, out.stderr);
  assert.equal(out.stdout, readFileSync(join(root, "test-fixtures/conformance/run/closures.stdout"), "utf8"));
});

test("the time limit ends a program and says so", async () => {
  const p = new Program({ vm: "/bin/sh", bytecode: script("while :; do :; done"), cwd: tmpdir(), timeLimitMs: 200 }, collect().sink);
  const exit = await p.exited;
  assert.deepEqual([exit.timedOut, exit.stopped, exit.code], [true, false, null]);
});

test("a VM that cannot be started is a failure, not a hang", async () => {
  const p = new Program({ vm: join(tmpdir(), "no-such-wvm"), bytecode: "x.whbc", cwd: tmpdir() }, collect().sink);
  const exit = await p.exited;
  assert.match(exit.failure ?? "", /could not start .*no-such-wvm/);
  assert.equal(p.running, false);
});

const wvm = join(root, "bin", "wvm");
const conformance = join(root, "test-fixtures", "conformance", "run");

test("bin/wvm's runtime errors name the source line the corpus expects", { skip: !existsSync(wvm) && "bin/wvm is not built" }, async () => {
  const failing = readdirSync(conformance).filter((f) => f.endsWith(".stderr")).map((f) => f.replace(/\.stderr$/, ""));
  let checked = 0;
  for (const name of failing) {
    const expected = readFileSync(join(conformance, `${name}.stderr`), "utf8").trim();
    if (!expected) continue;
    const { out, sink } = collect();
    const bytecode = join(conformance, `${name}.whbc`);
    const p = new Program({ vm: wvm, bytecode, cwd: tmpdir(), interactive: false }, sink);
    await p.exited;
    const e = parseRuntimeError(out.stderr, bytecode);
    assert.ok(e, `${name}: ${out.stderr}`);
    assert.equal(e.text, expected, name);
    const line = /^\[line (\d+)/.exec(expected);
    if (line) assert.equal(e.line, Number(line[1]), name);
    else assert.ok(e.line !== null && e.line > 0, `${name}: the trace gives a line`);
    checked++;
  }
  assert.ok(checked > 5);
});
