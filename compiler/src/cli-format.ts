// `whispem fmt FILE.wsp [--check] [--write]`: the canonical layout of format.ts.
//   (default) print the formatted text;  --write  rewrite the file in place (only if it changes);
//   --check  print nothing, exit 1 and name the file when it is not formatted.
// Lines with syntax errors are left as written (format.ts), so fmt works on broken files too;
// --check fails on them (exit 1, the syntax errors printed): a broken file is not "formatted".
import { readFileSync, writeFileSync } from "node:fs";
import { format } from "./format";
import { parse } from "./parser";

export interface FormatOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const USAGE = "usage: whispem fmt FILE.wsp [--check] [--write]\n";

function reason(e: unknown): string {
  const m = /^[A-Z]+: ([^,]+)/.exec(e instanceof Error ? e.message : String(e));
  const text = m ? m[1] : String(e);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function formatCommand(args: string[], out: FormatOutput): number {
  const check = args.includes("--check");
  const write = args.includes("--write");
  const files = args.filter((a) => a !== "--check" && a !== "--write");
  if (files.length !== 1 || files[0].startsWith("-") || (check && write)) {
    out.stderr(USAGE);
    return 2;
  }
  const path = files[0];
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    out.stderr(`Cannot read '${path}': ${reason(e)}\n`);
    return 1;
  }
  if (check) {
    // A file that does not parse cannot be said to be formatted: its syntax errors, exit 1.
    const errors = parse(text).diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0) {
      for (const d of errors) out.stderr(`${path}:${d.line}:${d.column}: error ${d.code}: ${d.message}\n`);
      out.stderr(`${path}: has syntax errors, cannot check its layout\n`);
      return 1;
    }
  }
  const formatted = format(text);
  if (check) {
    if (formatted === text) return 0;
    out.stderr(`${path}: not formatted (run: whispem fmt ${path} --write)\n`);
    return 1;
  }
  if (write) {
    if (formatted === text) return 0;
    try {
      writeFileSync(path, formatted);
    } catch (e) {
      out.stderr(`Cannot write '${path}': ${reason(e)}\n`);
      return 1;
    }
    return 0;
  }
  out.stdout(formatted);
  return 0;
}
