// Incremental re-parsing: after a text edit, parse the new text again but take every old
// statement node (top level or in any block) that the edit cannot have changed, so the work is
// proportional to the path down to the edit. The result equals a full parse of the new text.

import { LineIndex } from "./text";
import { NodeReuse, ParseResult, Parser, deriveLineIndex, existingLineIndex, textPieces } from "./parser";
import { pieceAt, type TextPiece } from "./lexer";
import { GreenNode, SyntaxKind, isStatementKind } from "./syntax";

/** Replace [start, end) of the previous text (UTF-16 offsets) with `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Re-parses after one edit. Never throws; equal to parse() of the new text. */
export function reparse(prev: ParseResult, edit: TextEdit): ParseResult {
  const oldLength = prev.text.length;
  const start = Math.max(0, Math.min(edit.start, oldLength));
  const end = Math.max(start, Math.min(edit.end, oldLength));
  const clamped = { start, end, text: edit.text };
  const newLength = oldLength - (end - start) + edit.text.length;
  // The new text is built from slices of flat strings, never by slicing the previous text, which
  // is itself such a concatenation: slicing it would flatten (copy) the whole document.
  let pieces: TextPiece[] | undefined = editedPieces(textPieces(prev), clamped, newLength);
  const text = joinPieces(pieces, newLength);
  if (pieces.length > MAX_PIECES) pieces = undefined; // read the new text flat (flattened once)
  // Derive the new line index from the old one when there is one; never scan the text for it here.
  const prevLines = existingLineIndex(prev);
  const derive = prevLines ? () => prevLines.edited(start, end, edit.text, text) : () => new LineIndex(text);
  const result = new Parser(text, new OldStatements(prev.root.green, clamped), derive, pieces).run();
  if (prevLines) deriveLineIndex(result, derive);
  return result;
}

function joinPieces(pieces: TextPiece[], length: number): string {
  let text = "";
  for (const pc of pieces) {
    const to = Math.min(pc.to, length);
    if (to > pc.from) text += pc.str.slice(pc.from - pc.shift, to - pc.shift);
  }
  return text;
}

/** Beyond this many pieces the new text is read flat (flattened once) rather than in pieces. */
const MAX_PIECES = 48;

/** The old text of [from, to) read from its pieces. */
function readOld(pieces: TextPiece[], from: number, to: number): string {
  let out = "";
  while (from < to) {
    const pc = pieceAt(pieces, from);
    const stop = Math.min(to, pc.to);
    out += pc.str.slice(from - pc.shift, stop - pc.shift);
    from = stop;
  }
  return out;
}

/**
 * The pieces to read the new text from: the old pieces before the edit's line, a small flat
 * window around the edit (its line and two more), and the old pieces after it, shifted.
 */
function editedPieces(old: TextPiece[], edit: TextEdit, newLength: number): TextPiece[] {
  const delta = edit.text.length - (edit.end - edit.start);
  const oldLength = newLength - delta;
  let ws = edit.start;
  while (ws > 0) {
    const pc = pieceAt(old, ws - 1);
    if (pc.str.charCodeAt(ws - 1 - pc.shift) === 10) break;
    ws--;
  }
  // The window ends after the second newline following the edit (in old text coordinates).
  let weOld = edit.end;
  let newlines = edit.text.includes("\n") ? 1 : 0;
  while (weOld < oldLength && newlines < 2) {
    const pc = pieceAt(old, weOld);
    if (pc.str.charCodeAt(weOld - pc.shift) === 10) newlines++;
    weOld++;
  }
  const window = readOld(old, ws, edit.start) + edit.text + readOld(old, edit.end, weOld);
  const we = weOld + delta;
  const pieces: TextPiece[] = [];
  for (const pc of old) {
    if (pc.from >= ws) break;
    pieces.push({ str: pc.str, shift: pc.shift, from: pc.from, to: Math.min(pc.to, ws), validEnd: Math.min(pc.validEnd, edit.start) });
  }
  pieces.push({ str: window, shift: ws, from: ws, to: we, validEnd: we });
  for (const pc of old) {
    if (pc.to <= weOld) continue;
    pieces.push({ str: pc.str, shift: pc.shift + delta, from: Math.max(pc.from, weOld) + delta, to: pc.to + delta, validEnd: pc.validEnd + delta });
  }
  pieces[pieces.length - 1].to = Infinity;
  return pieces;
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
      // Statements inside f-string braces were lexed by a lexer that stops at the brace: never
      // offer them for reuse in a main statement list.
      if (c.kind === SyntaxKind.FStringExpr) return null;
      frames.push({ node: c, start: f.offset, index: 0, offset: f.offset });
    }
  }
}
