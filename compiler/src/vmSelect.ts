// Which VM runs a program: a native `wvm` whose header says it is for this OS and CPU, else the
// WebAssembly VM (bin/wvm.wasm under Node, through out/wvm-wasm.js). Shared by the CLI and the
// extension; no vscode here. The platform and architecture are parameters, so every platform's
// path is testable on any machine.
import { accessSync, closeSync, constants, openSync, readSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";

export type BinaryFormat = "elf" | "macho" | "pe";
export type Cpu = "x64" | "arm64" | "arm" | "ia32" | "other";
export interface BinaryKind {
  format: BinaryFormat;
  /** The CPUs the file holds code for (a Mach-O universal binary may hold several). */
  cpus: Cpu[];
}

function elfCpu(machine: number): Cpu {
  return machine === 0x3e ? "x64" : machine === 0xb7 ? "arm64" : machine === 0x28 ? "arm" : machine === 0x03 ? "ia32" : "other";
}
function machoCpu(type: number): Cpu {
  return type === 0x01000007 ? "x64" : type === 0x0100000c ? "arm64" : type === 7 ? "ia32" : type === 12 ? "arm" : "other";
}
function peCpu(machine: number): Cpu {
  return machine === 0x8664 ? "x64" : machine === 0xaa64 ? "arm64" : machine === 0x14c ? "ia32" : machine === 0x1c4 ? "arm" : "other";
}

/** Reads an executable's header: ELF e_machine, Mach-O CPU type, PE machine. Null when none of them. */
export function binaryKind(head: Uint8Array): BinaryKind | null {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length >= 20 && b.readUInt32BE(0) === 0x7f454c46) {
    const machine = b[5] === 2 ? b.readUInt16BE(18) : b.readUInt16LE(18);
    return { format: "elf", cpus: [elfCpu(machine)] };
  }
  if (b.length >= 8 && (b.readUInt32LE(0) === 0xfeedfacf || b.readUInt32LE(0) === 0xfeedface)) {
    return { format: "macho", cpus: [machoCpu(b.readUInt32LE(4))] };
  }
  if (b.length >= 8 && b.readUInt32BE(0) === 0xcafebabe) {
    const n = b.readUInt32BE(4);
    if (n === 0 || n > 16) return null; // 0xcafebabe is also a Java class file
    const cpus: Cpu[] = [];
    for (let i = 0; i < n && 8 + i * 20 + 4 <= b.length; i++) cpus.push(machoCpu(b.readUInt32BE(8 + i * 20)));
    return { format: "macho", cpus };
  }
  if (b.length >= 0x40 && b[0] === 0x4d && b[1] === 0x5a) {
    const pe = b.readUInt32LE(0x3c);
    if (pe + 6 <= b.length && b.readUInt32BE(pe) === 0x50450000) return { format: "pe", cpus: [peCpu(b.readUInt16LE(pe + 4))] };
  }
  return null;
}

/** The executable format of a platform, or null where no native `wvm` is built (use WebAssembly). */
export function formatFor(platform: NodeJS.Platform): BinaryFormat | null {
  return platform === "linux" ? "elf" : platform === "darwin" ? "macho" : platform === "win32" ? "pe" : null;
}

/** The VM's file name on a platform. */
export function wvmName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "wvm.exe" : "wvm";
}

const FORMAT_NAMES: Record<BinaryFormat, string> = { elf: "Linux (ELF)", macho: "macOS (Mach-O)", pe: "Windows (PE)" };

