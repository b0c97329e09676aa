// The bytecode compiler (spec/compiler.md): syntax tree → chunks, byte-identical to the reference
// compiler — three passes over the top level, name resolution with upvalues, lexically scoped lines.
import type { Block, CallExpr, Expr, Ident, Program, Span, Stmt } from "./ast";
import { Diagnostic, DiagnosticName, Diagnostics } from "./diagnostics";
import { ChunkEmitter, CodeArena, LimitSink } from "./emitter";
import { Op } from "./opcodes";
import { Chunk, WhbcFile, encodeUtf8, utf8Length, writeWhbc } from "./whbc";
import { parse } from "./parser";
import { toAst } from "./lower";

export interface CompileResult {
  /** The `.whbc` file, or null when there is any error. */
  bytes: Uint8Array | null;
  /** The syntax diagnostics, else the first compile error; empty on success. */
  diagnostics: Diagnostic[];
  /** The compiled chunks in file order (`<main>` first), when compilation succeeded. */
  chunks?: Chunk[];
  file?: WhbcFile;
}

/** A function scope (compiler.md §3); `<main>` has none. */
interface FnScope {
  locals: Set<string>;
  /** Upvalue slot by variable name. */
  upvalues: Map<string, number>;
  descriptors: { isLocal: boolean; name: string }[];
}

interface OpenLoop {
  /** The chunk the loop is compiled into: a jump from another chunk cannot reach it. */
  chunk: ChunkEmitter;
  breaks: number[];
  continues: number[];
}

/** A compile error found where the reference finds it: compilation stops there. */
class CompileStop {
  constructor(
    readonly kind: DiagnosticName,
    readonly line: number,
    readonly site: Span,
  ) {}
}

interface Problem {
  kind: DiagnosticName;
  line: number;
  site: Span;
}

const BINARY_OPS: Record<string, number> = {
  "+": Op.ADD,
  "-": Op.SUB,
  "*": Op.MUL,
  "/": Op.DIV,
  "%": Op.MOD,
  "<": Op.LT,
  "<=": Op.LTE,
  ">": Op.GT,
  ">=": Op.GTE,
  "==": Op.EQ,
  "!=": Op.NEQ,
};

/** Where a call's compile errors are shown: its argument list. */
function argsSite(e: CallExpr): Span {
  return { start: e.argsStart, end: e.argsEnd };
}

const MAX_ELEMENTS = 255;
const NO_SITE: Span = { start: 0, end: 0 };
/** Below this many UTF-16 units a name cannot exceed 65 535 UTF-8 bytes (3 bytes per unit at most). */
const MAX_NAME_UNITS = 0xffff / 3;

class CodeGenerator implements LimitSink {
  private readonly globals = new Set<string>();
  private readonly functions = new Map<string, ChunkEmitter>();
  private readonly scopes: FnScope[] = [];
  private readonly loops: OpenLoop[] = [];
  private lambdaCounter = 0;
  private readonly arena = new CodeArena();
  private chunk!: ChunkEmitter;
  /** The node whose line is current: where a compile error is shown in the editor. */
  private site: Span = NO_SITE;
  /** First limit the reference ignores (it writes a corrupt file); reported only if nothing else is. */
  private deferred: Problem | null = null;
  /** Per chunk, where its pool reached 256 constants, in the order it happened. */
  private readonly filledAt = new Map<ChunkEmitter, Problem>();
  /** The pending links of the chains being compiled (see chain()). */
  private readonly chainLinks: Expr[] = [];
  private readonly chainLines: number[] = [];
  private readonly chainSites: Span[] = [];

  // ---- LimitSink: how chunks report the format's limits
  full(line: number): never {
    throw new CompileStop("TooManyConstants", line, this.site);
  }
  defer(kind: DiagnosticName, line: number): void {
    if (this.deferred === null) this.deferred = { kind, line, site: this.site };
  }
  filled(chunk: ChunkEmitter, line: number): void {
    this.filledAt.set(chunk, { kind: "TooManyConstants", line, site: this.site });
  }

  /** Drops what the compilation built (see `kept`), keeping one emitter to keep its class alive. */
  release(): void {
    this.globals.clear();
    this.functions.clear();
    this.filledAt.clear();
    this.deferred = null;
    this.chainLinks.length = this.chainLines.length = this.chainSites.length = 0;
    this.loops.length = this.scopes.length = 0;
  }

