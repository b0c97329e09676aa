// The .vsix that `vsce` makes from the built tree: the bundles, the VM, the grammar and
// configuration, README and LICENSE; no sources, tests, source maps or node_modules; under 3 MB.
// vsce runs in a scratch copy of the built tree (see scripts/test/scratchTree.ts).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scratchTree } from "../../../scripts/test/scratchTree";

const root = join(__dirname, "..", "..", "..");
let tree: string | undefined;
after(() => {
  if (tree) rmSync(tree, { recursive: true, force: true });
});

/** Entry names from a zip's central directory (the .vsix format is a zip). */
function zipEntries(zip: Buffer): string[] {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  assert.ok(end >= 0, "a zip end-of-central-directory record");
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, "a central directory entry");
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString("utf8", at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

test("the packaged extension holds what runs and nothing else", { skip: !existsSync(join(root, "out", "extension.js")) && "run `npm run build` first" }, () => {
  tree = scratchTree();
  const vsix = join(mkdtempSync(join(tmpdir(), "whispem-vsix-")), "whispem.vsix");
  // The same vsce invocation as `npm run package`, on the tree `npm test` has just built.
  const vsce = join(root, "node_modules", ".bin", "vsce");
  const r = spawnSync(vsce, ["package", "--no-dependencies", "--allow-missing-repository", "--no-rewrite-relative-links", "-o", vsix], { cwd: tree, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const size = statSync(vsix).size;
  assert.ok(size < 3 * 1024 * 1024, `${size} bytes`);

  const files = zipEntries(readFileSync(vsix)).filter((n) => n.startsWith("extension/")).map((n) => n.slice("extension/".length)).sort();
  const required = ["package.json", "out/extension.js", "out/languageclient.js", "out/server.js", "out/whispem.js", "bin/wvm", "syntaxes/whispem.tmLanguage.json", "syntaxes/language-configuration.json", "readme.md", "LICENSE.txt"];
  // The web build (vscode.dev, github.dev), and the WebAssembly VM it runs programs with when built.
  required.push("out/web/extension.js", "out/web/server.js", "out/web/vmWorker.js", "out/media/bytecodeView.js");
  // The parts of the extension loaded on first use (scripts/build.mjs extensionParts).
  for (const f of readdirSync(join(root, "out", "parts")).filter((f) => f.endsWith(".js"))) required.push(`out/parts/${f}`);
  assert.ok(required.includes("out/parts/debugSession.js"), "the debug adapter is a part of its own");
  for (const w of ["wvm.wasm", "wvm-web.wasm"]) if (existsSync(join(root, "bin", w))) required.push(`bin/${w}`);
  for (const f of required) assert.ok(files.includes(f), `${f} is packaged (have: ${files.join(", ")})`);
  const unwanted = files.filter((f) => /\.(ts|map|mjs|c|h)$/.test(f) || /(^|\/)(node_modules|test|tests|test-fixtures|client|server|compiler|vm-c|scripts|bench)\//.test(f));
  assert.deepEqual(unwanted, []);

  // The manifest inside is the one that declares what the package needs.
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  assert.equal(manifest.main, "./out/extension.js");
  assert.equal(manifest.browser, "./out/web/extension.js");
  assert.equal(manifest.contributes.configuration.properties["whispem.vmPath"].scope, "machine");
  assert.ok(!manifest.activationEvents.includes("*"));

  // The icons are packaged; every line of .vscodeignore that lets files in still matches one.
  for (const f of [manifest.icon, manifest.contributes.languages[0].icon.light]) assert.ok(files.includes(f.replace(/^\.\//, "")), `${f} is packaged`);
  const keep = readFileSync(join(root, ".vscodeignore"), "utf8").split("\n").filter((l) => l.startsWith("!"));
  const globToRegExp = (g: string) => new RegExp("^" + g.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*/g, "\0").replace(/\*/g, "[^/]*").replace(/\0/g, ".*") + "$", "i");
  const packaged = files.map((f) => f.replace(/^readme\.md$/, "README.md").replace(/^LICENSE\.txt$/, "LICENSE").replace(/^changelog\.md$/, "CHANGELOG.md"));
  // bin/wvm.exe is only in the Windows packages (npm run package); this tree is built for Linux.
  const otherPlatforms = new Set(["!bin/wvm.exe"]);
  for (const line of keep) {
    if (otherPlatforms.has(line)) continue;
    assert.ok(packaged.some((f) => globToRegExp(line.slice(1)).test(f)), `.vscodeignore line ${line} matches nothing packaged`);
  }

  // README links that are not web links point at files inside the package.
  const readme = readFileSync(join(root, "README.md"), "utf8");
  for (const [, target] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^(https?:|#|mailto:)/.test(target)) continue;
    assert.ok(files.includes(target), `README links to ${target}, which is not in the package`);
  }

  // `vsce ls` (what the package would hold) agrees: the icon, no stale entries.
  const ls = spawnSync(vsce, ["ls", "--no-dependencies"], { cwd: tree, encoding: "utf8" });
  assert.equal(ls.status, 0, ls.stderr);
  const listed = ls.stdout.split("\n").map((l) => l.trim()).filter(Boolean);
  assert.ok(listed.includes("media/icon.png"), listed.join(", "));
  assert.ok(listed.includes("media/wsp-file.svg"));
  assert.deepEqual(listed.filter((f) => !existsSync(join(root, f))), [], "every listed file exists");
});
