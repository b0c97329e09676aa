// The extension side of one bytecode webview: posts the document, answers the webview's requests
// for pages of rows, and keeps what the webview last reported having drawn.
import * as vscode from "vscode";
import type { DocumentMessage, FromWebview, RenderedReport, ToWebview } from "./protocol";
import { ROW_PAGE } from "./protocol";
import { LINE_PALETTE, opcodeMeanings, type BytecodeView, type CompileErrorView } from "./viewModel";

export interface ShownDocument {
  title: string;
  view: BytecodeView | null;
  compileErrors?: CompileErrorView[];
  /** The file's bytes, for the hex view (file mode). */
  bytes?: Uint8Array;
}

/** Every channel's render reports, for the integration tests. */
const rendered = new vscode.EventEmitter<{ channel: BytecodeChannel; report: RenderedReport }>();
export const onDidRender = rendered.event;
let renders = 0;

/** How many render reports all channels have received: lets a waiter know whether it missed one. */
export function renderCount(): number {
  return renders;
}

const meanings = opcodeMeanings();

export class BytecodeChannel implements vscode.Disposable {
  private version = 0;
  private shown: ShownDocument | null = null;
  private ready = false;
  private selectedLine: number | null = null;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The last report of what is on screen. */
  lastRendered: RenderedReport | null = null;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly mode: "file" | "preview",
    private lineColors: boolean,
    private readonly handlers: { hoverLine?(line: number | null): void; revealLine?(line: number, column?: number): void } = {},
  ) {
    this.subscriptions.push(webview.onDidReceiveMessage((m: FromWebview) => this.receive(m)));
  }

  get currentVersion(): number {
    return this.version;
  }

  get view(): BytecodeView | null {
    return this.shown?.view ?? null;
  }

  show(document: ShownDocument): void {
    this.shown = document;
    this.version++;
    if (this.ready) this.postDocument();
  }

  /** Highlights the rows of a source line (null clears). */
  selectLine(line: number | null): void {
    this.selectedLine = line;
    if (this.ready) this.postSelection();
  }

  setLineColors(on: boolean): void {
    this.lineColors = on;
    if (this.ready) this.post({ type: "settings", lineColors: on });
  }

  private post(message: ToWebview): void {
    void this.webview.postMessage(message);
  }

  private postDocument(): void {
    const s = this.shown;
    if (!s) return;
    const view = s.view;
    const message: DocumentMessage = {
      type: "document",
      version: this.version,
      mode: this.mode,
      title: s.title,
      size: view?.size ?? s.bytes?.length ?? 0,
      error: view?.error ?? null,
      errorBytes: view?.errorBytes,
      errorRow: view?.errorRow,
      compileErrors: s.compileErrors,
      chunks: view?.chunks ?? [],
      rowCount: view?.rows.length ?? 0,
      bytes: s.bytes ? Buffer.from(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength).toString("base64") : undefined,
      opcodes: meanings,
      palette: LINE_PALETTE,
      lineColors: this.lineColors,
    };
    this.post(message);
    // The first page goes along, so a small listing draws without a round trip.
    this.postRows(0, ROW_PAGE);
    this.postSelection();
  }

  private postSelection(): void {
    const line = this.selectedLine;
    if (line === null) return this.post({ type: "selectLine", version: this.version, line: -1, rows: [] });
    this.post({ type: "selectLine", version: this.version, line, rows: this.view?.rowsByLine.get(line) ?? [] });
  }

  private postRows(start: number, count: number): void {
    const rows = this.view?.rows ?? [];
    if (start >= rows.length) return;
    this.post({ type: "rows", version: this.version, start, rows: rows.slice(start, Math.min(rows.length, start + Math.min(count, 4 * ROW_PAGE))) });
  }

  private receive(m: FromWebview): void {
    switch (m?.type) {
      case "ready":
        this.ready = true;
        this.postDocument();
        return;
      case "rows":
        if (m.version === this.version && Number.isInteger(m.start) && m.start >= 0) this.postRows(m.start, m.count);
        return;
      case "hoverLine":
        this.handlers.hoverLine?.(typeof m.line === "number" ? m.line : null);
        return;
      case "revealLine":
        if (typeof m.line === "number") this.handlers.revealLine?.(m.line, m.column);
        return;
      case "rendered":
        this.lastRendered = m;
        renders++;
        rendered.fire({ channel: this, report: m });
        return;
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
