// Name resolution over the AST, exactly as the compiler (compiler.md §2–§4) and the VM (runtime.md
// §4–§6) resolve names: every symbol with its definitions, every reference with its span, its
// access kind and the symbol it reaches. Plain data for the analyses and the language server.
//
// The walk follows the compiler's order (top-level `let` names first, named functions, then main;
// in each function, expressions before the names they are stored into), because the compiler
// records a function's locals and captured variables as it goes: a name read before its `let`
// in the same function is not yet a local, and `let x` in a closure that already reads a captured
// `x` writes the captured cell.

import type * as A from "./ast";
import { walkChain, type ChainLink } from "./astWalk";
import { BUILTINS } from "./builtins";
import { exact, type Answer, type Question } from "./keep";
import { keptUnit, makeUnit, newRecording, noteRead, replayUnit, ResolutionCache, type FunctionEntry, type FunctionUnit, type Recording } from "./resolveCache";
import { unparen, type Access, type FunctionReferences, type FunctionScope, type NameOp, type NamedCall, type NameSymbol, type Reference, type Resolution, type SymbolKind } from "./resolution";

export * from "./resolution";
export { ResolutionCache } from "./resolveCache";

/** The compile-time state of an open function scope. */
interface Frame {
  scope: FunctionScope;
  /** Locals as recorded so far in compile order (compiler.md §3). */
  locals: Set<string>;
  /** Upvalue name → the captured symbol. */
  upvalues: Map<string, NameSymbol>;
  /** Every name its own body stores into its frame (`let`, `for`, parameters), wherever it appears. */
  stored: Set<string>;
  /** `for` variables of its own body. */
  loopNames: Set<string>;
  /** For a never-compiled body: the frames around it, consulted read-only for navigation. */
  outside: Frame[];
}

const nonFunctionKinds = new Set<A.Expr["kind"]>(["Number", "String", "Bool", "Array", "Dict", "FString", "Binary", "Unary"]);

/** Whether a value might be a function (calls by name skip variables that hold anything else). */
function mightBeFunction(e: A.Expr): boolean {
  while (e.kind === "Paren") e = e.inner;
  return !nonFunctionKinds.has(e.kind);
}

function isResolverLink(e: A.Expr): e is ChainLink {
  return e.kind === "Binary" || e.kind === "Index" || (e.kind === "Call" && !isNamedCall(e));
}

function isNamedCall(e: A.CallExpr): boolean {
  return e.name !== null && unparen(e.callee).kind === "Var";
}

interface PendingCall extends NamedCall {
  frame: Frame | null;
  captured: NameSymbol | null;
}

class Resolver {
  constructor(private readonly cache: ResolutionCache | null) {}

  private readonly symbols: NameSymbol[] = [];
  private readonly refs: Reference[] = [];
  private readonly scopes: FunctionScope[] = [];
  private readonly scopeOf = new Map<A.FnDeclStmt | A.LambdaExpr, FunctionScope>();
  private readonly globals = new Map<string, NameSymbol>();
  private readonly functions = new Map<string, NameSymbol>();
  private readonly builtins = new Map<string, NameSymbol>();
  /** compiler.md §3 `global_names`: top-level `let`s, then every `let` main compiles. */
  private readonly globalNames = new Set<string>();
  /** Every name main stores into a global (lets and for variables at depth 0, blocks included). */
  private readonly globalStores = new Set<string>();
  private stack: Frame[] = [];
  /** The loops open in the function being resolved (or main), outermost first. */
  private loops: A.Span[] = [];
  /** Named calls, resolved once every symbol's values are known: main's here, ... */
  private readonly pendingCalls: PendingCall[] = [];
  /** ... and each top-level named function's, in program order (a cached list is taken whole). */
  private readonly functionPending: PendingCall[][] = [];
  /**
   * Each top-level named function's references, in program order (a cached list is taken whole);
   * `refs` then holds only main's and the functions' names.
   */
  private readonly functionRefs: Reference[][] = [];
  /** With a cache: the top-level functions' references, with their cache entries as keys. */
  private readonly functionUnits: FunctionReferences[] = [];
  /** The top-level named functions, in program order (matching `functionPending`). */
  private readonly functionEntries: FunctionEntry[] = [];
  /** The sorted references were made by sorting everything (top-level statements overlapped). */
  private sortedWhole = false;
  /**
   * While a named function is walked for the cache: the symbols it creates and the globals it
   * touches, in order, so that taking it from the cache creates globals exactly where a walk would.
   */
  private recording: Recording | null = null;
  /** Each top-level statement's references in source order (a named function's without its name). */
  private readonly segments = new Map<A.Stmt, Reference[]>();
  private readonly nameRefs = new Map<A.FnDeclStmt, Reference>();
  /** The pending links of the chains being walked (see chain()). */
  private readonly spine: A.Expr[] = [];
  private readonly visitExpr = (e: A.Expr): void => this.expr(e);

