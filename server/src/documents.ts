// The open documents: one analysis host per document (compiler/src/host.ts). A change's LSP
// ranges become offsets here (positions.ts); what the features read is the host's snapshot of
// the current version. Opening and changing only record the text and the changes: they reach the
// host (which re-parses) when the tree or the text is first asked for, so a notification never
// holds up the messages behind it (scheduler.ts decides when that is).

import type { TextDocumentContentChangeEvent } from "vscode-languageserver/node";
import {
  AnalysisHost,
  LineIndex,
  SyntaxNode,
  failedAnalysis,
  parse,
  resolveProgram,
  type Diagnostic,
  type DocumentAnalysis,
  type GreenElement,
  type ParseResult,
  type Program,
  type Snapshot,
  type SyntaxKind,
} from "../../compiler/src/index";
import { collectGarbage, lowerInSlices } from "./compact";
import { toEdit, toOffset } from "./positions";

export type { DocumentAnalysis } from "../../compiler/src/index";

/**
 * Above this many characters a document is "huge": it gets its syntax diagnostics only (no
 * structure analysis, no compile pass), its resolution is made without the host's caches, and
 * its lossless tree is not kept once the AST is made (memory): requests at a position parse the
 * top-level statement around it, an edit re-parses the whole text. Symbols, hover and navigation
 * answer as for any document.
 */
export const HUGE_DOCUMENT_CHARS = 2_000_000;

export class OpenDocument {
  /** The analysis host (none while not yet parsed, or while a huge document's tree is let go). */
  private host: AnalysisHost | null = null;
  /** Not yet parsed: the text it was opened with, then the changes since, in order. */
  private unparsedText: string | null;
  private unparsedChanges: TextDocumentContentChangeEvent[][] = [];
  /** A huge document whose tree was let go after its analysis: what is kept of its parse. */
  private withoutTree: { text: string; lines: LineIndex; diagnostics: readonly Diagnostic[] } | null = null;
  private hugeAnalysed: DocumentAnalysis | null = null;

  constructor(
    readonly uri: string,
    public version: number,
    text: string,
  ) {
    this.unparsedText = text;
  }

  /** The host's snapshot of the current version, made now if the document was opened or changed since. */
  get snapshot(): Snapshot {
    if (this.withoutTree) {
      // No tree to re-parse incrementally: the edited text is parsed whole.
      const { text, lines } = this.withoutTree;
      this.withoutTree = null;
      if (this.unparsedText === null) this.unparsedText = editedText(text, lines, this.unparsedChanges.flat());
      this.unparsedChanges = [];
    }
    if (this.unparsedText !== null) {
      if (this.host) this.host.setText(this.unparsedText);
      else this.host = new AnalysisHost(this.unparsedText);
      this.unparsedText = null;
    }
    const host = this.host!;
    if (this.unparsedChanges.length) {
      const batches = this.unparsedChanges;
      this.unparsedChanges = [];
      for (const changes of batches) {
        for (const change of changes) {
          if (!("range" in change) || !change.range) host.setText(change.text);
          else host.applyEdit(toEdit(host.snapshot().lines, change.range, change.text));
        }
      }
    }
    return host.snapshot();
  }

  /** Whether the current version is parsed (else the next use of the tree or text parses it). */
  get isParsed(): boolean {
    return this.unparsedText === null && this.unparsedChanges.length === 0;
  }

  /** Whether the current version's analysis is made. */
  get isAnalysed(): boolean {
    if (!this.isParsed) return false;
    if (this.withoutTree) return this.hugeAnalysed !== null;
    return this.host !== null && this.host.snapshot().isAnalysed;
  }

  get text(): string {
    if (this.withoutTree && this.isParsed) return this.withoutTree.text;
    return this.snapshot.text;
  }

  get lines(): LineIndex {
    if (this.withoutTree && this.isParsed) return this.withoutTree.lines;
    return this.snapshot.lines;
  }

  /**
   * Types a space into the current version and deletes it again, each analysed (warmUp.ts): the
   * version, its text and its answers stay as they were. Only on a parsed, analysed document
   * that is not huge.
   */
  rehearseEdit(k: number): void {
    if (!this.host || !this.isAnalysed || this.withoutTree) return;
    this.host.rehearseEdit(k);
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
    return this.snapshot.tree;
  }

