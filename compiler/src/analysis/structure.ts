// Pitfalls found in the shape of the code (pitfalls.md #1, #2, #3, #9, #10, #15, #16, #17 for
// map/filter/reduce callbacks, #20 unreachable code): one walk over the AST that knows which
// function and how many loops it is in. With a `StructureCache`, a top-level statement whose AST
// node is unchanged and whose questions outside itself get the same answers takes its findings
// from the last check (keep.ts).

import type * as A from "../ast";
import { walkChain, type ChainLink } from "../astWalk";
import { CALLBACK_ARGS } from "../builtins";
import { Diagnostics } from "../diagnostics";
import { referenceStartingAt, unparen, type Resolution, type NameSymbol } from "../resolve";
import { excerpt, type Finding } from "./finding";
import { PlacedFindings, sameAnswer, type Answer, type KeptItem, type Question, type Read } from "../keep";

function isLink(e: A.Expr): e is ChainLink {
  return e.kind === "Binary" || e.kind === "Index" || e.kind === "Call";
}

const comparisons = new Set<A.BinaryOp>(["<", "<=", ">", ">=", "==", "!="]);
const arrayBuiltins = new Set(["push", "reverse", "slice", "range", "keys", "values", "map", "filter", "args"]);

interface Context {
  /** Inside a function body (named, lambda or nested), not main. */
  inFunction: boolean;
  /** Loops open in the current function body (main counts as one body). */
  loops: number;
  /** False inside a `fn` declaration that is not at the top level: the compiler never sees it. */
  compiled: boolean;
}

/** Keeps each top-level statement's findings (relative to its start) from one check of a document to the next (the rule: keep.ts). */
export class StructureCache {
  readonly units = new WeakMap<A.Stmt, KeptItem<PlacedFindings>>();
  /** How many top-level statements the last check took from the cache, and walked. */
  reused = 0;
  walked = 0;
}

export class StructureCheck {
  readonly findings: Finding[] = [];
  /** The pending links of the chains being walked (see chain()). */
  private readonly spine: A.Expr[] = [];
  /** While a top-level statement is walked for the cache: what it reads from outside itself. */
  private reads: Read[] | null = null;
  /** The start of the top-level statement being checked: questions carry offsets relative to it. */
  private base = 0;

  constructor(
    private readonly text: string,
    private readonly resolution: Resolution,
    /** Parser diagnostics' spans: checks that would only repeat a syntax error stay quiet there. */
    private readonly syntaxErrors: A.Span[],
    private readonly cache: StructureCache | null = null,
  ) {}

  run(program: A.Program): Finding[] {
    if (this.cache) this.cache.reused = this.cache.walked = 0;
    this.statements(program.body, { inFunction: false, loops: 0, compiled: true }, true);
    return this.findings;
  }

  /** The answer to a question about something outside the statement, noted while recording. */
  private ask(question: Question): Answer {
    const answer = this.answer(question);
    this.reads?.push({ question, answer });
    return answer;
  }

  /** What the current version says (offsets in questions and answers relative to the statement's start). */
  private answer(q: Question): Answer {
    const base = this.base;
    switch (q[0]) {
      case "held": {
        // What a variable read at an offset holds, when every definition gives a collection.
        const sym = referenceStartingAt(this.resolution, base + (q[1] as number))?.symbol;
        const held = sym ? heldCollection(sym) : null;
        if (!sym || !held) return null;
        const d = sym.definitions[0];
        return [held, d ? d.start - base : null, d ? d.end - base : null];
      }
      default:
        throw new Error(`unknown question ${q[0]}`);
    }
  }

  /** Whether a question gets the answer it got (compared in place: this runs for every kept read on every edit). */
  private sameAnswerNow(r: Read): boolean {
    const q = r.question;
    if (q[0] !== "held") return sameAnswer(this.answer(q), r.answer);
    const was = r.answer as readonly [string, number | null, number | null] | null;
    const base = this.base;
    const sym = referenceStartingAt(this.resolution, base + (q[1] as number))?.symbol;
    const held = sym ? heldCollection(sym) : null;
    if (!sym || !held) return was === null;
    if (was === null || was[0] !== held) return false;
    const d = sym.definitions[0];
    return d ? was[1] === d.start - base && was[2] === d.end - base : was[1] === null && was[2] === null;
  }

  /** A top-level statement: from the cache when its node and everything it read are unchanged. */
  private topLevelStatement(s: A.Stmt, ctx: Context): void {
    const cache = this.cache;
    this.base = s.start;
    if (!cache) return this.statement(s, ctx, true);
    const kept = cache.units.get(s);
    if (kept && kept.reads.every((r) => this.sameAnswerNow(r))) {
      for (const f of kept.result.at(this.base)) this.findings.push(f);
      cache.reused++;
      return;
    }
    const first = this.findings.length;
    this.reads = [];
    this.statement(s, ctx, true);
    const reads = this.reads;
    this.reads = null;
    cache.walked++;
    cache.units.set(s, { reads, result: new PlacedFindings(this.findings.slice(first), this.base) });
  }

