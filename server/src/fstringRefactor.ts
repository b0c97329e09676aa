// The "Convert to f-string" refactoring: `"total: " + n + " items"` → `f"total: {n} items"`.
// An f-string is desugared into exactly that left-associated `+` chain (language.md §2), so the
// rewrite compiles to the same bytes — offered only where that is certain: one line, non-empty
// literals never adjacent, no nested f-string, and no call or lambda (their bytecode lines would
// become relative inside braces) or brace character in the interpolated code.

import type { Ast as A } from "../../compiler/src/index";
import { type FixEdit as TextEdit } from "../../compiler/src/index";

/** Whether `x` holds a call, lambda, f-string or missing piece — an explicit stack, no recursion. */
function hasCallOrLambda(x: unknown): boolean {
  const stack: unknown[] = [x];
  while (stack.length > 0) {
    const y = stack.pop();
    if (!y || typeof y !== "object") continue;
    if (Array.isArray(y)) {
      for (const z of y) stack.push(z);
      continue;
    }
    const kind = (y as { kind?: string }).kind;
    if (kind === "Call" || kind === "Lambda" || kind === "FString" || kind === "Missing") return true;
    for (const v of Object.values(y)) if (v && typeof v === "object") stack.push(v);
  }
  return false;
}

/** A literal's text between its quotes, as f-string literal text; null where the meaning would change. */
function literalPart(text: string, lit: A.StringLit): string | null {
  const raw = text.slice(lit.start + 1, lit.end - 1);
  if (lit.value === "" || text[lit.end - 1] !== '"' || /\\[{}]/.test(raw)) return null;
  return raw.replace(/[{}]/g, (b) => "\\" + b);
}

/** The links of the maximal left-associated `+` chain rooted at `root`, innermost first:
 * `nodes[j - 1]` is the chain of `operands[0..j]`. */
function chain(root: A.Expr): { operands: A.Expr[]; nodes: A.Expr[] } {
  const nodes: A.Expr[] = [];
  let e = root;
  while (e.kind === "Binary" && e.op === "+") {
    nodes.push(e);
    e = e.left;
  }
  nodes.reverse();
  return { operands: [e, ...nodes.map((n) => (n as A.BinaryExpr).right)], nodes };
}

/**
 * The rewrite of the longest prefix chain of `root` that ends at or after `minEnd`, or null.
 * One pass over the operands: whether a prefix can be rewritten only gets worse as it grows
 * (a failure stays; a literal, once seen, stays), so the longest valid prefix is the one just
 * before the first failure. Linear in the chain's length.
 */
function rewritePrefix(text: string, root: A.Expr, minEnd: number): TextEdit | null {
  if (root.kind !== "Binary" || root.op !== "+") return null;
  const { operands: parts, nodes } = chain(root);
  const newline = text.indexOf("\n", root.start);
  let literals = 0;
  const pieces: string[] = [];
  let previousLiteral = false;
  let best = -1; // index into `nodes` of the longest valid prefix so far
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (i > 0 && newline >= 0 && nodes[i - 1].end > newline) break;
    if (p.kind === "String") {
      const lit = literalPart(text, p);
      if (lit === null || previousLiteral) break;
      pieces.push(lit);
      literals++;
      previousLiteral = true;
    } else {
      const code = text.slice(p.start, p.end);
      if (hasCallOrLambda(p) || /[{}]/.test(code)) break;
      pieces.push(`{${code}}`);
      previousLiteral = false;
    }
    if (i > 0 && literals > 0) best = i - 1;
  }
  if (best < 0 || nodes[best].end < minEnd) return null;
  const node = nodes[best];
  return { start: node.start, end: node.end, newText: `f"${pieces.slice(0, best + 2).join("")}"` };
}

/** The rewrite of the chain whose root is `root`, or null when it is not certainly equivalent. */
export function fstringRewrite(text: string, root: A.Expr): TextEdit | null {
  const edit = rewritePrefix(text, root, root.end);
  return edit && edit.end === root.end ? edit : null;
}

/**
 * The outermost `+` chain containing [start, end] whose rewrite is possible. An explicit stack
 * (no recursion along a chain), each chain scanned once: the links of a chain are not visited
 * again, only its operands that contain the range.
 */
export function fstringRewriteAt(text: string, program: A.Program, start: number, end: number): TextEdit | null {
  const contains = (o: { start?: number; end?: number }): boolean => o.start === undefined || o.end === undefined || (o.start <= start && o.end >= end);
  const stack: unknown[] = [program.body];
  while (stack.length > 0) {
    const x = stack.pop();
    if (!x || typeof x !== "object") continue;
    if (Array.isArray(x)) {
      for (let i = x.length - 1; i >= 0; i--) stack.push(x[i]);
      continue;
    }
    const o = x as { kind?: string; start?: number; end?: number };
    if (o.kind !== "Program" && !contains(o)) continue;
    if (o.kind === "Binary" && (o as A.BinaryExpr).op === "+") {
      const edit = rewritePrefix(text, o as A.Expr, end);
      if (edit) return edit;
      // Not rewritable here: look inside the operands that hold the range (their own chains).
      for (const p of chain(o as A.Expr).operands) if (contains(p)) stack.push(p);
      continue;
    }
    for (const [k, v] of Object.entries(o)) if (k !== "desugared" && v && typeof v === "object") stack.push(v);
  }
  return null;
}
