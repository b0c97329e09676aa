// The language server on a large generated program (gen-wsp.mjs --seed 1 --size 20000), over
// stdio like an editor: change → publishDiagnostics latency over one-character edits (target
// p95 ≤ 50 ms, debounce included), hover and definition latency (target p95 ≤ 5 ms), and the
// server's memory after opening the file (target ≤ 150 MB).
import { readFileSync } from "node:fs";
import type { Position } from "vscode-languageserver-protocol/node";
import { TestClient } from "../server/test/client";
import { benchFile, rssMb, shippedServerPath } from "./shared";
import { AnalysisHost, KEEP_ALL, KEEP_NOTHING, type KeepOptions } from "../compiler/src/index";

const EDITS = 120;
const QUERIES = 300;

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 100) / 100;
}

export function positionAt(lineStarts: number[], offset: number): Position {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - lineStarts[lo] };
}

/** CPU time (user + system) the process has used so far, in ms (from /proc; 10 ms ticks). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export default async function serverBench(): Promise<Record<string, number>> {
  const { text, lineStarts } = benchFile();

  // --expose-gc lets the memory figures count live objects only (the request collects first).
  const client = await TestClient.start({ serverPath: shippedServerPath, nodeArgs: ["--expose-gc"], keepHistory: false });
  const uri = "file:///bench/big.wsp";
  const t0 = performance.now();
  const first = await client.open(uri, text, 1);
  const openMs = performance.now() - t0;
  const memory = await client.request<{ heapUsed: number; rss: number }>("whispem/memoryUsage", {});
  const rssAfterOpen = Math.round(rssMb(client.process.pid!));

  // One-character edits spread over the file: insert a space before a statement, then delete it
  // again; each is measured, and the program ends as it began.
  const statementStarts = [...text.matchAll(/^( *)(print|let) /gm)].map((m) => m.index! + m[1].length);
  const latencies: number[] = [];
  let version = 1;
  const cpuBefore = cpuMs(client.process.pid!);
  for (let i = 0; i < EDITS / 2; i++) {
    const p = positionAt(lineStarts, statementStarts[Math.floor((i / (EDITS / 2)) * statementStarts.length)]);
    const edits = [
      { range: { start: p, end: p }, text: " " },
      { range: { start: p, end: { line: p.line, character: p.character + 1 } }, text: "" },
    ];
    for (const change of edits) {
      version++;
      const t = performance.now();
      await client.change(uri, version, [change]);
      latencies.push(performance.now() - t);
    }
  }

  // The server's CPU time per edit (its whole work for the edit: update, analysis, publication):
  // on a shared machine wall time also counts waiting for a core.
  const serverCpuPerEdit = (cpuMs(client.process.pid!) - cpuBefore) / latencies.length;

  const names = [...text.matchAll(/\b(fun\d+|[a-z]\d+)\b/g)].map((m) => m.index!);
  const hover: number[] = [];
  const definition: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const position = positionAt(lineStarts, names[Math.floor((i / QUERIES) * names.length)] + 1);
    let t = performance.now();
    await client.request("textDocument/hover", { textDocument: { uri }, position });
    hover.push(performance.now() - t);
    t = performance.now();
    await client.request("textDocument/definition", { textDocument: { uri }, position });
    definition.push(performance.now() - t);
  }
  const memoryEnd = await client.request<{ heapUsed: number; rss: number }>("whispem/memoryUsage", {});
  await client.stop();
  const stages = pipelineStages(text, statementStarts);
  return {
    lines: lineStarts.length,
    diagnosticsOnOpen: first.diagnostics.length,
    openToDiagnosticsMs: Math.round(openMs),
    changeToDiagnosticsP50Ms: percentile(latencies, 0.5),
    changeToDiagnosticsP95Ms: percentile(latencies, 0.95),
    changeServerCpuMeanMs: Math.round(serverCpuPerEdit * 10) / 10,
    hoverP50Ms: percentile(hover, 0.5),
    hoverP95Ms: percentile(hover, 0.95),
    definitionP50Ms: percentile(definition, 0.5),
    definitionP95Ms: percentile(definition, 0.95),
    rssAfterOpenMb: rssAfterOpen,
    heapAfterOpenMb: Math.round(memory.heapUsed / 1e6),
    rssAfterEditsMb: Math.round(memoryEnd.rss / 1e6),
    heapAfterEditsMb: Math.round(memoryEnd.heapUsed / 1e6),
    ...stages,
  };
}

/**
 * Where an edit's time goes, in-process, on the analysis host (median over the same
 * one-character edits): the incremental re-parse (applyEdit), then the whole edit (applyEdit and
 * the snapshot's analysis) with every cache, without each one, and with none — what each cache
 * saves on this file. The hosts take each edit in turn (a busy machine slows them alike) and
 * the figures are CPU time of this thread, not wall time.
 */
export function pipelineStages(text: string, statementStarts: number[], rounds = 40): Record<string, number> {
  const configs: [string, KeepOptions][] = [
    ["", KEEP_ALL],
    ["NoNameCache", { ...KEEP_ALL, names: false }],
    ["NoStructureCache", { ...KEEP_ALL, structure: false }],
    ["NoResolutionCache", { ...KEEP_ALL, resolution: false }],
    ["AstCacheOnly", { ...KEEP_NOTHING, ast: true }],
    ["NoCache", KEEP_NOTHING],
  ];
  const hosts = configs.map(([, keep]) => new AnalysisHost(text, keep));
  for (const h of hosts) h.snapshot().analysis();
  const whole = configs.map(() => [] as number[]);
  const reparse: number[] = [];
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  for (let i = 0; i < rounds; i++) {
    const at = statementStarts[Math.floor((i / rounds) * statementStarts.length)];
    for (const edit of [{ start: at, end: at, text: " " }, { start: at, end: at + 1, text: "" }]) {
      hosts.forEach((host, k) => {
        const t0 = cpu();
        host.applyEdit(edit);
        if (k === 0) reparse.push(cpu() - t0);
        host.snapshot().analysis();
        whole[k].push(cpu() - t0);
      });
    }
  }
  const out: Record<string, number> = { stageReparseCpuP50Ms: percentile(reparse, 0.5) };
  configs.forEach(([name], k) => {
    out[`stageHost${name}CpuP50Ms`] = percentile(whole[k], 0.5);
    out[`stageHost${name}CpuP95Ms`] = percentile(whole[k], 0.95);
  });
  return out;
}
