// The analysis host (rust-analyzer's AnalysisHost/Analysis split): one per document. Edits go in
// with applyEdit (UTF-16 offsets); snapshot() gives the document's current version as an
// immutable Snapshot: its text, tree, line index, and — made when first asked for, once — its
// AST, name resolution and diagnostics. What the host keeps from one version to the next (the
// per-item caches) is its own business: a snapshot answers exactly what a fresh analysis of its
// text would (the random-edit oracles check that).

import type { Program } from "./ast";
import { analyze, AnalysisCache, type AnalysisDiagnostic } from "./analyze";
import { compileProgram } from "./compiler";
import { Diagnostics, formatMessage, type Diagnostic } from "./diagnostics";
import { reparse, type TextEdit } from "./incremental";
import { KeptAst, lowerDetached } from "./keptAst";
import { lineIndex, parse, type ParseResult } from "./parser";
import { resolve, ResolutionCache, type Resolution } from "./resolve";
import type { LineIndex } from "./text";

export type { TextEdit } from "./incremental";

/** What the features read of one version of a document. */
export interface DocumentAnalysis {
  program: Program;
  resolution: Resolution;
  /** The parser's diagnostics (explained), then the analysis's. */
  diagnostics: AnalysisDiagnostic[];
  /** Why the analysis failed (it then holds an empty program and only the syntax diagnostics). */
  failure: string | null;
}

/** Compile errors the analysis reports on its own, at every place (the compiler stops at the first). */
const analysedCompileErrors = new Set(["WSP2001", "WSP2002"]);

/** One version of a document. Everything it gives is made at most once and never changes. */
export class Snapshot {
  private analysed: DocumentAnalysis | null = null;
  private compiled: Diagnostic[] | null = null;

  /** @internal made by AnalysisHost */
  constructor(
    /** Counts the host's edits: 0 for the text it was made with. */
    readonly revision: number,
    readonly tree: ParseResult,
    private readonly host: AnalysisHost,
  ) {}

  get text(): string {
    return this.tree.text;
  }

  /** The line index (the parser keeps one per result, carried over edits by the incremental re-parse). */
  get lines(): LineIndex {
    return lineIndex(this.tree);
  }

  get syntaxDiagnostics(): readonly Diagnostic[] {
    return this.tree.diagnostics;
  }

  /** Whether analysis() has been made. */
  get isAnalysed(): boolean {
    return this.analysed !== null;
  }

  /** The AST, resolution and diagnostics of this version (made on first use). */
  analysis(): DocumentAnalysis {
    return (this.analysed ??= this.host.analyse(this));
  }

  /**
   * The compiler's own errors (its limits, compiler.md §9) that the analysis cannot know. The
   * compiler only sees error-free trees, so there are none while there are syntax errors.
   */
  compileDiagnostics(): Diagnostic[] {
    if (this.compiled) return this.compiled;
    const analysis = this.analysis();
    if (this.tree.diagnostics.length || analysis.failure) return (this.compiled = []);
    const found = compileProgram(analysis.program, this.text).diagnostics;
    return (this.compiled = found.filter((d) => !analysedCompileErrors.has(d.code)));
  }
}

/**
 * Which of the host's caches are used (all by default). Without any, every snapshot is analysed
 * afresh: the oracles' reference, and the bench's measure of what each cache saves.
 */
export interface KeepOptions {
  /** The AST of unchanged top-level statements. */
  ast?: boolean;
  /** The resolution of unchanged named functions. */
  resolution?: boolean;
  /** The structure check's findings per unchanged top-level statement. */
  structure?: boolean;
  /** The name check's findings per unchanged named function. */
  names?: boolean;
}

export const KEEP_ALL: Required<KeepOptions> = { ast: true, resolution: true, structure: true, names: true };
export const KEEP_NOTHING: Required<KeepOptions> = { ast: false, resolution: false, structure: false, names: false };

/** Holds a document's current version and what is kept across its edits. */
export class AnalysisHost {
  private tree: ParseResult;
  private revision = 0;
  private current: Snapshot | null = null;
  private readonly keep: Required<KeepOptions>;
  private kept: Kept;

  constructor(text: string, keep: KeepOptions = KEEP_ALL) {
    this.tree = parse(text);
    this.keep = { ...KEEP_ALL, ...keep };
    this.kept = new Kept(this.keep);
  }

  get text(): string {
    return this.tree.text;
  }

  /** Replaces [start, end) of the current text (UTF-16 offsets, clamped) with `edit.text`. */
  applyEdit(edit: TextEdit): void {
    const old = this.tree.text;
    const start = Math.max(0, Math.min(edit.start, old.length));
    const end = Math.max(start, Math.min(edit.end, old.length));
    let next: ParseResult | null;
    try {
      next = reparse(this.tree, { start, end, text: edit.text });
    } catch {
      next = null;
    }
    // The incremental parse must give the tree of exactly the new text; a full parse otherwise.
    // (Compared piecewise: a flat copy of a large text per keystroke is garbage.)
    if (!next || !isEdited(old, start, end, edit.text, next.text)) next = parse(old.slice(0, start) + edit.text + old.slice(end));
    this.tree = next;
    this.revision++;
    this.current = null;
  }

