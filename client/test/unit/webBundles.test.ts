// The web bundles (vscode.dev / github.dev): built for the browser, they pull in no Node built-in,
// and together they stay within 1 MB minified.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
// @ts-expect-error: a plain JavaScript build script
import { webBundles, pageBundles, webBuildOptions, noNodeBuiltins } from "../../../scripts/build.mjs";

interface WebBundle {
  entry: string;
  out: string;
}

test("each web bundle builds for the browser with every Node built-in refused, and reads no Node module", async () => {
  for (const b of webBundles as WebBundle[]) {
    const r = await build({ ...webBuildOptions(b, { minify: true }), write: false, metafile: true, logLevel: "silent" });
    const inputs = Object.keys(r.metafile?.inputs ?? {});
    assert.ok(inputs.length > 1, `${b.out} bundles its sources`);
    const node = inputs.filter((i) => /(^|\/)node:|\/(lib\/node|node)\/main\.js$/.test(i));
    assert.deepEqual(node, [], `${b.out} includes Node-only modules`);
  }
});

test("the plugin that guards the web bundles fails a build importing node:fs or path", async () => {
  const dir = mkdtempSync(join(tmpdir(), "whispem-web-"));
  for (const [name, source] of [
    ["a.ts", 'import { readFileSync } from "node:fs"; console.log(readFileSync);'],
    ["b.ts", 'import { join } from "path"; console.log(join);'],
  ]) {
    writeFileSync(join(dir, name), source);
    await assert.rejects(
      build({ entryPoints: [join(dir, name)], bundle: true, platform: "browser", write: false, logLevel: "silent", plugins: [noNodeBuiltins] }),
      /may not import the Node built-in/,
    );
  }
});

test("the whole web part (the bundles minified, and bin/wvm-web.wasm when built) is within 1 MiB", async () => {
  let total = 0;
  for (const b of webBundles as WebBundle[]) {
    const r = await build({ ...webBuildOptions(b, { minify: true }), write: false, logLevel: "silent" });
    total += (r.outputFiles ?? []).reduce((n, f) => n + f.contents.length, 0);
  }
  const wasm = join(__dirname, "..", "..", "..", "bin", "wvm-web.wasm");
  if (existsSync(wasm)) total += statSync(wasm).size;
  assert.ok(total <= 1024 * 1024, `the web part is ${total} bytes`);
});

test("the browser's VM (bin/wvm-web.wasm) imports WASI only; the Node host's (bin/wvm.wasm) also the control channel's host imports", { skip: !existsSync(join(__dirname, "..", "..", "..", "bin", "wvm-web.wasm")) && "bin/wvm-web.wasm not built (zig missing)" }, () => {
  const modules = (name: string) => {
    const bytes = readFileSync(join(__dirname, "..", "..", "..", "bin", name));
    // The Node typings leave out the static Module.imports (a standard WebAssembly JS API).
    const imports = (WebAssembly.Module as unknown as { imports(m: WebAssembly.Module): { module: string }[] }).imports;
    return new Set(imports(new WebAssembly.Module(bytes)).map((i) => i.module));
  };
  assert.deepEqual([...modules("wvm-web.wasm")], ["wasi_snapshot_preview1"]);
  assert.deepEqual([...modules("wvm.wasm")].sort(), ["wasi_snapshot_preview1", "whispem_host"]);
});

test("the webview pages' scripts build for the browser with every Node built-in refused", async () => {
  for (const b of pageBundles as WebBundle[]) {
    const r = await build({ ...webBuildOptions(b, { minify: true }), write: false, metafile: true, logLevel: "silent" });
    assert.ok(Object.keys(r.metafile?.inputs ?? {}).length > 1, `${b.out} bundles its sources`);
    assert.ok(!(r.outputFiles ?? []).some((f) => f.path.endsWith(".map")), `${b.out} has no source map`);
  }
});
