// The one walk of left-nested chains, shared by the passes over the AST (resolve.ts,
// analysis/structure.ts). Binary operations, indexes and computed calls nest to the left and a
// program may chain tens of thousands: the left spine is walked in a loop (never recursion), then
// each link's other operands from the inside out — the order a recursive walk, and the compiler,
// take.

import type * as A from "./ast";

/** A link of a chain: a binary operation, an index or a call, whose left side is another link or the chain's base. */
export type ChainLink = A.BinaryExpr | A.IndexExpr | A.CallExpr;

/**
 * Walks the chain at `top`: `isLink` says which expressions continue it (each is passed to
 * `onLink` on the way down, outermost first), `visit` gets the base, then every link's other
 * operands (right side, index, arguments) from the innermost link out. `spine` is the caller's
 * stack, shared by the chains open at once (an operand's chain pushes above this one's links).
 */
export function walkChain(top: A.Expr, spine: A.Expr[], isLink: (e: A.Expr) => e is ChainLink, visit: (e: A.Expr) => void, onLink?: (e: ChainLink) => void): void {
  const base = spine.length;
  let e = top;
  while (isLink(e)) {
    onLink?.(e);
    spine.push(e);
    e = e.kind === "Binary" ? e.left : e.kind === "Index" ? e.object : e.callee;
  }
  visit(e);
  for (let i = spine.length - 1; i >= base; i--) {
    const link = spine[i] as ChainLink;
    if (link.kind === "Binary") visit(link.right);
    else if (link.kind === "Index") visit(link.index);
    else for (const a of link.args) visit(a);
    spine.pop();
  }
}
