// Finds the VM that runs programs: the machine-scoped `whispem.vmPath` setting, else the native `wvm`
// shipped inside the extension when it fits this machine (its header is checked and it is started
// once with --version), else the WebAssembly VM (`out/wvm-wasm.js` on `bin/wvm.wasm`, run by Node).
// When nothing works, says why and how to get a VM.
import { spawnSync } from "node:child_process";
import { accessSync, closeSync, constants, openSync, readSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { binaryKind, whyNotRunnable } from "./vmBinary";

/** How to start a VM: `command ...args FILE.whbc PROGRAM-ARGS` with `env` added to the environment. */
export interface VmCommand {
  kind: "native" | "wasm";
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** A VM to use (with a one-time notice when it is not the one the user would expect), or why none. */
export type VmLocation = { vm: VmCommand; notice?: string } | { problem: string };

/** `auto`: native when it fits, else WebAssembly. */
export type VmMode = "auto" | "native" | "wasm";

export interface LocateOptions {
  configuredPath?: string;
  extensionPath: string;
  mode?: VmMode;
  platform?: NodeJS.Platform;
  arch?: string;
  /** The Node executable that runs the WebAssembly host (in VS Code: its own, as plain Node). */
  nodePath?: string;
  /** What to call the configured path in messages (the CLI's is the WHISPEM_WVM variable). */
  settingName?: string;
  /** Starts `vm --version`, true when it answers like `wvm` (injected by tests). */
  starts?: (path: string) => boolean;
}

function readHead(path: string): Uint8Array {
  const fd = openSync(path, "r");
  try {
    const head = new Uint8Array(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Why `path` cannot serve as the native VM on this machine, or null. */
export function nativeProblem(path: string, platform: NodeJS.Platform, arch: string): string | null {
  try {
    if (!statSync(path).isFile()) return "is not a file";
    if (platform !== "win32") accessSync(path, constants.X_OK);
    return whyNotRunnable(binaryKind(readHead(path)), platform, arch);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "does not exist";
    if (code === "EACCES") return "is not executable";
    return `cannot be used (${code ?? String(e)})`;
  }
}

const startedOnce = new Map<string, boolean>();
/** Starts `path --version` once per path and process: a VM that fits by its header may still not start (a missing library). */
export function startsAsWvm(path: string): boolean {
  let ok = startedOnce.get(path);
  if (ok === undefined) {
    const r = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 5000, windowsHide: true });
    ok = r.status === 0 && /^wvm /.test(r.stdout ?? "");
    startedOnce.set(path, ok);
  }
  return ok;
}

export function wasmVm(extensionPath: string, nodePath: string): VmCommand | { problem: string } {
  const host = join(extensionPath, "out", "wvm-wasm.js");
  const module = join(extensionPath, "bin", "wvm.wasm");
  for (const f of [host, module]) {
    try {
      statSync(f);
    } catch {
      return { problem: `The WebAssembly VM of the extension (${f}) does not exist. Build it with \`npm run build\` in the extension's sources.` };
    }
  }
  return { kind: "wasm", command: nodePath, args: [host], env: { ELECTRON_RUN_AS_NODE: "1" } };
}

export function locateVm(options: LocateOptions): VmLocation {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const nodePath = options.nodePath ?? process.execPath;
  const starts = options.starts ?? startsAsWvm;
  const mode = options.mode ?? "auto";
  const wasm = () => {
    const w = wasmVm(options.extensionPath, nodePath);
    return "problem" in w ? w : { vm: w };
  };

  const configured = options.configuredPath?.trim();
  const setting = options.settingName ?? "whispem.vmPath";
  if (configured) {
    if (!isAbsolute(configured)) return { problem: `The setting ${setting} must be an absolute path; it is "${configured}".` };
    const why = nativeProblem(configured, platform, arch) ?? (starts(configured) ? null : "does not start as a Whispem VM (`wvm --version` failed)");
    if (why) return { problem: `The Whispem VM set in ${setting} (${configured}) ${why}. Point ${setting} at a \`wvm\` built for this machine, or clear it to use the VM shipped with the extension.` };
    return { vm: { kind: "native", command: configured, args: [] } };
  }
  if (mode === "wasm") return wasm();

  const bundled = join(options.extensionPath, "bin", platform === "win32" ? "wvm.exe" : "wvm");
  const why = nativeProblem(bundled, platform, arch) ?? (starts(bundled) ? null : "does not start (`wvm --version` failed)");
  if (!why) return { vm: { kind: "native", command: bundled, args: [] } };
  if (mode === "native") {
    return {
      problem:
        `The Whispem VM shipped with the extension (${bundled}) ${why}. ` +
        "Build it from the extension's sources with `make -C vm-c` (needs a C11 compiler; `npm run build` does it too), " +
        "or set whispem.vmPath to the absolute path of a `wvm` executable.",
    };
  }
  const fallback = wasm();
  if ("problem" in fallback) {
    return { problem: `The native Whispem VM (${bundled}) ${why}, and ${fallback.problem.charAt(0).toLowerCase()}${fallback.problem.slice(1)}` };
  }
  return { ...fallback, notice: `No native Whispem VM fits this machine (${platform}-${arch}): ${bundled} ${why}. Programs run on the WebAssembly VM instead (slower to start, same results).` };
}