  /**
   * Runs one keystroke and its undo through the edit path — a space typed before the first word
   * of a line `k` picks, then deleted, each version re-parsed and analysed — and ends on the text
   * it began with, analysed (its answers are that text's, by the caches' rule). What it leaves
   * is the engine's compiled code for the edit path: the first keystrokes in a large document
   * would otherwise run it unoptimised (server/src/warmUp.ts runs this: once before a large
   * document's first diagnostics go out, then while the user is idle).
   */
  rehearseEdit(k: number): void {
    const lines = lineIndex(this.tree);
    const text = this.tree.text;
    // Spread over the file: the golden ratio's multiples modulo 1 never bunch up.
    let start = lines.lineStarts[Math.floor(((k * 0.6180339887) % 1) * lines.lineStarts.length)];
    while (text[start] === " " || text[start] === "\t") start++;
    this.applyEdit({ start, end: start, text: " " });
    this.snapshot().analysis();
    this.applyEdit({ start, end: start + 1, text: "" });
    this.snapshot().analysis();
  }

  /** Replaces the whole text (nothing is kept but what the caches find unchanged). */
  setText(text: string): void {
    this.tree = parse(text);
    this.revision++;
    this.current = null;
  }

  /** The current version. */
  snapshot(): Snapshot {
    return (this.current ??= new Snapshot(this.revision, this.tree, this));
  }

  /** @internal the analysis of `snap`: with the kept caches while it is the current version, afresh otherwise. */
  analyse(snap: Snapshot): DocumentAnalysis {
    const isCurrent = snap === this.current;
    const kept = isCurrent ? this.kept : new Kept(KEEP_NOTHING);
    const tree = snap.tree;
    const lines = lineIndex(tree);
    try {
      const program = kept.ast ? kept.ast.program(tree, lines) : lowerDetached(tree, lines);
      const resolution = resolve(program, kept.resolutions);
      const result = analyze({ text: tree.text, program, syntax: tree.diagnostics, resolution, cache: kept.findings, position: (offset) => lines.position(offset) });
      return { program, resolution: result.resolution, diagnostics: result.diagnostics, failure: null };
    } catch (e) {
      // A pathological file (say, thousands of `+` in one expression) can exhaust the stack of a
      // recursive pass; the document keeps its syntax diagnostics and still answers requests.
      // What was kept across edits may be half updated: start afresh.
      if (isCurrent) this.kept = new Kept(this.keep);
      return failedAnalysis(tree.text.length, tree.diagnostics, e);
    }
  }

  /** How much the last analysis took from the caches (for tests and benches). */
  cacheUse(): { resolutionReused: number; resolutionWalked: number; structureReused: number; structureWalked: number; namesReused: number; namesWalked: number } {
    const k = this.kept;
    return {
      resolutionReused: k.resolutions?.reused ?? 0,
      resolutionWalked: k.resolutions?.walked ?? 0,
      structureReused: k.findings.structure?.reused ?? 0,
      structureWalked: k.findings.structure?.walked ?? 0,
      namesReused: k.findings.names?.reused ?? 0,
      namesWalked: k.findings.names?.walked ?? 0,
    };
  }
}

/** What the host keeps across edits. */
class Kept {
  readonly ast: KeptAst | null;
  readonly resolutions: ResolutionCache | null;
  readonly findings: AnalysisCache;

  constructor(keep: Required<KeepOptions>) {
    // The other caches key on AST nodes kept across edits: without the kept AST they never hit.
    this.ast = keep.ast ? new KeptAst() : null;
    this.resolutions = keep.resolution ? new ResolutionCache() : null;
    this.findings = new AnalysisCache(keep.structure, keep.names);
  }
}

/** Whether `text` is `old` with [start, end) replaced by `inserted`. */
function isEdited(old: string, start: number, end: number, inserted: string, text: string): boolean {
  if (text.length !== old.length - (end - start) + inserted.length) return false;
  // Slices of a flat string are views: nothing is copied.
  return text.startsWith(inserted, start) && text.startsWith(old.slice(0, start)) && text.endsWith(old.slice(end));
}

/** The analysis of a text on its own (no document, nothing kept): a fresh analysis. */
export function analyzeText(text: string): Snapshot {
  return new AnalysisHost(text, KEEP_NOTHING).snapshot();
}

/** The name resolution of a text on its own (what a rename would make of the file), without the analysis. */
export function resolveText(text: string): Resolution {
  return resolve(lowerDetached(parse(text)));
}

/**
 * The analysis of a document on which a pass failed: an empty program, its syntax diagnostics and
 * one saying why (the server's huge-document path uses it too).
 */
export function failedAnalysis(textLength: number, syntaxDiagnostics: readonly AnalysisDiagnostic[], e: unknown): DocumentAnalysis {
  const reason = e instanceof Error ? e.message : String(e);
  const program: Program = { kind: "Program", body: [], start: 0, end: textLength };
  const failed: AnalysisDiagnostic = {
    code: Diagnostics.AnalysisFailed.code,
    severity: Diagnostics.AnalysisFailed.severity,
    message: formatMessage(Diagnostics.AnalysisFailed, { reason }),
    start: 0,
    end: 0,
    line: 1,
    column: 1,
  };
  return { program, resolution: resolve(program), diagnostics: [...syntaxDiagnostics, failed], failure: reason };
}
