// The debugger's costs, as JSON: (1) normal runs of this branch's bin/wvm against the VM it
// started from (merge base with main) — the debug hook must cost nothing when not debugging; (2) a run under `--debug` with no breakpoint hit against a normal
// run; (3) the latency of a step back (re-execution to the previous line step) in a program
// stopped after running about 1 s. Best CPU or wall time of runs taken in turns.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../compiler/src/compiler";
import { VmControl } from "../compiler/src/vmControl";
import { DapClient } from "../client/test/unit/dapClient";

const ROOT = join(__dirname, "..");
const WVM = join(ROOT, "bin/wvm");
const PROGRAMS = join(ROOT, "bench/programs");
const CASES = [
  { name: "fib", n: 30 },
  { name: "loop", n: 10_000_000 },
  { name: "mapreduce", n: 1_000_000 },
];
const round = (x: number) => Math.round(x * 10000) / 10000;

/** CPU seconds (user + system) of one run, from bash's `times`. */
function cpu(bin: string, args: string[]): number {
  const r = spawnSync("bash", ["-c", '"$@" > /dev/null; status=$?; times; exit $status', "bash", bin, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed: ${r.stderr}`);
  const m = r.stdout.trim().split("\n").pop()!.match(/(\d+)m([\d.]+)s (\d+)m([\d.]+)s/)!;
  return Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]);
}

/**
 * The VM this branch started from (the merge base with main: the same VM without the debug
 * mode), built into scratch — main itself moves on with other work, which would not measure the
 * hook's cost.
 */
function buildBaseVm(scratch: string): { bin: string; commit: string } | null {
  const base = spawnSync("git", ["merge-base", "HEAD", "main"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
  if (!base) return null;
  const src = join(scratch, "base");
  const archive = spawnSync("bash", ["-c", `mkdir -p "${src}" && git archive ${base} vm-c | tar -x -C "${src}"`], { cwd: ROOT, encoding: "utf8" });
  if (archive.status !== 0) return null;
  const dir = join(src, "vm-c");
  const make = readFileSync(join(dir, "Makefile"), "utf8");
  const srcs = /^SRCS = (.*)$/m.exec(make)![1].split(/\s+/).filter(Boolean).map((f) => join(dir, f));
  const out = join(scratch, "wvm-base");
  const r = spawnSync("cc", ["-std=c11", "-D_POSIX_C_SOURCE=200809L", "-O2", "-o", out, ...srcs, "-lm"], { encoding: "utf8" });
  return r.status === 0 ? { bin: out, commit: base.slice(0, 10) } : null;
}

/** Wall seconds of a run under --debug with no breakpoint, from configurationDone to exit. */
async function debugRun(args: string[]): Promise<number> {
  const vm = await VmControl.start({ command: WVM, args: ["--debug", ...args], spawn: { stdio: ["ignore", "ignore", "inherit"] } });
  const exited = new Promise((resolve) => vm.on("exited", resolve));
  const start = process.hrtime.bigint();
  await vm.request("configurationDone");
  await exited;
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  vm.dispose();
  return s;
}

function wall(bin: string, args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(bin, args, { stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error(`${bin} failed`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function stepBackLatency(scratch: string): Promise<Record<string, number>> {
  // About 1 s of work before the breakpoint on the last line.
  const path = join(scratch, "long.wsp");
  writeFileSync(path, ["let i = 0", "let sum = 0", "while i < 12000000 {", "  let sum = sum + i % 7", "  let i = i + 1", "}", "print sum", "print i"].join("\n") + "\n");
  const dap = new DapClient();
  await dap.request("initialize", { adapterID: "whispem" });
  await dap.request("launch", { program: path, console: "debugConsole" });
  await dap.request("setBreakpoints", { source: { path }, breakpoints: [{ line: 8 }] });
  const t0 = process.hrtime.bigint();
  let stop = dap.nextStop();
  await dap.request("configurationDone");
  await stop;
  const forward = Number(process.hrtime.bigint() - t0) / 1e9;
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const start = process.hrtime.bigint();
    stop = dap.nextStop();
    await dap.request("stepBack", { threadId: 1 });
    await stop;
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  await dap.request("disconnect");
  dap.close();
  return { forwardRunSeconds: round(forward), stepBackSecondsBest: round(Math.min(...times)), stepBackSecondsWorst: round(Math.max(...times)) };
}

export default async function run(): Promise<object> {
  const scratch = mkdtempSync(join(tmpdir(), "whispem-debug-bench-"));
  try {
    const baseVm = buildBaseVm(scratch);
    const mainVm = baseVm?.bin ?? null;
    const normal: Record<string, object> = {};
    const debug: Record<string, object> = {};
    for (const c of CASES) {
      const r = compile(readFileSync(join(PROGRAMS, `${c.name}.wsp`), "utf8"));
      const whbc = join(scratch, `${c.name}.whbc`);
      writeFileSync(whbc, r.bytes!);
      const args = [whbc, String(c.n)];
      let ours = Infinity;
      let main = Infinity;
      for (let k = 0; k < 7; k++) {
        ours = Math.min(ours, cpu(WVM, args));
        if (mainVm) main = Math.min(main, cpu(mainVm, args));
      }
      normal[c.name] = mainVm ? { seconds: round(ours), baseSeconds: round(main), ratio: round(ours / main) } : { seconds: round(ours), base: "not built" };
      let plain = Infinity;
      let dbg = Infinity;
      for (let k = 0; k < 3; k++) {
        plain = Math.min(plain, wall(WVM, args));
        dbg = Math.min(dbg, await debugRun(args));
      }
      debug[c.name] = { normalWallSeconds: round(plain), debugWallSeconds: round(dbg), ratio: round(dbg / plain) };
    }
    return { normalRunVsBase: { base: baseVm?.commit ?? null, ...normal }, debugModeNoBreakpoint: debug, stepBack: await stepBackLatency(scratch) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
