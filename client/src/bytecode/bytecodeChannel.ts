// The extension side of one bytecode webview: posts the document, answers the webview's requests
// for pages of rows, and keeps what the webview last reported having drawn.
import * as vscode from "vscode";
import { documentMessage, ROW_PAGE, rowsMessage, type FromWebview, type RenderedReport, type ShownDocument, type ToWebview } from "./protocol";
import { lineIndex, rowAtByte, type BytecodeView } from "./viewModel";

/** Every channel's render reports, for the integration tests. */
const rendered = new vscode.EventEmitter<{ channel: BytecodeChannel; report: RenderedReport }>();
export const onDidRender = rendered.event;
let renders = 0;

/** How many render reports all channels have received: lets a waiter know whether it missed one. */
export function renderCount(): number {
  return renders;
}

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
    if (!this.shown) return;
    this.post(documentMessage(this.shown, this.version, this.mode, this.lineColors));
    // The first page goes along, so a small listing draws without a round trip.
    this.postRows(0, ROW_PAGE);
    this.postSelection();
  }

  private postSelection(): void {
    const line = this.selectedLine;
    if (line === null) return this.post({ type: "selectLine", version: this.version, line: -1, rows: [] });
    this.post({ type: "selectLine", version: this.version, line, rows: (this.view ? lineIndex(this.view).get(line) : undefined) ?? [] });
  }

  private postRows(start: number, count: number): void {
    const message = rowsMessage(this.view, this.version, start, count);
    if (message) this.post(message);
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
      case "rowAtByte":
        if (this.view && typeof m.offset === "number") this.post({ type: "selectRow", version: this.version, row: rowAtByte(this.view, m.offset) });
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
