// Folding ranges: blocks, arrays and dicts that span lines, and runs of comment lines.

import { FoldingRangeKind, type FoldingRange } from "vscode-languageserver/node";
import { GreenNode, GreenToken, SyntaxKind as K, walkGreen } from "../../compiler/src/index";
import type { OpenDocument } from "./documents";

const FOLDABLE = new Set<K>([K.Block, K.ArrayExpr, K.DictExpr]);

export function foldingRanges(doc: OpenDocument): FoldingRange[] {
  const lines = doc.lines;
  const out: FoldingRange[] = [];
  walkGreen(doc.tree.root.green, 0, {
    enter: (node, start) => {
      if (!FOLDABLE.has(node.kind)) return;
      const first = lines.lineOf(start);
      // A closer that starts its line stays visible (`}`, `} else {`): fold up to the line before.
      const end = start + node.width;
      const closerLine = lines.lineOf(end - 1);
      const closerLeads = endsWithCloser(node) && /^[ \t]*$/.test(doc.text.slice(lines.lineStarts[closerLine], end - 1));
      const last = closerLeads ? closerLine - 1 : closerLine;
      if (last > first) out.push({ startLine: first, endLine: last });
    },
  });
  commentRuns(doc, out);
  out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return out;
}

function endsWithCloser(node: GreenNode): boolean {
  const last = node.children[node.children.length - 1];
  return last instanceof GreenToken && (last.kind === K.RBrace || last.kind === K.RBracket);
}

/** Two or more consecutive lines that hold nothing but a comment. */
function commentRuns(doc: OpenDocument, out: FoldingRange[]): void {
  const text = doc.text;
  const starts = doc.lines.lineStarts;
  let runStart = -1;
  for (let l = 0; l <= starts.length; l++) {
    let isComment = false;
    if (l < starts.length) {
      let i = starts[l];
      while (text[i] === " " || text[i] === "\t") i++;
      isComment = text[i] === "#" && !insideToken(doc, i);
    }
    if (isComment && runStart < 0) runStart = l;
    if (!isComment && runStart >= 0) {
      if (l - 1 > runStart) out.push({ startLine: runStart, endLine: l - 1, kind: FoldingRangeKind.Comment });
      runStart = -1;
    }
  }
}

/** Whether a `#` at the start of a line is really a comment (not inside a string that spans lines). */
function insideToken(doc: OpenDocument, offset: number): boolean {
  return doc.tree.root.tokenAt(offset)?.kind !== K.Comment;
}
