// Finds the native VM that runs programs: the machine-scoped `whispem.vmPath` setting, else the
// `bin/wvm` shipped inside the extension. When neither works, says how to get one.
import { accessSync, constants, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";

export type VmLocation = { path: string } | { problem: string };

function executable(path: string): string | null {
  try {
    if (!statSync(path).isFile()) return "is not a file";
    accessSync(path, constants.X_OK);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "does not exist";
    if (code === "EACCES") return "is not executable";
    return `cannot be used (${code ?? String(e)})`;
  }
}

export function locateVm(configuredPath: string | undefined, extensionPath: string): VmLocation {
  const configured = configuredPath?.trim();
  if (configured) {
    if (!isAbsolute(configured)) {
      return { problem: `The setting whispem.vmPath must be an absolute path; it is "${configured}".` };
    }
    const why = executable(configured);
    if (why) return { problem: `The Whispem VM set in whispem.vmPath (${configured}) ${why}. Point whispem.vmPath at a built \`wvm\`, or clear the setting to use the VM shipped with the extension.` };
    return { path: configured };
  }
  const bundled = join(extensionPath, "bin", "wvm");
  const why = executable(bundled);
  if (why) {
    return {
      problem:
        `The Whispem VM shipped with the extension (${bundled}) ${why}. ` +
        "Build it from the extension's sources with `make -C vm-c` (needs a C11 compiler; `npm run build` does it too), " +
        "or set whispem.vmPath to the absolute path of a `wvm` executable.",
    };
  }
  return { path: bundled };
}
