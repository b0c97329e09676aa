// What a file is as an executable: its format and CPU, read from its header (ELF, Mach-O, PE), and
// whether it can run on a given OS and architecture. So a wrong `wvm` is refused with a reason before
// it is started (started anyway, the system would hand it to /bin/sh and print a shell error).

export interface BinaryKind {
  format: "ELF" | "Mach-O" | "PE" | "wasm" | "script" | "unknown";
  /** The operating system the format belongs to. */
  os?: "linux" | "darwin" | "win32";
  /** CPUs as Node names them (process.arch); a universal Mach-O lists several. */
  archs: string[];
}

const ELF_MACHINES: Record<number, string> = { 0x3e: "x64", 0xb7: "arm64", 0x28: "arm", 0x03: "ia32", 0xf3: "riscv64" };
const MACHO_CPUS: Record<number, string> = { 0x01000007: "x64", 0x0100000c: "arm64", 0x07: "ia32", 0x0c: "arm" };
const PE_MACHINES: Record<number, string> = { 0x8664: "x64", 0xaa64: "arm64", 0x14c: "ia32", 0x1c4: "arm" };

/** Reads the first bytes of an executable (4 KB is plenty) and says what it is. */
export function binaryKind(head: Uint8Array): BinaryKind {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length >= 20 && b.readUInt32BE(0) === 0x7f454c46) {
    const le = b[5] === 1;
    const machine = le ? b.readUInt16LE(18) : b.readUInt16BE(18);
    return { format: "ELF", os: "linux", archs: [ELF_MACHINES[machine] ?? `machine 0x${machine.toString(16)}`] };
  }
  if (b.length >= 8) {
    const magicLE = b.readUInt32LE(0);
    if (magicLE === 0xfeedfacf || magicLE === 0xfeedface) {
      const cpu = b.readUInt32LE(4);
      return { format: "Mach-O", os: "darwin", archs: [MACHO_CPUS[cpu] ?? `cpu 0x${cpu.toString(16)}`] };
    }
    if (b.readUInt32BE(0) === 0xcafebabe) {
      // A universal (fat) Mach-O: big-endian count, then 20-byte entries starting with the CPU type.
      const n = b.readUInt32BE(4);
      const archs: string[] = [];
      for (let i = 0; i < n && 8 + i * 20 + 4 <= b.length; i++) {
        const cpu = b.readUInt32BE(8 + i * 20);
        archs.push(MACHO_CPUS[cpu] ?? `cpu 0x${cpu.toString(16)}`);
      }
      return { format: "Mach-O", os: "darwin", archs };
    }
  }
  if (b.length >= 0x40 && b[0] === 0x4d && b[1] === 0x5a) {
    const pe = b.readUInt32LE(0x3c);
    if (pe + 6 <= b.length && b.readUInt32BE(pe) === 0x50450000) {
      const machine = b.readUInt16LE(pe + 4);
      return { format: "PE", os: "win32", archs: [PE_MACHINES[machine] ?? `machine 0x${machine.toString(16)}`] };
    }
  }
  if (b.length >= 4 && b.readUInt32BE(0) === 0x0061736d) return { format: "wasm", archs: [] };
  if (b.length >= 2 && b[0] === 0x23 && b[1] === 0x21) return { format: "script", archs: [] };
  return { format: "unknown", archs: [] };
}

const OS_NAMES: Record<string, string> = { linux: "Linux", darwin: "macOS", win32: "Windows" };

/** Why `kind` cannot run on `platform`/`arch`, or null when it can. */
export function whyNotRunnable(kind: BinaryKind, platform: NodeJS.Platform, arch: string): string | null {
  if (kind.format === "script") return platform === "win32" ? "is a script, not a Windows executable" : null;
  if (kind.format === "unknown") return "is not an executable (no ELF, Mach-O or PE header)";
  if (kind.format === "wasm") return "is a WebAssembly module, not a native executable";
  if (kind.os !== platform) return `is a ${OS_NAMES[kind.os!] ?? kind.os} executable (${kind.format}, ${kind.archs.join("/")}), not one for ${OS_NAMES[platform] ?? platform}`;
  // macOS runs x64 code on arm64 through Rosetta; Windows on arm64 emulates x64 too.
  const emulated = arch === "arm64" && (platform === "darwin" || platform === "win32") && kind.archs.includes("x64");
  if (!kind.archs.includes(arch) && !emulated) return `is built for ${kind.archs.join("/")}, but this machine is ${arch}`;
  return null;
}
