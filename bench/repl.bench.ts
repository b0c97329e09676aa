// The REPL: an entry's answer latency (compile + write + run in the session + response, small
// entries; target ≤ 30 ms) and the VM session's resident memory over 10 000 entries (flat).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findWvm } from "../compiler/src/cli-bytecode";
import { judgeEntry } from "../compiler/src/repl";
import { VmControl } from "../compiler/src/vmControl";

const ENTRIES = 10000;

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : NaN;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(s.length * p))] * 100) / 100;
}

export default async function bench(): Promise<Record<string, unknown>> {
  const wvm = findWvm();
  if (wvm === null) return { error: "bin/wvm missing" };
  const vm = await VmControl.start({ command: wvm, args: ["--session"], spawn: { stdio: ["pipe", "ignore", "ignore"] } });
  const dir = mkdtempSync(join(tmpdir(), "whispem-repl-bench-"));
  const sources = [
    "let total = 0",
    "fn add(a, b) {\n  return a + b\n}",
    "let total = add(total, 1)",
    "total * 2",
    'let words = ["a", "b", "c"]',
    "for w in words {\n  let total = total + length(w)\n}",
    "let inc = fn(x) { return x + total }", // a lambda each time: an unchanged one is reused
    "inc(1)",
    "print zz", // a runtime error every few entries: the session must not grow from them either
  ];
  const latencies: number[] = [];
  const rss: Record<string, number> = {};
  try {
    for (let i = 0; i < ENTRIES; i++) {
      const t0 = performance.now();
      const v = judgeEntry(sources[i % sources.length]);
      if (v.kind !== "complete") throw new Error(`entry ${i} did not compile`);
      const path = join(dir, "entry.whbc");
      writeFileSync(path, v.bytes);
      await vm.request("run", { path, entry: i + 1 });
      latencies.push(performance.now() - t0);
      if (i + 1 === 100 || i + 1 === 1000 || i + 1 === ENTRIES) rss[`rssKbAfter${i + 1}`] = rssKb(vm.process!.pid!);
    }
    await vm.request("terminate");
  } finally {
    vm.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    entries: ENTRIES,
    entryLatencyMsMedian: percentile(latencies, 0.5),
    entryLatencyMsP95: percentile(latencies, 0.95),
    entryLatencyTargetMs: 30,
    ...rss,
  };
}
