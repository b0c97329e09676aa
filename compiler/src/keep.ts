// The one rule for what the analysis host keeps across an edit (salsa's early cutoff):
//
//   A top-level item's results are kept while its AST node is the same (the incremental re-parse
//   reused its green node) and every question it asked outside itself gets the same answer,
//   compared by value.
//
// The questions are data (a kind and its arguments, offsets relative to the item's start), asked
// again of the file's environment of the new version: which names are top-level `let`s and which
// main stores into (resolution: a named function's names), what a variable holds and where it is
// defined (structure check), the parameters, definitions and values' kinds of the names a
// function uses, what its calls reach and the file's names (name check). Results are stored
// relative to the item's start and placed (copied, shifted) when read: a kept result is never
// changed. compiler/test/host.test.ts has one test per question, each failing when the question
// is not asked (or its answer not compared).

import type { Span } from "./ast";
import { formatMessage } from "./diagnostics";
import type { Finding } from "./analysis/finding";

/** An answer (or a question's argument): plain values and arrays of them, compared by value. */
export type Answer = string | number | boolean | null | readonly Answer[];

/** A question: its kind, then its arguments. */
export type Question = readonly [string, ...Answer[]];

export interface Read {
  question: Question;
  answer: Answer;
}

export function sameAnswer(a: Answer, b: Answer): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameAnswer(a[i] as Answer, b[i] as Answer)) return false;
  return true;
}

/** Whether every read gets the same answer from `ask` now. */
export function sameReads(reads: readonly Read[], ask: (q: Question) => Answer): boolean {
  for (const r of reads) if (!sameAnswer(ask(r.question), r.answer)) return false;
  return true;
}

/**
 * Whether two answers given at different item starts are the same: equal element by element,
 * the elements at `positions` (offsets, -1 when absent) compared relative to their item's start.
 */
export function sameRelative(a: readonly (number | string)[], aBase: number, b: readonly (number | string)[], bBase: number, positions: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (positions.includes(i) && typeof x === "number" && typeof y === "number" && x !== -1 && y !== -1) {
      if (x - aBase !== y - bBase) return false;
    } else if (x !== y) return false;
  }
  return true;
}

/** An item's kept result: where the item started, what it read, and the result (relative to the start). */
export interface KeptItem<T> {
  reads: readonly Read[];
  result: T;
}

/**
 * A copy of `list` whose backing store holds exactly its elements. V8 grows an array that push()
 * fills to length + length/2 + 16 slots and never gives the room back: a one-element list costs
 * 184 bytes instead of 56. For lists kept as long as an analysis or across edits (issue 16:
 * the server's memory on large files).
 */
export function exact<T>(list: T[]): T[] {
  return list.slice();
}

/** A copy of `span` moved by `delta`. */
export function shifted(span: Span, delta: number): Span {
  return { start: span.start + delta, end: span.end + delta };
}

/**
 * A copy of a finding with every offset moved by `delta` (its span, related spans and fix
 * edits) and its message made: `delta = -start` stores it relative to an item, `+start` places it.
 */
export function shiftedFinding(f: Finding, delta: number): Finding {
  const out: Finding = { def: f.def, args: f.args, span: shifted(f.span, delta), message: f.message ?? formatMessage(f.def, f.args) };
  if (f.related) out.related = f.related.map((r) => ({ message: r.message, span: shifted(r.span, delta) }));
  if (f.fixes) out.fixes = f.fixes.map((x) => ({ title: x.title, edits: x.edits.map((e) => ({ start: e.start + delta, end: e.end + delta, newText: e.newText })) }));
  if (f.columnZero) out.columnZero = true;
  return out;
}

/**
 * Findings stored relative to an item's start, placed at a start when read. The copies made for
 * the last start are handed out again while the item stays there (they are never changed).
 */
export class PlacedFindings {
  private placedAt = NaN;
  private placed: readonly Finding[] = [];

  /** `found`: findings at `start` (copied relative to it). */
  constructor(found: readonly Finding[], start: number) {
    this.relative = found.map((f) => shiftedFinding(f, -start));
  }

  private readonly relative: readonly Finding[];

  at(start: number): readonly Finding[] {
    if (start !== this.placedAt) {
      this.placed = start === 0 ? this.relative : this.relative.map((f) => shiftedFinding(f, start));
      this.placedAt = start;
    }
    return this.placed;
  }
}
