// Parser benchmark: full parse of a 20 000-line generated program, and incremental re-parse
// after one-character edits inside function bodies (p50/p99, fraction of tree nodes reused).

import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parse, ParseResult } from "../compiler/src/parser";
import { reparse, TextEdit } from "../compiler/src/incremental";
import { GreenNode } from "../compiler/src/syntax";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

function countNodes(n: GreenNode, seen: Set<GreenNode> | null): { all: number; old: number } {
  let all = 0;
  let old = 0;
  const stack = [n];
  while (stack.length) {
    const x = stack.pop()!;
    all++;
    if (seen?.has(x)) {
      // a reused subtree: every node in it is reused
      const inner = countNodes(x, null).all;
      all += inner - 1;
      old += inner;
      continue;
    }
    for (const c of x.children) if (c instanceof GreenNode) stack.push(c);
  }
  return { all, old };
}

function allNodes(n: GreenNode, out: Set<GreenNode>): Set<GreenNode> {
  out.add(n);
  for (const c of n.children) if (c instanceof GreenNode) allNodes(c, out);
  return out;
}

/** Seeded edit sites: offsets inside function bodies where a one-character edit keeps the program valid. */
function editSites(text: string, count: number): TextEdit[] {
  let seed = 1;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0), seed / 4294967296);
  const lines: number[] = [];
  for (let i = 0, at = 0; at < text.length; i++) {
    const nl = text.indexOf("\n", at);
    const end = nl < 0 ? text.length : nl;
    if (text.startsWith("        ", at)) lines.push(at); // a line nested inside a function body
    at = end + 1;
  }
  const edits: TextEdit[] = [];
  while (edits.length < count) {
    const at = lines[Math.floor(rnd() * lines.length)];
    const lineEnd = text.indexOf("\n", at);
    const line = text.slice(at, lineEnd);
    const digit = line.search(/(?<![\w.])\d/);
    if (rnd() < 0.5 && digit >= 0) edits.push({ start: at + digit, end: at + digit, text: "7" }); // 12 → 712
    else edits.push({ start: at + 4, end: at + 4, text: " " }); // indentation
  }
  return edits;
}

export default async function bench(): Promise<Record<string, number | string>> {
  const gen = join(__dirname, "../test-fixtures/tools/gen-wsp.mjs");
  const text = execFileSync(process.execPath, [gen, "--seed", "1", "--size", "20000"], { encoding: "utf8", maxBuffer: 64 << 20 });

  for (let i = 0; i < 5; i++) parse(text); // warm up
  const fullTimes: number[] = [];
  const fullCpu: number[] = [];
  let base: ParseResult = parse(text);
  for (let i = 0; i < 15; i++) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    base = parse(text);
    fullTimes.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    fullCpu.push((used.user + used.system) / 1000);
  }
  fullTimes.sort((a, b) => a - b);
  fullCpu.sort((a, b) => a - b);
  // A language server's heap sees full collections between parses: the first parse after one
  // must not fall back to unoptimised code (see `kept` in parser.ts).
  const afterGc: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    for (let i = 0; i < 5; i++) {
      gc();
      const t = performance.now();
      base = parse(text);
      afterGc.push(performance.now() - t);
    }
    afterGc.sort((a, b) => a - b);
  }

  const edits = editSites(text, 250);
  for (const e of edits.slice(0, 50)) reparse(reparse(base, e), { start: e.start, end: e.start + e.text.length, text: "" }); // warm up
  const editTimes: number[] = [];
  for (const e of edits) {
    let t = performance.now();
    const edited = reparse(base, e);
    editTimes.push(performance.now() - t);
    if (edited.diagnostics.length) throw new Error("benchmark edit made the program invalid");
    t = performance.now();
    base = reparse(edited, { start: e.start, end: e.start + e.text.length, text: "" }); // undo: also a one-character edit
    editTimes.push(performance.now() - t);
  }
  // Reuse is measured apart from the timing: walking both trees makes garbage of its own.
  let reusedSum = 0;
  let reusedSamples = 0;
  for (const e of edits.slice(0, 20)) {
    const old = allNodes(base.root.green, new Set());
    const c = countNodes(reparse(base, e).root.green, old);
    reusedSum += c.old / c.all;
    reusedSamples++;
  }
  editTimes.sort((a, b) => a - b);
  const fullMs = percentile(fullTimes, 50);
  const p50 = percentile(editTimes, 50);
  return {
    file: "gen-wsp.mjs --seed 1 --size 20000",
    lines: text.split("\n").length - 1,
    bytes: text.length,
    fullParseMs: +fullMs.toFixed(2),
    fullParseMinMs: +fullTimes[0].toFixed(2),
    // CPU time of the whole process (garbage-collector threads included): less sensitive than
    // wall time to other processes competing for the machine's cores.
    fullParseCpuMs: +percentile(fullCpu, 50).toFixed(2),
    fullParseAfterFullGcMs: afterGc.length ? +percentile(afterGc, 50).toFixed(2) : "no gc exposed",
    loadAverage1m: +loadavg()[0].toFixed(2),
    edits: editTimes.length,
    editP50Ms: +p50.toFixed(3),
    editP99Ms: +percentile(editTimes, 99).toFixed(3),
    editMaxMs: +editTimes[editTimes.length - 1].toFixed(3),
    speedupP50: +(fullMs / p50).toFixed(1),
    nodesReusedFraction: +(reusedSum / reusedSamples).toFixed(4),
  };
}
