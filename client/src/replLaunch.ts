// What the REPL terminal runs (no vscode here, so a unit test can run exactly that): `whispem repl`
// (out/whispem.js) under VS Code's own Node, on the VM the extension chose — the native `wvm`
// (passed as $WHISPEM_WVM) or the WebAssembly VM (`--vm wasm`: bin/wvm.wasm beside out/whispem.js).
import { join } from "node:path";
import type { VmCommand } from "../../compiler/src/vmSelect";

export interface ReplLaunch {
  shellPath: string;
  shellArgs: string[];
  env: Record<string, string>;
}

export function replLaunch(vm: VmCommand, extensionPath: string, node: string = process.execPath, transcript = process.env.WHISPEM_REPL_TRANSCRIPT): ReplLaunch {
  const env: Record<string, string> = { ELECTRON_RUN_AS_NODE: "1" };
  const shellArgs = [join(extensionPath, "out", "whispem.js"), "repl", "--vm", vm.kind];
  if (vm.kind === "native") env.WHISPEM_WVM = vm.command;
  if (transcript) env.WHISPEM_REPL_TRANSCRIPT = transcript;
  return { shellPath: node, shellArgs, env };
}
