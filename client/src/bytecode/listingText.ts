// The text of the bytecode preview's editor (the `whispem-bytecode:` document): the disassembly
// listing of a compiled source (docs/bytecode-tools.md's format, exactly `listingOf`), or its
// compile errors, with what each line of that text stands for. No vscode: unit-tested.
import { lineIndex, rowText, type BytecodeView, type CompileErrorView, type PreviewModel, type Row } from "./viewModel";

export type ListingLine =
  /** A row of the view (chunk header, instruction, captured variable). */
  | { kind: "row"; row: number }
  /** The blank line between two chunks. */
  | { kind: "blank" }
  /** The heading above compile errors. */
  | { kind: "note" }
  | { kind: "error"; error: CompileErrorView };

export interface Listing {
  text: string;
  /** What each line of `text` is (0-based, as the editor counts). */
  lines: ListingLine[];
  /** The view the rows are of (null while the source has compile errors). */
  view: BytecodeView | null;
  /** The text line of each row. */
  lineOfRow: Int32Array;
}

/** A compile error on one line (messages quote source text, which could hold a line break). */
export function errorLineText(e: CompileErrorView): string {
  return `${e.line}:${e.column} ${e.code} ${e.message.replace(/[\r\n]+/g, " ")}`;
}

export function listingOfModel(model: PreviewModel, sourceName: string): Listing {
  if (!model.ok) {
    const n = model.errors.length;
    const lines: ListingLine[] = [{ kind: "note" }, ...model.errors.map((error) => ({ kind: "error" as const, error }))];
    const text = [`Cannot compile ${sourceName}: ${n} error${n === 1 ? "" : "s"} (the bytecode comes back once it compiles)`, ...model.errors.map(errorLineText)].join("\n") + "\n";
    return { text, lines, view: null, lineOfRow: new Int32Array(0) };
  }
  const view = model.view;
  const out: string[] = [];
  const lines: ListingLine[] = [];
  const lineOfRow = new Int32Array(view.rows.length);
  view.rows.forEach((row, i) => {
    if (row.kind === "chunk" && out.length > 0) {
      out.push("");
      lines.push({ kind: "blank" });
    }
    lineOfRow[i] = out.length;
    out.push(rowText(row));
    lines.push({ kind: "row", row: i });
  });
  return { text: out.join("\n") + "\n", lines, view, lineOfRow };
}

/** The source line (1-based) a text line links to, with its column; null for headers and blanks. */
export function sourcePositionOf(listing: Listing, textLine: number): { line: number; column: number } | null {
  const l = listing.lines[textLine];
  if (!l) return null;
  if (l.kind === "error") return { line: l.error.line, column: l.error.column };
  if (l.kind !== "row" || !listing.view) return null;
  const row: Row = listing.view.rows[l.row];
  // Line 0 is the implicit HALT: no source line.
  return row.kind === "chunk" || row.line < 1 ? null : { line: row.line, column: 1 };
}

/** The text lines (0-based) of the instructions a source line (1-based) compiled to. */
export function textLinesOfSourceLine(listing: Listing, sourceLine: number): number[] {
  if (!listing.view) return [];
  return (lineIndex(listing.view).get(sourceLine) ?? []).map((r) => listing.lineOfRow[r]);
}

/** The text lines of each source line with instructions: for the line colours. */
export function textLinesBySourceLine(listing: Listing): Map<number, number[]> {
  const out = new Map<number, number[]>();
  if (!listing.view) return out;
  for (const [line, rows] of lineIndex(listing.view)) out.set(line, rows.map((r) => listing.lineOfRow[r]));
  return out;
}
