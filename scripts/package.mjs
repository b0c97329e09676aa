#!/usr/bin/env node
// `npm run package`: one .vsix per platform VS Code runs on, each holding only its own native `wvm`
// (cross-built with zig from the same sources and flags) beside the WebAssembly VM, and a universal
// .vsix with the WebAssembly VM only (it runs wherever VS Code's Node runs).
//   node scripts/package.mjs [--out DIR] [--targets linux-x64,win32-x64,…] [--no-build]
// Writes DIR/whispem-TARGET.vsix and DIR/whispem-universal.vsix (DIR defaults to dist/).
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";
import { buildAll } from "./build.mjs";
import { TARGETS, crossBuild, ensureZig } from "./toolchain.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const option = (name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const outDir = resolve(option("--out") ?? join(root, "dist"));
const only = option("--targets")?.split(",");
const targets = only ? TARGETS.filter((t) => only.includes(t.target)) : TARGETS;

/** What a package holds besides bin/ (the .vscodeignore inside the stage filters it further). */
const COMMON = ["package.json", "README.md", "LICENSE", "CHANGELOG.md", ".vscodeignore", "out", "syntaxes", "media"];

function stage(name, nativeVm) {
  const dir = join(outDir, "stage", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "bin"), { recursive: true });
  for (const f of COMMON) if (existsSync(join(root, f))) cpSync(join(root, f), join(dir, f), { recursive: true });
  cpSync(join(root, "bin", "wvm.wasm"), join(dir, "bin", "wvm.wasm"));
  if (nativeVm) cpSync(nativeVm.file, join(dir, "bin", nativeVm.exe));
  return dir;
}

function vsce(dir, args, vsix) {
  const bin = join(root, "node_modules", ".bin", process.platform === "win32" ? "vsce.cmd" : "vsce");
  const r = spawnSync(bin, ["package", "--no-dependencies", "--allow-missing-repository", "--no-rewrite-relative-links", ...args, "-o", vsix], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`vsce package ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
}

export async function packageAll() {
  if (!process.argv.includes("--no-build")) await buildAll({ production: true });
  if (!existsSync(join(root, "bin", "wvm.wasm"))) throw new Error("bin/wvm.wasm is not built; `npm run build` builds it (zig from .toolchain/)");
  const { zig, reason } = ensureZig();
  if (!zig && targets.length) throw new Error(`cannot cross-build wvm: ${reason}`);
  mkdirSync(outDir, { recursive: true });
  const built = new Map(); // one build per zig target (linux-x64 and alpine-x64 share theirs)
  const written = [];
  for (const t of targets) {
    let file = built.get(t.zig);
    if (!file) {
      file = join(root, "vm-c", "build", "cross", t.zig, t.exe);
      mkdirSync(dirname(file), { recursive: true });
      crossBuild(zig, t.zig, file);
      built.set(t.zig, file);
    }
    const vsix = join(outDir, `whispem-${t.target}.vsix`);
    vsce(stage(t.target, { file, exe: t.exe }), ["--target", t.target], vsix);
    written.push(vsix);
  }
  const universal = join(outDir, "whispem-universal.vsix");
  vsce(stage("universal", null), [], universal);
  written.push(universal);
  rmSync(join(outDir, "stage"), { recursive: true, force: true });
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const written = await packageAll();
  for (const f of written) console.log(f);
}