  compileProgram(program: Program): { chunks: Chunk[] } | Problem {
    try {
      for (const s of program.body) if (s.kind === "Let") this.globals.add(s.name.name);
      for (const s of program.body) {
        if (s.kind === "FnDecl") {
          this.site = s;
          this.functionBody(s.name.name, s.params, s.body, s.line);
        }
      }
      this.site = NO_SITE;
      const main = new ChunkEmitter("<main>", 0, this, this.arena);
      this.chunk = main;
      for (const s of program.body) if (s.kind !== "FnDecl") this.statement(s);
      main.op(Op.HALT, 0);
      main.close();
      const functions = [...this.functions.values()].sort((a, b) => compareUtf8(a.name, b.name));
      // The file's chunk count is a u16 and <main> takes one.
      if (functions.length > 0xfffe) this.defer("TooManyFunctions", 0);
      if (this.deferred) return this.deferred;
      // A full pool matters only in a chunk that is written (a redeclared function's is not);
      // the first to fill up, in compile order, is reported.
      const written = new Set([main, ...functions]);
      for (const [chunk, filled] of this.filledAt) if (written.has(chunk)) return filled;
      return { chunks: [main.finish(), ...functions.map((f) => f.finish())] };
    } catch (e) {
      if (e instanceof CompileStop) return { kind: e.kind, line: e.line, site: e.site };
      throw e;
    }
  }

  // ---------------------------------------------------------------- functions (§4)

  /** Compiles a function body into its own chunk; returns its upvalue descriptors in slot order. */
  private functionBody(name: string, params: readonly Ident[], body: Block, line: number): FnScope["descriptors"] {
    const outer = this.chunk;
    if (name.length > MAX_NAME_UNITS && utf8Length(name) > 0xffff) this.defer("StringTooLong", line);
    const chunk = new ChunkEmitter(name, params.length, this, this.arena);
    this.chunk = chunk;
    const locals = new Set<string>();
    for (const p of params) locals.add(p.name);
    const scope: FnScope = { locals, upvalues: new Map(), descriptors: [] };
    this.scopes.push(scope);
    for (let i = params.length - 1; i >= 0; i--) chunk.opU8(Op.STORE, chunk.nameConst(params[i].name, line), line);
    for (const s of body.body) this.statement(s);
    chunk.op(Op.RETURN_NONE, line);
    chunk.close();
    this.scopes.pop();
    this.chunk = outer;
    this.functions.set(name, chunk);
    return scope.descriptors;
  }

  // ---------------------------------------------------------------- names (§3)

  private addUpvalue(scope: FnScope, name: string, isLocal: boolean, text: string): number {
    const known = scope.upvalues.get(name);
    if (known !== undefined) return known;
    const slot = scope.descriptors.length;
    scope.upvalues.set(name, slot);
    scope.descriptors.push({ isLocal, name: text });
    return slot;
  }

  /** The upvalue slot of `name` in scope `i`, found through the enclosing scopes; -1 if none has it. */
  private resolve(name: string, i: number): number {
    if (i === 0) return -1;
    if (this.scopes[i - 1].locals.has(name)) return this.addUpvalue(this.scopes[i], name, true, name);
    const parentSlot = this.resolve(name, i - 1);
    if (parentSlot < 0) return -1;
    return this.addUpvalue(this.scopes[i], name, false, String(parentSlot));
  }

  private readVariable(name: string, line: number): void {
    const c = this.chunk;
    const depth = this.scopes.length;
    if (depth > 0) {
      const scope = this.scopes[depth - 1];
      if (!scope.locals.has(name)) {
        let slot = scope.upvalues.get(name);
        if (slot === undefined) slot = this.resolve(name, depth - 1);
        if (slot >= 0) return c.opU8(Op.LOAD_UPVALUE, slot, line);
        if (this.globals.has(name)) return c.opU8(Op.LOAD_GLOBAL, c.nameConst(name, line), line);
      }
    }
    c.opU8(Op.LOAD, c.nameConst(name, line), line);
  }

  // ---------------------------------------------------------------- statements (§5)

  private statement(s: Stmt): void {
    const saved = this.site;
    this.site = s;
    this.statementBody(s);
    this.site = saved;
  }

