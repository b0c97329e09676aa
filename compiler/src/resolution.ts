// The data name resolution produces (resolve.ts makes it): scopes, symbols, references, and the
// queries the analyses and the server ask of it. Plain data.

import type * as A from "./ast";

export type SymbolKind = "global" | "local" | "parameter" | "loop" | "function" | "builtin";

/** A function body: a top-level named function, a lambda, or a nested `fn` that is never compiled. */
export interface FunctionScope {
  id: number;
  kind: "function" | "lambda";
  node: A.FnDeclStmt | A.LambdaExpr;
  /** The declared name, or for a lambda the name of the `let` that binds it (if any). */
  name: string | null;
  /** The function this one is written in (null at the top level). */
  parent: FunctionScope | null;
  /** False for a `fn` declaration that is not at the top level (and everything inside it). */
  compiled: boolean;
  params: NameSymbol[];
  /** The closure's captured variables in upvalue-slot order (what MAKE_CLOSURE lists). */
  captures: NameSymbol[];
  /** The variables of its frame, by name. */
  locals: Map<string, NameSymbol>;
}

export interface NameSymbol {
  id: number;
  name: string;
  kind: SymbolKind;
  /** The function whose frame holds a local, parameter or loop variable; null otherwise. */
  owner: FunctionScope | null;
  /** Name spans of its definitions (`let`, parameter, `for`, `fn`), in source order. */
  definitions: A.Span[];
  /** The values of its `let` definitions, in source order. */
  values: A.Expr[];
  /** A named function's declaration(s) in source order (the last one is compiled), or the lambda a single `let` binds. */
  functions: (A.FnDeclStmt | A.LambdaExpr)[];
  references: Reference[];
  /** Some closure reads or writes it through a captured cell. */
  captured: boolean;
  /** A `fn` declaration that is not at the top level: it never becomes a function. */
  nested: boolean;
  /** The earliest offset at which one of its definitions has taken effect (a `let` at its statement's end). */
  definedFrom: number;
}

/**
 * How the reference touches its symbol: `read` (a variable read), `call` (the name of a named call),
 * `write` (`let`, `for`), `readwrite` (`a[i] = v`), `definition` (a parameter or a `fn` name).
 */
export type Access = "read" | "write" | "readwrite" | "call" | "definition";

/** The instruction the compiler emits for the reference (CALL for named calls, none for definitions). */
export type NameOp = "LOAD" | "LOAD_GLOBAL" | "LOAD_UPVALUE" | "STORE" | "STORE_UPVALUE" | "CALL" | null;

export interface Reference {
  name: string;
  span: A.Span;
  access: Access;
  /** What the VM reaches; null when nothing of that name can be reached from here. */
  symbol: NameSymbol | null;
  /** The function the reference is written in (null in main). */
  scope: FunctionScope | null;
  op: NameOp;
  /** Reached through a closure's captured cell. */
  captured: boolean;
  /** A `let` that creates its function's local (the name was not yet a local there). */
  createsLocal: boolean;
  /**
   * For references the VM cannot serve as written: `captured-index-assign` (LOAD/STORE by name
   * ignore captured cells), `captured-call` (calls by name do not see captured variables),
   * `uncaptured-loop-variable` (a closure reads a loop variable of the function it is made in).
   * `symbol` is then the variable the programmer meant.
   */
  problem: "captured-index-assign" | "captured-call" | "uncaptured-loop-variable" | null;
  /** The outermost loop around the reference within its own function (or main), if any. */
  loop: A.Span | null;
}

export interface Resolution {
  scopes: FunctionScope[];
  symbols: NameSymbol[];
  /** Every reference, sorted by start offset. */
  references: Reference[];
  globals: ReadonlyMap<string, NameSymbol>;
  /** Top-level named functions (what calls by name reach). */
  functions: ReadonlyMap<string, NameSymbol>;
  builtins: ReadonlyMap<string, NameSymbol>;
  /** The scope of each function node (named, nested or lambda). */
  scopeOf: ReadonlyMap<A.FnDeclStmt | A.LambdaExpr, FunctionScope>;
  /**
   * Resolved with a cache: each top-level named function's references, in program order. `key`
   * stays the same object, and `refs` the same references, while the function is taken from the
   * cache (`reused`): what was derived from them alone can be kept too.
   */
  functionUnits?: readonly FunctionReferences[];
  /** Resolved with a cache: the references outside top-level named functions (main's, and the functions' names). */
  otherReferences?: readonly Reference[];
  /** Resolved with a cache: main's calls by name. */
  otherCalls?: readonly NamedCall[];
  /** Every call by name (named functions' first, in program order, then main's). */
  calls: readonly NamedCall[];
}

export interface FunctionReferences {
  key: object;
  reused: boolean;
  /** The declaration's start: what is kept of the function is stored relative to it. */
  start: number;
  refs: readonly Reference[];
  /** The symbols the function makes: only its own references and its calls reach them. */
  own: readonly NameSymbol[];
  /** Its calls by name. */
  calls: readonly NamedCall[];
}

export function unparen(e: A.Expr): A.Expr {
  while (e.kind === "Paren") e = e.inner;
  return e;
}

/** A call by name and the reference of its name. */
export interface NamedCall {
  ref: Reference;
  call: A.CallExpr;
}

/** The reference whose span starts exactly at `start`, if any (binary search: no index to build). */
export function referenceStartingAt(res: Resolution, start: number): Reference | null {
  const refs = res.references;
  let lo = 0;
  let hi = refs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = refs[mid].span.start;
    if (s === start) return refs[mid];
    if (s < start) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

/** The reference whose span contains `offset` (its end included, so a cursor just after a name finds it). */
export function referenceAt(res: Resolution, offset: number): Reference | null {
  const refs = res.references;
  let lo = 0;
  let hi = refs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (refs[mid].span.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let i = found; i >= 0 && i >= found - 1; i--) {
    const r = refs[i];
    if (offset >= r.span.start && offset <= r.span.end) return r;
  }
  return null;
}
