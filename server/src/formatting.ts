// Document, range and on-type formatting: the compiler's formatter (compiler/src/format.ts) turned
// into LSP text edits. The layout is canonical (4 spaces), whatever the client's tab options say.

import type { Position, Range, TextEdit } from "vscode-languageserver/node";
import { SyntaxKind as K, SyntaxNode, formatEdits } from "../../compiler/src/index";
import type { OpenDocument } from "./documents";
import { toOffset, toRange } from "./positions";

function toTextEdits(doc: OpenDocument, range?: { start: number; end: number }): TextEdit[] {
  return formatEdits(doc.tree, range ? { range } : {}).map((e) => ({ range: toRange(doc.lines, e), newText: e.newText }));
}

export function formatDocument(doc: OpenDocument): TextEdit[] {
  return toTextEdits(doc);
}

export function formatRange(doc: OpenDocument, range: Range): TextEdit[] {
  return toTextEdits(doc, { start: toOffset(doc.lines, range.start), end: toOffset(doc.lines, range.end) });
}

/** After a `}` is typed: the lines of the block (or dict) it closes, from its `{` to itself. */
export function formatOnType(doc: OpenDocument, position: Position, ch: string): TextEdit[] {
  // A huge document keeps no tree (documents.ts): a re-parse per typed brace is too slow.
  if (ch !== "}" || doc.huge) return [];
  const offset = toOffset(doc.lines, position) - 1;
  const token = doc.tree.root.tokenAt(offset);
  if (!token || token.kind !== K.RBrace || token.start !== offset) return [];
  const owner: SyntaxNode = token.parent;
  if (owner.kind !== K.Block && owner.kind !== K.DictExpr) return [];
  return toTextEdits(doc, { start: owner.start, end: token.end });
}
