#!/usr/bin/env node
// `npm run bench`: builds, runs every benchmark module under bench/ and prints one JSON object.
// Each bench/*.bench.ts default-exports an async function returning a plain object of figures.
import { spawnSync } from "node:child_process";
import { readdirSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { buildAll, buildShippedServer } from "./build.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const only = process.argv.slice(2);
await buildAll();
await buildShippedServer();
const dir = join(root, "bench");
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".bench.ts")).sort() : [];
const results = {};
for (const f of files) {
  const name = f.replace(/\.bench\.ts$/, "");
  if (only.length && !only.includes(name)) continue;
  // Each benchmark runs in its own process so that one's garbage does not time the next.
  const r = spawnSync(process.execPath, ["--import", "tsx", "--expose-gc", join(root, "scripts/bench-one.mjs"), join(dir, f)], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 << 20,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (r.status !== 0) {
    results[name] = { error: `exited with status ${r.status}` };
    continue;
  }
  results[name] = JSON.parse(r.stdout.trim().split("\n").pop());
}
console.log(JSON.stringify(results, null, 2));
