// The open documents: one parse tree per document, updated through the parser's incremental
// re-parse on every change, and the analysis of its current version, made when first asked for.
// Opening and changing only record the text and the changes: the parse runs when the tree (or
// the text) is first asked for, so a notification never holds up the messages behind it
// (scheduler.ts decides when that is).

import type { TextDocumentContentChangeEvent } from "vscode-languageserver/node";
import type { Program } from "../../compiler/src/ast";
import { Diagnostics, formatMessage, type Diagnostic } from "../../compiler/src/diagnostics";
import { lineIndex, parse, type ParseResult } from "../../compiler/src/parser";
import { reparse } from "../../compiler/src/incremental";
import { IncrementalAst } from "./incrementalAst";
import { LineIndex } from "../../compiler/src/text";
import { SyntaxNode, type GreenElement, type SyntaxKind } from "../../compiler/src/syntax";
import { collectGarbage, compactResolution, lowerInSlices } from "./compact";
import { analyze, AnalysisCache, type AnalysisDiagnostic } from "../../compiler/src/analyze";
import { compileProgram } from "../../compiler/src/compiler";
import { resolve, ResolutionCache, type Resolution } from "../../compiler/src/resolve";

export interface DocumentAnalysis {
  program: Program;
  resolution: Resolution;
  /** The parser's diagnostics, then the analysis's. */
  diagnostics: AnalysisDiagnostic[];
  /** Why the analysis failed (it then holds an empty program and only the syntax diagnostics). */
  failure: string | null;
}

/**
 * Above this many characters a document is "huge": it gets its syntax diagnostics only (no
 * structure analysis, no compile pass), its resolution is made without the caches kept across
 * edits, and its lossless tree is not kept once the AST is made (memory): requests at a position
 * parse the top-level statement around it, an edit re-parses the whole text. Symbols, hover and
 * navigation answer as for any document.
 */
export const HUGE_DOCUMENT_CHARS = 2_000_000;

/** Compile errors the analysis reports on its own, at every place (the compiler stops at the first). */
const analysedCompileErrors = new Set(["WSP2001", "WSP2002"]);

export class OpenDocument {
  private parsedResult: ParseResult | null = null;
  /** Not yet parsed: the text it was opened with, then the changes since, in order. */
  private unparsedText: string | null;
  private unparsedChanges: TextDocumentContentChangeEvent[][] = [];
  /** A huge document whose tree was let go after its analysis: what is kept of its parse. */
  private withoutTree: { text: string; lines: LineIndex; diagnostics: Diagnostic[] } | null = null;
  private analysed: DocumentAnalysis | null = null;
  private ast = new IncrementalAst();
  private resolutions = new ResolutionCache();
  private findings = new AnalysisCache();
  private compiled: Diagnostic[] | null = null;

  constructor(
    readonly uri: string,
    public version: number,
    text: string,
  ) {
    this.unparsedText = text;
  }

  /** The parse of the current version, made now if the document was opened or changed since. */
  private get parsed(): ParseResult {
    if (this.withoutTree) {
      // No tree to re-parse incrementally: the edited text is parsed whole.
      const { text, lines } = this.withoutTree;
      this.withoutTree = null;
      if (this.unparsedText === null) this.unparsedText = editedText(text, lines, this.unparsedChanges.flat());
      this.unparsedChanges = [];
    }
    if (this.unparsedText !== null) {
      this.parsedResult = parse(this.unparsedText);
      this.unparsedText = null;
    }
    if (this.unparsedChanges.length) {
      const batches = this.unparsedChanges;
      this.unparsedChanges = [];
      for (const changes of batches) this.apply(changes);
    }
    return this.parsedResult!;
  }

  /** Whether the current version is parsed (else the next use of the tree or text parses it). */
  get isParsed(): boolean {
    return this.unparsedText === null && this.unparsedChanges.length === 0;
  }

  /** Whether the current version's analysis is made. */
  get isAnalysed(): boolean {
    return this.isParsed && this.analysed !== null;
  }

  get text(): string {
    if (this.withoutTree && this.isParsed) return this.withoutTree.text;
    return this.parsed.text;
  }

  get lines(): LineIndex {
    if (this.withoutTree && this.isParsed) return this.withoutTree.lines;
    // The parser keeps one index per result, carried over edits by the incremental re-parse.
    return lineIndex(this.parsed);
  }

