// Bundles the extension-host mocha suite (client/test/suite) into one CommonJS file for either
// launcher; `vscode` and `mocha` stay external (the extension host and node_modules provide them).
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { join } from "node:path";

export async function bundleSuite(root, outDir) {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: [join(root, "client/test/suite/index.ts")],
    outfile: join(outDir, "index.js"),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node18",
    external: ["vscode", "mocha"],
    sourcemap: "inline",
    logLevel: "warning",
  });
}
