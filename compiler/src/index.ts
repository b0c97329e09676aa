// The compiler's public face: what the language server and the bytecode views may use. They
// import the compiler through this file only. Everything here is plain data and pure functions
// (no Node built-in: the web builds bundle it).

// Analysis: one host per document, an immutable snapshot per version.
export { AnalysisHost, Snapshot, analyzeText, failedAnalysis, resolveText, KEEP_ALL, KEEP_NOTHING, type KeepOptions, type DocumentAnalysis, type TextEdit } from "./host";
export type { AnalysisDiagnostic, Fix, TextEdit as FixEdit } from "./analyze";

// The plain AST and name resolution the snapshot holds.
export type * as Ast from "./ast";
export type { Span, Program } from "./ast";
export {
  referenceAt,
  referenceStartingAt,
  unparen,
  type Access,
  type FunctionScope,
  type NameSymbol,
  type Reference,
  type Resolution,
} from "./resolution";

// The lossless tree.
export { parse, type ParseResult } from "./parser";
export { lowerDetached } from "./keptAst";
export { toAst } from "./lower";
export { resolve as resolveProgram } from "./resolve";
export { GreenNode, GreenToken, SyntaxKind, SyntaxNode, SyntaxToken, isTrivia, walkGreen, type GreenElement, type SyntaxElement } from "./syntax";

// Positions: UTF-16 offsets and reference positions (LSP positions are the server's, positions.ts).
export { LineIndex, codePoints, type ReferencePosition } from "./text";

// Builtins, diagnostics, formatting.
export { BUILTINS, KEYWORDS, builtinSignature, type Builtin } from "./builtins";
export { builtinErrorsMarkdown, builtinPageUri } from "./builtinDocs";
export { Diagnostics, formatMessage, type Diagnostic, type Severity } from "./diagnostics";
export { formatEdits, type FormatEdit } from "./format";

// Bytecode: compiling, reading, checking and showing `.whbc` files (its own face too, for the
// bundles that need nothing else: the bytecode views).
export * from "./bytecode";
