// The debugger's costs, as JSON: (1) normal runs of bin/wvm against the VM just before the
// debugger came in (the first parent of the commit that brought vm-c/wdebug.c onto this history),
// on the VM bench's programs — the debug mode must cost nothing when not debugging (target ≤ 2 %);
// (2) runs under `--debug` with no breakpoint hit against normal runs, without checkpoints and
// with the adapter's default (a fork every 50 ms) — target ≤ 1.5×; (3) the latency of a step
// back and of a reverse continue in a program stopped after running about 1 s, from checkpoints
// (target ≤ 200 ms) and by re-running from the start; (4) the WebAssembly VM against the native
// one: a session's start (launch to the first stop), a step's round trip, a step back, and (3)'s
// program gone back on it (re-running from the start: it has no checkpoints). Best CPU time of
// runs taken in turns; latencies in wall time.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../compiler/src/compiler";
import { VmControl } from "../compiler/src/vmControl";
import { DapClient } from "../client/test/unit/dapClient";
import { CASES as VM_CASES } from "./vm.bench";

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
 * Instructions executed by one run, counted by valgrind's callgrind (null when valgrind is
 * missing): the same every time, so a shared, loaded machine cannot blur a 2 % difference.
 */
function instructions(bin: string, args: string[]): number | null {
  const r = spawnSync("valgrind", ["--tool=callgrind", "--callgrind-out-file=/dev/null", bin, ...args], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  if (r.error || r.status !== 0) return null;
  const m = /Collected : (\d+)/.exec(r.stderr);
  return m ? Number(m[1]) : null;
}

/**
 * The VM just before the debugger: the first parent of the first commit on this history's
 * first-parent line that has vm-c/wdebug.c (the debugger's merge), built into scratch.
 */
function buildBaseVm(scratch: string): { bin: string; commit: string } | null {
  const touching = spawnSync("git", ["rev-list", "--first-parent", "HEAD", "--", "vm-c/wdebug.c"], { cwd: ROOT, encoding: "utf8" }).stdout.trim().split("\n");
  const first = touching[touching.length - 1];
  if (!first) return null;
  const base = spawnSync("git", ["rev-parse", `${first}^1`], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
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

/** bash's `times` line for its children (user and system minutes and seconds) → seconds. */
function childTimes(text: string): number {
  const m = text.trim().split("\n").pop()!.match(/(\d+)m([\d.]+)s (\d+)m([\d.]+)s/);
  if (!m) throw new Error(`no times: ${text}`);
  return Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]);
}

/** CPU seconds of a normal run, started the way debugRun starts its VM (asynchronously, `times` on stderr). */
function cpuSpawned(bin: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", '"$@" > /dev/null; status=$?; times >&2; exit $status', "bash", bin, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(childTimes(err)) : reject(new Error(`${bin} failed: ${err}`))));
  });
}

/**
 * CPU seconds (user + system) of a run under --debug with no breakpoint, from bash's `times`
 * around the VM (its waited-for children); with `checkpointMs`, checkpoints are taken as the
 * adapter does (each one connects, and is ended when the run is over).
 */
async function debugRun(args: string[], checkpointMs = 0): Promise<number> {
  const extra: VmControl[] = [];
  let over = false;
  const vm = await VmControl.start({
    command: "bash",
    prefixArgs: ["-c", '"$@" > /dev/null; status=$?; times >&2; exit $status', "bash", WVM],
    args: ["--debug", ...args],
    spawn: { stdio: ["ignore", "ignore", "pipe"] },
    // A checkpoint forked just before the end may connect after it: ended at once.
    onConnection: (c) => (over ? c.detach() : extra.push(c)),
  });
  let err = "";
  vm.process!.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const stderrEnded = new Promise((resolve) => vm.process!.stderr!.on("end", resolve));
  const exited = new Promise((resolve) => vm.on("exited", resolve));
  await vm.request("configurationDone", { checkpointMs });
  await exited;
  over = true;
  for (const c of extra) c.detach();
  await vm.exited();
  await stderrEnded; // `times` may come after the exit is known
  vm.dispose();
  return childTimes(err);
}