  private block(b: Block): void {
    for (const s of b.body) this.statement(s);
  }

  private statementBody(s: Stmt): void {
    const c = this.chunk;
    const line = s.line;
    switch (s.kind) {
      case "Let": {
        this.expr(s.value, line);
        const name = s.name.name;
        const depth = this.scopes.length;
        const scope = depth > 0 ? this.scopes[depth - 1] : null;
        const slot = scope?.upvalues.get(name);
        if (slot !== undefined) return c.opU8(Op.STORE_UPVALUE, slot, line);
        c.opU8(Op.STORE, c.nameConst(name, line), line);
        if (scope) scope.locals.add(name);
        else this.globals.add(name);
        return;
      }
      case "Print":
        this.expr(s.value, line);
        return c.op(Op.PRINT, line);
      case "ExprStmt":
        this.expr(s.expr, line);
        return c.op(Op.POP, line);
      case "If": {
        this.expr(s.cond, line);
        const skipThen = c.jump(Op.JUMP_IF_FALSE, line);
        this.block(s.then);
        if (s.else) {
          const skipElse = c.jump(Op.JUMP, line);
          c.patch(skipThen);
          if (s.else.kind === "Block") this.block(s.else);
          else this.statement(s.else);
          c.patch(skipElse);
        } else {
          c.patch(skipThen);
        }
        return;
      }
      case "While": {
        const start = c.here;
        // The reference opens a while loop before its condition (a for loop only after its
        // iterable): it counts for the depth of a for loop in a lambda inside the condition.
        const loop = this.openLoop();
        this.expr(s.cond, line);
        const exit = c.jump(Op.JUMP_IF_FALSE, line);
        this.block(s.body);
        this.loops.pop();
        c.opU16(Op.JUMP, start, line);
        c.patch(exit);
        for (const j of loop.breaks) c.patch(j);
        for (const j of loop.continues) c.patchTo(j, start);
        return;
      }
      case "For":
        return this.forLoop(s.variable.name, s.iterable, s.body, line);
      case "Return":
        if (s.value) {
          this.expr(s.value, line);
          return c.op(Op.RETURN, line);
        }
        return c.op(Op.RETURN_NONE, line);
      case "Break":
      case "Continue": {
        const kind = s.kind === "Break" ? "BreakOutsideLoop" : "ContinueOutsideLoop";
        const loop = this.loops[this.loops.length - 1];
        if (!loop) throw new CompileStop(kind, line, s);
        const at = c.jump(Op.JUMP, line);
        // The reference compiles a jump into a loop of an enclosing function into corrupt code.
        if (loop.chunk !== c) return this.defer(kind, line);
        (s.kind === "Break" ? loop.breaks : loop.continues).push(at);
        return;
      }
      case "IndexAssign": {
        const k = c.nameConst(s.target.name, line);
        c.opU8(Op.LOAD, k, line);
        this.expr(s.index, line);
        this.expr(s.value, line);
        c.op(Op.SET_INDEX, line);
        return c.opU8(Op.STORE, c.nameConst(s.target.name, line), line);
      }
      case "FnDecl":
        // Only top-level declarations are compiled (pass 2); the reference ignores the others.
        return;
      case "ErrorStmt":
        throw new Error("the compiler was given a tree with syntax errors");
    }
  }

  private openLoop(): OpenLoop {
    const loop: OpenLoop = { chunk: this.chunk, breaks: [], continues: [] };
    this.loops.push(loop);
    return loop;
  }

