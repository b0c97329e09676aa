// Which VM runs programs, and what the user is told when the native one does not fit: the header
// check (ELF, Mach-O, PE) against the machine, the WebAssembly fallback, and the setting's errors.
// Platforms are injected, so every branch runs on this machine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { locateVm } from "../src/vmLocator";
import { binaryKind, whyNotRunnable } from "../src/vmBinary";

const root = join(__dirname, "..", "..");

/** Minimal headers of each format, as the builds for the 9 targets have them. */
function elf(machine: number): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2;
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
  const b = Buffer.alloc(256);
  b.write("MZ", 0, "latin1");
  b.writeUInt32LE(0x80, 0x3c);
  b.writeUInt32BE(0x50450000, 0x80);
  b.writeUInt16LE(machine, 0x84);
  return b;
}

test("headers are read as format, OS and CPU", () => {
  assert.deepEqual(binaryKind(elf(0x3e)), { format: "ELF", os: "linux", archs: ["x64"] });
  assert.deepEqual(binaryKind(elf(0xb7)).archs, ["arm64"]);
  assert.deepEqual(binaryKind(elf(0x28)).archs, ["arm"]);
  assert.deepEqual(binaryKind(macho(0x01000007)), { format: "Mach-O", os: "darwin", archs: ["x64"] });
  assert.deepEqual(binaryKind(macho(0x0100000c)).archs, ["arm64"]);
  assert.deepEqual(binaryKind(pe(0x8664)), { format: "PE", os: "win32", archs: ["x64"] });
  assert.deepEqual(binaryKind(pe(0xaa64)).archs, ["arm64"]);
  assert.equal(binaryKind(Buffer.from("#!/bin/sh\n")).format, "script");
  assert.equal(binaryKind(Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])).format, "wasm");
  assert.equal(binaryKind(Buffer.from("hello")).format, "unknown");
});

test("a binary runs only on its own OS and CPU (with the emulation macOS and Windows on arm64 give)", () => {
  assert.equal(whyNotRunnable(binaryKind(elf(0x3e)), "linux", "x64"), null);
  assert.match(whyNotRunnable(binaryKind(elf(0xb7)), "linux", "x64")!, /built for arm64, but this machine is x64/);
  assert.match(whyNotRunnable(binaryKind(pe(0x8664)), "linux", "x64")!, /Windows executable/);
  assert.match(whyNotRunnable(binaryKind(elf(0x3e)), "win32", "x64")!, /Linux executable .* not one for Windows/);
  assert.equal(whyNotRunnable(binaryKind(macho(0x01000007)), "darwin", "arm64"), null);
  assert.equal(whyNotRunnable(binaryKind(pe(0x8664)), "win32", "arm64"), null);
  assert.match(whyNotRunnable(binaryKind(macho(0x0100000c)), "darwin", "x64")!, /built for arm64/);
  assert.match(whyNotRunnable(binaryKind(Buffer.from("#!/bin/sh\n")), "win32", "x64")!, /script/);
});

