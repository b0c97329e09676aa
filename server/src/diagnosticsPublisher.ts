// Publishes each open document's diagnostics shortly after its last change (debounced), and
// never publishes the result of an older version after that of a newer one.

import { DiagnosticSeverity, DiagnosticTag, type Connection, type Diagnostic as LspDiagnostic } from "vscode-languageserver/node";
import type { AnalysisDiagnostic } from "../../compiler/src/analyze";
import type { Diagnostic } from "../../compiler/src/diagnostics";
import type { DocumentStore, OpenDocument } from "./documents";
import { toRange } from "./positions";
import type { Settings, SettingsSource } from "./settings";

const severities = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

const unusedCodes = new Set(["WSP3016", "WSP3017"]);

export function toLspDiagnostic(doc: OpenDocument, d: AnalysisDiagnostic | Diagnostic): LspDiagnostic {
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
  if ("fixes" in d && d.fixes?.length) out.data = { version: doc.version, fixes: d.fixes };
  return out;
}

/** The first diagnostics published for a document version: the parser's and the analysis's. */
export function publishedDiagnostics(doc: OpenDocument, settings: Settings): LspDiagnostic[] {
  if (!settings.diagnostics.enable) return [];
  return doc
    .analysis()
    .diagnostics.filter((d) => settings.diagnostics.unused || !unusedCodes.has(d.code))
    .map((d) => toLspDiagnostic(doc, d));
}

/** How long a document must rest before the compiler runs on it. */
const COMPILE_AFTER_IDLE_MS = 300;

function compileKey(uri: string): string {
  return "compile:" + uri;
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
    for (const key of [uri, compileKey(uri)]) {
      const pending = this.timers.get(key);
      if (pending) clearTimeout(pending);
    }
    const delay = this.settings.get().diagnostics.debounceMs;
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.publish(uri);
      }, delay),
    );
  }

  /**
   * Sends the diagnostics of the document's current version: first the parser's and the
   * analysis's; then, once the document has rested for COMPILE_AFTER_IDLE_MS, the compiler's
   * errors when there are any. The whole compile is too slow to run on every keystroke (it would
   * hold up the next one) and its limit errors are rare.
   */
  publish(uri: string): void {
    const doc = this.documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    if ((this.published.get(uri) ?? -Infinity) > version) return;
    let diagnostics: LspDiagnostic[];
    try {
      const failure = doc.analysis().failure;
      if (failure) this.log(`analysis of ${uri} (version ${version}) failed: ${failure}`);
      diagnostics = publishedDiagnostics(doc, this.settings.get());
    } catch (e) {
      this.log(`diagnostics of ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return;
    }
    this.send(doc, version, diagnostics);
    if (!this.settings.get().diagnostics.enable) return;
    const compileTurn = setTimeout(() => {
      this.timers.delete(compileKey(uri));
      if (this.documents.get(uri) !== doc || doc.version !== version) return;
      try {
        const compile = doc.compileDiagnostics();
        if (compile.length) this.send(doc, version, [...compile.map((d) => toLspDiagnostic(doc, d)), ...diagnostics]);
      } catch (e) {
        this.log(`compiling ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      }
    }, COMPILE_AFTER_IDLE_MS);
    this.timers.set(compileKey(uri), compileTurn);
  }

  private send(doc: OpenDocument, version: number, diagnostics: LspDiagnostic[]): void {
    // Everything here is synchronous, so the document cannot have changed since `version` was
    // read; the check keeps a newer version's diagnostics from ever being replaced by older ones.
    if (this.documents.get(doc.uri) !== doc || doc.version !== version) return;
    if ((this.published.get(doc.uri) ?? -Infinity) > version) return;
    this.published.set(doc.uri, version);
    void this.connection.sendDiagnostics({ uri: doc.uri, version, diagnostics });
  }

  /** A closed document: drop its pending work and clear what the editor shows. */
  clear(uri: string): void {
    for (const key of [uri, compileKey(uri)]) {
      const pending = this.timers.get(key);
      if (pending) clearTimeout(pending);
      this.timers.delete(key);
    }
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
