// The bytecode subcommands of the `whispem` CLI: `compile`, `dump` and `run` (cli.ts dispatches
// to them). Messages follow the reference's form: `FILE: [line L, col C] Error: MESSAGE`.
import { outputRefusal, writeOutputFile } from "./outputFile";
import { readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { spawn } from "node:child_process";
import { tmpdir, constants } from "node:os";
import { join } from "node:path";
import { compile } from "./compiler";
import { referenceText } from "./diagnostics";
import { readWhbc } from "./whbc";
import { disassemble } from "./disasm";
import { chooseVm, VmCommand, VmMode } from "./vmSelect";
import { debugInfo, debugInfoJson } from "./debugInfo";

/** What a subcommand may write; the CLI passes the process streams, tests pass buffers. */
export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processOutput: CliOutput = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** strerror()'s text for the usual failures, as the C VM prints them. */
const OS_TEXT: Record<string, string> = {
  ENOENT: "No such file or directory",
  EISDIR: "Is a directory",
  ENOTDIR: "Not a directory",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  ENOSPC: "No space left on device",
  EROFS: "Read-only file system",
};

/** The OS's text for a failed file operation ("No such file or directory"), without Node's decoration. */
function osReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code && OS_TEXT[code]) return OS_TEXT[code];
  const message = e instanceof Error ? e.message : String(e);
  const m = /^[A-Z]+: ([^,]+)/.exec(message);
  const text = m ? m[1] : message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function readOrReport(path: string, out: CliOutput): Buffer | null {
  try {
    return readFileSync(path);
  } catch (e) {
    out.stderr(`Cannot read '${path}': ${osReason(e)}\n`);
    return null;
  }
}

/** Compiles the source file; on error reports the first diagnostic as the reference does. */
function compileFile(path: string, out: CliOutput): ReturnType<typeof compile> | null {
  const source = readOrReport(path, out);
  if (source === null) return null;
  const result = compile(source.toString("utf8"));
  if (result.bytes === null) {
    const first = result.diagnostics.find((d) => d.severity === "error") ?? result.diagnostics[0];
    out.stderr(`${path}: ${referenceText(first)}\n`);
    return null;
  }
  return result;
}

function defaultOutput(source: string): string {
  return source.endsWith(".wsp") ? source.slice(0, -4) + ".whbc" : source + ".whbc";
}

/** `whispem compile FILE.wsp [-o OUT.whbc]` */
export function compileCommand(args: string[], out: CliOutput = processOutput): number {
  let source: string | undefined;
  let target: string | undefined;
  let withDebugInfo = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "-o" || args[i] === "--output") target = args[++i];
    else if (args[i] === "--debug-info") withDebugInfo = true;
    else if (source === undefined) source = args[i];
    else source = "";
  }
  if (!source || (args.includes("-o") && !target)) {
    out.stderr("usage: whispem compile FILE.wsp [-o OUT.whbc] [--debug-info]\n");
    return 2;
  }
  const path = target ?? defaultOutput(source);
  const refusal = outputRefusal(source, path);
  if (refusal) {
    out.stderr(`${refusal}\n`);
    return 2;
  }
  const result = compileFile(source, out);
  if (result === null) return 1;
  try {
    writeOutputFile(path, result.bytes!);
  } catch (e) {
    out.stderr(`Cannot write '${path}': ${osReason(e)}\n`);
    return 1;
  }
  if (withDebugInfo) {
    // Beside the bytecode, never inside it (docs/debug-info.md).
    const side = `${path}.dbg.json`;
    try {
      writeFileSync(side, debugInfoJson(debugInfo(result.chunks!)));
    } catch (e) {
      out.stderr(`Cannot write '${side}': ${osReason(e)}\n`);
      return 1;
    }
  }
  return 0;
}

