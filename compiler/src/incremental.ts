// Incremental re-parsing: after a text edit, parse the new text again but take every old
// statement node (top level or in any block) that the edit cannot have changed, so the work is
// proportional to the path down to the edit. The result equals a full parse of the new text.

import { LineIndex, LspPosition } from "./text";
import { NodeReuse, ParseResult, Parser, deriveLineIndex, existingLineIndex, lineIndex } from "./parser";
import { GreenNode, isStatementKind } from "./syntax";

/** Replace [start, end) of the previous text (UTF-16 offsets) with `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** An LSP-style change: 0-based lines, UTF-16 characters. */
export interface LspTextChange {
  range: { start: LspPosition; end: LspPosition };
  text: string;
}

export function editFromLsp(lines: LineIndex, change: LspTextChange): TextEdit {
  const start = lines.offsetAt(change.range.start);
  const end = Math.max(start, lines.offsetAt(change.range.end));
  return { start, end, text: change.text };
}

/** Re-parses after one edit. Never throws; equal to parse() of the new text. */
export function reparse(prev: ParseResult, edit: TextEdit): ParseResult {
  const start = Math.max(0, Math.min(edit.start, prev.text.length));
  const end = Math.max(start, Math.min(edit.end, prev.text.length));
  const clamped = { start, end, text: edit.text };
  const text = prev.text.slice(0, start) + edit.text + prev.text.slice(end);
  // Derive the new line index from the old one when there is one; never scan the text for it here.
  const prevLines = existingLineIndex(prev);
  const derive = prevLines ? () => prevLines.edited(start, end, edit.text, text) : () => new LineIndex(text);
  const result = new Parser(text, new OldStatements(prev.root.green, clamped), derive).run();
  if (prevLines) deriveLineIndex(result, derive);
  return result;
}

/** Applies LSP changes in order (each range refers to the text after the previous change). */
export function reparseLsp(prev: ParseResult, changes: readonly LspTextChange[]): ParseResult {
  let r = prev;
  for (const c of changes) r = reparse(r, editFromLsp(lineIndex(r), c));
  return r;
}

interface Frame {
  node: GreenNode;
  start: number;
  /** The child the cursor is at, and where that child starts. */
  index: number;
  offset: number;
}

/**
 * The old tree, walked forward as the new parse asks for statement nodes at increasing offsets.
 * A node is reused when it has no error and the edit lies wholly after everything the lexer and
 * parser looked at to build it, or wholly before it.
 */
class OldStatements implements NodeReuse {
  private frames: Frame[];
  private delta: number;
  private newEditEnd: number;

  constructor(
    root: GreenNode,
    private edit: TextEdit,
  ) {
    this.frames = [{ node: root, start: 0, index: 0, offset: 0 }];
    this.delta = edit.text.length - (edit.end - edit.start);
    this.newEditEnd = edit.start + edit.text.length;
  }

  nodeAt(offset: number): GreenNode | null {
    let old: number;
    if (offset < this.edit.start) old = offset;
    else if (offset >= this.newEditEnd) old = offset - this.delta;
    else return null;
    const n = this.find(old);
    if (!n || n.hasError) return null;
    if (old + n.width + n.lookahead <= this.edit.start) return n;
    if (old >= this.edit.end) return n;
    return null;
  }

  /** The outermost statement node starting exactly at `old`, moving the cursor forward. */
  private find(old: number): GreenNode | null {
    const frames = this.frames;
    for (;;) {
      const f = frames[frames.length - 1];
      if (old >= f.start + f.node.width && frames.length > 1) {
        frames.pop();
        continue;
      }
      const kids = f.node.children;
      while (f.index < kids.length && f.offset + kids[f.index].width <= old) {
        f.offset += kids[f.index].width;
        f.index++;
      }
      if (f.index >= kids.length) return null;
      const c = kids[f.index];
      if (!(c instanceof GreenNode) || f.offset > old) return null;
      if (f.offset === old && isStatementKind(c.kind)) return c;
      frames.push({ node: c, start: f.offset, index: 0, offset: f.offset });
    }
  }
}
