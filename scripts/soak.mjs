#!/usr/bin/env node
// `npm run soak [-- SUBSTRING…]`: the same test files as `npm test` (or those whose path contains
// a SUBSTRING), with WHISPEM_SOAK=1 — each *.test.ts reads it to scale its sizes up (the 100 000-
// term chain, the 1 MB line, the 600 MB flood, the 10 MB file …). No integration suite.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const r = spawnSync(process.execPath, [join(root, "scripts", "test.mjs"), ...process.argv.slice(2)], {
  stdio: "inherit",
  cwd: root,
  env: { ...process.env, WHISPEM_SOAK: "1", WHISPEM_SKIP_INTEGRATION: "1" },
});
process.exit(r.status ?? 1);
