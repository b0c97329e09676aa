// The "Convert to f-string" refactoring: `"total: " + n + " items"` → `f"total: {n} items"`.
// An f-string is desugared into exactly that left-associated `+` chain (language.md §2), so the
// rewrite compiles to the same bytes — offered only where that is certain: one line, non-empty
// literals never adjacent, no nested f-string, and no call or lambda (their bytecode lines would
// become relative inside braces) or brace character in the interpolated code.

import type * as A from "../../compiler/src/ast";
import type { TextEdit } from "../../compiler/src/analyze";

/** The operands of the maximal left-associated `+` chain rooted at `e`. */
function operands(e: A.Expr): A.Expr[] {
  const out: A.Expr[] = [];
  while (e.kind === "Binary" && e.op === "+") {
    out.push(e.right);
    e = e.left;
  }
  out.push(e);
  return out.reverse();
}

function hasCallOrLambda(x: unknown): boolean {
  if (!x || typeof x !== "object") return false;
  if (Array.isArray(x)) return x.some(hasCallOrLambda);
  const o = x as { kind?: string };
  if (o.kind === "Call" || o.kind === "Lambda" || o.kind === "FString" || o.kind === "Missing") return true;
  return Object.values(o).some((v) => v && typeof v === "object" && hasCallOrLambda(v));
}

/** A literal's text between its quotes, as f-string literal text; null where the meaning would change. */
function literalPart(text: string, lit: A.StringLit): string | null {
  const raw = text.slice(lit.span.start + 1, lit.span.end - 1);
  if (lit.value === "" || text[lit.span.end - 1] !== '"' || /\\[{}]/.test(raw)) return null;
  return raw.replace(/[{}]/g, (b) => "\\" + b);
}

/** The rewrite of the chain whose root is `root`, or null when it is not certainly equivalent. */
export function fstringRewrite(text: string, root: A.Expr): TextEdit | null {
  if (root.kind !== "Binary" || root.op !== "+") return null;
  if (text.slice(root.span.start, root.span.end).includes("\n")) return null;
  const parts = operands(root);
  let literals = 0;
  let body = "";
  let previousLiteral = false;
  for (const p of parts) {
    if (p.kind === "String") {
      const lit = literalPart(text, p);
      if (lit === null || previousLiteral) return null;
      body += lit;
      literals++;
      previousLiteral = true;
    } else {
      const code = text.slice(p.span.start, p.span.end);
      if (hasCallOrLambda(p) || /[{}]/.test(code)) return null;
      body += `{${code}}`;
      previousLiteral = false;
    }
  }
  if (literals === 0 || literals === parts.length) return null;
  return { start: root.span.start, end: root.span.end, newText: `f"${body}"` };
}

/** The outermost `+` chain containing [start, end] whose rewrite is possible. */
export function fstringRewriteAt(text: string, program: A.Program, start: number, end: number): TextEdit | null {
  let best: TextEdit | null = null;
  const visit = (x: unknown): void => {
    if (!x || typeof x !== "object") return;
    if (Array.isArray(x)) {
      for (const y of x) visit(y);
      return;
    }
    const o = x as { kind?: string; span?: A.Span };
    if (o.span && o.kind !== "Program" && (o.span.start > start || o.span.end < end)) return;
    if (o.kind === "Binary" && (o as A.BinaryExpr).op === "+") {
      const edit = fstringRewrite(text, o as A.Expr);
      if (edit) {
        if (!best || edit.end - edit.start > best.end - best.start) best = edit;
        return;
      }
    }
    for (const [k, v] of Object.entries(o)) if (k !== "span" && k !== "opSpan" && k !== "desugared" && v && typeof v === "object") visit(v);
  };
  visit(program.body);
  return best;
}
