// What the pitfall analyses report before positions are attached: a catalogue entry, a span,
// related places and optional fixes (for the language server's quick fixes).

import type { Span } from "../ast";
import { Diagnostics, formatMessage, type DiagnosticDef, type Diagnostic } from "../diagnostics";

/** Findings about code that does nothing: editors fade it. */
const UNNECESSARY = new Set<string>([Diagnostics.UnusedVariable.code, Diagnostics.UnusedParameter.code, Diagnostics.UnreachableCode.code]);

/** A text replacement: `[start, end)` of the document becomes `newText`. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Finding {
  def: DiagnosticDef;
  args: Record<string, string | number>;
  span: Span;
  related?: { message: string; span: Span }[];
  fixes?: Fix[];
  /** The reference reports compile errors at column 0 of the line. */
  columnZero?: boolean;
  /** The message, once made (a finding kept across edits keeps its arguments). */
  message?: string;
}

/** A diagnostic with the fixes the language server can offer for it. */
export interface AnalysisDiagnostic extends Diagnostic {
  fixes?: Fix[];
}

export type PositionOf = (offset: number) => { line: number; column: number };

export function toDiagnostic(f: Finding, position: PositionOf): AnalysisDiagnostic {
  const pos = position(f.span.start);
  const d: AnalysisDiagnostic = {
    code: f.def.code,
    severity: f.def.severity,
    message: (f.message ??= formatMessage(f.def, f.args)),
    start: f.span.start,
    end: Math.max(f.span.end, f.span.start),
    line: pos.line,
    column: f.columnZero ? 0 : pos.column,
  };
  if (UNNECESSARY.has(f.def.code)) d.tags = ["unnecessary"];
  // Copies: a finding's spans may be AST nodes (a node is its own span), which must not leave with the diagnostic.
  if (f.related?.length) d.related = f.related.map((r) => ({ message: r.message, span: { start: r.span.start, end: r.span.end } }));
  if (f.fixes?.length) d.fixes = f.fixes;
  return d;
}

/**
 * The source text of a span, blanks collapsed, shortened for a message. Reads only as far as the
 * message needs: a span may be a chain of thousands of terms, and every link gets a message.
 */
export function excerpt(text: string, span: Span, max = 40): string {
  let out = "";
  let blank = false;
  for (let i = span.start; i < span.end && out.length <= max; i++) {
    const c = text[i];
    if (/\s/.test(c)) {
      blank = out.length > 0;
      continue;
    }
    if (blank) out += " ";
    blank = false;
    out += c;
  }
  return out.length > max ? out.slice(0, max - 1) + "…" : out;
}
