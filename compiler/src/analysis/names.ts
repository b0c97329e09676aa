// Pitfalls about names, read off the resolution (pitfalls.md #4–#8, #17, #18, #20 unused):
// undefined names, named functions and builtins used as values, index assignment on captured
// or global variables, stale reads, uncaptured loop variables, arity, unused variables.

import type * as A from "../ast";
import { BUILTINS, acceptsArgCount, type Builtin } from "../builtins";
import { Diagnostics } from "../diagnostics";
import { unparen, type FunctionReferences, type FunctionScope, type NameSymbol, type Reference, type Resolution } from "../resolve";
import type { Finding, Fix } from "./finding";
import { PlacedFindings, sameRelative, type Answer } from "../keep";
import { plural } from "./structure";

/**
 * What the name check found in one top-level named function (relative to its start), kept while
 * the resolution took the function from its cache and the questions it asked outside itself get
 * the same answers (keep.ts): the facts about each name its calls and outward references use
 * (`facts`, positions compared relative to the function's start), what each of its calls reaches
 * (`calls`: its own symbols' reference lists follow), and the file's names when a finding
 * suggests some (`names`).
 */
interface NameUnit {
  findings: PlacedFindings;
  /** The function's start when the answers were given. */
  base: number;
  outside: { name: string; facts: Facts }[];
  calls: Answer[];
  names: string | null;
  /** Its own symbols a closure writes: their stale reads name lines, which move, so they are checked every time. */
  captured: NameSymbol[];
}

/**
 * The facts about a name that checks inside a function read, by value: the compiled named
 * function's parameters and name span; the first nested declaration's
 * name span; the global's definition count, first definition, values' kinds and a bound lambda's
 * parameter count. Positions (FACT_POSITIONS) are absolute, -1 when absent.
 */
type Facts = readonly (number | string)[];
const FACT_POSITIONS = [1, 2, 3, 4, 6, 7];

/** Kept by the language server from one analysis of a document to the next. */
export class NameCache {
  readonly units = new WeakMap<object, NameUnit>();
  /** How many top-level functions the last check took from the cache, and checked. */
  reused = 0;
  walked = 0;
}

export class NameCheck {
  readonly findings: Finding[] = [];
  private readonly nested = new Map<string, NameSymbol>();

  constructor(
    private readonly resolution: Resolution,
    /** The 1-based line of an offset, for messages that name a line. */
    private readonly lineOf: (offset: number) => number,
    private readonly cache: NameCache | null = null,
  ) {
    for (const s of resolution.symbols) if (s.nested && !this.nested.has(s.name)) this.nested.set(s.name, s);
  }

  run(): Finding[] {
    const res = this.resolution;
    const units = res.functionUnits;
    const others = res.otherReferences;
    const symbols = res.symbols;
    // The own symbols of functions whose lists are unchanged: their checks come from the cache.
    const kept = new Uint8Array(symbols.length);
    if (this.cache && units && others && res.otherCalls) {
      const cache = this.cache;
      cache.reused = cache.walked = 0;
      for (const unit of units) this.functionReferences(unit, cache, kept);
      for (const ref of others) if (!ref.scope || ref.scope.compiled) this.reference(ref);
      for (const { ref, call } of res.otherCalls) if (!ref.scope || ref.scope.compiled) this.arity(call, ref);
    } else {
      for (const ref of res.references) if (!ref.scope || ref.scope.compiled) this.reference(ref);
      for (const { ref, call } of res.calls) if (!ref.scope || ref.scope.compiled) this.arity(call, ref);
    }
    for (let k = 0; k < symbols.length; k++) {
      if (kept[k]) continue;
      const sym = symbols[k];
      if (sym.owner && !sym.owner.compiled) continue;
      this.unused(sym);
      this.staleReads(sym);
      this.duplicateFunction(sym);
    }
    return this.findings;
  }

  private readonly factsMemo = new Map<string, Facts>();

