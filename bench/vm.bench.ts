// bin/wvm against Lua 5.4 on equivalent programs (bench/programs/NAME.wsp and NAME.lua): fib(27),
// a 3 000 000-iteration loop, map/filter/reduce over 200 000 elements, and three collection
// builders at n and 2n (to show they are linear). Best-of-several wall times, process start included.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../compiler/src/compiler";

const ROOT = join(__dirname, "..");
const WVM = join(ROOT, "bin/wvm");
const PROGRAMS = join(ROOT, "bench/programs");

interface Case {
  name: string;
  n: number;
  /** Also time 2n and report the ratio (collection builders must be linear). */
  linear: boolean;
}

const CASES: Case[] = [
  { name: "fib", n: 27, linear: false },
  { name: "loop", n: 3_000_000, linear: false },
  { name: "mapreduce", n: 200_000, linear: true },
  { name: "push", n: 1_000_000, linear: true },
  { name: "dict", n: 100_000, linear: true },
  { name: "concat", n: 200_000, linear: true },
];

function findLua(): { bin: string | null; version: string | null; reason?: string } {
  for (const bin of ["lua5.4", "lua"]) {
    const r = spawnSync(bin, ["-v"], { encoding: "utf8" });
    if (r.status === 0) {
      const version = (r.stdout + r.stderr).trim();
      if (/Lua 5\.4/.test(version)) return { bin, version };
    }
  }
  return { bin: null, version: null, reason: "Lua 5.4 not found (apt-get install lua5.4)" };
}

/** Best wall time in seconds over `runs` runs, and the program's output. */
function time(bin: string, args: string[], runs: number): { seconds: number; output: string } {
  let best = Infinity;
  let output = "";
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(bin, args, { encoding: "utf8", maxBuffer: 64 << 20 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed: ${r.stderr}`);
    output = r.stdout;
    best = Math.min(best, seconds);
  }
  return { seconds: Math.round(best * 10000) / 10000, output };
}

export default async function vmBench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "wvm-bench-"));
  const lua = findLua();
  const results: Record<string, unknown> = {};
  for (const c of CASES) {
    const compiled = compile(readFileSync(join(PROGRAMS, `${c.name}.wsp`), "utf8"));
    if (!compiled.bytes) throw new Error(`${c.name}.wsp does not compile`);
    const whbc = join(dir, `${c.name}.whbc`);
    writeFileSync(whbc, compiled.bytes);
    const runs = 5;
    const w = time(WVM, [whbc, String(c.n)], runs);
    const entry: Record<string, unknown> = { n: c.n, wvm_s: w.seconds };
    if (lua.bin) {
      const l = time(lua.bin, [join(PROGRAMS, `${c.name}.lua`), String(c.n)], runs);
      entry.lua_s = l.seconds;
      entry.wvm_over_lua = Math.round((w.seconds / l.seconds) * 100) / 100;
      entry.same_output = l.output === w.output;
    }
    if (c.linear) {
      const w2 = time(WVM, [whbc, String(2 * c.n)], runs);
      entry.wvm_2n_s = w2.seconds;
      entry.ratio_2n_over_n = Math.round((w2.seconds / w.seconds) * 100) / 100;
    }
    results[c.name] = entry;
  }
  return { lua: lua.version, ...(lua.reason ? { lua_reason: lua.reason } : {}), ...results };
}
