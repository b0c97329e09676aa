// The conformance corpus on every platform this machine can run: the static linux-x64 build, the
// linux-arm64 and linux-armhf builds under qemu-user, the win32-x64 build under wine, and the
// WebAssembly VM under Node. Each must give exactly the stdout, stderr and exit status of bin/wvm
// (itself checked against the reference in conformance.test.ts). The cross builds come from the
// same sources and flags (`make cross`, zig); a missing tool skips its platform, saying which.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
// @ts-expect-error: a plain ES module of the build scripts, without type declarations
import { ensureZig, crossBuild } from "../../scripts/toolchain.mjs";
import { ROOT, RUN_CORPUS, WVM, runAsync, RunResult } from "./wvm-run";

const names = readdirSync(RUN_CORPUS)
  .filter((f) => f.endsWith(".whbc"))
  .map((f) => f.slice(0, -5))
  .sort();

function onPath(tool: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
}

const zig: { zig: string | null; reason?: string } = ensureZig();
const crossDir = join(ROOT, "vm-c", "build", "cross");
const winePrefix = join(ROOT, "vm-c", "build", "wineprefix");

interface Platform {
  name: string;
  zigTarget?: string;
  file?: string;
  /** The tool that runs it here, if any. */
  runner?: string;
  command(bin: string): { cmd: string; prefix: string[]; env?: NodeJS.ProcessEnv };
}

const PLATFORMS: Platform[] = [
  { name: "linux-x64 (static, musl)", zigTarget: "x86_64-linux-musl", file: "x86_64-linux-musl/wvm", command: (bin) => ({ cmd: bin, prefix: [] }) },
  { name: "linux-arm64 (qemu)", zigTarget: "aarch64-linux-musl", file: "aarch64-linux-musl/wvm", runner: "qemu-aarch64", command: (bin) => ({ cmd: "qemu-aarch64", prefix: [bin] }) },
  { name: "linux-armhf (qemu)", zigTarget: "arm-linux-musleabihf", file: "arm-linux-musleabihf/wvm", runner: "qemu-arm", command: (bin) => ({ cmd: "qemu-arm", prefix: [bin] }) },
  {
    name: "win32-x64 (wine)",
    zigTarget: "x86_64-windows-gnu",
    file: "x86_64-windows-gnu/wvm.exe",
    runner: "wine",
    command: (bin) => ({ cmd: "wine", prefix: [bin], env: { ...process.env, WINEPREFIX: winePrefix, WINEDEBUG: "-all" } }),
  },
  { name: "WebAssembly (node:wasi)", command: () => ({ cmd: process.execPath, prefix: [join(ROOT, "out", "wvm-wasm.js")] }) },
];

/** Runs the whole corpus with `run`, a few programs at a time. */
async function corpus(run: (name: string) => Promise<RunResult>): Promise<Map<string, RunResult>> {
  const results = new Map<string, RunResult>();
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++];
      results.set(name, await run(name));
    }
  };
  await Promise.all(Array.from({ length: Math.max(2, cpus().length) }, worker));
  return results;
}

const args = (name: string) => [join(RUN_CORPUS, `${name}.whbc`), "a1", "b 2"];
let native: Map<string, RunResult> | undefined;
async function nativeResults(): Promise<Map<string, RunResult>> {
  native ??= await corpus((name) => runAsync(WVM, args(name), { timeoutMs: 60_000 }));
  return native;
}

for (const p of PLATFORMS) {
  const missing =
    p.runner && !onPath(p.runner)
      ? `${p.runner} is not installed (apt-get install ${p.runner === "wine" ? "wine64" : "qemu-user"})`
      : p.zigTarget && !zig.zig
        ? `no zig to cross-build with: ${zig.reason}`
        : !p.zigTarget && !existsSync(join(ROOT, "bin", "wvm.wasm"))
          ? "bin/wvm.wasm is not built"
          : false;
  test(`the conformance corpus on ${p.name}`, { skip: missing }, async () => {
    let bin = "";
    if (p.zigTarget) {
      bin = join(crossDir, p.file!);
      mkdirSync(join(bin, ".."), { recursive: true });
      crossBuild(zig.zig, p.zigTarget, bin);
    }
    if (p.runner === "wine") {
      mkdirSync(winePrefix, { recursive: true });
      // Wine's server and services start with the prefix, detached from our pipes (a service that
      // inherited a program's stdout would keep it open forever); one persistent wineserver for the
      // whole run, so each program starts in a fraction of a second.
      const env = p.command(bin).env;
      spawnSync("wineserver", ["-p"], { env, stdio: "ignore" });
      spawnSync("wine", ["wineboot", "-i"], { env, stdio: "ignore", timeout: 120_000 });
    }
    const expected = await nativeResults();
    const { cmd, prefix, env } = p.command(bin);
    const got = await corpus((name) => runAsync(cmd, [...prefix, ...args(name)], { timeoutMs: 120_000, env }));
    if (p.runner === "wine") spawnSync("wineserver", ["-k"], { env, stdio: "ignore" });
    const differ: string[] = [];
    for (const name of names) {
      const want = expected.get(name)!;
      const have = got.get(name)!;
      assert.equal(want.timedOut, false, `${name} timed out on bin/wvm`);
      if (have.stdout !== want.stdout || have.stderr !== want.stderr || have.status !== want.status) {
        differ.push(`${name}: status ${have.status} (want ${want.status}); stderr ${JSON.stringify(have.stderr.slice(0, 200))} (want ${JSON.stringify(want.stderr.slice(0, 200))}); stdout ${have.stdout === want.stdout ? "same" : "differs"}`);
      }
    }
    assert.deepEqual(differ, [], `${differ.length} of ${names.length} programs differ on ${p.name}`);
  });
}
