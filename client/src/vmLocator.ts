// Finds the VM that runs programs (see compiler/src/vmSelect.ts): the machine-scoped
// `whispem.vmPath`, else the `bin/wvm` shipped inside the extension when its header fits this
// machine, else the WebAssembly VM; `whispem.vm` (or $WHISPEM_VM) forces one. When none works,
// says how to get one.
import { join } from "node:path";
import { chooseVm, VmCommand, VmMode } from "../../compiler/src/vmSelect";

export type VmLocation = VmCommand | { problem: string };

export function vmMode(setting: string | undefined, env: NodeJS.ProcessEnv = process.env): VmMode {
  const forced = env.WHISPEM_VM;
  if (forced === "wasm" || forced === "native") return forced;
  return setting === "wasm" || setting === "native" ? setting : "auto";
}

export function locateVm(
  configuredPath: string | undefined,
  extensionPath: string,
  mode: VmMode = "auto",
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): VmLocation {
  return chooseVm({
    mode,
    configuredPath,
    configuredName: "the setting whispem.vmPath",
    binDir: join(extensionPath, "bin"),
    node: process.execPath,
    wasmHost: join(extensionPath, "out", "wvm-wasm.js"),
    platform,
    arch,
  });
}
