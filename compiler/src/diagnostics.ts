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
  // Ours, not the reference's: the reference would overflow its stack on such input.
  NestingTooDeep: def("WSP1005", "error", "Expression or block nested too deeply"),

  // ---- WSP2xxx: compile errors (compiler.md §1, §5, §9; messages are the reference's)
  BreakOutsideLoop: def("WSP2001", "error", "'break' used outside of a loop"),
  ContinueOutsideLoop: def("WSP2002", "error", "'continue' used outside of a loop"),
  TooManyConstants: def("WSP2003", "error", "Too many constants in one function (max 256)."),
  TooManyElements: def("WSP2004", "error", "Too many elements (max 255)."),
  FunctionTooLarge: def("WSP2005", "error", "Function too large to compile (max 65535 bytes of bytecode)."),
  StringTooLong: def("WSP2006", "error", "String too long (max 65535 bytes)."),
  TooManyFunctions: def("WSP2007", "error", "Too many functions in one program (max 65534)."),

  // ---- WSP3xxx: semantic analysis, the pitfalls of spec/pitfalls.md (# = its row)
  NestedFunction: def("WSP3001", "error", "only top-level named functions are compiled; use `let {name} = fn({params}) {…}`"), // #1
  ReturnAtTopLevel: def("WSP3002", "warning", "return at top level ends the program"), // #3
  NamedFunctionAsValue: def("WSP3003", "error", "named function '{name}' is not a value; wrap it: {wrapper}"), // #4
  BuiltinAsValue: def("WSP3004", "error", "builtin '{name}' is not a value; wrap it: {wrapper}"), // #4
  CapturedIndexAssign: def("WSP3005", "error", "'{name}' is captured from the enclosing function: index assignment inside a closure looks '{name}' up by name and does not reach the captured variable"), // #5
  GlobalLocalCopy: def("WSP3006", "warning", "this changes a local copy; the global '{name}' keeps its value"), // #6
  StaleRead: def("WSP3007", "warning", "'{name}' may be stale here: the closure made on line {line} changes it, but this function keeps reading its own copy"), // #7
  UncapturedLoopVariable: def("WSP3008", "error", "closures do not capture the loop variable '{name}': this read fails with Undefined variable"), // #8
  FStringSingleValue: def("WSP3009", "hint", "an f-string that is a single {…} part is that value itself, not a string"), // #9
  FStringIgnoredText: def("WSP3010", "error", "this text inside {…} is ignored: only the first expression counts"), // #10
  ChainedComparison: def("WSP3011", "warning", "'{left}' gives a bool, which is then compared with '{op}': comparisons do not chain; use 'and'"), // #15
  NeverEqual: def("WSP3012", "warning", "arrays, dicts and functions are never equal, not even to themselves: this is always {value}"), // #16
  WrongArity: def("WSP3013", "error", "'{name}' expects {expected}, got {count}"), // #17
  UndefinedVariable: def("WSP3014", "error", "undefined variable '{name}'{suggestion}"), // #18
  UndefinedFunction: def("WSP3015", "error", "undefined function '{name}'{suggestion}"), // #18
  UnusedVariable: def("WSP3016", "hint", "'{name}' is never read"), // #20
  UnusedParameter: def("WSP3017", "hint", "parameter '{name}' is never read"), // #20
  UnreachableCode: def("WSP3018", "hint", "unreachable code"), // #20
  CapturedCall: def("WSP3019", "error", "'{name}' is captured from the enclosing function, but a call by name does not see captured variables: this call fails with Undefined function"), // #18
  NotAFunction: def("WSP3020", "error", "'{name}' holds {what}, not a function: this call fails with Undefined function"), // #18
  CallbackArity: def("WSP3021", "error", "{builtin} calls this function with {passes}, but it takes {count}"), // #17
  DuplicateFunction: def("WSP3022", "warning", "'{name}' is declared again on line {line}: only the last declaration is compiled"),
  UsedBeforeDefinition: def("WSP3023", "error", "'{name}' is read before it is defined: this fails with Undefined variable"), // #18
  AnalysisFailed: def("WSP3024", "warning", "this file could not be analysed ({reason}); only syntax errors are shown"),
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
