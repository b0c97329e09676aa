// Warming up the edit path while the user is idle. The first keystrokes in a large document
// used to be the slow ones (about three times a warm keystroke on the 20 000-line bench file):
// not for want of a cache, but because the engine had not yet compiled the code an edit runs —
// opening a document runs the whole-file path, not the one that re-parses a statement and
// re-checks what it touched. So once a large document's first diagnostics are out and it has
// been quiet for a moment, its host rehearses a few keystrokes, each typed and deleted again
// (AnalysisHost.rehearseEdit: the text and the answers end as they began), one per turn of the
// event loop after the messages that arrived (scheduler.ts). Any change to the document stops
// the rehearsal (the user's own keystrokes warm the same code); it resumes after the next
// publication. The engine's code is the process's, so this happens once per server, not per
// document.

import type { DocumentStore } from "./documents";
import type { DocumentWork } from "./scheduler";

/** Documents smaller than this edit fast enough cold. */
export const WARM_UP_MIN_CHARS = 100_000;
/** Rehearsed keystrokes (each a type and a delete): the figure where the bench stops improving. */
export const WARM_UP_EDITS = 4;
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

  /** A document's diagnostics were published for its current version. */
  published(uri: string): void {
    if (!this.enabled || this.done >= WARM_UP_EDITS || this.running) return;
    const doc = this.documents.get(uri);
    if (!doc || doc.text.length < WARM_UP_MIN_CHARS || doc.huge) return;
    clearTimeout(this.timer);
    const version = doc.version;
    this.timer = setTimeout(() => void this.rehearse(uri, version), IDLE_MS);
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
