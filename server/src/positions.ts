// The one place where compiler offsets (UTF-16 code units) become LSP positions (0-based line,
// UTF-16 character) and back. The compiler speaks offsets and reference positions only.

import type { Range, Position, Location } from "vscode-languageserver/node";
import type { LineIndex, Span, TextEdit } from "../../compiler/src/index";

export function toPosition(lines: LineIndex, offset: number): Position {
  offset = Math.max(0, Math.min(offset, lines.text.length));
  const line = lines.lineOf(offset);
  return { line, character: offset - lines.lineStarts[line] };
}

/** The offset of an LSP position, clamped to the document and to the line's end. */
export function toOffset(lines: LineIndex, pos: Position): number {
  const { lineStarts, text } = lines;
  if (pos.line < 0) return 0;
  if (pos.line >= lineStarts.length) return text.length;
  const start = lineStarts[pos.line];
  let end = pos.line + 1 < lineStarts.length ? lineStarts[pos.line + 1] - 1 : text.length;
  // Editors also end lines at "\r\n": a character past the "\r" is the line's end.
  if (end > start && text.charCodeAt(end - 1) === 13 && end < text.length) end--;
  return start + Math.max(0, Math.min(pos.character, end - start));
}

export function toRange(lines: LineIndex, span: Span): Range {
  return { start: toPosition(lines, span.start), end: toPosition(lines, span.end) };
}

export function toLocation(uri: string, lines: LineIndex, span: Span): Location {
  return { uri, range: toRange(lines, span) };
}

/** A didChange range and its text as an offset edit of the text `lines` indexes. */
export function toEdit(lines: LineIndex, range: Range, text: string): TextEdit {
  const start = toOffset(lines, range.start);
  return { start, end: Math.max(start, toOffset(lines, range.end)), text };
}
