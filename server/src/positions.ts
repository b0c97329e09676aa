// The one place where compiler offsets (UTF-16 code units) become LSP positions and back.

import type { Range, Position, Location } from "vscode-languageserver/node";
import type { Span } from "../../compiler/src/ast";
import type { LineIndex } from "../../compiler/src/text";

export function toRange(lines: LineIndex, span: Span): Range {
  return { start: lines.lspPosition(span.start), end: lines.lspPosition(span.end) };
}

export function toOffset(lines: LineIndex, position: Position): number {
  return lines.offsetAt(position);
}

export function toLocation(uri: string, lines: LineIndex, span: Span): Location {
  return { uri, range: toRange(lines, span) };
}