  run(program: A.Program): Resolution {
    for (const s of program.body) {
      if (s.kind === "Let") this.globalNames.add(s.name.name);
      if (s.kind === "FnDecl") this.functionSymbol(s);
    }
    this.collectGlobalStores(program.body);
    if (this.cache) this.cache.reused = this.cache.walked = 0;
    for (const s of program.body) if (s.kind === "FnDecl") this.namedFunction(s);
    for (const s of program.body) {
      if (s.kind === "FnDecl") continue;
      const from = this.refs.length;
      this.statement(s);
      this.segments.set(s, sortByStart(this.refs.slice(from)));
    }
    for (const s of program.body) if (s.kind === "FnDecl") this.functionName(s);
    for (let i = 0; i < this.functionPending.length; i++) {
      const entry = this.functionEntries[i];
      for (const p of this.functionPending[i]) {
        const before = p.ref.symbol;
        this.resolveCall(p.ref, p.frame, p.captured);
        const after = p.ref.symbol;
        // A call that now reaches, or no longer reaches, one of the function's own symbols
        // changes that symbol's references: the function's lists are then made again.
        if (before !== after && (before?.owner || after?.owner)) entry.changed = true;
      }
    }
    for (const p of this.pendingCalls) this.resolveCall(p.ref, p.frame, p.captured);
    return this.finish(program);
  }

  // ------------------------------------------------------------ symbols

  private newSymbol(name: string, kind: SymbolKind, owner: FunctionScope | null): NameSymbol {
    const s: NameSymbol = {
      id: this.symbols.length,
      name,
      kind,
      owner,
      definitions: [],
      values: [],
      functions: [],
      references: [],
      captured: false,
      nested: false,
      definedFrom: Infinity,
    };
    this.symbols.push(s);
    if (this.recording && kind !== "global") this.recording.events.push(s);
    return s;
  }

  private functionSymbol(decl: A.FnDeclStmt): NameSymbol {
    let s = this.functions.get(decl.name.name);
    if (!s) {
      s = this.newSymbol(decl.name.name, "function", null);
      this.functions.set(decl.name.name, s);
    }
    s.functions.push(decl);
    s.definitions.push(decl.name);
    return s;
  }

  private global(name: string): NameSymbol {
    if (this.recording && !this.recording.globals.has(name)) {
      this.recording.globals.add(name);
      this.recording.events.push(name);
    }
    let s = this.globals.get(name);
    if (!s) {
      s = this.newSymbol(name, "global", null);
      this.globals.set(name, s);
    }
    return s;
  }

  private existingGlobal(name: string): NameSymbol | null {
    return this.isGlobalStore(name) ? this.global(name) : null;
  }

  /** Whether main stores into `name` (a question a named function asks outside itself). */
  private isGlobalStore(name: string): boolean {
    const answer = this.globalStores.has(name);
    noteRead(this.recording, "globalStore", name, answer);
    return answer;
  }

  /** Whether `name` is a top-level `let` (asked by named functions before main is walked). */
  private isGlobalName(name: string): boolean {
    const answer = this.globalNames.has(name);
    noteRead(this.recording, "globalName", name, answer);
    return answer;
  }

  /** The answer a function's question gets now (while named functions are resolved, before main). */
  private answer(q: Question): Answer {
    if (q[0] === "globalName") return this.globalNames.has(q[1] as string);
    if (q[0] === "globalStore") return this.globalStores.has(q[1] as string);
    throw new Error(`unknown question ${q[0]}`);
  }

  private local(frame: Frame, name: string, kind: "local" | "parameter" | "loop"): NameSymbol {
    let s = frame.scope.locals.get(name);
    if (!s) {
      s = this.newSymbol(name, kind, frame.scope);
      frame.scope.locals.set(name, s);
    } else if (kind === "parameter" || (kind === "local" && s.kind === "loop")) {
      s.kind = kind;
    }
    return s;
  }

