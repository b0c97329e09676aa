// What several benches share (this file is no bench: scripts/bench.mjs runs *.bench.ts only).
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const root = join(__dirname, "..");

/** The middle value (the upper of the two middle ones for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** A plain .mjs module of the repository (the launchers shared with the integration tests). */
export async function loadRepoModule(path: string): Promise<any> {
  return import(pathToFileURL(join(root, path)).href);
}
