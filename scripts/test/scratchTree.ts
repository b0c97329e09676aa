// A scratch copy of the working tree for the package tests: `vsce` lists every file under its
// folder before applying .vscodeignore (the code-server install in .vscode-test/ alone is tens of
// thousands), and `npm run package` swaps bin/ and rebuilds out/ while other test files run. The
// copy has the sources, manifest, media, fixtures and the built bin/ and out/ with their times (so
// nothing up to date is rebuilt); node_modules is a link; dot folders, dist/ and vm-c/build/ stay out.
import { cpSync, mkdtempSync, realpathSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";

export const ROOT = join(__dirname, "../..");

export function scratchTree(): string {
  const copy = mkdtempSync(join(tmpdir(), "whispem-tree-"));
  const skipped = new Set(["node_modules", "dist", join("vm-c", "build")]);
  cpSync(ROOT, copy, {
    recursive: true,
    preserveTimestamps: true,
    filter: (src) => {
      const rel = relative(ROOT, src);
      if (rel === "") return true;
      const top = rel.split(sep)[0];
      return !skipped.has(rel) && (!top.startsWith(".") || top === ".vscodeignore");
    },
  });
  symlinkSync(realpathSync(join(ROOT, "node_modules")), join(copy, "node_modules"));
  return copy;
}
