// Which VM runs programs, and what the user is told when there is none: the header check for every
// platform (injected), the WebAssembly fallback, and the setting's errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { locateVm, vmMode } from "../../src/vmLocator";
import { binaryKind } from "../../../compiler/src/vmSelect";

/** Minimal executable headers, as the linkers write them. */
function elf(machine: number, klass = 2): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = klass;
  b[5] = 1;
  b.writeUInt16LE(machine, 18);
  return b;
}
function macho(cpu: number): Buffer {
  const b = Buffer.alloc(32);
  b.writeUInt32LE(0xfeedfacf, 0);
  b.writeUInt32LE(cpu, 4);
  return b;
}
function pe(machine: number): Buffer {
  const b = Buffer.alloc(0x100);
  b.write("MZ", 0, "latin1");
  b.writeUInt32LE(0x80, 0x3c);
  b.writeUInt32BE(0x50450000, 0x80);
  b.writeUInt16LE(machine, 0x84);
  return b;
}
const ELF_X64 = elf(0x3e);

function extensionWith(vm: Buffer | "script" | "none", opts: { name?: string; mode?: number; wasm?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "whispem ext é-"));
  mkdirSync(join(dir, "bin"));
  mkdirSync(join(dir, "out"));
  if (vm !== "none") {
    const file = join(dir, "bin", opts.name ?? "wvm");
    writeFileSync(file, vm === "script" ? "#!/bin/sh\n" : vm);
    chmodSync(file, opts.mode ?? 0o755);
  }
  if (opts.wasm !== false) {
    writeFileSync(join(dir, "bin", "wvm.wasm"), "\0asm");
    writeFileSync(join(dir, "out", "wvm-wasm.js"), "");
  }
  return dir;
}

test("headers: ELF, Mach-O and PE machines are read", () => {
  assert.deepEqual(binaryKind(ELF_X64), { format: "elf", cpus: ["x64"] });
  assert.deepEqual(binaryKind(elf(0xb7)), { format: "elf", cpus: ["arm64"] });
  assert.deepEqual(binaryKind(elf(0x28, 1)), { format: "elf", cpus: ["arm"] });
  assert.deepEqual(binaryKind(macho(0x01000007)), { format: "macho", cpus: ["x64"] });
  assert.deepEqual(binaryKind(macho(0x0100000c)), { format: "macho", cpus: ["arm64"] });
  assert.deepEqual(binaryKind(pe(0x8664)), { format: "pe", cpus: ["x64"] });
  assert.deepEqual(binaryKind(pe(0xaa64)), { format: "pe", cpus: ["arm64"] });
  assert.equal(binaryKind(Buffer.from("#!/bin/sh\n")), null);
});

test("the native VM shipped in the extension is used when its header fits the machine", () => {
  const ext = extensionWith(ELF_X64);
  const r = locateVm("", ext, "auto", "linux", "x64");
  assert.ok(!("problem" in r));
  assert.equal(r.kind, "native");
  assert.equal(r.command, join(ext, "bin", "wvm"));
  assert.equal(r.notice, undefined);
});

test("on Windows the shipped VM is wvm.exe", () => {
  const ext = extensionWith(pe(0x8664), { name: "wvm.exe", mode: 0o644 });
  const r = locateVm(undefined, ext, "auto", "win32", "x64");
  assert.ok(!("problem" in r) && r.kind === "native");
  assert.equal(r.command, join(ext, "bin", "wvm.exe"));
  const arm = locateVm(undefined, ext, "auto", "win32", "arm64");
  assert.ok(!("problem" in arm) && arm.kind === "wasm");
});

test("a wrong-platform or wrong-CPU VM falls back to WebAssembly, saying why once", () => {
  for (const [bin, platform, arch] of [
    [ELF_X64, "linux", "arm64"],
    [ELF_X64, "darwin", "arm64"],
    [macho(0x0100000c), "darwin", "x64"],
    [Buffer.from("#!/bin/sh\n"), "linux", "x64"],
  ] as const) {
    const ext = extensionWith(bin);
    const r = locateVm("", ext, "auto", platform, arch);
    assert.ok(!("problem" in r), `${platform}-${arch}`);
    assert.equal(r.kind, "wasm");
    assert.equal(r.command, process.execPath);
    assert.deepEqual(r.args, ["--single-threaded-gc", join(ext, "out", "wvm-wasm.js")]);
    assert.equal(r.env?.ELECTRON_RUN_AS_NODE, "1");
    assert.match(r.notice ?? "", /WebAssembly VM/);
    assert.match(r.notice ?? "", new RegExp(`${platform}-${arch}|not an executable`));
  }
  const none = locateVm("", extensionWith("none"), "auto", "freebsd", "x64");
  assert.ok(!("problem" in none) && none.kind === "wasm");
  assert.match(none.notice ?? "", /no native VM for freebsd-x64/);
});

test("no VM at all is explained with how to build one", () => {
  const r = locateVm("", extensionWith("none", { wasm: false }), "auto", "linux", "x64");
  assert.ok("problem" in r);
  assert.match(r.problem, /does not exist/);
  assert.match(r.problem, /make -C vm-c/);
  assert.match(r.problem, /whispem\.vmPath/);
  assert.match(r.problem, /wvm\.wasm/);
});

test("forcing: the wasm mode skips a good native VM; the native mode never falls back", () => {
  const ext = extensionWith(ELF_X64);
  const wasm = locateVm("", ext, "wasm", "linux", "x64");
  assert.ok(!("problem" in wasm) && wasm.kind === "wasm" && wasm.notice === undefined);
  const native = locateVm("", extensionWith(elf(0xb7)), "native", "linux", "x64");
  assert.ok("problem" in native && /ELF\) arm64 program; this machine is linux-x64/.test(native.problem));
  assert.equal(vmMode(undefined, { WHISPEM_VM: "wasm" }), "wasm");
  assert.equal(vmMode("native", {}), "native");
  assert.equal(vmMode("bogus", {}), "auto");
});

test("whispem.vmPath wins, must be absolute and fit the machine, and errors name the setting", () => {
  const ext = extensionWith("none");
  const other = extensionWith(ELF_X64);
  const good = locateVm(join(other, "bin", "wvm"), ext, "auto", "linux", "x64");
  assert.ok(!("problem" in good) && good.command === join(other, "bin", "wvm"));
  const relative = locateVm("bin/wvm", ext, "auto", "linux", "x64");
  assert.ok("problem" in relative && /whispem\.vmPath must be an absolute path/.test(relative.problem));
  const plain = locateVm(join(extensionWith(ELF_X64, { mode: 0o644 }), "bin", "wvm"), ext, "auto", "linux", "x64");
  assert.ok("problem" in plain && /whispem\.vmPath.*not executable/.test(plain.problem));
  const dir = locateVm(other, ext, "auto", "linux", "x64");
  assert.ok("problem" in dir && /not a file/.test(dir.problem));
  const wrong = locateVm(join(extensionWith(pe(0x8664)), "bin", "wvm"), ext, "auto", "linux", "x64");
  assert.ok("problem" in wrong && /whispem\.vmPath.*Windows \(PE\) x64 program/.test(wrong.problem));
});