  /** Whether the document is over HUGE_DOCUMENT_CHARS. */
  get huge(): boolean {
    return this.text.length > HUGE_DOCUMENT_CHARS;
  }

  /**
   * The current lossless tree (for the formatter). A huge document's is parsed again for the
   * call and not kept: requests at a position use `treeAround`.
   */
  get tree(): ParseResult {
    if (this.withoutTree && this.isParsed) return parse(this.withoutTree.text);
    return this.parsed;
  }

  /**
   * A tree that holds `offset` with the document's offsets: the whole document's root, or for a
   * huge document whose tree is not kept, the top-level statement around `offset` parsed on its
   * own (a top-level statement parses the same alone; its root then stands for the file).
   */
  treeAround(offset: number): SyntaxNode {
    if (!(this.withoutTree && this.isParsed)) return this.parsed.root;
    const body = this.analysis().program.body;
    let lo = 0;
    let hi = body.length;
    // The last statement starting at or before offset (its window runs to the next one's start).
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (body[mid].span.start <= offset) lo = mid + 1;
      else hi = mid;
    }
    const start = lo === 0 ? 0 : body[lo - 1].span.start;
    const end = lo < body.length ? body[lo].span.start : this.text.length;
    return new SyntaxNode(parse(this.text.slice(start, end)).root.green, null, start);
  }

  get syntaxDiagnostics(): readonly Diagnostic[] {
    if (this.withoutTree && this.isParsed) return this.withoutTree.diagnostics;
    return this.parsed.diagnostics;
  }

  /** Records the changes of one didChange notification (applied, in order, when next parsed). */
  update(version: number, changes: TextDocumentContentChangeEvent[]): void {
    let last = -1;
    changes.forEach((c, i) => {
      if (!("range" in c) || !c.range) last = i;
    });
    if (last >= 0) {
      // A whole new text: what came before it is never parsed.
      this.parsedResult = null;
      this.withoutTree = null;
      this.unparsedText = changes[last].text;
      this.unparsedChanges = [];
      changes = changes.slice(last + 1);
    }
    if (changes.length) this.unparsedChanges.push(changes);
    this.version = version;
    this.analysed = null;
    this.compiled = null;
  }

  private apply(changes: TextDocumentContentChangeEvent[]): void {
    for (const change of changes) {
      if (!("range" in change) || !change.range) {
        this.parsedResult = parse(change.text);
      } else {
        const start = this.lines.offsetAt(change.range.start);
        const end = Math.max(start, this.lines.offsetAt(change.range.end));
        const old = this.parsed.text;
        let next: ParseResult | null = null;
        try {
          next = reparse(this.parsed, { start, end, text: change.text });
        } catch {
          next = null;
        }
        // The incremental parse must give the tree of exactly the new text; a full parse otherwise.
        // (Compared piecewise: a flat copy of a large text per keystroke is garbage.)
        if (!next || !isEdited(old, start, end, change.text, next.text)) next = parse(old.slice(0, start) + change.text + old.slice(end));
        this.parsedResult = next;
      }
    }
  }

  analysis(): DocumentAnalysis {
    if (this.analysed) return this.analysed;
    const lines = this.lines;
    if (this.huge) return (this.analysed = this.hugeAnalysis());
    try {
      const program = this.ast.program(this.parsed, lines);
      const resolution = resolve(program, this.resolutions);
      const result = analyze({ text: this.parsed.text, program, syntax: this.parsed.diagnostics, resolution, cache: this.findings, position: (offset) => lines.position(offset) });
      this.analysed = { program, resolution: result.resolution, diagnostics: result.diagnostics, failure: null };
    } catch (e) {
      // A pathological file (say, thousands of `+` in one expression) can exhaust the stack of a
      // recursive pass; the document keeps its syntax diagnostics and still answers requests.
      // What was kept across edits may be half updated: start afresh.
      this.ast = new IncrementalAst();
      this.resolutions = new ResolutionCache();
      this.findings = new AnalysisCache();
      const reason = e instanceof Error ? e.message : String(e);
      const program: Program = { kind: "Program", body: [], span: { start: 0, end: this.parsed.text.length } };
      const failed: AnalysisDiagnostic = {
        code: Diagnostics.AnalysisFailed.code,
        severity: Diagnostics.AnalysisFailed.severity,
        message: formatMessage(Diagnostics.AnalysisFailed, { reason }),
        start: 0,
        end: 0,
        line: 1,
        column: 1,
      };
      this.analysed = { program, resolution: resolve(program), diagnostics: [...this.parsed.diagnostics, failed], failure: reason };
    }
    return this.analysed;
  }

  /**
   * A huge document's: the AST lowered a slice of statements at a time while the tree is let go
   * (the two are never held whole at once), without the kept per-statement structures; the
   * resolution without its cache; the syntax diagnostics only. Their arrays are copied at their
   * exact length (compact.ts).
   */
  private hugeAnalysis(): DocumentAnalysis {
    this.ast = new IncrementalAst();
    this.resolutions = new ResolutionCache();
    this.findings = new AnalysisCache();
    const { kind, children } = this.letTreeGo();
    const { text, lines } = this.withoutTree!;
    let program: Program;
    try {
      program = lowerInSlices(kind, children, text, lines);
    } catch (e) {
      return this.failed(e);
    }
    collectGarbage();
    try {
      const resolution = resolve(program);
      compactResolution(resolution);
      collectGarbage();
      return { program, resolution, diagnostics: [...this.syntaxDiagnostics], failure: null };
    } catch (e) {
      return this.failed(e);
    }
  }

  /** Keeps the text, lines and syntax diagnostics of the parse; hands over the tree's top level. */
  private letTreeGo(): { kind: SyntaxKind; children: (GreenElement | null)[] } {
    const parsed = this.parsed;
    this.withoutTree = { text: parsed.text, lines: lineIndex(parsed), diagnostics: parsed.diagnostics };
    this.parsedResult = null;
    return { kind: parsed.root.green.kind, children: parsed.root.green.children.slice() };
  }

  /** The analysis of a document on which a pass failed: its syntax diagnostics, and why. */
  private failed(e: unknown): DocumentAnalysis {
    const reason = e instanceof Error ? e.message : String(e);
    const program: Program = { kind: "Program", body: [], span: { start: 0, end: this.text.length } };
    const failed: AnalysisDiagnostic = {
      code: Diagnostics.AnalysisFailed.code,
      severity: Diagnostics.AnalysisFailed.severity,
      message: formatMessage(Diagnostics.AnalysisFailed, { reason }),
      start: 0,
      end: 0,
      line: 1,
      column: 1,
    };
    return { program, resolution: resolve(program), diagnostics: [...this.syntaxDiagnostics, failed], failure: reason };
  }

  /**
   * The compiler's own errors (its limits, compiler.md §9) that the analysis cannot know. The
   * compiler only sees error-free trees, so there are none while there are syntax errors.
   */
  compileDiagnostics(): Diagnostic[] {
    if (this.compiled) return this.compiled;
    if (this.syntaxDiagnostics.length || this.analysis().failure || this.huge) return (this.compiled = []);
    const found = compileProgram(this.analysis().program, this.text).diagnostics;
    return (this.compiled = found.filter((d) => !analysedCompileErrors.has(d.code)));
  }
}

