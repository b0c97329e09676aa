// The live bytecode preview beside a `.wsp` editor: recompiles the editor's text as you type
// (debounced), shows compile errors instead when there are any, and links source lines and
// instructions both ways (cursor → rows; pointer or click on a row → source line). A preview
// follows the active Whispem editor (`whispem.bytecode.followActiveEditor`; off pins it to its file).
import * as vscode from "vscode";
import { BytecodeChannel } from "./bytecodeChannel";
import { PREVIEW_DEBOUNCE_MS, type ToWebview } from "./protocol";
import { lineColorsEnabled, SourceLineDecorations } from "./lineColors";
import { lineIndex, listingOf, viewOfSource, type PreviewModel } from "./viewModel";
import { needsScroll } from "./revealPolicy";
import { webviewHtml, webviewOptions } from "./webviewHtml";

/** What a preview shows and what its webview last drew: the integration tests read this. */
export interface PreviewState {
  source: string;
  version: number;
  ok: boolean;
  compileErrors: string[];
  rowCount: number;
  listing: string;
  selectedLine: number | null;
  selectedLineRows: number[];
  rendered: BytecodeChannel["lastRendered"];
}

class BytecodePreview implements vscode.Disposable {
  readonly channel: BytecodeChannel;
  private model: PreviewModel = { ok: false, errors: [] };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private selectedLine: number | null = null;
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;
  /** Whether the document was compiled once (the first compile waits for the webview). */
  private compiled = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    public document: vscode.TextDocument,
    extensionUri: vscode.Uri,
    private readonly decorations: SourceLineDecorations,
  ) {
    this.channel = new BytecodeChannel(panel.webview, "preview", lineColorsEnabled(), {
      hoverLine: (line) => {
        for (const editor of this.editors()) decorations.mark(editor, line);
      },
      revealLine: (line, column) => void this.revealSource(line, column),
    });
    this.subscriptions.push(this.channel);
    void webviewHtml(extensionUri, "preview")
      .then((html) => {
        if (this.disposed) return undefined;
        panel.webview.html = html;
        // A first message resolves once VS Code has made the webview. Compiling before would hold
        // up the extension host while the workbench still asks it about the new panel (measured:
        // the webview's frame appeared only after the compile); the webview's own start-up (its
        // service worker, then the page) leaves time to compile meanwhile.
        return panel.webview.postMessage({ type: "settings", lineColors: lineColorsEnabled() } satisfies ToWebview);
      })
      .then(
        () => {
          if (!this.disposed && !this.compiled) this.update();
        },
        // Only a panel closed while its page was made gets here; otherwise the error is real.
        (e) => {
          if (!this.disposed) throw e;
        },
      );
  }

  /** Shows another document's bytecode in this same panel (the preview follows the active editor). */
  retarget(document: vscode.TextDocument): void {
    for (const editor of this.editors()) this.decorations.clear(editor);
    this.document = document;
    this.selectedLine = null;
    this.panel.title = `Bytecode: ${document.uri.path.slice(document.uri.path.lastIndexOf("/") + 1)}`;
    this.update();
  }

  /** Visible editors showing the source. */
  editors(): vscode.TextEditor[] {
    return vscode.window.visibleTextEditors.filter((e) => e.document === this.document);
  }

  /** Recompiles after the typing pauses. */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), PREVIEW_DEBOUNCE_MS);
  }

  update(): void {
    clearTimeout(this.timer);
    this.compiled = true;
    this.model = viewOfSource(this.document.getText());
    const title = this.document.uri.path.slice(this.document.uri.path.lastIndexOf("/") + 1);
    if (this.model.ok) this.channel.show({ title, view: this.model.view });
    else this.channel.show({ title, view: null, compileErrors: this.model.errors });
    this.recolour();
  }

  recolour(): void {
    const view = this.model.ok ? this.model.view : null;
    const enabled = lineColorsEnabled();
    for (const editor of this.editors()) this.decorations.colour(editor, view, enabled);
  }

  setLineColors(): void {
    this.channel.setLineColors(lineColorsEnabled());
    this.recolour();
  }

  cursorAt(line: number): void {
    if (line === this.selectedLine) return;
    this.selectedLine = line;
    this.channel.selectLine(line);
  }

  private async revealSource(line: number, column = 1): Promise<void> {
    if (line < 1 || line > this.document.lineCount) return;
    const position = new vscode.Position(line - 1, Math.max(0, column - 1));
    const shown = this.editors()[0];
    if (shown) {
      // Only the selection moves; the editor scrolls only when the line is off screen.
      shown.selection = new vscode.Selection(position, position);
      const visible = shown.visibleRanges.map((r) => ({ start: r.start.line, end: r.end.line }));
      if (needsScroll(line - 1, visible)) shown.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
      return;
    }
    await vscode.window.showTextDocument(this.document, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(position, position), preserveFocus: true });
  }

  state(): PreviewState {
    const model = this.model;
    return {
      source: this.document.uri.toString(),
      version: this.channel.currentVersion,
      ok: model.ok,
      compileErrors: model.ok ? [] : model.errors.map((e) => `${e.line}:${e.column} ${e.code} ${e.message}`),
      rowCount: model.ok ? model.view.rows.length : 0,
      listing: model.ok ? listingOf(model.view) : "",
      selectedLine: this.selectedLine,
      selectedLineRows: model.ok && this.selectedLine !== null ? (lineIndex(model.view).get(this.selectedLine) ?? []) : [],
      rendered: this.channel.lastRendered,
    };
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    for (const editor of this.editors()) this.decorations.clear(editor);
    for (const s of this.subscriptions) s.dispose();
  }
}

