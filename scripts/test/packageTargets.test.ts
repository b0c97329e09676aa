// `npm run package`: one .vsix per VS Code target with only its own native `wvm` (right format and
// CPU, read from the header inside the package) beside the WebAssembly VM, and a universal .vsix with
// the WebAssembly VM only. Runs the real script (vsce, zig cross builds) on the tree npm test built.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { binaryKind } from "../../compiler/src/vmBinary";

const root = join(__dirname, "..", "..");

/** The files of a zip (a .vsix), by name, decompressed. */
function unzip(zip: Buffer): Map<string, Buffer> {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataAt, dataAt + size);
    files.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

const EXPECTED: Record<string, { exe: string; format: string; arch: string }> = {
  "win32-x64": { exe: "wvm.exe", format: "PE", arch: "x64" },
  "win32-arm64": { exe: "wvm.exe", format: "PE", arch: "arm64" },
  "linux-x64": { exe: "wvm", format: "ELF", arch: "x64" },
  "linux-arm64": { exe: "wvm", format: "ELF", arch: "arm64" },
  "linux-armhf": { exe: "wvm", format: "ELF", arch: "arm" },
  "alpine-x64": { exe: "wvm", format: "ELF", arch: "x64" },
  "alpine-arm64": { exe: "wvm", format: "ELF", arch: "arm64" },
  "darwin-x64": { exe: "wvm", format: "Mach-O", arch: "x64" },
  "darwin-arm64": { exe: "wvm", format: "Mach-O", arch: "arm64" },
};

const zigMissing = spawnSync(process.execPath, ["-e", "import('./scripts/toolchain.mjs').then(m => process.exit(m.ensureZig().zig ? 0 : 1))"], { cwd: root }).status !== 0;

test("npm run package: a .vsix per platform, each with only its own native VM, and a universal one", { skip: (zigMissing && "no zig to cross-build with") || (!existsSync(join(root, "bin", "wvm.wasm")) && "run `npm run build` first") }, () => {
  const out = mkdtempSync(join(tmpdir(), "whispem-dist-"));
  const r = spawnSync(process.execPath, [join(root, "scripts", "package.mjs"), "--out", out, "--no-build"], { cwd: root, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  for (const [target, want] of Object.entries(EXPECTED)) {
    const files = unzip(readFileSync(join(out, `whispem-${target}.vsix`)));
    const native = [...files.keys()].filter((f) => f.startsWith("extension/bin/") && f !== "extension/bin/wvm.wasm");
    assert.deepEqual(native, [`extension/bin/${want.exe}`], `${target}: the only native file`);
    const kind = binaryKind(files.get(`extension/bin/${want.exe}`)!.subarray(0, 4096));
    assert.equal(kind.format, want.format, target);
    assert.deepEqual(kind.archs, [want.arch], target);
    assert.equal(binaryKind(files.get("extension/bin/wvm.wasm")!).format, "wasm", `${target}: the WebAssembly VM beside it`);
    assert.ok(files.has("extension/out/wvm-wasm.js"), `${target}: the WebAssembly host`);
    const platform = files.get("extension.vsixmanifest")!.toString("utf8").match(/TargetPlatform="([^"]+)"/)?.[1];
    assert.equal(platform, target, `${target}: the package says its platform`);
  }
  const universal = unzip(readFileSync(join(out, "whispem-universal.vsix")));
  assert.deepEqual([...universal.keys()].filter((f) => f.startsWith("extension/bin/")), ["extension/bin/wvm.wasm"]);
});
