// The WebAssembly VM (node out/wvm-wasm.js, bin/wvm.wasm under node:wasi) against the native
// bin/wvm on the VM bench programs (bench/programs, as in vm.bench.ts), in one run, as ratios.
// Wall time, process start included (Node's start-up and the module's compile are part of what a
// user waits for), best of runs taken in turns. Target: wasm_over_native ≤ 2.5 on each.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../compiler/src/compiler";

const ROOT = join(__dirname, "..");
const WVM = join(ROOT, "bin/wvm");
const HOST = join(ROOT, "out/wvm-wasm.js");
const PROGRAMS = join(ROOT, "bench/programs");
const CASES: [string, number][] = [
  ["fib", 27],
  ["loop", 3_000_000],
  ["mapreduce", 200_000],
  ["push", 1_000_000],
  ["dict", 100_000],
  ["concat", 200_000],
];

function wall(bin: string, args: string[]): { seconds: number; output: string } {
  const start = process.hrtime.bigint();
  const r = spawnSync(bin, args, { encoding: "utf8", maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed (${r.status ?? r.signal}${r.error ? `, ${r.error.message}` : ""}): ${r.stderr}`);
  return { seconds, output: r.stdout };
}

/** Best of `rounds` turns for each command. */
function race(commands: [string, string[]][], rounds: number): { seconds: number; output: string }[] {
  const best = commands.map(() => ({ seconds: Infinity, output: "" }));
  for (let i = 0; i < rounds; i++) {
    commands.forEach(([bin, args], k) => {
      const r = wall(bin, args);
      if (r.seconds < best[k].seconds) best[k] = r;
    });
  }
  return best;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export default async function wasmVmBench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "wasm-bench-"));
  try {
    const bytes = readFileSync(join(ROOT, "bin/wvm.wasm"));
    const t0 = process.hrtime.bigint();
    new WebAssembly.Module(bytes);
    const compileMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const [nativeStart, wasmStart] = race([[WVM, ["--version"]], [process.execPath, ["--single-threaded-gc", HOST, "--version"]]], 5);
    const results: Record<string, unknown> = {
      clock: "wall",
      compile_cache: "none (a WebAssembly.Module cannot be serialized in Node 20; compiled on each start)",
      module_bytes: bytes.length,
      module_compile_ms: r3(compileMs),
      startup_native_s: r3(nativeStart.seconds),
      startup_wasm_s: r3(wasmStart.seconds),
    };
    let worst = 0;
    for (const [name, n] of CASES) {
      const compiled = compile(readFileSync(join(PROGRAMS, `${name}.wsp`), "utf8"));
      if (!compiled.bytes) throw new Error(`${name}.wsp does not compile`);
      const whbc = join(dir, `${name}.whbc`);
      writeFileSync(whbc, compiled.bytes);
      let native, wasm;
      try {
        [native, wasm] = race([[WVM, [whbc, String(n)]], [process.execPath, ["--single-threaded-gc", HOST, whbc, String(n)]]], 3);
      } catch (e) {
        results[name] = { n, error: e instanceof Error ? e.message.split("\n")[0] : String(e) };
        continue;
      }
      const ratio = Math.round((wasm.seconds / native.seconds) * 100) / 100;
      worst = Math.max(worst, ratio);
      results[name] = { n, native_s: r3(native.seconds), wasm_s: r3(wasm.seconds), wasm_over_native: ratio, same_output: native.output === wasm.output };
    }
    results.worst_wasm_over_native = worst;
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
