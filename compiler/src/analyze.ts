// The language server's semantic analysis: name resolution plus every pitfall of spec/pitfalls.md
// that the editor reports (codes WSP3xxx, and WSP2001/WSP2002 for break/continue outside a loop),
// with explanations added to the parser's errors. Plain data: spans, catalogue codes, fixes.

import type { Program, Span } from "./ast";
import type { Diagnostic } from "./diagnostics";
import { resolve, type Resolution } from "./resolve";
import { toDiagnostic, type AnalysisDiagnostic, type PositionOf } from "./analysis/finding";
import { NameCache, NameCheck } from "./analysis/names";
import { StructureCache, StructureCheck } from "./analysis/structure";
import { explainSyntaxError } from "./analysis/syntax-notes";

export type { AnalysisDiagnostic, Fix, TextEdit, PositionOf } from "./analysis/finding";

export interface AnalysisInput {
  text: string;
  program: Program;
  /** The parser's diagnostics for the same text. */
  syntax: readonly Diagnostic[];
  /** Reference position (1-based line, column in code points) of an offset. */
  position: PositionOf;
  /** A resolution of `program` already made; resolved here otherwise. */
  resolution?: Resolution;
  /** What earlier analyses of the same document found in top-level statements still in `program`. */
  cache?: AnalysisCache;
}

/**
 * Kept by the language server from one version of a document to the next: a top-level statement
 * whose AST node is the same (kept across edits) and whose reads of the resolution give the same
 * answers is not walked again.
 */
export class AnalysisCache {
  readonly structure: StructureCache | null;
  readonly names: NameCache | null;

  constructor(structure = true, names = true) {
    this.structure = structure ? new StructureCache() : null;
    this.names = names ? new NameCache() : null;
  }
}

export interface Analysis {
  resolution: Resolution;
  /** The parser's diagnostics (explained), then the analysis's, in document order. */
  diagnostics: AnalysisDiagnostic[];
}

export function analyze(input: AnalysisInput): Analysis {
  const resolution = input.resolution ?? resolve(input.program);
  const syntaxSpans: Span[] = input.syntax.map((d) => ({ start: d.start, end: d.end }));
  const structure = new StructureCheck(input.text, resolution, syntaxSpans, input.cache?.structure ?? null);
  const findings = structure.run(input.program);
  const lineOf = (offset: number) => input.position(offset).line;
  findings.push(...new NameCheck(resolution, lineOf, input.cache?.names ?? null).run());
  const semantic = findings.map((f) => toDiagnostic(f, input.position));
  semantic.sort((a, b) => a.start - b.start || a.end - b.end || a.code.localeCompare(b.code));
  const syntax = input.syntax.map((d) => explainSyntaxError(d, input.text));
  return { resolution, diagnostics: [...syntax, ...semantic] };
}
