// Compiles a source file in process for running: the bytecode goes to a fresh temporary folder,
// compile errors come back in the form the command-line tools print.
import { runFolderPrefix } from "./runTempFolders";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { referenceText } from "../../compiler/src/diagnostics";

type Compiler = typeof import("../../compiler/src/compiler");
let compiler: Compiler | undefined;

export type CompiledProgram =
  | { ok: true; bytecodePath: string; dispose(): void }
  | { ok: false; errors: string[] };

/** `NAME.wsp` → `NAME.whbc` (the name `wvm` will show in its messages). */
export function bytecodeName(sourcePath: string): string {
  return basename(sourcePath, extname(sourcePath)) + ".whbc";
}

/** Error lines as `FILE: [line L, col C] Error: MESSAGE`, which the problem matcher reads. */
export function compileErrorLines(sourcePath: string, text: string): { bytes: Uint8Array | null; errors: string[] } {
  // Loaded on the first run rather than at activation: most sessions edit more than they run.
  compiler ??= require("../../compiler/src/compiler") as Compiler;
  const { bytes, diagnostics } = compiler.compile(text);
  const errors = diagnostics.filter((d) => d.severity === "error").map((d) => `${sourcePath}: ${referenceText(d)}`);
  return { bytes: errors.length === 0 ? bytes : null, errors };
}

export function compileForRun(sourcePath: string, text: string): CompiledProgram {
  const { bytes, errors } = compileErrorLines(sourcePath, text);
  if (!bytes) return { ok: false, errors: errors.length ? errors : [`${sourcePath}: Error: the compiler produced no bytecode`] };
  const dir = mkdtempSync(runFolderPrefix());
  const bytecodePath = join(dir, bytecodeName(sourcePath));
  writeFileSync(bytecodePath, bytes);
  return { ok: true, bytecodePath, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