/** A program that runs about 1 s, stopped on its last line: step back and reverse continue latencies. */
export async function goingBack(scratch: string, checkpointMs: number, vm: "native" | "wasm" = "native"): Promise<Record<string, number>> {
  const path = join(scratch, "long.wsp");
  writeFileSync(
    path,
    ["let i = 0", "let sum = 0", "while i < 30000000 {", "  let sum = sum + i % 7", "  if i == 29000000 {", "    let mark = i", "  }", "  let i = i + 1", "}", "print sum", "print i"].join("\n") + "\n",
  );
  const dap = new DapClient();
  await dap.request("initialize", { adapterID: "whispem" });
  await dap.request("launch", { program: path, console: "debugConsole", checkpointMs, vm });
  // A hit late in the loop (for reverse continue), then the last line.
  await dap.request("setBreakpoints", { source: { path }, breakpoints: [{ line: 6 }, { line: 11 }] });
  const t0 = process.hrtime.bigint();
  let stop = dap.nextStop();
  await dap.request("configurationDone");
  await stop;
  stop = dap.nextStop();
  await dap.request("continue", { threadId: 1 });
  await stop;
  const forward = Number(process.hrtime.bigint() - t0) / 1e9;
  const timed = async (command: string): Promise<number> => {
    const start = process.hrtime.bigint();
    const stopped = dap.nextStop();
    await dap.request(command, { threadId: 1 });
    const m = await stopped;
    if (m.event !== "stopped") throw new Error(`${command}: the session ended`);
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  const back: number[] = [];
  for (let k = 0; k < 3; k++) back.push(await timed("stepBack"));
  const reverse = await timed("reverseContinue");
  const where = await dap.request("evaluate", { expression: "i", frameId: 1 });
  if (where.body?.result !== "29000000") throw new Error(`reverse continue stopped at i = ${where.body?.result}`);
  await dap.request("disconnect");
  dap.close();
  return {
    forwardRunSeconds: round(forward),
    stepBackSecondsBest: round(Math.min(...back)),
    stepBackSecondsWorst: round(Math.max(...back)),
    reverseContinueSeconds: round(reverse),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

/**
 * On each VM, in wall time (ms, medians): a session's start — initialize, launch (compile, start
 * the VM, its connection) and configurationDone to the stop on entry, as F5 does; a step's round
 * trip (stepIn to the stopped event, then the stack, as the editor asks for it); a step back on a
 * short program (100 line steps in: a re-run from the start on wasm, a checkpoint natively).
 */
export async function wasmVsNative(scratch: string): Promise<Record<string, object>> {
  const path = join(scratch, "steps.wsp");
  writeFileSync(path, ["let total = 0", "for i in range(0, 1000) {", "  let total = total + i", "}", "print total"].join("\n") + "\n");
  const out: Record<string, object> = {};
  for (const vm of ["native", "wasm"] as const) {
    const starts: number[] = [];
    const steps: number[] = [];
    const backs: number[] = [];
    for (let k = 0; k < 7; k++) {
      const t0 = process.hrtime.bigint();
      const dap = new DapClient();
      await dap.request("initialize", { adapterID: "whispem" });
      await dap.request("launch", { program: path, console: "debugConsole", stopOnEntry: true, vm });
      await dap.request("setBreakpoints", { source: { path }, breakpoints: [] });
      let stop = dap.nextStop();
      await dap.request("configurationDone");
      if ((await stop).event !== "stopped") throw new Error(`${vm}: no stop on entry`);
      starts.push(ms(t0));
      for (let i = 0; i < 100; i++) {
        const t = process.hrtime.bigint();
        stop = dap.nextStop();
        await dap.request("stepIn", { threadId: 1 });
        await stop;
        await dap.request("stackTrace", { threadId: 1 });
        if (k > 0) steps.push(ms(t)); // the first session warms up
      }
      const t = process.hrtime.bigint();
      stop = dap.nextStop();
      await dap.request("stepBack", { threadId: 1 });
      if ((await stop).event !== "stopped") throw new Error(`${vm}: step back ended the session`);
      backs.push(ms(t));
      await dap.request("disconnect");
      dap.close();
    }
    out[vm] = { sessionStartMs: round(median(starts)), stepRoundTripMs: round(median(steps)), stepBackAfter100StepsMs: round(median(backs)) };
  }
  const n = out.native as Record<string, number>;
  const w = out.wasm as Record<string, number>;
  out.wasmOverNative = {
    sessionStart: round(w.sessionStartMs / n.sessionStartMs),
    stepRoundTrip: round(w.stepRoundTripMs / n.stepRoundTripMs),
    stepBack: round(w.stepBackAfter100StepsMs / n.stepBackAfter100StepsMs),
  };
  out.goingBackOnWasm = await goingBack(scratch, 0, "wasm");
  return out;
}

export default async function run(): Promise<object> {
  const scratch = mkdtempSync(join(tmpdir(), "whispem-debug-bench-"));
  try {
    const baseVm = buildBaseVm(scratch);
    const mainVm = baseVm?.bin ?? null;
    const normal: Record<string, object> = {};
    const instr: Record<string, { instructions: number; baseInstructions: number; ratio: number }> = {};
    const debug: Record<string, object> = {};
    for (const c of VM_CASES) {
      const r = compile(readFileSync(join(PROGRAMS, `${c.name}.wsp`), "utf8"));
      const whbc = join(scratch, `${c.name}.whbc`);
      writeFileSync(whbc, r.bytes!);
      // About ten times the VM bench's work (fib: n + 4): runs of a few tenths of a second resolve 2 %.
      const args = [whbc, String(c.name === "fib" ? c.n + 4 : c.n * 10)];
      let ours = Infinity;
      let main = Infinity;
      for (let k = 0; k < 7; k++) {
        ours = Math.min(ours, cpu(WVM, args));
        if (mainVm) main = Math.min(main, cpu(mainVm, args));
      }
      normal[c.name] = mainVm ? { seconds: round(ours), baseSeconds: round(main), ratio: round(ours / main) } : { seconds: round(ours), base: "not built" };
      // At the VM bench's own size: instruction counts need no repetition.
      const counted = [whbc, String(c.n)];
      const ourInstr = mainVm ? instructions(WVM, counted) : null;
      const baseInstr = mainVm && ourInstr !== null ? instructions(mainVm, counted) : null;
      if (ourInstr !== null && baseInstr !== null) instr[c.name] = { instructions: ourInstr, baseInstructions: baseInstr, ratio: round(ourInstr / baseInstr) };
    }
    for (const c of CASES) {
      const r = compile(readFileSync(join(PROGRAMS, `${c.name}.wsp`), "utf8"));
      const whbc = join(scratch, `${c.name}.whbc`);
      writeFileSync(whbc, r.bytes!);
      const args = [whbc, String(c.n)];
      let plain = Infinity;
      let dbg = Infinity;
      let ckpt = Infinity;
      for (let k = 0; k < 5; k++) {
        plain = Math.min(plain, await cpuSpawned(WVM, args));
        dbg = Math.min(dbg, await debugRun(args));
        ckpt = Math.min(ckpt, await debugRun(args, 50));
      }
      debug[c.name] = {
        normalSeconds: round(plain),
        debugSeconds: round(dbg),
        ratio: round(dbg / plain),
        withCheckpointsSeconds: round(ckpt),
        withCheckpointsRatio: round(ckpt / plain),
      };
    }
    const ratios = Object.values(normal).map((x) => (x as { ratio?: number }).ratio ?? 1);
    return {
      normalRunVsBase: { base: baseVm?.commit ?? null, worstRatio: round(Math.max(...ratios)), ...normal },
      normalRunInstructionsVsBase:
        Object.keys(instr).length > 0
          ? { worstRatio: round(Math.max(...Object.values(instr).map((x) => x.ratio))), ...instr }
          : "valgrind not found (or no base VM): not counted",
      debugModeNoBreakpoint: debug,
      goingBack: { fromCheckpoints: await goingBack(scratch, 50), reRunningFromStart: await goingBack(scratch, 0) },
      wasmVsNative: await wasmVsNative(scratch),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
