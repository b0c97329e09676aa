// The compiler's public face: what the language server and the bytecode views may use. They
// import the compiler through this file only. Everything here is plain data and pure functions
// (no Node built-in: the web builds bundle it).

// Analysis: one host per document, an immutable snapshot per version.
export { AnalysisHost, Snapshot, analyzeText, resolveText, KEEP_ALL, KEEP_NOTHING, type KeepOptions, type DocumentAnalysis, type TextEdit } from "./host";
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
export { GreenNode, GreenToken, SyntaxKind, SyntaxNode, SyntaxToken, isTrivia, walkGreen, type GreenElement, type SyntaxElement } from "./syntax";

// Positions: UTF-16 offsets and reference positions (LSP positions are the server's, positions.ts).
export { LineIndex, codePoints, type ReferencePosition } from "./text";

// Builtins, diagnostics, formatting.
export { BUILTINS, KEYWORDS, builtinSignature, type Builtin } from "./builtins";
export { builtinErrorsMarkdown, builtinPageUri } from "./builtinDocs";
export type { Diagnostic, Severity } from "./diagnostics";
export { formatEdits, type FormatEdit } from "./format";

// Bytecode: compiling, reading, checking and showing `.whbc` files.
export { compile, type CompileResult } from "./compiler";
export { constantText, quoteBytes } from "./disasm";
export { decodeInstruction } from "./instruction";
export { OPCODES } from "./opcodes";
export { verifyChunk } from "./verifier";
export { decodeWhbc, type Constant, type WhbcFile } from "./whbc";
export { whbcLayout, type ByteRange, type ChunkLayout } from "./whbcLayout";
