#!/usr/bin/env node
// Builds every artefact of the package: the three JavaScript bundles (esbuild) and the native VM (make).
//   node scripts/build.mjs [--production] [--no-vm]
import { build } from "esbuild";
import { existsSync, mkdirSync, chmodSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";

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

/** Each bundle: its entry point, its output, and what stays external. */
const bundles = [
  { entry: "compiler/src/cli.ts", out: "out/whispem.js", banner: "#!/usr/bin/env node", external: [] },
  { entry: "server/src/server.ts", out: "out/server.js", external: [] },
  { entry: "client/src/debug/adapter/main.ts", out: "out/debugAdapter.js", external: [] },
  { entry: "client/src/extension.ts", out: "out/extension.js", external: ["vscode"], plugins: [languageClientApart] },
  { entry: languageClientEntry, out: "out/languageclient.js", external: ["vscode"] },
];

export async function buildAll({ vm = withVm } = {}) {
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
      sourcemap: production ? false : "linked",
      minify: production,
      external: b.external,
      plugins: b.plugins ?? [],
      banner: b.banner ? { js: b.banner } : undefined,
      logLevel: "warning",
    });
    if (b.banner) chmodSync(join(root, b.out), 0o755);
  }
  if (vm && existsSync(join(root, "vm-c/Makefile"))) {
    const r = spawnSync("make", ["-s", "-C", join(root, "vm-c")], { stdio: "inherit" });
    if (r.status !== 0) throw new Error("building bin/wvm failed (make -C vm-c); a C11 compiler (cc) is needed");
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildAll().catch((e) => {
    console.error(e.message ?? e);
    process.exit(1);
  });
}
