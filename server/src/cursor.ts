// Where the cursor is, for the editing aids: the significant token before it, the function body
// it is in. Shared by completion and signature help.

import { SyntaxKind as K, isTrivia, type FunctionScope, type Resolution, type SyntaxNode, type SyntaxToken } from "../../compiler/src/index";

/** The last token before `offset` (ending at or before it) that is not whitespace or a comment. */
export function significantBefore(root: SyntaxNode, offset: number): SyntaxToken | null {
  let at = offset - 1;
  while (at >= 0) {
    const t = root.tokenAt(at);
    if (!t) return null;
    if (!isTrivia(t.kind) && t.kind !== K.EndOfFile) return t;
    at = t.start - 1;
  }
  return null;
}

/** The innermost function body (named, nested or lambda) whose text contains `offset`; null in main. */
export function scopeAt(res: Resolution, text: string, offset: number): FunctionScope | null {
  let best: FunctionScope | null = null;
  for (const s of res.scopes) {
    const body = s.node.body;
    // In broken code a body may lack its `}`: then the end of its text is still inside it.
    const inside = offset > body.start && (offset < body.end || (offset === body.end && text[body.end - 1] !== "}"));
    if (inside && (!best || body.start >= best.node.body.start)) best = s;
  }
  return best;
}