  private add(f: Finding): void {
    this.findings.push(f);
  }

  private statements(body: A.Stmt[], ctx: Context, topLevel = false): void {
    let ended: A.Stmt | null = null;
    for (const s of body) {
      if (ended) {
        const rest = body.slice(body.indexOf(s)).filter((x) => !(topLevel && x.kind === "FnDecl"));
        if (rest.length && ctx.compiled) {
          this.add({ def: Diagnostics.UnreachableCode, args: {}, span: { start: rest[0].start, end: rest[rest.length - 1].end } });
        }
        // Still look inside the unreachable statements: they are compiled all the same.
        for (const x of body.slice(body.indexOf(s))) {
          if (topLevel) this.topLevelStatement(x, ctx);
          else this.statement(x, ctx, false);
        }
        return;
      }
      if (topLevel) this.topLevelStatement(s, ctx);
      else this.statement(s, ctx, false);
      if (s.kind === "Return" || s.kind === "Break" || s.kind === "Continue") ended = s;
    }
  }

  private statement(s: A.Stmt, ctx: Context, topLevel: boolean): void {
    switch (s.kind) {
      case "Let":
        this.expr(s.value, ctx);
        break;
      case "Print":
        this.expr(s.value, ctx);
        break;
      case "If":
        this.expr(s.cond, ctx);
        this.statements(s.then.body, ctx);
        if (s.else) {
          if (s.else.kind === "Block") this.statements(s.else.body, ctx);
          else this.statement(s.else, ctx, false);
        }
        break;
      case "While":
        this.expr(s.cond, ctx);
        this.statements(s.body.body, { ...ctx, loops: ctx.loops + 1 });
        break;
      case "For":
        this.expr(s.iterable, ctx);
        this.statements(s.body.body, { ...ctx, loops: ctx.loops + 1 });
        break;
      case "FnDecl":
        if (!topLevel && ctx.compiled) this.nestedFunction(s);
        this.statements(s.body.body, { inFunction: true, loops: 0, compiled: ctx.compiled && topLevel });
        break;
      case "Return":
        if (s.value) this.expr(s.value, ctx);
        if (!ctx.inFunction && ctx.compiled) this.add({ def: Diagnostics.ReturnAtTopLevel, args: {}, span: keywordSpan(s, "return") });
        break;
      case "Break":
      case "Continue":
        if (ctx.loops === 0 && ctx.compiled) {
          const def = s.kind === "Break" ? Diagnostics.BreakOutsideLoop : Diagnostics.ContinueOutsideLoop;
          this.add({ def, args: {}, span: s, columnZero: true });
        }
        break;
      case "IndexAssign":
        this.expr(s.index, ctx);
        this.expr(s.value, ctx);
        break;
      case "ExprStmt":
        this.expr(s.expr, ctx);
        break;
      case "ErrorStmt":
        break;
    }
  }

  private nestedFunction(s: A.FnDeclStmt): void {
    const params = s.params.map((p) => p.name).join(", ");
    this.add({
      def: Diagnostics.NestedFunction,
      args: { name: s.name.name, params },
      span: { start: s.start, end: s.name.end },
      fixes: [
        {
          title: `Rewrite as 'let ${s.name.name} = fn(${params}) {…}'`,
          edits: [{ start: s.start, end: s.name.end, newText: `let ${s.name.name} = fn` }],
        },
      ],
    });
  }

  private expr(e: A.Expr, ctx: Context): void {
    switch (e.kind) {
      case "Number":
      case "String":
      case "Bool":
      case "Var":
      case "Missing":
        break;
      case "Array":
        for (const x of e.elements) this.expr(x, ctx);
        break;
      case "Dict":
        for (const en of e.entries) {
          this.expr(en.key, ctx);
          this.expr(en.value, ctx);
        }
        break;
      case "Index":
      case "Binary":
      case "Call":
        this.chain(e, ctx);
        break;
      case "Unary":
        this.expr(e.operand, ctx);
        break;
      case "Paren":
        this.expr(e.inner, ctx);
        break;
      case "Lambda":
        this.statements(e.body.body, { inFunction: true, loops: 0, compiled: ctx.compiled });
        break;
      case "FString":
        if (ctx.compiled) this.fstring(e);
        for (const p of e.parts) if (p.kind === "Interpolation") this.expr(p.expr, ctx);
        break;
    }
  }