  /** The facts about `name` in this version (see Facts), made once per check. */
  private facts(name: string): Facts {
    let f = this.factsMemo.get(name);
    if (f) return f;
    const res = this.resolution;
    const fn = res.functions.get(name);
    const decl = fn ? (fn.functions[fn.functions.length - 1] as A.FnDeclStmt) : null;
    const nested = this.nested.get(name)?.definitions[0];
    const g = res.globals.get(name);
    const def = g?.definitions[0];
    const lambda = g && g.functions.length === 1 ? (g.functions[0] as A.LambdaExpr) : null;
    let kinds = "";
    if (g) for (const v of g.values) kinds += (valueKind(unparen(v)) ?? "?") + ";";
    f = [
      decl ? decl.params.map((p) => p.name).join(",") : "-",
      decl ? decl.name.start : -1,
      decl ? decl.name.end : -1,
      nested ? nested.start : -1,
      nested ? nested.end : -1,
      g ? g.definitions.length : -1,
      def ? def.start : -1,
      def ? def.end : -1,
      kinds,
      lambda ? lambda.params.length : -1,
    ];
    this.factsMemo.set(name, f);
    return f;
  }

  /** What each of a function's calls reaches: its own symbol (by index) or another (by kind and name), and the call's problem. */
  private callTargets(unit: FunctionReferences): Answer[] {
    const out: Answer[] = [];
    for (const { ref } of unit.calls) {
      const sym = ref.symbol;
      if (!sym) out.push(null, null);
      else if (sym.owner) out.push(unit.own.indexOf(sym), null);
      else out.push(sym.kind, sym.name);
      out.push(ref.problem);
    }
    return out;
  }

  /** Whether `callTargets(unit)` would give `was` (compared in place: it runs for every kept function on every edit). */
  private sameCallTargets(was: readonly Answer[], unit: FunctionReferences): boolean {
    if (was.length !== unit.calls.length * 3) return false;
    let i = 0;
    for (const { ref } of unit.calls) {
      const sym = ref.symbol;
      const a = !sym ? null : sym.owner ? unit.own.indexOf(sym) : sym.kind;
      const b = !sym || sym.owner ? null : sym.name;
      if (was[i] !== a || was[i + 1] !== b || was[i + 2] !== ref.problem) return false;
      i += 3;
    }
    return true;
  }

  /** Whether every answer a kept function got is the same now (its start is now `base`). */
  private sameAnswers(kept: NameUnit, unit: FunctionReferences): boolean {
    const base = unit.start;
    for (const o of kept.outside) {
      if (!sameRelative(o.facts, kept.base, this.facts(o.name), base, FACT_POSITIONS)) return false;
    }
    if (kept.names !== null && kept.names !== this.allNames()) return false;
    return this.sameCallTargets(kept.calls, unit);
  }

  private allNamesMemo: string | null = null;

  /** The names a suggestion may offer from outside a function: named functions and defined globals. */
  private allNames(): string {
    if (this.allNamesMemo === null) {
      const names = [...this.resolution.functions.keys()];
      for (const [n, g] of this.resolution.globals) if (g.definitions.length) names.push(n);
      this.allNamesMemo = names.join(",");
    }
    return this.allNamesMemo;
  }

  private add(f: Finding): void {
    this.findings.push(f);
  }

  /** One top-level function: its findings from the cache while the rule holds, else checked again. */
  private functionReferences(unit: FunctionReferences, cache: NameCache, keptSymbols: Uint8Array): void {
    const known = unit.reused ? cache.units.get(unit.key) : undefined;
    const base = unit.start;
    let captured: NameSymbol[];
    if (known && this.sameAnswers(known, unit)) {
      cache.reused++;
      for (const f of known.findings.at(base)) this.findings.push(f);
      captured = known.captured;
    } else {
      cache.walked++;
      const first = this.findings.length;
      const outside = new Set<string>();
      for (const ref of unit.refs) {
        if (ref.scope && !ref.scope.compiled) continue;
        if (dependsOnOutside(ref)) outside.add(ref.name);
        this.reference(ref);
      }
      for (const { ref, call } of unit.calls) {
        outside.add(ref.name);
        if (!ref.scope || ref.scope.compiled) this.arity(call, ref);
      }
      captured = [];
      for (const sym of unit.own) {
        if (sym.owner && !sym.owner.compiled) continue;
        this.unused(sym);
        if (sym.captured) captured.push(sym);
      }
      const found = this.findings.slice(first);
      const suggests = found.some((f) => f.def === Diagnostics.UndefinedVariable || f.def === Diagnostics.UndefinedFunction);
      cache.units.set(unit.key, {
        findings: new PlacedFindings(found, base),
        base,
        outside: [...outside].map((name) => ({ name, facts: this.facts(name) })),
        calls: this.callTargets(unit),
        names: suggests ? this.allNames() : null,
        captured,
      });
    }
    for (const sym of captured) this.staleReads(sym);
    for (const sym of unit.own) keptSymbols[sym.id] = 1;
  }

