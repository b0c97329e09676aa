// What several benches share (this file is no bench: scripts/bench.mjs runs *.bench.ts only).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const root = join(__dirname, "..");

/**
 * The language server bundle the server benches start: the packaged (minified) one that
 * `npm run bench` builds (scripts/build.mjs buildShippedServer), so figures are what users run.
 */
export const shippedServerPath = join(root, "out/shipped/server.js");

/** The middle value (the upper of the two middle ones for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** A plain .mjs module of the repository (the launchers shared with the integration tests). */
export async function loadRepoModule(path: string): Promise<any> {
  return import(pathToFileURL(join(root, path)).href);
}

/** The server benches' document: the 20 000-line generated program (gen-wsp.mjs --seed 1) and its line starts. */
export function benchFile(): { text: string; lineStarts: number[] } {
  const gen = spawnSync(process.execPath, [join(root, "test-fixtures/tools/gen-wsp.mjs"), "--seed", "1", "--size", "20000"], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (gen.status !== 0) throw new Error(`gen-wsp failed: ${gen.stderr}`);
  const text = gen.stdout;
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  return { text, lineStarts };
}

/** A process's resident memory in MB (Linux: /proc). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}