  /** The for-loop expansion of compiler.md §5, with hidden variables named by loop depth. */
  private forLoop(variable: string, iterable: Expr, body: Block, line: number): void {
    const c = this.chunk;
    const depth = this.loops.length;
    const iter = `__iter_${depth}`;
    const index = `__idx_${depth}`;
    this.expr(iterable, line);
    c.opU8(Op.STORE, c.nameConst(iter, line), line);
    c.opU8(Op.PUSH_CONST, c.numberConst(0, line), line);
    c.opU8(Op.STORE, c.nameConst(index, line), line);
    const start = c.here;
    c.opU8(Op.LOAD, c.nameConst(index, line), line);
    c.opU8(Op.LOAD, c.nameConst(iter, line), line);
    c.byte(Op.CALL, line);
    c.byte(c.nameConst("length", line), line);
    c.byte(1, line);
    c.op(Op.LT, line);
    const exit = c.jump(Op.JUMP_IF_FALSE, line);
    c.opU8(Op.LOAD, c.nameConst(iter, line), line);
    c.opU8(Op.LOAD, c.nameConst(index, line), line);
    c.op(Op.GET_INDEX, line);
    c.opU8(Op.STORE, c.nameConst(variable, line), line);
    const loop = this.openLoop();
    this.block(body);
    this.loops.pop();
    for (const j of loop.continues) c.patch(j);
    c.opU8(Op.LOAD, c.nameConst(index, line), line);
    c.opU8(Op.PUSH_CONST, c.numberConst(1, line), line);
    c.op(Op.ADD, line);
    c.opU8(Op.STORE, c.nameConst(index, line), line);
    c.opU16(Op.JUMP, start, line);
    c.patch(exit);
    for (const j of loop.breaks) c.patch(j);
  }

  // ---------------------------------------------------------------- expressions (§7)

  private expr(e: Expr, line: number): void {
    const c = this.chunk;
    switch (e.kind) {
      case "Number":
        return c.opU8(Op.PUSH_CONST, c.numberConst(e.value, line), line);
      case "String":
        return c.opU8(Op.PUSH_CONST, c.stringConst(e.value, line), line);
      case "Bool":
        return c.op(e.value ? Op.PUSH_TRUE : Op.PUSH_FALSE, line);
      case "Var":
        return this.readVariable(e.name, line);
      case "Paren":
        return this.expr(e.inner, line);
      case "FString":
        return this.expr(e.desugared, line);
      case "Array":
        for (const x of e.elements) this.expr(x, line);
        this.checkCount(e.elements.length, line, e);
        return c.opU8(Op.MAKE_ARRAY, e.elements.length, line);
      case "Dict":
        for (const entry of e.entries) {
          this.expr(entry.key, line);
          this.expr(entry.value, line);
        }
        this.checkCount(e.entries.length, line, e);
        return c.opU8(Op.MAKE_DICT, e.entries.length, line);
      case "Index":
      case "Binary":
        return this.chain(e, line);
      case "Unary":
        this.expr(e.operand, line);
        return c.op(e.op === "-" ? Op.NEG : Op.NOT, line);
      case "Call":
        return this.chain(e, line);
      case "Lambda": {
        const saved = this.site;
        this.site = e;
        this.lambda(e.params, e.body, e.line);
        this.site = saved;
        return;
      }
      case "Missing":
        throw new Error("the compiler was given a tree with syntax errors");
    }
  }

  /**
   * Binary operations, indexes and calls of a computed callee nest to the left (`a + b + …`,
   * `f(1)(2)…`, `a[0][0]…`) and a program may chain thousands: compile the left spine in a loop.
   * Each link's left operand is compiled with the line and site its parent gives it (a call's
   * callee gets the call's line and its arguments' span), exactly as a recursive walk would.
   */
  private chain(top: Expr, line: number): void {
    const c = this.chunk;
    const outerSite = this.site;
    // The links of all open chains share three stacks (a chain inside an operand pushes above
    // ours and is gone before we read ours): no arrays per expression.
    const links = this.chainLinks;
    const lines = this.chainLines;
    const sites = this.chainSites;
    const base = links.length;
    let e = top;
    let l = line;
    let site = outerSite;
    for (;;) {
      if (e.kind === "Binary" || e.kind === "Index") {
        links.push(e);
        lines.push(l);
        sites.push(site);
        e = e.kind === "Binary" ? e.left : e.object;
      } else if (e.kind === "Call" && e.name === null) {
        links.push(e);
        lines.push(l);
        sites.push(site);
        l = e.line;
        site = argsSite(e);
        e = e.callee;
      } else break;
    }
    this.site = site;
    if (e.kind === "Call") this.callRest(e);
    else this.expr(e, l);
    for (let i = links.length - 1; i >= base; i--) {
      const link = links[i];
      const at = lines[i];
      this.site = sites[i];
      if (link.kind === "Index") {
        this.expr(link.index, at);
        c.op(Op.GET_INDEX, at);
      } else if (link.kind === "Binary") {
        if (link.op === "and" || link.op === "or") {
          const j = c.jump(link.op === "and" ? Op.PEEK_JUMP_IF_FALSE : Op.PEEK_JUMP_IF_TRUE, at);
          c.op(Op.POP, at);
          this.expr(link.right, at);
          c.patch(j);
        } else {
          this.expr(link.right, at);
          c.op(BINARY_OPS[link.op], at);
        }
      } else if (link.kind === "Call") {
        this.callRest(link);
      }
      links.pop();
      lines.pop();
      sites.pop();
    }
    this.site = outerSite;
  }

