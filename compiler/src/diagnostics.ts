// The diagnostics catalogue: every diagnostic any Whispem tool reports, with a stable code.
// The CLI, the language server and the tests all speak of diagnostics by these codes.
//
// Code ranges:  WSP1xxx lexical and syntax errors (parser)
//               WSP2xxx compile errors (compiler)
//               WSP3xxx semantic analysis: the pitfalls of spec/pitfalls.md (language server)
// A code, once given, is never reused for another meaning.

export type Severity = "error" | "warning" | "information" | "hint";

export interface DiagnosticDef {
  code: string;
  severity: Severity;
  /** Message template; `{name}` placeholders are filled from the arguments. */
  message: string;
}

function def(code: string, severity: Severity, message: string): DiagnosticDef {
  return { code, severity, message };
}

/** The catalogue. Keys are the names code uses; `code` is what users and tests see. */
export const Diagnostics = {
  // ---- WSP1xxx: lexical and syntax (messages are the reference's, language.md §3)
  UnexpectedCharacter: def("WSP1001", "error", "Unexpected character: '{char}'"),
  UnterminatedString: def("WSP1002", "error", "Unterminated string literal"),
  Expected: def("WSP1003", "error", "Expected {expected}, found {found}"),
  UnexpectedEof: def("WSP1004", "error", "Unexpected end of file"),

  // ---- WSP2xxx: compile errors (compiler.md §1, §5, §9; messages are the reference's)
  BreakOutsideLoop: def("WSP2001", "error", "'break' used outside of a loop"),
  ContinueOutsideLoop: def("WSP2002", "error", "'continue' used outside of a loop"),
  TooManyConstants: def("WSP2003", "error", "Too many constants in one function (max 256)."),
  TooManyElements: def("WSP2004", "error", "Too many elements (max 255)."),
  FunctionTooLarge: def("WSP2005", "error", "Function too large to compile (max 65535 bytes of bytecode)."),
  StringTooLong: def("WSP2006", "error", "String too long (max 65535 bytes)."),
} as const satisfies Record<string, DiagnosticDef>;

export type DiagnosticName = keyof typeof Diagnostics;

export interface RelatedInformation {
  message: string;
  span: { start: number; end: number };
}

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  /** UTF-16 offsets into the document text; `end > start` whenever there is text to underline. */
  start: number;
  end: number;
  /**
   * The position the reference prints, `[line L, col C]`: 1-based line, column counted in code
   * points. Usually the position of `start`; compile errors use column 0.
   */
  line: number;
  column: number;
  tags?: ("unnecessary" | "deprecated")[];
  related?: RelatedInformation[];
}

/** Fills a catalogue entry's template. */
export function formatMessage(d: DiagnosticDef, args: Record<string, string | number> = {}): string {
  return d.message.replace(/\{(\w+)\}/g, (m, k: string) => (k in args ? String(args[k]) : m));
}

/** `[line L, col C] Error: MESSAGE` — the reference's form of an error. */
export function referenceText(d: Pick<Diagnostic, "line" | "column" | "message">): string {
  return `[line ${d.line}, col ${d.column}] Error: ${d.message}`;
}