/** All previews, one per source document. */
export class BytecodePreviews implements vscode.Disposable {
  static readonly viewType = "whispem.bytecodePreview";
  private readonly previews = new Map<string, BytecodePreview>();
  /** Made with the first preview: activation should not pay for colours nobody sees. */
  private lineDecorations: SourceLineDecorations | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.previews.get(e.document.uri.toString())?.schedule();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        this.previews.get(e.textEditor.document.uri.toString())?.cursorAt(e.selections[0].active.line + 1);
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.follow(editor)),
      vscode.window.onDidChangeVisibleTextEditors(() => {
        for (const p of this.previews.values()) p.recolour();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration("whispem.bytecode.lineColors")) return;
        for (const p of this.previews.values()) p.setLineColors();
      }),
    );
  }

  private get decorations(): SourceLineDecorations {
    this.lineDecorations ??= new SourceLineDecorations();
    return this.lineDecorations;
  }

  /**
   * The active editor changed: unless previews are pinned, the most recently shown one whose file
   * is no longer in front shows the new Whispem file instead.
   */
  private follow(editor: vscode.TextEditor | undefined): void {
    if (!editor || editor.document.languageId !== "whispem") return;
    if (!vscode.workspace.getConfiguration("whispem.bytecode").get<boolean>("followActiveEditor", true)) return;
    const key = editor.document.uri.toString();
    if (this.previews.has(key)) return;
    const candidates = [...this.previews.entries()].filter(([, p]) => p.editors().length === 0 || p === this.lastShown);
    const entry = candidates.find(([, p]) => p === this.lastShown) ?? candidates[candidates.length - 1];
    if (!entry) return;
    const [oldKey, preview] = entry;
    this.previews.delete(oldKey);
    this.previews.set(key, preview);
    preview.retarget(editor.document);
    preview.cursorAt(editor.selection.active.line + 1);
  }

  private lastShown: BytecodePreview | undefined;

  /** Opens (or reveals) the preview of an editor's document beside it. */
  show(editor: vscode.TextEditor): void {
    const key = editor.document.uri.toString();
    const existing = this.previews.get(key);
    if (existing) {
      this.lastShown = existing;
      existing.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const name = editor.document.uri.path.slice(editor.document.uri.path.lastIndexOf("/") + 1);
    const panel = vscode.window.createWebviewPanel(
      BytecodePreviews.viewType,
      `Bytecode: ${name}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(),
    );
    const preview = new BytecodePreview(panel, editor.document, this.extensionUri, this.decorations);
    this.previews.set(key, preview);
    this.lastShown = preview;
    preview.cursorAt(editor.selection.active.line + 1);
    panel.onDidDispose(() => {
      for (const [k, p] of this.previews) if (p === preview) this.previews.delete(k);
      if (this.lastShown === preview) this.lastShown = undefined;
      preview.dispose();
    });
  }

  states(): PreviewState[] {
    return [...this.previews.values()].map((p) => p.state());
  }

  dispose(): void {
    for (const p of this.previews.values()) p.panel.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.lineDecorations?.dispose();
  }
}