  private reference(ref: Reference): void {
    const sym = ref.symbol;
    switch (ref.problem) {
      case "uncaptured-loop-variable":
        this.add({
          def: Diagnostics.UncapturedLoopVariable,
          args: { name: ref.name },
          span: ref.span,
          related: sym ? [{ message: `the loop variable '${ref.name}' of the enclosing function`, span: sym.definitions[0] }] : undefined,
        });
        return;
      case "captured-index-assign":
        this.add({
          def: Diagnostics.CapturedIndexAssign,
          args: { name: ref.name },
          span: ref.span,
          related: sym ? [{ message: `'${ref.name}' is defined here, in the enclosing function`, span: sym.definitions[0] }] : undefined,
        });
        return;
      case "captured-call":
        this.add({
          def: Diagnostics.CapturedCall,
          args: { name: ref.name },
          span: ref.span,
          related: sym ? [{ message: `'${ref.name}' is defined here, in the enclosing function`, span: sym.definitions[0] }] : undefined,
        });
        return;
      case null:
        break;
    }
    if (ref.access === "read") {
      if (!sym) this.undefinedRead(ref);
      else this.readBeforeDefinition(ref, sym);
      return;
    }
    if (ref.access === "call") {
      if (!sym) this.undefinedCall(ref);
      else if (sym.kind === "global" || sym.kind === "local") this.notAFunction(ref, sym);
      return;
    }
    if (ref.access === "readwrite") {
      if (!sym) this.add({ def: Diagnostics.UndefinedVariable, args: { name: ref.name, suggestion: this.suggestion(ref, false) }, span: ref.span });
      else if (sym.kind === "global" && ref.scope) this.globalCopy(ref, sym);
      return;
    }
    if (ref.access === "write" && ref.createsLocal && ref.scope) {
      const global = this.resolution.globals.get(ref.name);
      if (global && global.definitions.length) this.globalCopy(ref, global);
    }
  }

  /**
   * A read by name in straight-line code of the function (or main) that owns the variable,
   * before any of its definitions can have run: it always fails when reached. Only code of that
   * same function stores into its frame (main's globals included), so nothing else can define it
   * first — except an earlier turn of a loop, hence the loop test.
   */
  private readBeforeDefinition(ref: Reference, sym: NameSymbol): void {
    if (ref.op !== "LOAD" && ref.op !== "LOAD_GLOBAL") return;
    const ownFrame = sym.kind === "global" ? ref.scope === null : (sym.kind === "local" || sym.kind === "loop") && ref.scope === sym.owner;
    if (!ownFrame || sym.definedFrom <= ref.span.start) return;
    const loop = ref.loop;
    if (loop && sym.definitions.some((d) => d.start >= loop.start && d.start < loop.end)) return;
    this.add({
      def: Diagnostics.UsedBeforeDefinition,
      args: { name: ref.name },
      span: ref.span,
      related: sym.definitions.length ? [{ message: `'${ref.name}' is defined here`, span: sym.definitions[0] }] : undefined,
    });
  }

  private globalCopy(ref: Reference, global: NameSymbol): void {
    this.add({
      def: Diagnostics.GlobalLocalCopy,
      args: { name: ref.name },
      span: ref.span,
      related: global.definitions.length ? [{ message: `the global '${ref.name}' is defined here`, span: global.definitions[0] }] : undefined,
    });
  }

  private undefinedRead(ref: Reference): void {
    const builtin = BUILTINS.get(ref.name);
    if (builtin) {
      const wrapper = wrapperText(ref.name, builtin.params.filter((p) => !p.endsWith("?")));
      this.add({ def: Diagnostics.BuiltinAsValue, args: { name: ref.name, wrapper }, span: ref.span, fixes: [wrapFix(ref, wrapper)] });
      return;
    }
    const fn = this.resolution.functions.get(ref.name);
    if (fn) {
      const decl = fn.functions[fn.functions.length - 1] as A.FnDeclStmt;
      const wrapper = wrapperText(ref.name, decl.params.map((p) => p.name));
      this.add({
        def: Diagnostics.NamedFunctionAsValue,
        args: { name: ref.name, wrapper },
        span: ref.span,
        related: [{ message: `'${ref.name}' is declared here`, span: decl.name }],
        fixes: [wrapFix(ref, wrapper)],
      });
      return;
    }
    this.add({ def: Diagnostics.UndefinedVariable, args: { name: ref.name, suggestion: this.suggestion(ref, false) }, span: ref.span, fixes: this.renameFixes(ref, false) });
  }

