#!/usr/bin/env node
// The one test command (`npm test`): build, type-check, then every test suite.
//   unit and protocol tests: node's test runner over **/test/*.test.ts (TypeScript via tsx)
//   integration tests in a real VS Code: client/test/run-code-server.mjs (when present)
//   the web build in chromium: client/test/run-web.mjs
import { spawnSync } from "node:child_process";
import { readdirSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, relative } from "node:path";
import { buildAll } from "./build.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const only = process.argv.slice(2); // optional filters: substrings of test file paths

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });
  return r.status ?? 1;
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
  return only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
}

await buildAll();
let failed = 0;
if (!only.length) failed |= run("npx", ["tsc", "-p", ".", "--noEmit"]);
if (!only.length) failed |= run("npx", ["tsc", "-p", "tsconfig.web.json", "--noEmit"]);
if (!only.length) failed |= run("npx", ["tsc", "-p", "client/test/web/tsconfig.json", "--noEmit"]);
if (!only.length) failed |= run("npx", ["tsc", "-p", "client/src/bytecode/view/tsconfig.json", "--noEmit"]);
const files = testFiles();
if (files.length === 0) {
  console.error("no test files found");
  process.exit(1);
}
failed |= run(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...files]);
const integration = join(root, "client/test/run-code-server.mjs");
if (!only.length && existsSync(integration) && process.env.WHISPEM_SKIP_INTEGRATION !== "1") {
  failed |= run(process.execPath, [integration]);
}
// The web build (vscode.dev / github.dev) in chromium: a plain page hosting its workers.
const web = join(root, "client/test/run-web.mjs");
if (!only.length && existsSync(web) && process.env.WHISPEM_SKIP_INTEGRATION !== "1") {
  failed |= run(process.execPath, [web]);
}
process.exit(failed ? 1 : 0);