/** Why `path` cannot run here, or null when it can (exists, executable, right format and CPU). */
export function nativeProblem(path: string, platform: NodeJS.Platform, arch: string): string | null {
  let head: Buffer;
  try {
    if (!statSync(path).isFile()) return "is not a file";
    if (platform !== "win32") accessSync(path, constants.X_OK);
    head = Buffer.alloc(4096);
    const fd = openSync(path, "r");
    try {
      head = head.subarray(0, readSync(fd, head, 0, head.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "does not exist";
    if (code === "EACCES") return "is not executable";
    return `cannot be used (${code ?? String(e)})`;
  }
  const kind = binaryKind(head);
  if (!kind) return "is not an executable program (no ELF, Mach-O or PE header)";
  const want = formatFor(platform);
  const cpus = kind.cpus.join("+");
  if (kind.format !== want || !kind.cpus.includes(arch as Cpu)) {
    return `is a ${FORMAT_NAMES[kind.format]} ${cpus} program; this machine is ${platform}-${arch}`;
  }
  return null;
}

export type VmMode = "auto" | "native" | "wasm";

/** How to start the VM: `command` then `args` then the .whbc file and the program's arguments. */
export interface VmCommand {
  kind: "native" | "wasm";
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** Said once in the run output when the WebAssembly VM stands in for a native one. */
  notice?: string;
}

export interface VmChoiceInput {
  mode: VmMode;
  /** The user's explicit native VM (whispem.vmPath / $WHISPEM_WVM), absolute; "" for none. */
  configuredPath?: string;
  /** What names the configured path in messages (e.g. "the setting whispem.vmPath"). */
  configuredName?: string;
  /** The folder holding the shipped `wvm`/`wvm.exe` and `wvm.wasm`. */
  binDir: string;
  /** The Node (or Electron) executable and the host script out/wvm-wasm.js. */
  node: string;
  wasmHost: string;
  platform: NodeJS.Platform;
  arch: string;
}

export function wasmCommand(input: Pick<VmChoiceInput, "node" | "wasmHost" | "binDir">, notice?: string): VmCommand {
  return {
    kind: "wasm",
    command: input.node,
    // --single-threaded-gc: see vm-wasm/wvm-wasm.ts (NODE_FLAGS); Node 20 aborts now and then without it.
    args: ["--single-threaded-gc", input.wasmHost],
    env: { ELECTRON_RUN_AS_NODE: "1", WHISPEM_WVM_WASM: join(input.binDir, "wvm.wasm") },
    notice,
  };
}

/** Picks the VM, or says why none can run. */
export function chooseVm(input: VmChoiceInput): VmCommand | { problem: string } {
  const wasmFile = join(input.binDir, "wvm.wasm");
  const wasmReady = (): string | null => {
    try {
      statSync(wasmFile);
      statSync(input.wasmHost);
      return null;
    } catch {
      return `The WebAssembly VM (${wasmFile}) is missing; build it with \`npm run build\`.`;
    }
  };
  if (input.mode === "wasm") {
    const missing = wasmReady();
    return missing ? { problem: missing } : wasmCommand(input);
  }
  const configured = input.configuredPath?.trim();
  if (configured) {
    const name = input.configuredName ?? "the setting whispem.vmPath";
    if (!isAbsolute(configured)) return { problem: `${name} must be an absolute path; it is "${configured}".` };
    const why = nativeProblem(configured, input.platform, input.arch);
    if (why) {
      return {
        problem: `The Whispem VM set in ${name} (${configured}) ${why}. Point it at a \`wvm\` built for this machine, or clear it to use the VM shipped with the extension.`,
      };
    }
    return { kind: "native", command: configured, args: [] };
  }
  const bundled = join(input.binDir, wvmName(input.platform));
  const why = nativeProblem(bundled, input.platform, input.arch);
  if (!why) return { kind: "native", command: bundled, args: [] };
  const missing = wasmReady();
  if (input.mode === "native" || missing) {
    return {
      problem:
        `The Whispem VM shipped with the extension (${bundled}) ${why}. ` +
        "Build it with `make -C vm-c` (needs a C11 compiler; `npm run build` does it too), " +
        "or set whispem.vmPath to the absolute path of a `wvm` executable." +
        (missing && input.mode !== "native" ? ` ${missing}` : ""),
    };
  }
  const reason = why === "does not exist" ? `no native VM for ${input.platform}-${input.arch} in this package` : `the native VM ${bundled} ${why}`;
  return wasmCommand(input, `[whispem] Running on the WebAssembly VM: ${reason}.\n`);
}
