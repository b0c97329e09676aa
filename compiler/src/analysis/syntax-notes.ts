// Explanations added to the parser's own errors where the reference's message hides the rule
// (pitfalls.md #12 calls cannot span lines, #13 value builtins as statements, #14 nested index
// assignment). The diagnostic keeps its code and message; it gains related information and fixes.

import { BUILTINS } from "../builtins";
import type { Diagnostic } from "../diagnostics";
import type { AnalysisDiagnostic, TextEdit } from "./finding";

export function explainSyntaxError(d: Diagnostic, text: string): AnalysisDiagnostic {
  if (d.code !== "WSP1003") return d;
  const found = /, found (.*)$/.exec(d.message)?.[1] ?? "";
  if (found === "newline") {
    const open = unclosedParenOnLine(text, d.start);
    if (open !== null) {
      return {
        ...d,
        related: [
          ...(d.related ?? []),
          { message: "calls and parameter lists cannot span lines: close this '(' on the same line (arrays and dicts may span lines)", span: { start: open, end: open + 1 } },
        ],
      };
    }
    return d;
  }
  const word = /^'(\w+)'$/.exec(found)?.[1];
  if (d.message.startsWith("Expected statement") && word) {
    const b = BUILTINS.get(word);
    if (b && b.keyword && !b.statement) return valueBuiltinStatement(d, text, word);
  }
  if (d.message === "Expected statement, found '='" && nestedIndexBefore(text, d.start)) {
    return {
      ...d,
      related: [...(d.related ?? []), { message: "only one level of index assignment is supported: `a[i] = v`; for `a[i][j] = v` take the inner array out, change it and put it back", span: { start: d.start, end: d.end } }],
    };
  }
  return d;
}

/** `push(a, x)` alone on a line: its result would be discarded; offer `let a = push(a, x)`. */
function valueBuiltinStatement(d: Diagnostic, text: string, word: string): AnalysisDiagnostic {
  // A bounded window: the name is at most one line away, and a slice to the end of the file per
  // diagnostic would be quadratic in a file with many of them.
  const rest = text.slice(d.start, d.start + 1024);
  const target = new RegExp(`^${word}\\(\\s*([\\p{L}_][\\p{L}\\p{N}_]*)`, "u").exec(rest)?.[1];
  const related = [
    ...(d.related ?? []),
    { message: `'${word}' gives back a new value and changes nothing, so it cannot stand alone${target ? `: write \`let ${target} = ${word}(…)\`` : ""}`, span: { start: d.start, end: d.end } },
  ];
  const out: AnalysisDiagnostic = { ...d, related };
  if (target) {
    const edit: TextEdit = { start: d.start, end: d.start, newText: `let ${target} = ` };
    out.fixes = [{ title: `Write 'let ${target} = ${word}(…)'`, edits: [edit] }];
  }
  return out;
}

/** The offset of a `(` left open before `offset` on the same line (strings and comments skipped). */
function unclosedParenOnLine(text: string, offset: number): number | null {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const open: number[] = [];
  let quote = false;
  for (let i = lineStart; i < offset; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') quote = true;
    else if (c === "#") break;
    else if (c === "(") open.push(i);
    else if (c === ")") open.pop();
  }
  return open.length ? open[open.length - 1] : null;
}

/** Whether the statement before `offset` on its line is a name followed by two or more `[…]`. */
function nestedIndexBefore(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const before = text.slice(lineStart, offset).trim();
  const name = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(before);
  if (!name) return false;
  let groups = 0;
  let depth = 0;
  for (let i = name[0].length; i < before.length; i++) {
    const c = before[i];
    if (depth === 0 && c !== "[" && !/\s/.test(c)) return false;
    if (c === "[") depth++;
    else if (c === "]" && --depth === 0) groups++;
  }
  return depth === 0 && groups >= 2;
}