  /** A chain of binary operations, indexes and calls: each link is checked on the way down the left spine. */
  private chain(top: A.Expr, ctx: Context): void {
    walkChain(top, this.spine, isLink, (e) => this.expr(e, ctx), (link) => {
      if (!ctx.compiled) return;
      if (link.kind === "Binary") this.binary(link);
      else if (link.kind === "Call") this.callback(link);
    });
  }

  private binary(e: A.BinaryExpr): void {
    if (!comparisons.has(e.op)) return;
    if (e.left.kind === "Binary" && comparisons.has(e.left.op)) {
      this.add({ def: Diagnostics.ChainedComparison, args: { left: excerpt(this.text, e.left), op: e.op }, span: e });
    }
    if (e.op === "==" || e.op === "!=") {
      const never = this.neverEqualOperand(e.left) ?? this.neverEqualOperand(e.right);
      if (never) {
        this.add({
          def: Diagnostics.NeverEqual,
          args: { value: e.op === "==" ? "false" : "true" },
          span: e,
          related: never.definition ? [{ message: `'${never.name}' is given ${never.what} here`, span: never.definition }] : undefined,
        });
      }
    }
  }

  /** An operand that is an array, dict or function literal, or a variable every definition of which gives one. */
  private neverEqualOperand(e: A.Expr): { name: string; what: string; definition?: A.Span } | null {
    e = unparen(e);
    const what = collectionKind(e);
    if (what) return { name: excerpt(this.text, e), what };
    if (e.kind !== "Var") return null;
    const found = this.ask(["held", e.start - this.base]) as [string, number | null, number | null] | null;
    if (!found) return null;
    const [held, start, end] = found;
    return { name: e.name, what: held, definition: start === null || end === null ? undefined : { start: this.base + start, end: this.base + end } };
  }

  /** map/filter/reduce given a lambda that takes another number of arguments than they pass. */
  private callback(e: A.CallExpr): void {
    if (e.name === null) return;
    const cb = CALLBACK_ARGS.get(e.name);
    if (!cb || e.args.length <= cb.argIndex) return;
    // A call by name of a builtin always reaches the builtin (runtime.md §5): nothing to ask.
    const f = unparen(e.args[cb.argIndex]);
    if (f.kind !== "Lambda" || f.params.length === cb.passes) return;
    this.add({
      def: Diagnostics.CallbackArity,
      args: { builtin: e.name, passes: plural(cb.passes, "argument"), count: plural(f.params.length, "parameter") },
      span: f.end - f.start > 0 ? { start: f.start, end: f.body.start } : f,
    });
  }

  private fstring(e: A.FStringExpr): void {
    if (e.parts.length === 1 && e.parts[0].kind === "Interpolation") {
      this.add({ def: Diagnostics.FStringSingleValue, args: {}, span: e });
    }
    for (const p of e.parts) {
      if (p.kind !== "Interpolation" || p.expr.kind === "Missing") continue;
      const span = p;
      // Not a question outside the statement: a syntax error inside a top-level statement makes
      // its green node (so its AST node) new, and one kept unchanged has none.
      if (this.syntaxErrors.some((s) => s.start < span.end && s.end >= span.start)) continue;
      const ignored = ignoredText(this.text, p.expr.end, p.end - 1);
      if (ignored) this.add({ def: Diagnostics.FStringIgnoredText, args: {}, span: ignored });
    }
  }
}

/** Where the statement's keyword is (the span of `return`, for example), falling back to the whole statement. */
function keywordSpan(s: A.Stmt, keyword: string): A.Span {
  return { start: s.start, end: Math.min(s.end, s.start + keyword.length) };
}

/** Text between an interpolation's expression and its `}` that is not blank or a comment. */
function ignoredText(text: string, from: number, to: number): A.Span | null {
  let start = from;
  while (start < to && /[ \t\r\n]/.test(text[start])) start++;
  if (start >= to || text[start] === "#") return null;
  let end = to;
  while (end > start && /[ \t\r\n]/.test(text[end - 1])) end--;
  return { start, end };
}

function collectionKind(e: A.Expr): string | null {
  switch (e.kind) {
    case "Array":
      return "an array";
    case "Dict":
      return "a dict";
    case "Lambda":
      return "a function";
    case "Call":
      return e.name !== null && arrayBuiltins.has(e.name) ? "an array" : null;
    default:
      return null;
  }
}

/** What every definition of a variable gives, when they all give an array, a dict or a function. */
export function heldCollection(sym: NameSymbol): string | null {
  if (sym.kind !== "global" && sym.kind !== "local") return null;
  if (!sym.values.length || sym.values.length !== sym.definitions.length) return null;
  const kinds = new Set(sym.values.map((v) => collectionKind(unparen(v))));
  if (kinds.size !== 1) return null;
  return [...kinds][0];
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