/** An extension folder holding `bin/NAME` with `header`, and optionally the WebAssembly VM. */
function extensionWith(name: string, header: Buffer | null, wasm = true): string {
  const dir = mkdtempSync(join(tmpdir(), "whispem-ext-"));
  mkdirSync(join(dir, "bin"));
  mkdirSync(join(dir, "out"));
  if (header) {
    writeFileSync(join(dir, "bin", name), header);
    chmodSync(join(dir, "bin", name), 0o755);
  }
  if (wasm) {
    writeFileSync(join(dir, "bin", "wvm.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    writeFileSync(join(dir, "out", "wvm-wasm.js"), "");
  }
  return dir;
}
const starts = () => true;

test("the shipped native VM is used when it fits; wvm.exe on Windows", () => {
  const ext = extensionWith("wvm", elf(0x3e));
  assert.deepEqual(locateVm({ extensionPath: ext, platform: "linux", arch: "x64", starts }), { vm: { kind: "native", command: join(ext, "bin", "wvm"), args: [] } });
  const win = extensionWith("wvm.exe", pe(0x8664));
  const r = locateVm({ extensionPath: win, platform: "win32", arch: "x64", starts });
  assert.deepEqual(r, { vm: { kind: "native", command: join(win, "bin", "wvm.exe"), args: [] } });
});

test("a VM for another machine falls back to WebAssembly, said once in words, never a shell error", () => {
  const ext = extensionWith("wvm", elf(0xb7));
  const r = locateVm({ extensionPath: ext, platform: "linux", arch: "x64", nodePath: "/node", starts });
  assert.ok("vm" in r);
  assert.deepEqual(r.vm, { kind: "wasm", command: "/node", args: [join(ext, "out", "wvm-wasm.js")], env: { ELECTRON_RUN_AS_NODE: "1" } });
  assert.match(r.notice!, /No native Whispem VM fits this machine \(linux-x64\).*built for arm64.*WebAssembly VM/);
  // The universal package has no native VM at all.
  const universal = extensionWith("wvm", null);
  const u = locateVm({ extensionPath: universal, platform: "darwin", arch: "arm64", nodePath: "/node", starts });
  assert.ok("vm" in u && u.vm.kind === "wasm" && /does not exist/.test(u.notice!));
});

test("a native VM that fits by its header but does not start falls back too", () => {
  const ext = extensionWith("wvm", elf(0x3e));
  const r = locateVm({ extensionPath: ext, platform: "linux", arch: "x64", nodePath: "/node", starts: () => false });
  assert.ok("vm" in r && r.vm.kind === "wasm");
  assert.match(r.notice!, /does not start/);
});

test("WHISPEM_VM / whispem.vm forces either VM", () => {
  const ext = extensionWith("wvm", elf(0x3e));
  const w = locateVm({ extensionPath: ext, platform: "linux", arch: "x64", mode: "wasm", nodePath: "/node", starts });
  assert.ok("vm" in w && w.vm.kind === "wasm" && !w.notice);
  const bad = extensionWith("wvm", elf(0xb7));
  const n = locateVm({ extensionPath: bad, platform: "linux", arch: "x64", mode: "native", starts });
  assert.ok("problem" in n && /built for arm64/.test(n.problem) && /make -C vm-c/.test(n.problem));
});

test("with neither VM the problem says how to get one", () => {
  const r = locateVm({ extensionPath: extensionWith("wvm", null, false), platform: "linux", arch: "x64", starts });
  assert.ok("problem" in r);
  assert.match(r.problem, /native Whispem VM .* does not exist, and the WebAssembly VM .*npm run build/);
});

test("whispem.vmPath wins, and a bad one is an error naming the setting (no silent fallback)", () => {
  const ext = extensionWith("wvm", elf(0x3e));
  const other = extensionWith("wvm", elf(0x3e));
  const good = join(other, "bin", "wvm");
  assert.deepEqual(locateVm({ configuredPath: good, extensionPath: ext, platform: "linux", arch: "x64", starts }), { vm: { kind: "native", command: good, args: [] } });
  const relative = locateVm({ configuredPath: "bin/wvm", extensionPath: ext, starts });
  assert.ok("problem" in relative && /whispem\.vmPath must be an absolute path/.test(relative.problem));
  const wrong = join(extensionWith("wvm", pe(0x8664)), "bin", "wvm");
  const w = locateVm({ configuredPath: wrong, extensionPath: ext, platform: "linux", arch: "x64", starts });
  assert.ok("problem" in w && /whispem\.vmPath .* Windows executable/.test(w.problem));
  const dir = locateVm({ configuredPath: other, extensionPath: ext, platform: "linux", arch: "x64", starts });
  assert.ok("problem" in dir && /not a file/.test(dir.problem));
  const missing = locateVm({ configuredPath: join(other, "nope"), extensionPath: ext, platform: "linux", arch: "x64", starts });
  assert.ok("problem" in missing && /does not exist/.test(missing.problem));
});

test("the real bin/wvm of this build fits this machine and starts", { skip: !existsSync(join(root, "bin", "wvm")) && "bin/wvm is not built" }, () => {
  const ext = extensionWith("wvm", null);
  copyFileSync(join(root, "bin", "wvm"), join(ext, "bin", "wvm"));
  chmodSync(join(ext, "bin", "wvm"), 0o755);
  const r = locateVm({ extensionPath: ext });
  assert.ok("vm" in r && r.vm.kind === "native" && !r.notice, JSON.stringify(r));
});
