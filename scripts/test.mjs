#!/usr/bin/env node
// The one test command (`npm test`): build, then three independent phases at the same time —
//   the type checks (tsc on the three projects),
//   unit and protocol tests: node's test runner over **/test/*.test.ts (TypeScript via tsx), as many
//     files at a time as there are cores,
//   the integration tests: the extension-host suite in a real VS Code (client/test/run-code-server.mjs),
//     then the web build in chromium (client/test/run-web.mjs);
// and a summary of how long each took. The phases' own output is printed as each ends (the node
// tests' as they run).
//   npm test -- SUBSTR…   only the node test files whose path contains a SUBSTR (no type checks, no integration)
//   WHISPEM_SOAK=1        (`npm run soak`) only the node test files that have soak sizes, at those sizes
//   WHISPEM_TEST_JOBS=1   one thing at a time: the phases one after another, one test file at a time
//   WHISPEM_SKIP_INTEGRATION=1   no integration tests
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { dirname, join, relative } from "node:path";
import { buildAll } from "./build.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const only = process.argv.slice(2); // optional filters: substrings of test file paths
const soak = process.env.WHISPEM_SOAK === "1";
const jobs = Number(process.env.WHISPEM_TEST_JOBS) || availableParallelism();

/** Runs a command; resolves with its exit status. `capture`: its output is returned, not shown. */
function run(cmd, args, { capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit" });
    let output = "";
    if (capture) {
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
    }
    child.on("error", (e) => {
      output += `${cmd}: ${e.message}\n`;
      resolve({ status: 1, output });
    });
    child.on("close", (status) => resolve({ status: status ?? 1, output }));
  });
}

/** A phase: commands one after another, timed; with `capture`, its output is printed when it ends. */
async function phase(name, commands, { capture }) {
  const started = Date.now();
  let failed = false;
  let output = "";
  for (const [cmd, args] of commands) {
    const r = await run(cmd, args, { capture });
    output += r.output;
    if (r.status !== 0) failed = true;
  }
  const seconds = (Date.now() - started) / 1000;
  if (capture) process.stdout.write(`\n──── ${name} (${seconds.toFixed(1)} s) ────\n${output}`);
  return { name, seconds, failed };
}

function testFiles() {
  const dirs = ["compiler/test", "server/test", "client/test/unit", "syntaxes/test", "vm-c/test", "scripts/test"];
  const files = [];
  for (const d of dirs) {
    const abs = join(root, d);
    if (!existsSync(abs)) continue;
    for (const f of readdirSync(abs).sort()) {
      if (f.endsWith(".test.ts")) files.push(relative(root, join(abs, f)));
    }
  }
  let chosen = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
  // A soak runs the files that have soak sizes (they read WHISPEM_SOAK); the others would repeat npm test.
  if (soak) chosen = chosen.filter((f) => readFileSync(join(root, f), "utf8").includes("WHISPEM_SOAK"));
  // The longest files start first, so that two at a time end together.
  const first = ["vm-c/test/platforms.test.ts", "vm-c/test/sanitize.test.ts", "scripts/test/package.test.ts", "server/test/robustness.test.ts"];
  return [...first.filter((f) => chosen.includes(f)), ...chosen.filter((f) => !first.includes(f))];
}

const began = Date.now();
await buildAll();
const built = (Date.now() - began) / 1000;
const files = testFiles();
if (files.length === 0) {
  console.error("no test files found");
  process.exit(1);
}
const whole = !only.length && !soak;
const npx = process.platform === "win32" ? "npx.cmd" : "npx";
const phases = [
  whole && (() => phase("type checks", [[npx, ["tsc", "-p", ".", "--noEmit"]], [npx, ["tsc", "-p", "tsconfig.web.json", "--noEmit"]], [npx, ["tsc", "-p", "client/test/web/tsconfig.json", "--noEmit"]], [npx, ["tsc", "-p", "client/src/bytecode/view/tsconfig.json", "--noEmit"]]], { capture: true })),
  () => phase("node tests", [[process.execPath, ["--import", "tsx", "--test", `--test-concurrency=${jobs}`, "--test-reporter=spec", ...files]]], { capture: false }),
  whole &&
    process.env.WHISPEM_SKIP_INTEGRATION !== "1" &&
    (() =>
      phase(
        "integration: the extension-host suite in code-server, then the web build in chromium",
        ["client/test/run-code-server.mjs", "client/test/run-web.mjs"].filter((f) => existsSync(join(root, f))).map((f) => [process.execPath, [join(root, f)]]),
        { capture: true },
      )),
].filter(Boolean);

let results;
if (jobs > 1) results = await Promise.all(phases.map((p) => p()));
else {
  results = [];
  for (const p of phases) results.push(await p());
}
const failed = results.filter((r) => r.failed);
console.log(`\n[test] build ${built.toFixed(1)} s; then ${jobs > 1 ? "at once" : "one after another"}: ${results.map((r) => `${r.name.split(":")[0]} ${r.seconds.toFixed(1)} s`).join(", ")}; total ${((Date.now() - began) / 1000).toFixed(1)} s`);
if (failed.length) console.log(`[test] FAILED: ${failed.map((r) => r.name).join("; ")}`);
process.exit(failed.length ? 1 : 0);