/** `text` with `changes` applied in order (ranges in `lines`, the index of `text`, for the first). */
function editedText(text: string, lines: LineIndex, changes: TextDocumentContentChangeEvent[]): string {
  for (const change of changes) {
    if (!("range" in change) || !change.range) {
      text = change.text;
    } else {
      if (lines.text !== text) lines = new LineIndex(text);
      const start = lines.offsetAt(change.range.start);
      const end = Math.max(start, lines.offsetAt(change.range.end));
      text = text.slice(0, start) + change.text + text.slice(end);
    }
  }
  return text;
}

/** Whether `text` is `old` with [start, end) replaced by `inserted`. */
function isEdited(old: string, start: number, end: number, inserted: string, text: string): boolean {
  if (text.length !== old.length - (end - start) + inserted.length) return false;
  // Slices of a flat string are views: nothing is copied.
  return text.startsWith(inserted, start) && text.startsWith(old.slice(0, start)) && text.endsWith(old.slice(end));
}

export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();

  open(uri: string, version: number, text: string): OpenDocument {
    const doc = new OpenDocument(uri, version, text);
    this.docs.set(uri, doc);
    return doc;
  }

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  close(uri: string): void {
    this.docs.delete(uri);
  }

  all(): OpenDocument[] {
    return [...this.docs.values()];
  }
}
