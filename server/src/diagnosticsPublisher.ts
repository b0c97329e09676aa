// Publishes each open document's diagnostics shortly after its last change (debounced), and
// never publishes the result of an older version after that of a newer one.

import { DiagnosticSeverity, DiagnosticTag, type Connection, type Diagnostic as LspDiagnostic } from "vscode-languageserver/node";
import type { AnalysisDiagnostic, Diagnostic } from "../../compiler/src/index";
import { HUGE_DOCUMENT_CHARS, type DocumentStore, type OpenDocument } from "./documents";
import { toRange } from "./positions";
import type { Settings, SettingsSource } from "./settings";
import { Superseded, type DocumentWork } from "./scheduler";

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

/** Above this many characters a document is "huge" (documents.ts): only its syntax diagnostics
 * are published; symbols and navigation still answer. */
export { HUGE_DOCUMENT_CHARS };
/** At most this many diagnostics are published per document, then one summary. */
export const MAX_PUBLISHED_DIAGNOSTICS = 1000;

export function isHuge(doc: OpenDocument): boolean {
  return doc.huge;
}

/** The first `MAX_PUBLISHED_DIAGNOSTICS` of `all`, converted, plus a summary of the rest. */
function capped(doc: OpenDocument, all: readonly (AnalysisDiagnostic | Diagnostic)[], notes: LspDiagnostic[]): LspDiagnostic[] {
  const out = all.slice(0, MAX_PUBLISHED_DIAGNOSTICS).map((d) => toLspDiagnostic(doc, d));
  if (all.length > MAX_PUBLISHED_DIAGNOSTICS) {
    out.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Information,
      source: "whispem",
      code: "limit",
      message: `${(all.length - MAX_PUBLISHED_DIAGNOSTICS).toLocaleString("en-US")} more problems are not shown (the first ${MAX_PUBLISHED_DIAGNOSTICS} of ${all.length.toLocaleString("en-US")} are).`,
    });
  }
  return [...out, ...notes];
}

/** The diagnostic a huge document carries, saying what is left out. */
function hugeNote(doc: OpenDocument): LspDiagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: "whispem",
    code: "large-file",
    message: `This file is large (${(doc.text.length / 1e6).toFixed(1)} million characters, over ${HUGE_DOCUMENT_CHARS / 1e6} million): only syntax errors are reported; symbols, navigation and hover still work.`,
  };
}

/** The first diagnostics published for a document version: the parser's and the analysis's
 * (for a huge document the parser's only), at most `MAX_PUBLISHED_DIAGNOSTICS` of them. */
export function publishedDiagnostics(doc: OpenDocument, settings: Settings): LspDiagnostic[] {
  if (!settings.diagnostics.enable) return [];
  if (isHuge(doc)) return capped(doc, doc.syntaxDiagnostics, [hugeNote(doc)]);
  return capped(
    doc,
    doc.analysis().diagnostics.filter((d) => settings.diagnostics.unused || !unusedCodes.has(d.code)),
    [],
  );
}

/** How long a document must rest before the compiler runs on it. */
const COMPILE_AFTER_IDLE_MS = 300;

function compileKey(uri: string): string {
  return "compile:" + uri;
}

/** What is told of publications (the warm-up, warmUp.ts). */
export interface PublicationHooks {
  /** A document's analysed diagnostics are about to be computed and sent; it is current and analysed. */
  beforePublication(uri: string): void;
  /** They went out. */
  published(uri: string): void;
}

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly published = new Map<string, number>();
  /** Huge documents already logged as such (said once per document). */
  private readonly toldHuge = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: DocumentStore,
    private readonly settings: SettingsSource,
    private readonly log: (message: string) => void,
    private readonly work: DocumentWork,
    /** Told before and after a document's diagnostics of an analysed version go out (warmUp.ts). */
    private readonly hooks: PublicationHooks = { beforePublication: () => undefined, published: () => undefined },
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
        void this.publish(uri);
      }, delay),
    );
  }

  /**
   * Sends the diagnostics of the document's current version: first the parser's and the
   * analysis's; then, once the document has rested for COMPILE_AFTER_IDLE_MS, the compiler's
   * errors when there are any. The whole compile is too slow to run on every keystroke (it would
   * hold up the next one) and its limit errors are rare.
   *
   * The parse and the analysis run in turns of the event loop (scheduler.ts): requests that
   * arrive meanwhile are answered between them, and a version replaced before its turn is
   * dropped (the newer one's own publication follows).
   */
  async publish(uri: string): Promise<void> {
    let doc = this.documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    if ((this.published.get(uri) ?? -Infinity) > version) return;
    try {
      doc = await this.work.ready(uri, "parsed");
      if (!isHuge(doc)) doc = await this.work.ready(uri, "analysed");
    } catch (e) {
      if (e instanceof Superseded) return;
      this.log(`diagnostics of ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return;
    }
    let diagnostics: LspDiagnostic[];
    const huge = isHuge(doc);
    if (!huge) {
      try {
        this.hooks.beforePublication(uri);
      } catch (e) {
        this.log(`warming up on ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      }
    }
    if (huge && !this.toldHuge.has(uri)) {
      this.toldHuge.add(uri);
      this.log(`${uri} is over ${HUGE_DOCUMENT_CHARS} characters: only its syntax diagnostics are published`);
    }
    try {
      const failure = huge ? null : doc.analysis().failure;
      if (failure) this.log(`analysis of ${uri} (version ${version}) failed: ${failure}`);
      diagnostics = publishedDiagnostics(doc, this.settings.get());
    } catch (e) {
      this.log(`diagnostics of ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return;
    }
    this.send(doc, version, diagnostics);
    if (huge) return;
    this.hooks.published(uri);
    if (!this.settings.get().diagnostics.enable) return;
    const compileTurn = setTimeout(async () => {
      this.timers.delete(compileKey(uri));
      // Like the parse and the analysis, only once the messages that arrived are dispatched.
      await this.work.quietTurn();
      if (this.documents.get(uri) !== doc || doc.version !== version) return;
      try {
        const compile = doc.compileDiagnostics();
        if (compile.length) this.send(doc, version, [...compile.slice(0, MAX_PUBLISHED_DIAGNOSTICS).map((d) => toLspDiagnostic(doc, d)), ...diagnostics]);
      } catch (e) {
        this.log(`compiling ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      } finally {
        this.work.ran();
      }
    }, COMPILE_AFTER_IDLE_MS);
    this.timers.set(compileKey(uri), compileTurn);
  }

  private send(doc: OpenDocument, version: number, diagnostics: LspDiagnostic[]): void {
    // Called synchronously after the work for `version`, so the document cannot have changed
    // since; the check keeps a newer version's diagnostics from ever being replaced by older ones.
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