  /**
   * A tree that holds `offset` with the document's offsets: the whole document's root, or for a
   * huge document whose tree is not kept, the top-level statement around `offset` parsed on its
   * own (a top-level statement parses the same alone; its root then stands for the file).
   */
  treeAround(offset: number): SyntaxNode {
    if (!(this.withoutTree && this.isParsed)) return this.snapshot.tree.root;
    const body = this.analysis().program.body;
    let lo = 0;
    let hi = body.length;
    // The last statement starting at or before offset (its window runs to the next one's start).
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (body[mid].start <= offset) lo = mid + 1;
      else hi = mid;
    }
    const start = lo === 0 ? 0 : body[lo - 1].start;
    const end = lo < body.length ? body[lo].start : this.text.length;
    return new SyntaxNode(parse(this.text.slice(start, end)).root.green, null, start);
  }

  get syntaxDiagnostics(): readonly Diagnostic[] {
    if (this.withoutTree && this.isParsed) return this.withoutTree.diagnostics;
    return this.snapshot.syntaxDiagnostics;
  }

  /** Records the changes of one didChange notification (applied, in order, when next parsed). */
  update(version: number, changes: TextDocumentContentChangeEvent[]): void {
    let last = -1;
    changes.forEach((c, i) => {
      if (!("range" in c) || !c.range) last = i;
    });
    if (last >= 0) {
      // A whole new text: what came before it is never parsed.
      this.withoutTree = null;
      this.unparsedText = changes[last].text;
      this.unparsedChanges = [];
      changes = changes.slice(last + 1);
    }
    if (changes.length) this.unparsedChanges.push(changes);
    this.version = version;
    this.hugeAnalysed = null;
  }

  analysis(): DocumentAnalysis {
    if (this.withoutTree && this.isParsed && this.hugeAnalysed) return this.hugeAnalysed;
    if (this.huge) return (this.hugeAnalysed = this.hugeAnalysis());
    return this.snapshot.analysis();
  }

  /**
   * A huge document's: the AST lowered a slice of statements at a time while the tree is let go
   * (the two are never held whole at once), without the host's per-statement caches; the
   * resolution without its cache; the syntax diagnostics only. The AST's arrays are copied at
   * their exact length (compact.ts); the resolution cuts its own.
   */
  private hugeAnalysis(): DocumentAnalysis {
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
      const resolution = resolveProgram(program);
      collectGarbage();
      return { program, resolution, diagnostics: [...this.syntaxDiagnostics], failure: null };
    } catch (e) {
      return this.failed(e);
    }
  }

  /** Keeps the text, lines and syntax diagnostics of the parse; hands over the tree's top level (the host goes with it). */
  private letTreeGo(): { kind: SyntaxKind; children: (GreenElement | null)[] } {
    const snap = this.snapshot;
    this.withoutTree = { text: snap.text, lines: snap.lines, diagnostics: snap.syntaxDiagnostics };
    this.host = null;
    return { kind: snap.tree.root.green.kind, children: snap.tree.root.green.children.slice() };
  }

  /** The analysis of a document on which a pass failed: its syntax diagnostics, and why. */
  private failed(e: unknown): DocumentAnalysis {
    return failedAnalysis(this.text.length, this.syntaxDiagnostics, e);
  }

  /**
   * The compiler's own errors (its limits, compiler.md §9) that the analysis cannot know. The
   * compiler only sees error-free trees, so there are none while there are syntax errors.
   */
  compileDiagnostics(): Diagnostic[] {
    if (this.huge) return [];
    return this.snapshot.compileDiagnostics();
  }
}

/** `text` with `changes` applied in order (ranges in `lines`, the index of `text`, for the first). */
function editedText(text: string, lines: LineIndex, changes: TextDocumentContentChangeEvent[]): string {
  for (const change of changes) {
    if (!("range" in change) || !change.range) {
      text = change.text;
    } else {
      if (lines.text !== text) lines = new LineIndex(text);
      const start = toOffset(lines, change.range.start);
      const end = Math.max(start, toOffset(lines, change.range.end));
      text = text.slice(0, start) + change.text + text.slice(end);
    }
  }
  return text;
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
