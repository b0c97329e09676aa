// The abstract syntax tree: plain data built from the lossless syntax tree (see syntax.ts),
// shared by the bytecode compiler, name resolution and the language server's analyses.
//
// Positions: a node's `start` and `end` are a half-open range of UTF-16 code-unit offsets into
// the document text, always the real place in the file (inside f-string braces too). A node is
// itself a Span: the positions live on the node, not in an object of their own (a 20 000-line
// file has ~145 000 nodes; issue 16, the server's memory). `line` fields are the lines
// the *bytecode* records (compiler.md §6): the real 1-based line, except inside f-string braces,
// where the reference counts lines from 1 again at the brace contents (a "relative" line).
//
// The tree of a broken program is still complete: an expression that is missing is a
// `Missing` node, input the parser skipped is an `ErrorStmt`. The compiler only ever sees
// trees without errors.

export interface Span {
  start: number;
  end: number;
}

export interface Program extends Span {
  kind: "Program";
  body: Stmt[];
}

/** From `{` to `}` inclusive (or to where the block was cut off in broken input). */
export interface Block extends Span {
  kind: "Block";
  body: Stmt[];
}

export interface Ident extends Span {
  name: string;
}

// ---------------------------------------------------------------- statements

interface StmtBase extends Span {
  /** The statement's bytecode line: the line of its first token (for `else if`, of `else`). */
  line: number;
}

export interface LetStmt extends StmtBase {
  kind: "Let";
  name: Ident;
  value: Expr;
}

export interface PrintStmt extends StmtBase {
  kind: "Print";
  value: Expr;
}

export interface IfStmt extends StmtBase {
  kind: "If";
  cond: Expr;
  then: Block;
  /** `else { … }` is a Block; `else if …` is a nested IfStmt whose line is the `else` token's. */
  else: Block | IfStmt | null;
}

export interface WhileStmt extends StmtBase {
  kind: "While";
  cond: Expr;
  body: Block;
}

export interface ForStmt extends StmtBase {
  kind: "For";
  variable: Ident;
  iterable: Expr;
  body: Block;
}

export interface FnDeclStmt extends StmtBase {
  kind: "FnDecl";
  name: Ident;
  params: Ident[];
  body: Block;
}

export interface ReturnStmt extends StmtBase {
  kind: "Return";
  value: Expr | null;
}

export interface BreakStmt extends StmtBase {
  kind: "Break";
}

export interface ContinueStmt extends StmtBase {
  kind: "Continue";
}

/** `a[i] = v`: the only assignment besides `let`, always on a plain name. */
export interface IndexAssignStmt extends StmtBase {
  kind: "IndexAssign";
  target: Ident;
  index: Expr;
  value: Expr;
}

/**
 * An expression evaluated for its effect and popped: calls (`f(x)`, `assert(…)`, `exit(…)`,
 * the builtin statements), index chains (`a[0](1)`, `a[0]`), and a bare `exit`, which the parser
 * turns into the call `exit()` (a Call with no `(`: its line is the statement's line).
 */
export interface ExprStmt extends StmtBase {
  kind: "ExprStmt";
  expr: Expr;
}

/** Input the parser could not make a statement of (it reported a diagnostic for it). */
export interface ErrorStmt extends StmtBase {
  kind: "ErrorStmt";
}

export type Stmt =
  | LetStmt
  | PrintStmt
  | IfStmt
  | WhileStmt
  | ForStmt
  | FnDeclStmt
  | ReturnStmt
  | BreakStmt
  | ContinueStmt
  | IndexAssignStmt
  | ExprStmt
  | ErrorStmt;

// ---------------------------------------------------------------- expressions

type ExprBase = Span;

export interface NumberLit extends ExprBase {
  kind: "Number";
  value: number;
}

export interface StringLit extends ExprBase {
  kind: "String";
  /** The decoded value (escapes applied). */
  value: string;
}

export interface BoolLit extends ExprBase {
  kind: "Bool";
  value: boolean;
}

/** A variable reference; builtin keywords in expression position are variables too (`length`). */
export interface VarRef extends ExprBase {
  kind: "Var";
  name: string;
}

export interface ArrayLit extends ExprBase {
  kind: "Array";
  elements: Expr[];
}

export interface DictLit extends ExprBase {
  kind: "Dict";
  entries: { key: Expr; value: Expr }[];
}

export interface IndexExpr extends ExprBase {
  kind: "Index";
  object: Expr;
  index: Expr;
}

export type BinaryOp = "+" | "-" | "*" | "/" | "%" | "<" | "<=" | ">" | ">=" | "==" | "!=" | "and" | "or";

export interface BinaryExpr extends ExprBase {
  kind: "Binary";
  op: BinaryOp;
  /** The operator token's range (empty where an f-string's desugaring joins its parts). */
  opStart: number;
  opEnd: number;
  left: Expr;
  right: Expr;
}

export interface UnaryExpr extends ExprBase {
  kind: "Unary";
  /** `not` and `!` are the same operation. */
  op: "not" | "-";
  operand: Expr;
}

/**
 * A call. When `callee` is a plain variable reference (parentheses are transparent, builtin
 * keywords count), it is a **named call** and `name` is that variable's name; otherwise `name` is
 * null and it is an expression call (`CALL "__callee__"`).
 */
export interface CallExpr extends ExprBase {
  kind: "Call";
  callee: Expr;
  name: string | null;
  args: Expr[];
  /** Bytecode line of the `(` token (of the statement for a bare `exit`). */
  line: number;
  /** The argument list's range, `(` to `)` inclusive; empty at the callee's end for a bare `exit`. */
  argsStart: number;
  argsEnd: number;
}

export interface LambdaExpr extends ExprBase {
  kind: "Lambda";
  params: Ident[];
  body: Block;
  /** Bytecode line of the `fn` token: it names the chunk `__lambda_LINE_N`. */
  line: number;
}

/** Parenthesised expression; kept so tools can see the parentheses. Transparent for the compiler. */
export interface ParenExpr extends ExprBase {
  kind: "Paren";
  inner: Expr;
}

/**
 * `f"A{e1}B{e2}"`. `parts` keeps what was written (literal text decoded, expressions as real
 * child nodes at their real positions); `desugared` is what the compiler compiles: the parts
 * joined with `+`, left-associated, empty literal parts dropped (language.md §2).
 */
export interface FStringExpr extends ExprBase {
  kind: "FString";
  parts: FStringPart[];
  desugared: Expr;
}

export type FStringPart =
  | { kind: "Text"; value: string; start: number; end: number }
  | { kind: "Interpolation"; expr: Expr; /** `{` to `}` inclusive */ start: number; end: number };

/** An expression that should be here but is not (broken input). */
export interface MissingExpr extends ExprBase {
  kind: "Missing";
}

export type Expr =
  | NumberLit
  | StringLit
  | BoolLit
  | VarRef
  | ArrayLit
  | DictLit
  | IndexExpr
  | BinaryExpr
  | UnaryExpr
  | CallExpr
  | LambdaExpr
  | ParenExpr
  | FStringExpr
  | MissingExpr;
