// wvm-wasm: the WebAssembly build of vm-c (bin/wvm.wasm) run under Node's WASI, with the same command
// line as the native `wvm` (`node out/wvm-wasm.js FILE.whbc ARGS…`, `--dump FILE`, `--version`), so a
// caller spawns either one the same way. Used where no native `wvm` fits the machine.
import { readFileSync } from "node:fs";
import { join, parse, resolve, sep as hostSep } from "node:path";

/** bin/wvm.wasm beside this script's folder (out/ → ../bin), or WHISPEM_WVM_WASM. */
export function wasmPath(): string {
  return process.env.WHISPEM_WVM_WASM || join(__dirname, "..", "bin", "wvm.wasm");
}

/**
 * A host path as the program inside WASI sees it. The file system root is preopened as "/" (on
 * Windows: the drive of the program's folder), so a POSIX path is itself and `C:\a\b` is `/a/b`.
 */
export function wasiPath(path: string, platform: NodeJS.Platform = process.platform): string {
  if (platform !== "win32") return path;
  const root = parse(path).root;
  return root ? "/" + path.slice(root.length).split(/[\\/]/).join("/") : path.split("\\").join("/");
}

/** What the program reaches: the root (see wasiPath), and its folder as the current directory. */
export function wasiSetup(cwd: string, platform: NodeJS.Platform = process.platform): { preopens: Record<string, string>; env: Record<string, string> } {
  const root = platform === "win32" ? parse(cwd).root : "/";
  return { preopens: { "/": root }, env: { PWD: wasiPath(cwd, platform) } };
}

/** Instantiates the module with WASI and runs it; returns the exit status. */
export function runWasm(bytes: BufferSource, argv: string[], cwd: string): number {
  // Node 20's WASI answers fd_write through V8's fast API calls, which do not keep the WASI object
  // alive: a garbage collection triggered inside a write (a program printing while it allocates, such
  // as 1 000 000 pushes) destroyed it mid-call and aborted or crashed the process about one run in
  // five. Without fast calls the same runs never failed (checked 12 × 2 runs); the cost is small.
  require("node:v8").setFlagsFromString("--no-turbo-fast-api-calls");
  // node:wasi announces itself as experimental on stderr; the program's stderr must be only its own.
  const emitWarning = process.emitWarning;
  process.emitWarning = () => undefined;
  const { WASI } = require("node:wasi") as typeof import("node:wasi");
  process.emitWarning = emitWarning;
  const { preopens, env } = wasiSetup(cwd);
  const wasi = new WASI({ version: "preview1", args: ["wvm", ...argv], env, preopens, returnOnExit: true });
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports);
  return wasi.start(instance);
}

function main(): void {
  const file = wasmPath();
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    process.stderr.write(`wvm-wasm: cannot read the WebAssembly VM ${file}: ${(e as Error).message}\n`);
    process.exit(2);
  }
  // Absolute Windows paths on the command line (the bytecode file) become WASI paths.
  const argv = process.argv.slice(2).map((a) => (hostSep === "\\" && parse(a).root ? wasiPath(resolve(a)) : a));
  process.exitCode = runWasm(bytes, argv, process.cwd());
}

if (require.main === module) main();
