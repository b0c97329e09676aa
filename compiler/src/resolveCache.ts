// The resolution's cache (the rule: keep.ts): a top-level named function's resolution is kept
// while its AST node is the same and the questions it asked about names outside itself (is it a
// top-level `let`, does main store into it) get the same answers.

import type * as A from "./ast";
import { sameReads, type Answer, type Question, type Read } from "./keep";
import type { FunctionReferences, FunctionScope, NamedCall, NameSymbol, Reference } from "./resolution";

/**
 * What resolving one top-level named function produced. Such a function is the outermost scope
 * of everything in it, so its resolution depends only on its body and on the answers to two
 * questions about names it uses: is it a top-level `let` (`globalName`), does main store into it
 * (`globalStore`). An unchanged body (the same AST node, kept across edits) whose questions get
 * the same answers takes it again instead of being walked (the rule: keep.ts).
 */
export interface FunctionUnit<Pending extends NamedCall = NamedCall> {
  /** The questions it asked about names, and their answers. */
  reads: Read[];
  /** The declaration's start when this was made: `definedFrom` offsets move with it. */
  start: number;
  scopes: FunctionScope[];
  /** Its references in source order (a move keeps that order). */
  sorted: Reference[];
  /** Symbols in creation order; a string is a global created at that point, by name. */
  symbols: (NameSymbol | string)[];
  refs: Reference[];
  /** References that reach a global (globals are made afresh by every resolution). */
  globalRefs: { ref: Reference; name: string }[];
  pending: Pending[];
  /** The symbols it makes (its functions' parameters and locals): only its own references reach them. */
  own: NameSymbol[];
  /**
   * Its references, in source order, that may reach a symbol not its own: calls (resolved again
   * every time) and what reached another symbol when it was walked.
   */
  outward: Reference[];
}

/** A top-level named function in one resolution. */
export interface FunctionEntry {
  decl: A.FnDeclStmt;
  /** Its cache entry (none when resolving without a cache). */
  unit: FunctionUnit | null;
  /** Taken from the cache. */
  replayed: boolean;
  /** Taken from the cache, but one of its calls now reaches a different symbol of its own. */
  changed: boolean;
  /** What the resolution tells of it (with a cache). */
  exposed: FunctionReferences | null;
}

/** Keeps the resolution of top-level named functions from one resolution of a document to the next. */
export class ResolutionCache {
  readonly units = new WeakMap<A.FnDeclStmt, FunctionUnit>();
  /** How many named functions the last resolution took from the cache, and walked. */
  reused = 0;
  walked = 0;
}

/** While a named function is walked for the cache: the symbols it creates and the globals it touches, in order, and the questions it asks. */
export interface Recording {
  events: (NameSymbol | string)[];
  globals: Set<string>;
  reads: Read[];
  asked: Set<string>;
}

export function newRecording(): Recording {
  return { events: [], globals: new Set(), reads: [], asked: new Set() };
}

/** Notes a question a function asked about a name (once per question). */
export function noteRead(rec: Recording | null, kind: "globalName" | "globalStore", name: string, answer: boolean): void {
  if (!rec) return;
  const key = kind + " " + name;
  if (rec.asked.has(key)) return;
  rec.asked.add(key);
  rec.reads.push({ question: [kind, name], answer });
}

/** The kept unit of `decl` when every question it asked gets the same answer now. */
export function keptUnit<P extends NamedCall>(cache: ResolutionCache, decl: A.FnDeclStmt, answer: (q: Question) => Answer): FunctionUnit<P> | null {
  const unit = cache.units.get(decl) as FunctionUnit<P> | undefined;
  return unit && sameReads(unit.reads, answer) ? unit : null;
}

/** What a resolution does with a kept unit's parts (in creation order, as a walk would make them). */
export interface ReplaySink {
  scope(scope: FunctionScope): void;
  symbol(sym: NameSymbol): void;
  global(name: string): NameSymbol;
}

/** Takes a kept unit into a resolution: its scopes and symbols in order, its global references linked to this resolution's globals. */
export function replayUnit(unit: FunctionUnit, decl: A.FnDeclStmt, sink: ReplaySink): void {
  const delta = decl.start - unit.start;
  unit.start = decl.start;
  for (const scope of unit.scopes) sink.scope(scope);
  for (const entry of unit.symbols) {
    if (typeof entry === "string") {
      sink.global(entry);
      continue;
    }
    if (delta && Number.isFinite(entry.definedFrom)) entry.definedFrom += delta;
    sink.symbol(entry);
  }
  for (const g of unit.globalRefs) g.ref.symbol = sink.global(g.name);
}

/** The unit made from walking a named function. */
export function makeUnit<P extends NamedCall>(decl: A.FnDeclStmt, recorded: Recording, scopes: FunctionScope[], refs: Reference[], sorted: Reference[], pending: P[]): FunctionUnit<P> {
  const own = recorded.events.filter((e): e is NameSymbol => typeof e !== "string");
  const ownSet = new Set(own);
  return {
    reads: recorded.reads,
    start: decl.start,
    scopes,
    sorted,
    symbols: recorded.events,
    refs,
    globalRefs: refs.filter((r) => r.symbol?.kind === "global").map((ref) => ({ ref, name: ref.name })),
    pending,
    own,
    outward: sorted.filter((r) => r.access === "call" || (r.symbol !== null && !ownSet.has(r.symbol))),
  };
}
