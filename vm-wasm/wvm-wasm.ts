// `wvm` as WebAssembly: runs bin/wvm.wasm (the same C sources built for wasm32-wasi) under Node's
// WASI, with exactly native `wvm`'s command line:  node out/wvm-wasm.js FILE.whbc ARGS… | --dump FILE | …
// Standard streams are the process's own file descriptors, so output streams as the program runs
// and input() reads stdin synchronously, as the native VM does. Exit status = the VM's.
import { readFileSync } from "node:fs";
import { join, resolve, parse } from "node:path";
import { spawnSync } from "node:child_process";
import { isMainThread, workerData } from "node:worker_threads";
import type { WASI as WasiClass } from "node:wasi";
import { ControlBridge, controlPort, runBridgeWorker } from "./ctlBridge";

/** Node flags the host must run with (see the end of this file); put them before the script. */
export const NODE_FLAGS = ["--single-threaded-gc"];

/** Where the module is: next to this script's folder (out/ → bin/wvm.wasm), or $WHISPEM_WVM_WASM. */
export function wasmPath(): string {
  return process.env.WHISPEM_WVM_WASM || join(__dirname, "..", "bin", "wvm.wasm");
}

/**
 * The directories the program may reach, as WASI preopens (guest path → host path). The current
 * directory is ".", so relative paths (read_file("notes.txt")) mean what they mean natively; the
 * root of the file system is "/" on POSIX, and each drive root of cwd/argument paths on Windows,
 * so absolute paths given to the VM or used by the program work too.
 */
export function preopens(cwd: string, platform: NodeJS.Platform = process.platform): Record<string, string> {
  const dirs: Record<string, string> = { ".": cwd };
  if (platform === "win32") {
    const root = parse(cwd).root;
    if (root) dirs[root.replace(/\\/g, "/")] = root;
  } else {
    dirs["/"] = "/";
  }
  return dirs;
}

/** WASI emits an ExperimentalWarning on load; the VM's stderr must carry only the VM's own text. */
function loadWasi(): typeof WasiClass {
  // Node 20's WASI answers fd_write through V8's fast API calls, which do not keep the WASI object
  // alive: a garbage collection triggered inside a write (a program printing while it allocates, such
  // as 1 000 000 pushes) destroyed it mid-call and aborted or crashed the process in about one run in
  // five (gdb: ~WASI from a weak callback inside uvwasi_fd_write). Without fast calls none failed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("node:v8") as typeof import("node:v8")).setFlagsFromString("--no-turbo-fast-api-calls");
  const emit = process.emitWarning;
  process.emitWarning = (() => undefined) as typeof process.emitWarning;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("node:wasi") as typeof import("node:wasi")).WASI;
  } finally {
    process.emitWarning = emit;
  }
}

/**
 * Compiles and instantiates the module. The one place that builds the import object: WASI's, and
 * the `whispem_host` module (the control channel and output muting, below) from `extraImports`.
 */
export function instantiate(
  module: WebAssembly.Module,
  wasi: WasiClass,
  extraImports: WebAssembly.Imports = {},
): WebAssembly.Instance {
  return new WebAssembly.Instance(module, { ...wasi.getImportObject(), ...extraImports });
}

/** What the module's `whispem_host` imports answer when there is no control channel. */
export const NO_CONTROL = {
  ctl_send: (): number => -1,
  ctl_recv: (): number => -1,
  mute_output: (): number => -1,
};

/**
 * The module's `whispem_host` imports for a run with `--control PORT:TOKEN` (the REPL's session,
 * the debugger): the control channel through a worker thread (ctlBridge.ts), and output muting
 * for the debugger's re-runs: while muted, what the module writes to fds 1 and 2 is counted as
 * written and dropped (WASI has no dup2 to point them at the null device, as natively).
 */
function controlImports(args: string[], wasi: WasiClass, memory: () => WebAssembly.Memory): { imports: WebAssembly.Imports; bridge: ControlBridge } {
  const bridge = new ControlBridge(controlPort(args), __filename, memory);
  const wasiImports = (wasi.getImportObject() as { wasi_snapshot_preview1: Record<string, (...a: number[]) => number> }).wasi_snapshot_preview1;
  const fdWrite = wasiImports.fd_write;
  let muted = false;
  const imports: WebAssembly.Imports = {
    whispem_host: {
      ctl_send: bridge.send,
      ctl_recv: bridge.recv,
      mute_output: (on: number): number => {
        muted = on !== 0;
        return 0;
      },
    },
    wasi_snapshot_preview1: {
      ...wasiImports,
      fd_write: (fd: number, iovs: number, count: number, written: number): number => {
        if (!muted || (fd !== 1 && fd !== 2)) return fdWrite(fd, iovs, count, written);
        const view = new DataView(memory().buffer);
        let total = 0;
        for (let i = 0; i < count; i++) total += view.getUint32(iovs + i * 8 + 4, true);
        view.setUint32(written, total, true);
        return 0;
      },
    },
  };
  return { imports, bridge };
}

/** Runs the VM with `args` (what would follow `wvm` on its command line); returns its exit status. */
export function runWasmVm(args: string[], opts: { cwd?: string } = {}): number {
  const WASI = loadWasi();
  const wasi = new WASI({
    version: "preview1",
    args: ["wvm", ...args],
    env: { PWD: resolve(opts.cwd ?? process.cwd()) },
    preopens: preopens(resolve(opts.cwd ?? process.cwd())),
    returnOnExit: true,
  });
  const module = new WebAssembly.Module(readFileSync(wasmPath()));
  let instance: WebAssembly.Instance | null = null;
  const memory = () => instance!.exports.memory as WebAssembly.Memory;
  const control = args.includes("--control") ? controlImports(args, wasi, memory) : null;
  instance = instantiate(module, wasi, control ? control.imports : { whispem_host: NO_CONTROL });
  try {
    return wasi.start(instance);
  } catch (e) {
    // A trap (out of memory, a bug in the VM): say what happened, as a native crash would not.
    process.stderr.write(`wvm: internal error in the WebAssembly VM: ${e instanceof Error ? e.message : String(e)}\n`);
    return 70;
  } finally {
    // The last messages (a response, `exited`) are written, then the connection closes.
    control?.bridge.close();
  }
}

if (!isMainThread && workerData?.whispemControl) {
  // This same script as the control channel's worker thread (ctlBridge.ts).
  runBridgeWorker(workerData.whispemControl);
} else if (require.main === module) {
  // Node 20's concurrent garbage collector races with a growing WASI memory and aborts the process
  // now and then (SIGABRT, no message; seen on bench/programs/push.wsp at n = 1 000 000, about one
  // run in two). Collecting on the main thread only removes it; the flag must be on Node's command
  // line (set at run time, V8 aborts). Callers that know pass it (NODE_FLAGS); others get a re-run.
  if (!process.execArgv.includes(NODE_FLAGS[0])) {
    const r = spawnSync(process.execPath, [...NODE_FLAGS, __filename, ...process.argv.slice(2)], { stdio: "inherit" });
    process.exitCode = r.status ?? 70;
  } else {
    process.exitCode = runWasmVm(process.argv.slice(2));
  }
}
