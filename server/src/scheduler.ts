// When the work on a document runs. A notification only records the new text (documents.ts parses
// lazily); the parse and the analysis of a document's current version then run as separate turns
// of the event loop, each started only after a yield, so a message that arrived meanwhile (a
// hover on another document, a cancellation) is read and dispatched between them. Requests on
// the document wait for those turns (their handlers then run on a ready document); a request
// whose document changed while it waited gets ContentModified, a cancelled one RequestCancelled;
// a version that a newer one replaced before its turn came is never parsed or analysed.
//
// Platform-neutral (the server also runs in a web worker): no Node APIs but an optional
// `setImmediate`.

import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from "vscode-languageserver/node";
import type { DocumentStore, OpenDocument } from "./documents";

type Immediate = (callback: () => void) => unknown;

const immediate: Immediate = (() => {
  const setImmediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
  if (typeof setImmediate === "function") return (callback: () => void) => setImmediate(callback);
  // A web worker: a message to ourselves is a macrotask without setTimeout's 4 ms clamp.
  if (typeof MessageChannel === "function") {
    const channel = new MessageChannel();
    const queue: (() => void)[] = [];
    (channel.port1 as unknown as { onmessage: () => void }).onmessage = () => queue.shift()?.();
    return (callback: () => void) => {
      queue.push(callback);
      channel.port2.postMessage(null);
    };
  }
  return (callback: () => void) => setTimeout(callback, 0);
})();

/** Resolves on a later turn of the event loop, after the messages that arrived meanwhile were read. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => immediate(resolve));
}

/** See DocumentWork.quietTurn. */
const QUIET_TURNS = 3;

/** What a waiter needs of the document: its parse only (syntax diagnostics), or its analysis too. */
export type Readiness = "parsed" | "analysed";

export class Superseded extends Error {
  constructor(uri: string, version: number) {
    super(`${uri} changed (version ${version} was replaced) before its work was done`);
  }
}

export class DocumentWork {
  /** Turns run so far, per kind (for tests: what was computed, in which order). */
  readonly trace: string[] = [];
  private traceOn = false;
  /** Messages dispatched so far (counted by server.ts's wrappers). */
  private dispatched = 0;
  /** Pieces of work run so far after a quiet turn (see `ran`). */
  private pieces = 0;

  constructor(private readonly documents: DocumentStore) {}

  /** Keeps a trace of the turns run (tests). */
  tracing(on: boolean): void {
    this.traceOn = on;
    this.trace.length = 0;
  }

  /** A request or notification is being dispatched: work waits until messages stop coming. */
  noteMessage(): void {
    this.dispatched++;
  }

  /**
   * A piece of work ran after a quiet turn: the turns counted before it do not count (messages
   * that arrived during it are read in the turn after it, and must go before the next piece).
   */
  ran(): void {
    this.pieces++;
  }

  /**
   * Resolves once QUIET_TURNS turns of the event loop in a row passed without a message
   * dispatched or a piece of work run. What arrives is read in one turn, decoded in the next
   * (vscode-jsonrpc's reader takes a turn per message) and dispatched in the one after, one
   * message per turn, each step queued behind our own yield: so this lets every message that has
   * arrived go first (those on other documents are answered, those on a document being prepared
   * join its waiters) before the next piece of work starts.
   */
  async quietTurn(): Promise<void> {
    let quiet = 0;
    while (quiet < QUIET_TURNS) {
      const dispatched = this.dispatched;
      const pieces = this.pieces;
      await yieldToEventLoop();
      quiet = this.dispatched === dispatched && this.pieces === pieces ? quiet + 1 : 0;
    }
  }

  /** Whether a request on the document can run now, without waiting for a turn. */
  isReady(doc: OpenDocument, need: Readiness = "analysed"): boolean {
    return doc.isParsed && (need === "parsed" || doc.isAnalysed);
  }

  /**
   * Brings the document's current version to `need`, one piece of work per turn of the event
   * loop. Rejects with `Superseded` if the document changed (or closed) meanwhile, and with
   * the protocol's RequestCancelled when `token` is cancelled.
   */
  async ready(uri: string, need: Readiness = "analysed", token?: CancellationToken): Promise<OpenDocument> {
    const doc = this.documents.get(uri);
    if (!doc) throw new ResponseError(ErrorCodes.InvalidParams, `document not open: ${uri}`);
    const version = doc.version;
    for (;;) {
      await this.quietTurn();
      if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, "cancelled");
      if (this.documents.get(uri) !== doc || doc.version !== version) throw new Superseded(uri, version);
      if (!doc.isParsed) {
        this.note(`parse ${uri}@${version}`);
        try {
          doc.tree;
        } finally {
          this.ran();
        }
      } else if (need === "analysed" && !doc.isAnalysed) {
        this.note(`analyse ${uri}@${version}`);
        try {
          doc.analysis();
        } finally {
          this.ran();
        }
      } else {
        return doc;
      }
    }
  }

  /** Runs one piece of other work (the warm-up, warmUp.ts) in a turn of its own: traced, and counted as a piece. */
  piece(what: string, run: () => void): void {
    this.note(what);
    try {
      run();
    } finally {
      this.ran();
    }
  }

  private note(what: string): void {
    if (this.traceOn) this.trace.push(what);
  }
}

/** The error a request gets when its document changed while it waited (LSP ContentModified). */
export function contentModified(e: Superseded): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.ContentModified, e.message);
}