  /** A call after its callee (if computed) is on the stack: arguments, then CALL name argc. */
  private callRest(e: CallExpr): void {
    const c = this.chunk;
    const saved = this.site;
    const site = argsSite(e);
    this.site = site;
    const callLine = e.line;
    for (const a of e.args) this.expr(a, callLine);
    this.checkCount(e.args.length, callLine, site);
    const k = c.nameConst(e.name ?? "__callee__", callLine);
    c.byte(Op.CALL, callLine);
    c.byte(k, callLine);
    c.byte(e.args.length & 0xff, callLine);
    this.site = saved;
  }

  private lambda(params: readonly Ident[], body: Block, line: number): void {
    const name = `__lambda_${line}_${this.lambdaCounter++}`;
    const captures = this.functionBody(name, params, body, line);
    const c = this.chunk;
    const k = c.nameConst(name, line);
    c.byte(Op.MAKE_CLOSURE, line);
    c.byte(k, line);
    c.byte(captures.length & 0xff, line);
    if (captures.length > MAX_ELEMENTS) this.defer("TooManyElements", line);
    for (const capture of captures) {
      const bytes = encodeUtf8(capture.name);
      if (bytes.length > 255) this.defer("StringTooLong", line);
      c.byte(capture.isLocal ? 1 : 0, line);
      c.byte(bytes.length & 0xff, line);
      for (const b of bytes) c.byte(b, line);
    }
  }

  private checkCount(n: number, line: number, site: Span): void {
    if (n > MAX_ELEMENTS && this.deferred === null) this.deferred = { kind: "TooManyElements", line, site };
  }
}

/**
 * The last generator, emptied but for one chunk emitter, kept alive on purpose: V8 drops the
 * hidden classes of the generator's working objects when a full collection finds none left, and
 * with them the optimised code built on them (the next compile of a large file took twice as
 * long after every full GC, as a language server sees between edits). Same as parser.ts.
 */
const kept: { generator: CodeGenerator | null } = { generator: null };

/** Byte-wise order of the UTF-8 encodings (the reference sorts chunk names so). */
function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    // Comparing code points orders like UTF-8 bytes; surrogate halves in UTF-16 would not.
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** 1-based line of a UTF-16 offset in `text`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function problemDiagnostic(p: Problem, text: string | undefined): Diagnostic {
  const def = Diagnostics[p.kind];
  // The reference prints the bytecode line (relative inside f-string braces); we show the real
  // line of the place in the file when we have the text (pitfalls.md #11).
  const line = text !== undefined ? lineAt(text, p.site.start) : p.line;
  return {
    code: def.code,
    severity: "error",
    message: def.message,
    start: p.site.start,
    end: Math.max(p.site.end, p.site.start),
    line,
    column: 0,
  };
}

/**
 * Compiles a syntax tree free of errors. `text` (the source the tree came from) lets a compile
 * error carry its real line inside f-string braces; without it the bytecode line is used.
 */
export function compileProgram(ast: Program, text?: string): CompileResult {
  const generator = new CodeGenerator();
  const outcome = generator.compileProgram(ast);
  generator.release();
  kept.generator = generator;
  if (!("chunks" in outcome)) return { bytes: null, diagnostics: [problemDiagnostic(outcome, text)] };
  const file: WhbcFile = { chunks: outcome.chunks };
  return { bytes: writeWhbc(file), diagnostics: [], chunks: outcome.chunks, file };
}

/**
 * Parses and compiles a document. `bytes` is null when there is any error; `diagnostics` are
 * then the syntax diagnostics (the reference's first error first), or else the first compile error.
 */
export function compile(text: string): CompileResult {
  const parsed = parse(text);
  if (parsed.diagnostics.some((d) => d.severity === "error")) return { bytes: null, diagnostics: parsed.diagnostics };
  return compileProgram(toAst(parsed), text);
}