/** `whispem dump FILE.wsp|FILE.whbc`: the disassembly listing of a source or a bytecode file. */
export function dumpCommand(args: string[], out: CliOutput = processOutput): number {
  if (args.length !== 1) {
    out.stderr("usage: whispem dump FILE.wsp|FILE.whbc\n");
    return 2;
  }
  const path = args[0];
  if (path.endsWith(".whbc")) {
    const bytes = readOrReport(path, out);
    if (bytes === null) return 1;
    const r = readWhbc(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (!r.ok) {
      out.stderr(`${path}: Error: ${r.error}\n`);
      return 1;
    }
    out.stdout(disassemble(r.file));
    return 0;
  }
  const result = compileFile(path, out);
  if (result === null) return 1;
  out.stdout(disassemble(result.file!));
  return 0;
}

/** Where `bin/wvm` is: beside the bundle (`out/../bin`) or the sources (`compiler/src/../../bin`). */
export function findWvm(): string | null {
  const exe = process.platform === "win32" ? "wvm.exe" : "wvm";
  const fromEnv = process.env.WHISPEM_WVM;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  for (const root of [join(__dirname, ".."), join(__dirname, "..", "..")]) {
    const candidate = join(root, "bin", exe);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * `whispem run [--vm native|wasm] FILE.wsp [ARGS…]`: compiles in memory and runs the bytecode with
 * `bin/wvm` (or the WebAssembly VM: forced, or where no native VM fits this machine), passing stdin, stdout and the exit status through. The VM names the temporary file in its
 * messages; stderr is rewritten so that they name the source file instead.
 */
export function runCommand(args: string[], out: CliOutput = processOutput): Promise<number> {
  let mode: VmMode = "auto";
  if (args[0] === "--vm") {
    if (args[1] !== "native" && args[1] !== "wasm") {
      out.stderr(`whispem: --vm takes native or wasm, not ${args[1] === undefined ? "nothing" : `'${args[1]}'`}\n`);
      return Promise.resolve(2);
    }
    mode = args[1];
    args = args.slice(2);
  }
  if (args.length < 1) {
    out.stderr("usage: whispem run [--vm native|wasm] FILE.wsp|FILE.whbc [ARGS...]\n");
    return Promise.resolve(2);
  }
  const [path, ...programArgs] = args;
  const vm = findVm(mode);
  let compiled: string;
  let dir: string | null = null;
  if (path.endsWith(".whbc")) {
    compiled = path; // bytecode runs as it is; the VM names and checks it
  } else {
    const result = compileFile(path, out);
    if (result === null) return Promise.resolve(1);
    if ("problem" in vm) {
      out.stderr(`whispem: ${vm.problem}\n`);
      return Promise.resolve(1);
    }
    dir = mkdtempSync(join(tmpdir(), "whispem-run-"));
    compiled = join(dir, "program.whbc");
    writeFileSync(compiled, result.bytes!);
  }
  if ("problem" in vm) {
    out.stderr(`whispem: ${vm.problem}\n`);
    return Promise.resolve(1);
  }
  if (vm.notice) out.stderr(vm.notice);
  return new Promise((resolve) => {
    const child = spawn(vm.command, [...vm.args, compiled, ...programArgs], {
      stdio: ["inherit", "inherit", "pipe"],
      cwd: process.cwd(),
      env: vm.env ? { ...process.env, ...vm.env } : process.env,
    });
    let pending = "";
    const prefix = `${compiled}: `;
    const rewrite = (line: string) => (line.startsWith(prefix) ? `${path}: ${line.slice(prefix.length)}` : line);
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      pending += chunk;
      for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n")) {
        out.stderr(rewrite(pending.slice(0, nl)) + "\n");
        pending = pending.slice(nl + 1);
      }
    });
    const finish = (status: number) => {
      if (pending.length > 0) out.stderr(rewrite(pending));
      if (dir) rmSync(dir, { recursive: true, force: true });
      resolve(status);
    };
    child.on("error", (e) => {
      out.stderr(`whispem: cannot start ${vm.command}: ${osReason(e)}\n`);
      finish(1);
    });
    child.on("close", (code, signal) => finish(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  });
}

/**
 * The VM for `whispem run`: $WHISPEM_WVM (a native wvm) if set, else bin/wvm[.exe] beside the
 * bundle when it fits this machine, else the WebAssembly VM (bin/wvm.wasm + out/wvm-wasm.js).
 */
export function findVm(mode: VmMode): VmCommand | { problem: string } {
  const forced = process.env.WHISPEM_VM;
  if (mode === "auto" && (forced === "wasm" || forced === "native")) mode = forced;
  const roots = [join(__dirname, ".."), join(__dirname, "..", "..")];
  const root = roots.find((r) => existsSync(join(r, "bin"))) ?? roots[0];
  return chooseVm({
    mode,
    configuredPath: process.env.WHISPEM_WVM ?? "",
    configuredName: "$WHISPEM_WVM",
    binDir: join(root, "bin"),
    node: process.execPath,
    wasmHost: join(root, "out", "wvm-wasm.js"),
    platform: process.platform,
    arch: process.arch,
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  const n = constants.signals[signal];
  return typeof n === "number" ? n : 0;
}
