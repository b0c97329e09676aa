// The open documents: one analysis host per document (compiler/src/host.ts). A change's LSP
// ranges become offsets here (positions.ts); everything else the features read is the host's
// snapshot of the current version.

import type { TextDocumentContentChangeEvent } from "vscode-languageserver/node";
import { AnalysisHost, type Diagnostic, type DocumentAnalysis, type LineIndex, type ParseResult, type Snapshot } from "../../compiler/src/index";
import { toEdit } from "./positions";

export type { DocumentAnalysis } from "../../compiler/src/index";

export class OpenDocument {
  private readonly host: AnalysisHost;
  private current: Snapshot;

  constructor(
    readonly uri: string,
    public version: number,
    text: string,
  ) {
    this.host = new AnalysisHost(text);
    this.current = this.host.snapshot();
  }

  /** The host's snapshot of the current version. */
  get snapshot(): Snapshot {
    return this.current;
  }

  get text(): string {
    return this.current.text;
  }

  get lines(): LineIndex {
    return this.current.lines;
  }

  /** The current lossless tree (for the formatter, semantic tokens, folding and selection ranges). */
  get tree(): ParseResult {
    return this.current.tree;
  }

  get syntaxDiagnostics(): readonly Diagnostic[] {
    return this.current.syntaxDiagnostics;
  }

  /** Applies the changes of one didChange notification, in order. */
  update(version: number, changes: TextDocumentContentChangeEvent[]): void {
    for (const change of changes) {
      if (!("range" in change) || !change.range) this.host.setText(change.text);
      else this.host.applyEdit(toEdit(this.host.snapshot().lines, change.range, change.text));
    }
    this.version = version;
    this.current = this.host.snapshot();
  }

  analysis(): DocumentAnalysis {
    return this.current.analysis();
  }

  /** The compiler's own errors (its limits) that the analysis cannot know; none while there are syntax errors. */
  compileDiagnostics(): Diagnostic[] {
    return this.current.compileDiagnostics();
  }
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
