// Warming up the edit path. The first keystrokes in a large document used to be the slow ones
// (about three times a warm keystroke on the 20 000-line bench file): not for want of a cache,
// but because the engine had not yet compiled the code an edit runs — opening a document runs
// the whole-file path, not the one that re-parses a statement and re-checks what it touched. So
// the server rehearses keystrokes, each typed and deleted again (AnalysisHost.rehearseEdit: the
// text and the answers end as they began):
//
// - one right after the first large document's first analysis, before its diagnostics go out
//   (`beforePublication`), with a hover and a definition on a few names. A user may type the
//   moment they appear. On the bench file that first rehearsal costs the open ~50 ms; typing
//   at once, the first keystroke then takes 21–24 ms instead of 29–30 and the slowest 29–31
//   instead of 34–40 (bench/keystrokes.bench.ts, "atOnce"; on a busier machine more: with four
//   V8 helper threads competing for two cores, p95 47 → 34 ms);
// - the rest once the document has been quiet for a moment after a publication, one per turn of
//   the event loop after the messages that arrived (scheduler.ts). Any change to the document
//   stops them (the user's own keystrokes warm the same code); they resume after the next
//   publication.
//
// The engine's code is the process's, so this happens once per server, not per document.

import type { DocumentStore, OpenDocument } from "./documents";
import { hover } from "./hover";
import { definition } from "./navigation";
import { toPosition } from "./positions";
import type { DocumentWork } from "./scheduler";

/** Documents smaller than this edit fast enough cold. */
export const WARM_UP_MIN_CHARS = 100_000;
/** Rehearsed keystrokes (each a type and a delete): the figure where the bench stops improving. */
export const WARM_UP_EDITS = 4;
/** Names asked about (hover and definition) after the first rehearsed keystroke. */
const ASKED = 8;
/** How long a document stays quiet after its publication before the rehearsal starts. */
const IDLE_MS = 200;

export class WarmUp {
  private done = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  /** Off by the initialization option `warmUp: false` (the keystrokes bench compares). */
  enabled = true;

  constructor(
    private readonly documents: DocumentStore,
    private readonly work: DocumentWork,
  ) {}

  /** Rehearsed keystrokes so far (tests). */
  get rehearsed(): number {
    return this.done;
  }

  /**
   * A document's analysed diagnostics are about to be published for its current version: if no
   * keystroke was rehearsed yet and it is large, one is, now (synchronously, so it runs before
   * the user can answer the diagnostics with a keystroke).
   */
  beforePublication(uri: string): void {
    if (!this.enabled || this.done > 0 || this.running) return;
    const doc = this.large(uri);
    if (!doc || !doc.isAnalysed) return;
    this.done++;
    this.work.piece(`rehearse ${uri}@${doc.version} before publication`, () => {
      doc.rehearseEdit(0);
      askAround(doc);
    });
  }

  /** A document's diagnostics were published for its current version. */
  published(uri: string): void {
    if (!this.enabled || this.done >= WARM_UP_EDITS || this.running) return;
    const doc = this.large(uri);
    if (!doc) return;
    clearTimeout(this.timer);
    const version = doc.version;
    this.timer = setTimeout(() => void this.rehearse(uri, version), IDLE_MS);
  }

  private large(uri: string): OpenDocument | undefined {
    const doc = this.documents.get(uri);
    return doc && doc.text.length >= WARM_UP_MIN_CHARS && !doc.huge ? doc : undefined;
  }

  private async rehearse(uri: string, version: number): Promise<void> {
    this.running = true;
    try {
      while (this.done < WARM_UP_EDITS) {
        await this.work.quietTurn();
        const doc = this.documents.get(uri);
        if (!doc || doc.version !== version || !doc.isAnalysed) return;
        const k = this.done++;
        this.work.piece(`rehearse ${uri}@${version}`, () => doc.rehearseEdit(k));
      }
    } finally {
      this.running = false;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

/**
 * Hover and go to definition on names spread over the document, as an editor asks while the user
 * types: their first answers ran cold too (3–9 ms instead of under 1). Answers are dropped.
 */
function askAround(doc: OpenDocument): void {
  const references = doc.analysis().resolution.references;
  if (!references.length) return;
  for (let i = 0; i < ASKED; i++) {
    const position = toPosition(doc.lines, references[Math.floor(((i + 0.5) / ASKED) * references.length)].span.start);
    hover(doc, position);
    definition(doc, position);
  }
}