  private builtin(name: string): NameSymbol {
    let s = this.builtins.get(name);
    if (!s) {
      s = this.newSymbol(name, "builtin", null);
      this.builtins.set(name, s);
    }
    return s;
  }

  private reference(
    name: string,
    span: A.Span,
    access: Access,
    symbol: NameSymbol | null,
    op: NameOp,
    captured = false,
  ): Reference {
    const ref = new PackedReference(name, span, access, symbol, this.top()?.scope ?? null, op, captured, this.loops.length ? this.loops[0] : null);
    this.refs.push(ref);
    if (symbol && captured) symbol.captured = true;
    return ref;
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  // ------------------------------------------------------------ prepasses

  /** Names main stores into globals: `let` and `for` at depth 0, in blocks too, not in functions. */
  private collectGlobalStores(body: A.Stmt[]): void {
    for (const s of body) {
      switch (s.kind) {
        case "Let":
          this.globalStores.add(s.name.name);
          break;
        case "For":
          this.globalStores.add(s.variable.name);
          this.collectGlobalStores(s.body.body);
          break;
        case "If":
          this.collectGlobalStores(s.then.body);
          if (s.else) this.collectGlobalStores(s.else.kind === "Block" ? s.else.body : [s.else]);
          break;
        case "While":
          this.collectGlobalStores(s.body.body);
          break;
        default:
          break;
      }
    }
  }

  /** The names a function body stores into its own frame, and which of them are loop variables. */
  private collectFrameStores(body: A.Stmt[], stored: Set<string>, loops: Set<string>): void {
    for (const s of body) {
      switch (s.kind) {
        case "Let":
          stored.add(s.name.name);
          break;
        case "For":
          stored.add(s.variable.name);
          loops.add(s.variable.name);
          this.collectFrameStores(s.body.body, stored, loops);
          break;
        case "If":
          this.collectFrameStores(s.then.body, stored, loops);
          if (s.else) this.collectFrameStores(s.else.kind === "Block" ? s.else.body : [s.else], stored, loops);
          break;
        case "While":
          this.collectFrameStores(s.body.body, stored, loops);
          break;
        default:
          break;
      }
    }
  }

  // ------------------------------------------------------------ functions

  /** Pass 2 for one top-level function: from the cache when its body and the answers it read are unchanged. */
  private namedFunction(decl: A.FnDeclStmt): void {
    const cache = this.cache;
    const unit = cache ? keptUnit<PendingCall>(cache, decl, (q) => this.answer(q)) : null;
    if (cache && unit) {
      this.replay(unit, decl);
      this.segments.set(decl, unit.sorted);
      const exposed = { key: unit, reused: true, start: decl.start, refs: unit.refs, own: unit.own, calls: unit.pending };
      this.functionUnits.push(exposed);
      this.functionEntries.push({ decl, unit, replayed: true, changed: false, exposed });
      cache.reused++;
      return;
    }
    const first = { scopes: this.scopes.length, refs: this.refs.length, pending: this.pendingCalls.length };
    if (cache) this.recording = newRecording();
    this.compileFunction(decl, decl.name.name, true);
    const recorded = this.recording;
    this.recording = null;
    const refs = this.refs.slice(first.refs);
    this.refs.length = first.refs;
    this.functionRefs.push(refs);
    const pending = this.pendingCalls.slice(first.pending);
    this.pendingCalls.length = first.pending;
    this.functionPending.push(pending);
    const sorted = sortByStart(refs);
    this.segments.set(decl, sorted);
    if (!cache || !recorded) {
      this.functionEntries.push({ decl, unit: null, replayed: false, changed: false, exposed: null });
      return;
    }
    cache.walked++;
    const made = makeUnit(decl, recorded, this.scopes.slice(first.scopes), refs, sorted, pending);
    cache.units.set(decl, made);
    const exposed = { key: made, reused: false, start: decl.start, refs, own: made.own, calls: pending };
    this.functionUnits.push(exposed);
    this.functionEntries.push({ decl, unit: made, replayed: false, changed: false, exposed });
  }

  private replay(unit: FunctionUnit<PendingCall>, decl: A.FnDeclStmt): void {
    replayUnit(unit, decl, {
      scope: (scope) => {
        scope.id = this.scopes.length;
        this.scopes.push(scope);
        this.scopeOf.set(scope.node, scope);
      },
      symbol: (sym) => {
        sym.id = this.symbols.length;
        this.symbols.push(sym);
      },
      global: (name) => this.global(name),
    });
    this.functionRefs.push(unit.refs);
    this.functionPending.push(unit.pending);
  }

  private compileFunction(node: A.FnDeclStmt | A.LambdaExpr, name: string | null, compiled: boolean): FunctionScope {
    const enclosing = this.top();
    const scope: FunctionScope = {
      id: this.scopes.length,
      kind: node.kind === "FnDecl" ? "function" : "lambda",
      node,
      name,
      parent: enclosing?.scope ?? null,
      compiled: compiled && (enclosing?.scope.compiled ?? true),
      params: [],
      captures: [],
      locals: new Map(),
    };
    this.scopes.push(scope);
    this.scopeOf.set(node, scope);
    const frame: Frame = { scope, locals: new Set(), upvalues: new Map(), stored: new Set(), loopNames: new Set(), outside: [] };
    for (const p of node.params) frame.stored.add(p.name);
    this.collectFrameStores(node.body.body, frame.stored, frame.loopNames);

    // A body the compiler never sees gets a stack of its own, so that resolving it cannot add
    // captured variables to the real functions around it.
    const saved = this.stack;
    if (!scope.compiled) {
      frame.outside = [...saved, ...(saved[saved.length - 1]?.outside ?? [])];
      this.stack = [frame];
    } else {
      saved.push(frame);
    }
    const outerLoops = this.loops;
    this.loops = [];
    for (const p of node.params) {
      const sym = this.local(frame, p.name, "parameter");
      sym.definitions.push(p);
      sym.definedFrom = Math.min(sym.definedFrom, node.start);
      scope.params.push(sym);
      frame.locals.add(p.name);
      this.reference(p.name, p, "definition", sym, null);
    }
    this.block(node.body);
    scope.params = exact(scope.params);
    scope.captures = exact(scope.captures);
    this.loops = outerLoops;
    if (scope.compiled) saved.pop();
    this.stack = saved;
    return scope;
  }

  /** The name of a top-level `fn` declaration, as a reference to its function symbol. */
  private functionName(decl: A.FnDeclStmt): void {
    const sym = this.functions.get(decl.name.name) ?? null;
    this.nameRefs.set(decl, this.reference(decl.name.name, decl.name, "definition", sym, null));
  }

  /**
   * Every reference in source order, from the top-level statements' own sorted lists: statements
   * do not overlap, so joining them in order is sorting. Where they would touch (equal starts
   * across statements, in broken code) the whole list is sorted instead, as that breaks ties.
   */
  private sortedReferences(program: A.Program): Reference[] {
    let total = this.refs.length;
    for (const list of this.functionRefs) total += list.length;
    const out = new Array<Reference>(total);
    let n = 0;
    let last = -Infinity;
    for (const s of program.body) {
      const segment = this.segments.get(s);
      if (!segment) continue;
      const nameRef = s.kind === "FnDecl" ? this.nameRefs.get(s) : undefined;
      let i = 0;
      if (nameRef) {
        // The name was referenced after the body (last among equal starts).
        while (i < segment.length && segment[i].span.start <= nameRef.span.start) i++;
      }
      const first = i > 0 ? segment[0] : nameRef ?? segment[0];
      if (!first) continue;
      if (first.span.start <= last || n + segment.length + (nameRef ? 1 : 0) > total) return this.sortWhole();
      for (let j = 0; j < i; j++) out[n++] = segment[j];
      if (nameRef) out[n++] = nameRef;
      for (let j = i; j < segment.length; j++) out[n++] = segment[j];
      last = out[n - 1].span.start;
    }
    return n === total ? out : this.sortWhole();
  }

  private sortWhole(): Reference[] {
    this.sortedWhole = true;
    return sortByStart(this.allReferences());
  }

  /** Every reference in the order they were made (ties in sortByStart keep it). */
  private allReferences(): Reference[] {
    const all: Reference[] = [];
    for (const list of this.functionRefs) for (const r of list) all.push(r);
    for (const r of this.refs) all.push(r);
    return all;
  }

  // ------------------------------------------------------------ statements

  private block(b: A.Block): void {
    for (const s of b.body) this.statement(s);
  }

  private statement(s: A.Stmt): void {
    switch (s.kind) {
      case "Let":
        this.letStatement(s);
        break;
      case "Print":
        this.expr(s.value);
        break;
      case "If":
        this.expr(s.cond);
        this.block(s.then);
        if (s.else) {
          if (s.else.kind === "Block") this.block(s.else);
          else this.statement(s.else);
        }
        break;
      case "While":
        this.loops.push(s);
        this.expr(s.cond);
        this.block(s.body);
        this.loops.pop();
        break;
      case "For":
        this.forStatement(s);
        break;
      case "FnDecl": {
        // Only reached for declarations that are not at the top level: never compiled.
        const sym = this.newSymbol(s.name.name, "function", null);
        sym.nested = true;
        sym.functions.push(s);
        sym.definitions.push(s.name);
        this.reference(s.name.name, s.name, "definition", sym, null);
        this.compileFunction(s, s.name.name, false);
        break;
      }
      case "Return":
        if (s.value) this.expr(s.value);
        break;
      case "IndexAssign":
        this.indexAssign(s);
        break;
      case "ExprStmt":
        this.expr(s.expr);
        break;
      case "Break":
      case "Continue":
      case "ErrorStmt":
        break;
    }
  }

  private letStatement(s: A.LetStmt): void {
    const name = s.name.name;
    this.expr(s.value, name);
    const frame = this.top();
    if (!frame) {
      const sym = this.global(name);
      this.define(sym, s.name, s.value, s.end);
      this.reference(name, s.name, "write", sym, "STORE");
      this.globalNames.add(name);
      return;
    }
    const up = frame.upvalues.get(name);
    if (up) {
      this.define(up, s.name, s.value, s.end);
      this.reference(name, s.name, "write", up, "STORE_UPVALUE", true);
      return;
    }
    const sym = this.local(frame, name, "local");
    this.define(sym, s.name, s.value, s.end);
    const ref = this.reference(name, s.name, "write", sym, "STORE");
    ref.createsLocal = !frame.locals.has(name);
    frame.locals.add(name);
  }

  private define(sym: NameSymbol, span: A.Span, value: A.Expr, effectiveFrom: number): void {
    sym.definitions.push(span);
    sym.values.push(value);
    sym.definedFrom = Math.min(sym.definedFrom, effectiveFrom);
  }

  private forStatement(s: A.ForStmt): void {
    this.expr(s.iterable);
    const frame = this.top();
    const name = s.variable.name;
    // The loop variable is stored by name every iteration and never recorded as a local.
    const sym = frame ? this.local(frame, name, "loop") : this.global(name);
    sym.definitions.push(s.variable);
    sym.definedFrom = Math.min(sym.definedFrom, s.body.start);
    this.loops.push(s);
    this.reference(name, s.variable, "write", sym, "STORE");
    this.block(s.body);
    this.loops.pop();
  }

  private indexAssign(s: A.IndexAssignStmt): void {
    const name = s.target.name;
    const frame = this.top();
    // LOAD and STORE by name, whatever the scope: captured cells are never consulted.
    let sym: NameSymbol | null;
    let problem: Reference["problem"] = null;
    if (!frame) sym = this.existingGlobal(name);
    else if (frame.locals.has(name) || frame.stored.has(name)) sym = this.local(frame, name, "local");
    else {
      const captured = this.peekCaptured(frame, name);
      if (captured) {
        sym = captured;
        problem = "captured-index-assign";
      } else sym = this.existingGlobal(name);
    }
    const ref = this.reference(name, s.target, "readwrite", sym, "STORE");
    ref.problem = problem;
    this.expr(s.index);
    this.expr(s.value);
  }

  // ------------------------------------------------------------ expressions

  /** `bindingName`: the `let` name a lambda value is bound to, for its scope's name. */
  private expr(e: A.Expr, bindingName: string | null = null): void {
    switch (e.kind) {
      case "Number":
      case "String":
      case "Bool":
      case "Missing":
        break;
      case "Var":
        this.read(e.name, e);
        break;
      case "Array":
        for (const x of e.elements) this.expr(x);
        break;
      case "Dict":
        for (const en of e.entries) {
          this.expr(en.key);
          this.expr(en.value);
        }
        break;
      case "Index":
      case "Binary":
        this.chain(e);
        break;
      case "Unary":
        this.expr(e.operand);
        break;
      case "Paren":
        this.expr(e.inner, bindingName);
        break;
      case "Call":
        if (isNamedCall(e)) this.call(e);
        else this.chain(e);
        break;
      case "Lambda":
        this.compileFunction(e, bindingName, true);
        break;
      case "FString":
        for (const p of e.parts) if (p.kind === "Interpolation") this.expr(p.expr);
        break;
    }
  }

  /** A chain of binary operations, indexes and computed calls (calls by name end it: call()). */
  private chain(top: A.Expr): void {
    walkChain(top, this.spine, isResolverLink, this.visitExpr);
  }

  /** A call by name (`f(…)`, `(f)(…)`): its arguments, then the name, resolved at the end. */
  private call(e: A.CallExpr): void {
    const callee = unparen(e.callee) as A.VarRef;
    const name = callee.name;
    for (const a of e.args) this.expr(a);
    const ref = this.reference(name, callee, "call", null, "CALL");
    const frame = this.top() ?? null;
    // What the name would mean as a captured variable: calls by name cannot reach it.
    const captured = frame && !frame.stored.has(name) ? this.peekCaptured(frame, name) : null;
    this.pendingCalls.push({ ref, call: e, frame, captured });
  }

  /** A variable read (compiler.md §3 "Reading a variable"). */
  private read(name: string, span: A.Span): void {
    const frame = this.top();
    if (!frame) {
      this.reference(name, span, "read", this.existingGlobal(name), "LOAD");
      return;
    }
    if (frame.locals.has(name)) {
      this.reference(name, span, "read", this.local(frame, name, "local"), "LOAD");
      return;
    }
    const up = frame.upvalues.get(name) ?? this.resolveUpvalue(this.stack.length - 1, name);
    if (up) {
      this.reference(name, span, "read", up, "LOAD_UPVALUE", true);
      return;
    }
    if (frame.outside.length) {
      const seen = this.peekOutside(frame, name);
      if (seen) {
        this.reference(name, span, "read", seen, "LOAD_UPVALUE", true);
        return;
      }
    }
    if (this.isGlobalName(name)) {
      this.reference(name, span, "read", this.global(name), "LOAD_GLOBAL");
      return;
    }
    // Plain LOAD: the frame's own variable (a loop variable, or a `let` further on), else a global.
    if (frame.stored.has(name)) {
      this.reference(name, span, "read", this.local(frame, name, frame.loopNames.has(name) ? "loop" : "local"), "LOAD");
      return;
    }
    const global = this.existingGlobal(name);
    if (global) {
      this.reference(name, span, "read", global, "LOAD");
      return;
    }
    const ref = this.reference(name, span, "read", null, "LOAD");
    const loopVar = this.enclosingLoopVariable(name);
    if (loopVar) {
      ref.symbol = loopVar;
      ref.problem = "uncaptured-loop-variable";
    }
  }

  /** compiler.md §3 resolve(x) for the scope at stack index i: adds upvalues on the way. */
  private resolveUpvalue(i: number, name: string): NameSymbol | null {
    if (i <= 0) return null;
    const parent = this.stack[i - 1];
    const frame = this.stack[i];
    let sym: NameSymbol | null;
    if (parent.locals.has(name)) sym = parent.scope.locals.get(name)!;
    else sym = parent.upvalues.get(name) ?? this.resolveUpvalue(i - 1, name);
    if (!sym) return null;
    if (!frame.upvalues.has(name)) {
      frame.upvalues.set(name, sym);
      frame.scope.captures.push(sym);
    }
    return sym;
  }

  /** What resolve(x) would find, without recording anything (for LOAD/STORE by name, which ignore it). */
  private peekCaptured(frame: Frame, name: string): NameSymbol | null {
    const up = frame.upvalues.get(name);
    if (up) return up;
    const idx = this.stack.indexOf(frame);
    for (let i = idx - 1; i >= 0; i--) {
      const f = this.stack[i];
      if (f.locals.has(name)) return f.scope.locals.get(name)!;
      const u = f.upvalues.get(name);
      if (u) return u;
    }
    return this.peekOutside(frame, name);
  }

  private peekOutside(frame: Frame, name: string): NameSymbol | null {
    for (let i = frame.outside.length - 1; i >= 0; i--) {
      const f = frame.outside[i];
      if (f.locals.has(name)) return f.scope.locals.get(name)!;
      const u = f.upvalues.get(name);
      if (u) return u;
    }
    return null;
  }

  /** A loop variable of an enclosing function that a closure tries to read (pitfalls #8). */
  private enclosingLoopVariable(name: string): NameSymbol | null {
    for (let i = this.stack.length - 2; i >= 0; i--) {
      const f = this.stack[i];
      if (f.loopNames.has(name)) return this.local(f, name, "loop");
    }
    return null;
  }

  /** runtime.md §5: builtin, then the frame's or a global variable holding a function, then a named function. */
  private resolveCall(ref: Reference, frame: Frame | null, captured: NameSymbol | null): void {
    const name = ref.name;
    ref.problem = null;
    let sym: NameSymbol | null = null;
    if (BUILTINS.has(name)) sym = this.builtin(name);
    else {
      const variable = frame && frame.stored.has(name) ? frame.scope.locals.get(name) ?? null : this.globalStores.has(name) ? this.global(name) : null;
      const fn = this.functions.get(name) ?? null;
      const variableMayCall = variable !== null && (variable.kind === "parameter" || variable.kind === "loop" || variable.values.length === 0 || variable.values.some(mightBeFunction));
      if (variable && (variableMayCall || !fn)) sym = variable;
      else sym = fn;
      if (!sym && captured) {
        sym = captured;
        ref.problem = "captured-call";
      }
    }
    ref.symbol = sym;
  }

  // ------------------------------------------------------------ result

  private finish(program: A.Program): Resolution {
    const refs = this.sortedReferences(program);
    const symbols = this.symbols;
    // The own symbols of functions taken unchanged from the cache keep their lists (only their
    // function's references reach them, and those are the same); every other list is made again.
    const keep = new Uint8Array(symbols.length);
    const unchanged = new Map<A.Stmt, FunctionUnit>();
    for (const e of this.functionEntries) {
      if (!e.replayed || e.changed || !e.unit) continue;
      unchanged.set(e.decl, e.unit);
      for (const sym of e.unit.own) keep[sym.id] = 1;
    }
    // Lists are refilled in place, in source order, and cut to their new length: no array is made again.
    const counts = new Int32Array(symbols.length);
    const add = (r: Reference) => {
      const sym = r.symbol;
      if (sym === null) return;
      if (symbols[sym.id] !== sym) sym.references.push(r);
      else if (!keep[sym.id]) sym.references[counts[sym.id]++] = r;
    };
    if (this.sortedWhole || unchanged.size === 0) {
      for (const r of refs) add(r);
    } else {
      // The same order as sortedReferences(), reading only the references of unchanged functions
      // that may reach other symbols.
      for (const s of program.body) {
        const unit = unchanged.get(s);
        const list = unit ? unit.outward : this.segments.get(s);
        if (!list) continue;
        const nameRef = s.kind === "FnDecl" ? this.nameRefs.get(s) : undefined;
        let i = 0;
        if (nameRef) while (i < list.length && list[i].span.start <= nameRef.span.start) i++;
        for (let j = 0; j < i; j++) add(list[j]);
        if (nameRef) add(nameRef);
        for (let j = i; j < list.length; j++) add(list[j]);
      }
    }
    for (let k = 0; k < symbols.length; k++) {
      if (keep[k]) continue;
      const s = symbols[k];
      if (s.references.length !== counts[k]) s.references.length = counts[k];
      if (s.definitions.length > 1 && !inSourceOrder(s.definitions)) {
        if (s.values.length === s.definitions.length) {
          const order = s.definitions.map((_, i) => i).sort((a, b) => s.definitions[a].start - s.definitions[b].start);
          s.definitions = order.map((i) => s.definitions[i]);
          s.values = order.map((i) => s.values[i]);
        } else s.definitions.sort((a, b) => a.start - b.start);
      }
      // A lambda bound by `let`: the symbol's only definition holds it.
      if (s.kind !== "function") {
        const v = s.values.length === 1 && s.definitions.length === 1 ? unparen(s.values[0]) : null;
        if (v?.kind === "Lambda") {
          if (s.functions[0] !== v) s.functions = [v];
        } else if (s.functions.length) s.functions = [];
      }
      // Lists built by push() keep the room they grew into (17 slots for one element); the symbols
      // live as long as the document's analysis, so their lists are cut to size (see exact()).
      s.definitions = exact(s.definitions);
      s.values = exact(s.values);
      s.functions = exact(s.functions);
      s.references = exact(s.references);
    }
    // Every call in one list is only read without a cache (the name check reads each
    // function's own list otherwise): made on first use, not per keystroke.
    // The getter holds the two lists only, not the resolver (its working maps would stay alive).
    let calls: NamedCall[] | null = null;
    const functionPending = this.functionPending;
    const pendingCalls = this.pendingCalls;
    const allCalls = () => (calls ??= namedCalls(functionPending, pendingCalls));
    return {
      scopes: this.scopes,
      symbols: this.symbols,
      references: refs,
      globals: this.globals,
      functions: this.functions,
      builtins: this.builtins,
      scopeOf: this.scopeOf,
      get calls() {
        return allCalls();
      },
      ...(this.cache ? { functionUnits: this.functionUnits, otherReferences: this.refs, otherCalls: this.pendingCalls } : {}),
    };
  }
}

const ACCESSES: readonly Access[] = ["read", "write", "readwrite", "call", "definition"];
const OPS: readonly NameOp[] = [null, "LOAD", "LOAD_GLOBAL", "LOAD_UPVALUE", "STORE", "STORE_UPVALUE", "CALL"];
const PROBLEMS: readonly Reference["problem"][] = [null, "captured-index-assign", "captured-call", "uncaptured-loop-variable"];
// Bit layout of PackedReference.bits: access (3 bits), op (3), problem (2), captured, createsLocal.
const OP_SHIFT = 3;
const PROBLEM_SHIFT = 6;
const CAPTURED = 1 << 8;
const CREATES_LOCAL = 1 << 9;

/**
 * A Reference whose small fields share one number: a large file has tens of thousands of
 * references alive as long as its analysis, and four fields fewer is 32 bytes less each.
 */
class PackedReference implements Reference {
  private bits: number;
  constructor(
    readonly name: string,
    readonly span: A.Span,
    access: Access,
    public symbol: NameSymbol | null,
    readonly scope: FunctionScope | null,
    op: NameOp,
    captured: boolean,
    readonly loop: A.Span | null,
  ) {
    this.bits = ACCESSES.indexOf(access) | (OPS.indexOf(op) << OP_SHIFT) | (captured ? CAPTURED : 0);
  }
  get access(): Access {
    return ACCESSES[this.bits & 7];
  }
  get op(): NameOp {
    return OPS[(this.bits >> OP_SHIFT) & 7];
  }
  get problem(): Reference["problem"] {
    return PROBLEMS[(this.bits >> PROBLEM_SHIFT) & 3];
  }
  set problem(p: Reference["problem"]) {
    this.bits = (this.bits & ~(3 << PROBLEM_SHIFT)) | (PROBLEMS.indexOf(p) << PROBLEM_SHIFT);
  }
  get captured(): boolean {
    return (this.bits & CAPTURED) !== 0;
  }
  get createsLocal(): boolean {
    return (this.bits & CREATES_LOCAL) !== 0;
  }
  set createsLocal(on: boolean) {
    this.bits = on ? this.bits | CREATES_LOCAL : this.bits & ~CREATES_LOCAL;
  }
}

/** Every call by name: the named functions' in program order, then main's. */
function namedCalls(functionPending: readonly PendingCall[][], pendingCalls: readonly PendingCall[]): NamedCall[] {
  let n = pendingCalls.length;
  for (const list of functionPending) n += list.length;
  const out = new Array<NamedCall>(n);
  let k = 0;
  for (const list of functionPending) for (const p of list) out[k++] = p;
  for (const p of pendingCalls) out[k++] = p;
  return out;
}

function inSourceOrder(spans: A.Span[]): boolean {
  for (let i = 1; i < spans.length; i++) if (spans[i - 1].start > spans[i].start) return false;
  return true;
}

/** References in source order. Keys pack (start, index) into one number so a numeric sort does it. */
function sortByStart(refs: Reference[]): Reference[] {
  const keys = new Float64Array(refs.length);
  const scale = 2 ** 22;
  for (let i = 0; i < refs.length; i++) keys[i] = refs[i].span.start * scale + i;
  keys.sort();
  const out = new Array<Reference>(refs.length);
  for (let i = 0; i < keys.length; i++) out[i] = refs[keys[i] % scale];
  return out;
}

/** Resolves a program; with a cache, unchanged top-level functions are taken from earlier resolutions. */
export function resolve(program: A.Program, cache: ResolutionCache | null = null): Resolution {
  return new Resolver(cache).run(program);
}

