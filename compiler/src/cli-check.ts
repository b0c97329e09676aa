// `whispem check FILE.wsp [--json]`: every diagnostic of the file, the reference's error first.
//   text:  FILE:LINE:COL: SEVERITY CODE: MESSAGE   (LINE:COL = the reference's position, 1-based)
//   json:  [{ line, column, endLine, endColumn, severity, code, message }]
import { readFileSync } from "node:fs";
import type { Diagnostic } from "./diagnostics";
import { lineIndex, parse } from "./parser";
import { toAst } from "./lower";
import { compileProgram } from "./compiler";

export interface CheckOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface CheckedDiagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

/** The diagnostics of a source text in the CLI's JSON shape. */
export function checkText(text: string): CheckedDiagnostic[] {
  const result = parse(text);
  let diagnostics = result.diagnostics;
  // Compile errors ('break' outside a loop, the format's limits) exist only once the syntax is sound.
  if (!diagnostics.some((d) => d.severity === "error")) diagnostics = [...diagnostics, ...compileProgram(toAst(result), text).diagnostics];
  if (diagnostics.length === 0) return [];
  const lines = lineIndex(result);
  return diagnostics.map((d: Diagnostic) => {
    const end = lines.position(d.end);
    return { line: d.line, column: d.column, endLine: end.line, endColumn: end.column, severity: d.severity, code: d.code, message: d.message };
  });
}

export function checkCommand(args: string[], out: CheckOutput): number {
  const json = args.includes("--json");
  const files = args.filter((a) => a !== "--json");
  const unknown = files.find((a) => a.startsWith("-"));
  if (unknown || files.length !== 1) {
    out.stderr(unknown ? `check: unknown option '${unknown}'\n` : "usage: whispem check FILE.wsp [--json]\n");
    return 2;
  }
  const file = files[0];
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    out.stderr(`Cannot read '${file}': ${code === "ENOENT" ? "No such file or directory" : code === "EISDIR" ? "Is a directory" : String((e as Error).message)}\n`);
    return 2;
  }
  const diagnostics = checkText(text);
  if (json) out.stdout(JSON.stringify(diagnostics) + "\n");
  else for (const d of diagnostics) out.stdout(`${file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}\n`);
  return diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}
