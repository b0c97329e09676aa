// What the REPL terminal runs (client/src/replLaunch.ts), run here as the terminal would run it:
// on the WebAssembly VM (whispem.vm = wasm) and on the native one, a session that evaluates,
// keeps its globals and functions, reports errors and goes on after them. On wasm, the session's
// VM is checked to be the WebAssembly host (a child of the REPL running out/wvm-wasm.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { replLaunch } from "../../src/replLaunch";
import { locateVm } from "../../src/vmLocator";
import type { VmMode } from "../../../compiler/src/vmSelect";

const ROOT = join(__dirname, "../../..");
const built = existsSync(join(ROOT, "out/whispem.js")) && existsSync(join(ROOT, "out/wvm-wasm.js")) && existsSync(join(ROOT, "bin/wvm.wasm"));

/** The processes whose parent is `pid`, with their command lines (Linux). */
function children(pid: number): string[] {
  const found: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) found.push(readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" "));
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

for (const mode of ["wasm", "native"] as VmMode[]) {
  test(`the REPL terminal's command on the ${mode === "wasm" ? "WebAssembly" : "native"} VM evaluates, keeps state and reports errors`, { skip: !built && "needs npm run build" }, async () => {
    // A native path that does not exist: whispem.vm = wasm does not look at it.
    const vm = locateVm(mode === "wasm" ? "/nonexistent/wvm" : undefined, ROOT, mode);
    assert.ok(!("problem" in vm), "problem" in vm ? vm.problem : "");
    assert.equal(vm.kind, mode);
    const launch = replLaunch(vm, ROOT, process.execPath, "");
    const child = spawn(launch.shellPath, launch.shellArgs, { env: { ...process.env, ...launch.env, WHISPEM_VM: "" }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const first = new Promise<void>((resolve) =>
      child.stdout.on("data", (d) => {
        stdout += d;
        if (stdout.includes("42\n")) resolve();
      }),
    );
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.stdin.write("let x = 41\nprint x + 1\n");
    await first;
    if (process.platform === "linux") {
      const sessions = children(child.pid!).filter((c) => c.includes("--session"));
      assert.equal(sessions.length, 1, `one session VM: ${JSON.stringify(children(child.pid!))}`);
      if (mode === "wasm") assert.match(sessions[0], /wvm-wasm\.js --control \S+ --session/);
      else assert.ok(sessions[0].startsWith(join(ROOT, "bin/wvm")), sessions[0]);
    }
    child.stdin.end(["fn twice(n) {", "  return n * 2", "}", "print twice(x)", "print nope", "let x = x + 1", "twice(x) / 0", "print [x, twice(x)]", ""].join("\n"));
    assert.equal(await closed, 0);
    assert.equal(stdout, "42\n82\n[42, 84]\n\nBye!\n");
    assert.equal(stderr, "[line 1, col 0] Error: Undefined variable: 'nope'\n  at <main> (line 1)\nError: Division by zero\n  at <main> (line 1)\n");
  });
}
