// Selection ranges (expand selection): the token under the cursor, then each enclosing node of the
// tree, by significant extent (trivia excluded), skipping steps that would select the same text.

import type { Position, SelectionRange } from "vscode-languageserver/node";
import { SyntaxKind, SyntaxNode, SyntaxToken, isTrivia } from "../../compiler/src/index";
import type { OpenDocument } from "./documents";
import { toOffset, toRange } from "./positions";

/** The most expansion steps offered from one position (the last is always the whole file). */
const MAX_STEPS = 500;

export function selectionRanges(doc: OpenDocument, positions: Position[]): SelectionRange[] {
  return positions.map((p) => selectionAt(doc, toOffset(doc.lines, p)));
}

function selectionAt(doc: OpenDocument, offset: number): SelectionRange {
  const root = doc.treeAround(offset);
  let token: SyntaxToken | null = root.tokenAt(offset);
  // Just after a word, the word (not the blank after it) is what the user means.
  if ((!token || isTrivia(token.kind) || token.start === offset) && offset > 0) {
    const before = root.tokenAt(offset - 1);
    if (before && !isTrivia(before.kind) && before.end === offset && (!token || isTrivia(token.kind))) token = before;
  }
  const spans: { start: number; end: number }[] = [];
  if (token && (!isTrivia(token.kind) || token.kind === SyntaxKind.Comment)) spans.push({ start: token.start, end: token.end });
  const ancestors: SyntaxNode[] = [];
  for (let n: SyntaxNode | null = token ? token.parent : null; n; n = n.parent) ancestors.push(n);
  // A chain thousands of terms long nests that deep: past the nearest steps, the next one is the file.
  if (ancestors.length > MAX_STEPS) ancestors.splice(MAX_STEPS - 1, ancestors.length - MAX_STEPS);
  for (const n of ancestors) spans.push(n.parent ? n.trimmedRange() : { start: 0, end: doc.text.length });
  if (!spans.length) spans.push({ start: offset, end: offset });
  let result: SelectionRange | undefined;
  let last: { start: number; end: number } | null = null;
  // Build from the outside in: each range holds the next wider one as its parent.
  for (let i = spans.length - 1; i >= 0; i--) {
    const s = spans[i];
    if (s.end < s.start) continue;
    if (last && s.start === last.start && s.end === last.end) continue;
    if (last && (s.start < last.start || s.end > last.end)) continue; // never wider than its parent
    result = { range: toRange(doc.lines, s), parent: result };
    last = s;
  }
  return result!;
}
