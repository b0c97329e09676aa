#!/usr/bin/env node
// `npm run soak [-- SUBSTRING…]`: the node test files that have soak sizes (those that read
// WHISPEM_SOAK; or those of them whose path contains a SUBSTRING), with WHISPEM_SOAK=1, which scales
// them up to their full sizes: 16 000 sanitizer mutants and 3 000 ASan runs, 120 generated programs
// under ASan, the whole conformance corpus under qemu, wine and WebAssembly, all nine packages,
// 5 200 random edits against a fresh server and the full random-edit sessions, 1 000+ generated
// programs through the formatter, the incremental parser and the compiler, the 100 000-term chain,
// the 1 MB line, the 600 MB output flood. No type checks, no integration suites (`npm test` ran them).
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