  private undefinedCall(ref: Reference): void {
    const nested = this.nested.get(ref.name);
    this.add({
      def: Diagnostics.UndefinedFunction,
      args: { name: ref.name, suggestion: this.suggestion(ref, true) },
      span: ref.span,
      related: nested ? [{ message: `'${ref.name}' is declared here, but not at the top level, so it is never compiled`, span: nested.definitions[0] }] : undefined,
      fixes: this.renameFixes(ref, true),
    });
  }

  /** A call by name of a variable that only ever holds a number, string, array…: the VM skips it. */
  private notAFunction(ref: Reference, sym: NameSymbol): void {
    if (!sym.values.length || sym.values.length !== sym.definitions.length) return;
    const kinds = new Set(sym.values.map((v) => valueKind(unparen(v))));
    if (kinds.size !== 1 || kinds.has(null)) return;
    this.add({
      def: Diagnostics.NotAFunction,
      args: { name: ref.name, what: [...kinds][0]! },
      span: ref.span,
      related: [{ message: `'${ref.name}' is defined here`, span: sym.definitions[0] }],
    });
  }

  private arity(call: A.CallExpr, ref: Reference): void {
    const sym = ref.symbol;
    if (!sym || ref.problem) return;
    if (ref.scope && !ref.scope.compiled) return;
    const count = call.args.length;
    let expected: string | null = null;
    let declared: A.Span | undefined;
    if (sym.kind === "builtin") {
      const b = BUILTINS.get(sym.name)!;
      if (!acceptsArgCount(b, count)) expected = builtinArity(b);
    } else if (sym.kind === "function") {
      const decl = sym.functions[sym.functions.length - 1] as A.FnDeclStmt;
      if (decl.params.length !== count) expected = plural(decl.params.length, "argument");
      declared = decl.name;
    } else if ((sym.kind === "global" || sym.kind === "local") && sym.functions.length === 1) {
      const lambda = sym.functions[0] as A.LambdaExpr;
      if (lambda.params.length !== count) expected = plural(lambda.params.length, "argument");
      declared = sym.definitions[0];
    }
    if (expected === null) return;
    this.add({
      def: Diagnostics.WrongArity,
      args: { name: ref.name, expected, count },
      span: call.argsEnd > call.argsStart ? { start: call.argsStart, end: call.argsEnd } : call,
      related: declared ? [{ message: `'${ref.name}' is declared here`, span: declared }] : undefined,
    });
  }

  private unused(sym: NameSymbol): void {
    if (sym.kind !== "global" && sym.kind !== "local" && sym.kind !== "parameter" && sym.kind !== "loop") return;
    if (sym.name.startsWith("_") || !sym.definitions.length) return;
    const used = sym.references.some((r) => r.access === "read" || r.access === "call" || r.access === "readwrite");
    if (used) return;
    const def = sym.kind === "parameter" ? Diagnostics.UnusedParameter : Diagnostics.UnusedVariable;
    this.add({ def, args: { name: sym.name }, span: sym.definitions[0] });
  }

  /**
   * pitfalls #7: a closure that writes a captured variable changes the shared cell, never the
   * making function's own variable, which then reads stale after the closure is made.
   */
  private staleReads(sym: NameSymbol): void {
    const owner = sym.owner;
    if (!owner || !sym.captured) return;
    let made: { closure: FunctionScope; write: Reference } | null = null;
    for (const r of sym.references) {
      if (r.access !== "write" || !r.captured || !r.scope) continue;
      const closure = closureMadeIn(r.scope, owner);
      if (closure && (!made || closure.node.end < made.closure.node.end)) made = { closure, write: r };
    }
    if (!made) return;
    const after = made.closure.node.end;
    const line = made.write;
    for (const r of sym.references) {
      if (r.scope !== owner || r.captured || r.span.start < after) continue;
      if (r.access !== "read" && r.access !== "call") continue;
      this.add({
        def: Diagnostics.StaleRead,
        args: { name: sym.name, line: this.lineOf(made.closure.node.start) },
        span: r.span,
        related: [{ message: `the closure changes '${sym.name}' here`, span: line.span }],
      });
    }
  }

