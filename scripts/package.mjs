#!/usr/bin/env node
// `npm run package`: one .vsix per VS Code target in dist/, each holding only its own native `wvm`
// (bin/wvm or bin/wvm.exe) plus the WebAssembly VM, and dist/whispem-universal.vsix with the
// WebAssembly VM only (for every other platform: the extension falls back to it).
//   node scripts/package.mjs [TARGET…|universal]   (default: all nine and universal)
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, chmodSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { buildAll } from "./build.mjs";
import { TARGETS, buildTarget } from "./vm-targets.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin");
const dist = join(root, "dist");
const wanted = process.argv.slice(2);
const targets = wanted.length ? wanted : [...Object.keys(TARGETS), "universal"];

function vsce(args) {
  const r = spawnSync("npx", ["vsce", "package", "--no-dependencies", "--allow-missing-repository", "--no-rewrite-relative-links", ...args], {
    cwd: root,
    stdio: "inherit",
  });
  if (r.status !== 0) throw new Error(`vsce package ${args.join(" ")} failed`);
}

await buildAll({ minified: true });
mkdirSync(dist, { recursive: true });
// The local build's bin/wvm is kept aside while each package gets its own binary in bin/.
const local = join(root, "vm-c", "build", "wvm-local");
mkdirSync(dirname(local), { recursive: true });
if (existsSync(join(bin, "wvm"))) renameSync(join(bin, "wvm"), local);
try {
  for (const target of targets) {
    for (const f of ["wvm", "wvm.exe"]) rmSync(join(bin, f), { force: true });
    if (target === "universal") {
      vsce(["-o", join(dist, "whispem-universal.vsix")]);
      continue;
    }
    const built = buildTarget(target);
    const dest = join(bin, TARGETS[target].exe);
    copyFileSync(built, dest);
    chmodSync(dest, 0o755);
    vsce(["--target", target, "-o", join(dist, `whispem-${target}.vsix`)]);
  }
} finally {
  for (const f of ["wvm", "wvm.exe"]) rmSync(join(bin, f), { force: true });
  if (existsSync(local)) renameSync(local, join(bin, "wvm"));
}
