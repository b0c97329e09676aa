// Publishes each open document's diagnostics shortly after its last change (debounced), and
// never publishes the result of an older version after that of a newer one.

import { DiagnosticSeverity, DiagnosticTag, type Connection, type Diagnostic as LspDiagnostic } from "vscode-languageserver/node";
import type { AnalysisDiagnostic } from "../../compiler/src/analyze";
import type { DocumentStore, OpenDocument } from "./documents";
import { toRange } from "./positions";
import type { SettingsSource } from "./settings";

const severities = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

const unusedCodes = new Set(["WSP3016", "WSP3017"]);

export function toLspDiagnostic(doc: OpenDocument, d: AnalysisDiagnostic): LspDiagnostic {
  const out: LspDiagnostic = {
    range: toRange(doc.lines, { start: d.start, end: d.end }),
    severity: severities[d.severity],
    code: d.code,
    source: "whispem",
    message: d.message,
  };
  if (d.tags?.length) out.tags = d.tags.map((t) => (t === "unnecessary" ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated));
  if (d.related?.length) {
    out.relatedInformation = d.related.map((r) => ({ location: { uri: doc.uri, range: toRange(doc.lines, r.span) }, message: r.message }));
  }
  // Fixes travel with the diagnostic, in offsets of this version, for code actions.
  if (d.fixes?.length) out.data = { version: doc.version, fixes: d.fixes };
  return out;
}

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly published = new Map<string, number>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: DocumentStore,
    private readonly settings: SettingsSource,
    private readonly log: (message: string) => void,
  ) {}

  /** Called after every open and change: (re)starts the document's quiet period. */
  schedule(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    const delay = this.settings.get().diagnostics.debounceMs;
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.publish(uri);
      }, delay),
    );
  }

  /** Computes and sends the diagnostics of the document's current version. */
  publish(uri: string): void {
    const doc = this.documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    if ((this.published.get(uri) ?? -Infinity) > version) return;
    let diagnostics: LspDiagnostic[] = [];
    try {
      diagnostics = this.compute(doc);
    } catch (e) {
      this.log(`diagnostics of ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return;
    }
    // The computation is synchronous, so the document cannot have changed meanwhile; this check
    // keeps that true if it ever becomes asynchronous.
    if (doc.version !== version || this.documents.get(uri) !== doc) return;
    this.published.set(uri, version);
    void this.connection.sendDiagnostics({ uri, version, diagnostics });
  }

  private compute(doc: OpenDocument): LspDiagnostic[] {
    const settings = this.settings.get().diagnostics;
    if (!settings.enable) return [];
    return doc
      .analysis()
      .diagnostics.filter((d) => settings.unused || !unusedCodes.has(d.code))
      .map((d) => toLspDiagnostic(doc, d));
  }

  /** A closed document: drop its pending work and clear what the editor shows. */
  clear(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.delete(uri);
    this.published.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Settings changed: every open document again. */
  republishAll(): void {
    for (const doc of this.documents.all()) this.schedule(doc.uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