  private duplicateFunction(sym: NameSymbol): void {
    if (sym.kind !== "function" || sym.nested || sym.functions.length < 2) return;
    const decls = sym.functions as A.FnDeclStmt[];
    for (let i = 0; i < decls.length - 1; i++) {
      this.add({
        def: Diagnostics.DuplicateFunction,
        args: { name: sym.name, line: this.lineOf(decls[decls.length - 1].start) },
        span: decls[i].name,
        related: [{ message: `the declaration that is compiled`, span: decls[decls.length - 1].name }],
      });
    }
  }

  // ------------------------------------------------------------ did you mean

  /** Names that the reference could have meant: visible variables, and for calls functions and builtins. */
  private candidates(ref: Reference, call: boolean): string[] {
    const names = new Set<string>();
    for (let s: FunctionScope | null = ref.scope; s; s = s.parent) for (const n of s.locals.keys()) names.add(n);
    for (const [n, g] of this.resolution.globals) if (g.definitions.length) names.add(n);
    if (call) {
      for (const n of this.resolution.functions.keys()) names.add(n);
      for (const n of BUILTINS.keys()) names.add(n);
    }
    names.delete(ref.name);
    return [...names];
  }

  private similar(ref: Reference, call: boolean): string[] {
    const limit = ref.name.length <= 3 ? 1 : ref.name.length <= 6 ? 2 : 3;
    return this.candidates(ref, call)
      .map((n) => ({ n, d: editDistance(ref.name, n) }))
      .filter((x) => x.d <= limit)
      .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
      .slice(0, 3)
      .map((x) => x.n);
  }

  private suggestion(ref: Reference, call: boolean): string {
    const s = this.similar(ref, call);
    return s.length ? `; did you mean ${s.map((n) => `'${n}'`).join(" or ")}?` : "";
  }

  private renameFixes(ref: Reference, call: boolean): Fix[] {
    return this.similar(ref, call).map((n) => ({ title: `Change to '${n}'`, edits: [{ start: ref.span.start, end: ref.span.end, newText: n }] }));
  }
}

/**
 * Whether what `reference()` makes of a reference inside a top-level function can change while
 * the function itself does not: calls (resolved against every function and variable), names
 * that reach nothing (builtins, functions and suggestions of the whole file), and what touches a
 * global (its definitions are main's). Everything else reads only the function's own symbols,
 * whose spans move with it.
 */
function dependsOnOutside(ref: Reference): boolean {
  if (ref.problem === "captured-call") return true;
  if (ref.problem !== null) return false;
  switch (ref.access) {
    case "call":
      return true;
    case "read":
      return ref.symbol === null;
    case "readwrite":
      return ref.symbol === null || ref.symbol.kind === "global";
    case "write":
      return ref.createsLocal;
    case "definition":
      return false;
  }
}

/** The closure made directly in `owner` that contains `scope` (or is it). */
function closureMadeIn(scope: FunctionScope, owner: FunctionScope): FunctionScope | null {
  for (let s: FunctionScope | null = scope; s; s = s.parent) if (s.parent === owner) return s;
  return null;
}

function builtinArity(b: Builtin): string {
  if (b.minArgs === b.maxArgs) return plural(b.minArgs, "argument");
  return `${b.minArgs} to ${b.maxArgs} arguments`;
}

function wrapperText(name: string, params: string[]): string {
  const ps = params.length ? params : [];
  return `fn(${ps.join(", ")}) { return ${name}(${ps.join(", ")}) }`;
}

function wrapFix(ref: Reference, wrapper: string): Fix {
  return { title: `Wrap '${ref.name}' in a lambda`, edits: [{ start: ref.span.start, end: ref.span.end, newText: wrapper }] };
}

function valueKind(e: A.Expr): string | null {
  switch (e.kind) {
    case "Number":
      return "a number";
    case "String":
    case "FString":
      return "a string";
    case "Bool":
      return "a bool";
    case "Array":
      return "an array";
    case "Dict":
      return "a dict";
    default:
      return null;
  }
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
