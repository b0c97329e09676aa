// The bytecode preview as a read-only text editor beside the source (what Show Bytecode opens by
// default): a `whispem-bytecode:` document holding the disassembly listing, coloured by its
// grammar (syntaxes/whispem-bytecode.tmLanguage.json). VS Code paints a text editor at once, where
// a webview takes over a second to make (README, "The bytecode of your file"). Like the rich view
// (bytecodePreview.ts) it recompiles as you type, shows compile errors instead while there are
// any, follows the active Whispem editor unless pinned, and links lines both ways: the source
// cursor highlights its instructions, a click on an instruction moves the source cursor there,
// hovering one marks its source line, and each line has its colour in both editors.
import * as vscode from "vscode";
import { lineColorsEnabled, lineHighlight, SourceLineDecorations } from "./lineColors";
import { errorLineText, listingOfModel, sourcePositionOf, textLinesBySourceLine, textLinesOfSourceLine, type Listing } from "./listingText";
import { PREVIEW_DEBOUNCE_MS } from "./protocol";
import { needsScroll } from "./revealPolicy";
import { BYTECODE_SCHEME, bytecodeDocumentUri, sourceOfBytecodeUri } from "./textPreviewUri";
import { LINE_PALETTE, opcodeMeanings, paletteIndex, viewOfSource, type PreviewModel } from "./viewModel";

/** What a text preview shows and how its editor is decorated: the integration tests read this. */
export interface TextPreviewState {
  uri: string;
  source: string;
  ok: boolean;
  compileErrors: string[];
  /** The text the provider gives VS Code for the document. */
  text: string;
  /** Whether an editor shows the preview. */
  shown: boolean;
  selectedLine: number | null;
  /** 0-based lines of the preview highlighted for the source cursor's line. */
  highlightedLines: number[];
  /** How many preview lines carry a line colour (0 when the colours are off). */
  colouredLines: number;
  lineColors: boolean;
}

interface Entry {
  uri: vscode.Uri;
  source: vscode.Uri;
  model: PreviewModel;
  listing: Listing;
  timer?: ReturnType<typeof setTimeout>;
  selectedLine: number | null;
  highlightedLines: number[];
  colouredLines: number;
}

const nameOf = (uri: vscode.Uri) => uri.path.slice(uri.path.lastIndexOf("/") + 1);

export class TextPreviews implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly source = new SourceLineDecorations();
  /** A stripe at the left of each instruction in its source line's colour (the text keeps its contrast). */
  private readonly stripes = LINE_PALETTE.map((colour) =>
    vscode.window.createTextEditorDecorationType({ isWholeLine: true, borderColor: colour.replace(/[\d.]+\)$/, "0.9)"), borderStyle: "solid", borderWidth: "0 0 0 4px", overviewRulerColor: colour, overviewRulerLane: vscode.OverviewRulerLane.Left }),
  );
  private readonly highlight = lineHighlight({ overviewRulerColor: new vscode.ThemeColor("focusBorder"), overviewRulerLane: vscode.OverviewRulerLane.Center });
  private lastShown: string | undefined;
  private readonly meanings = opcodeMeanings();

  /** `changed` is the content provider's event (registered at activation, bytecodeViews.ts). */
  constructor(private readonly changed: vscode.EventEmitter<vscode.Uri>) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme === BYTECODE_SCHEME) return this.redecorate(e.document.uri);
        if (e.contentChanges.length > 0) for (const entry of this.entriesOf(e.document.uri)) this.schedule(entry);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        const entry = this.entries.get(d.uri.toString());
        if (!entry) return;
        clearTimeout(entry.timer);
        this.entries.delete(d.uri.toString());
        for (const editor of this.sourceEditors(entry)) this.source.clear(editor);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.selectionChanged(e)),
      vscode.window.onDidChangeVisibleTextEditors(() => {
        for (const entry of this.entries.values()) this.decorate(entry);
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => void this.follow(editor)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("whispem.bytecode.lineColors")) for (const entry of this.entries.values()) this.decorate(entry);
      }),
      vscode.languages.registerHoverProvider({ scheme: BYTECODE_SCHEME }, { provideHover: (d, p) => this.hover(d, p) }),
      vscode.languages.registerDefinitionProvider({ scheme: BYTECODE_SCHEME }, { provideDefinition: (d, p) => this.definition(d, p) }),
    );
  }

  /** The text of a preview document (VS Code asks when it opens, and after each `changed`). */
  async provide(uri: vscode.Uri): Promise<string> {
    const source = sourceOfBytecodeUri(uri);
    if (!source) return `This is not the bytecode of a Whispem file: ${uri.toString()}\n`;
    let entry = this.entries.get(uri.toString());
    if (!entry) {
      let document: vscode.TextDocument;
      try {
        document = await vscode.workspace.openTextDocument(source);
      } catch (e) {
        return `Cannot read ${source.toString()}: ${e instanceof Error ? e.message : String(e)}\n`;
      }
      entry = this.entries.get(uri.toString()) ?? this.make(uri, document);
    }
    return entry.listing.text;
  }

  /** Opens (or reveals) the preview of an editor's document beside it. */
  async show(editor: vscode.TextEditor): Promise<void> {
    const uri = bytecodeDocumentUri(editor.document.uri);
    const key = uri.toString();
    const entry = this.entries.get(key) ?? this.make(uri, editor.document);
    this.lastShown = key;
    entry.selectedLine = editor.selection.active.line + 1;
    const open = this.tabOf(key);
    const viewColumn = open?.group.viewColumn ?? vscode.ViewColumn.Beside;
    const shown = await vscode.window.showTextDocument(uri, { viewColumn, preserveFocus: true, preview: false });
    this.decorateEditor(entry, shown);
  }

  /** The source of a preview tab, for its "Open in Rich View" button. */
  sourceOf(uri: vscode.Uri): vscode.Uri | undefined {
    return sourceOfBytecodeUri(uri);
  }

  states(): TextPreviewState[] {
    return [...this.entries.values()].map((e) => ({
      uri: e.uri.toString(),
      source: e.source.toString(),
      ok: e.model.ok,
      compileErrors: e.model.ok ? [] : e.model.errors.map(errorLineText),
      text: e.listing.text,
      shown: this.previewEditors(e).length > 0,
      selectedLine: e.selectedLine,
      highlightedLines: e.highlightedLines,
      colouredLines: e.colouredLines,
      lineColors: lineColorsEnabled(),
    }));
  }

  private make(uri: vscode.Uri, document: vscode.TextDocument): Entry {
    const model = viewOfSource(document.getText());
    const entry: Entry = { uri, source: document.uri, model, listing: listingOfModel(model, nameOf(document.uri)), selectedLine: null, highlightedLines: [], colouredLines: 0 };
    this.entries.set(uri.toString(), entry);
    return entry;
  }

  private entriesOf(source: vscode.Uri): Entry[] {
    const key = source.toString();
    return [...this.entries.values()].filter((e) => e.source.toString() === key);
  }

  private schedule(entry: Entry): void {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => this.update(entry), PREVIEW_DEBOUNCE_MS);
  }

  private update(entry: Entry): void {
    clearTimeout(entry.timer);
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === entry.source.toString());
    if (!document) return;
    entry.model = viewOfSource(document.getText());
    entry.listing = listingOfModel(entry.model, nameOf(document.uri));
    // VS Code asks for the text again; the decorations follow once it has it (onDidChangeTextDocument).
    this.changed.fire(entry.uri);
    // The source's colours need no new text.
    for (const editor of this.sourceEditors(entry)) this.source.colour(editor, entry.listing.view, lineColorsEnabled());
  }

  private previewEditors(entry: Entry): vscode.TextEditor[] {
    const key = entry.uri.toString();
    return vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === key);
  }

  private sourceEditors(entry: Entry): vscode.TextEditor[] {
    const key = entry.source.toString();
    return vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === key);
  }

  private tabOf(key: string): vscode.Tab | undefined {
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) if (tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === key) return tab;
    }
    return undefined;
  }

  private redecorate(uri: vscode.Uri): void {
    const entry = this.entries.get(uri.toString());
    if (entry) this.decorate(entry);
  }

  private decorate(entry: Entry): void {
    for (const editor of this.previewEditors(entry)) this.decorateEditor(entry, editor);
    const shown = this.previewEditors(entry).length > 0;
    for (const editor of this.sourceEditors(entry)) {
      if (shown) this.source.colour(editor, entry.listing.view, lineColorsEnabled());
      else this.source.clear(editor);
    }
  }

  /** Line colours and the source cursor's highlight in a preview editor, if its text is the listing's. */
  private decorateEditor(entry: Entry, editor: vscode.TextEditor): void {
    // Between a recompile and VS Code's next read, the editor shows the previous text.
    if (editor.document.getText() !== entry.listing.text) return;
    const enabled = lineColorsEnabled();
    const ranges: vscode.Range[][] = this.stripes.map(() => []);
    let coloured = 0;
    if (enabled) {
      for (const [line, textLines] of textLinesBySourceLine(entry.listing)) {
        const i = paletteIndex(line);
        if (i < 0) continue;
        for (const t of textLines) ranges[i].push(new vscode.Range(t, 0, t, 0));
        coloured += textLines.length;
      }
    }
    this.stripes.forEach((type, i) => editor.setDecorations(type, ranges[i]));
    entry.colouredLines = coloured;
    this.highlightIn(entry, editor, false);
  }

  /** Highlights the selected source line's instructions; `reveal` scrolls to them when off screen. */
  private highlightIn(entry: Entry, editor: vscode.TextEditor, reveal: boolean): void {
    const lines = entry.selectedLine === null ? [] : textLinesOfSourceLine(entry.listing, entry.selectedLine);
    editor.setDecorations(this.highlight, lines.map((t) => new vscode.Range(t, 0, t, 0)));
    entry.highlightedLines = lines;
    if (reveal && lines.length > 0) {
      const visible = editor.visibleRanges.map((r) => ({ start: r.start.line, end: r.end.line }));
      if (needsScroll(lines[0], visible)) editor.revealRange(new vscode.Range(lines[0], 0, lines[lines.length - 1], 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  }

  private selectionChanged(e: vscode.TextEditorSelectionChangeEvent): void {
    const uri = e.textEditor.document.uri;
    if (uri.scheme === BYTECODE_SCHEME) {
      const entry = this.entries.get(uri.toString());
      if (!entry || e.kind === undefined || e.kind === vscode.TextEditorSelectionChangeKind.Command) return;
      const at = sourcePositionOf(entry.listing, e.selections[0].active.line);
      if (!at) return;
      // A click moves the source cursor to the instruction's line; the keyboard only marks it.
      if (e.kind === vscode.TextEditorSelectionChangeKind.Mouse && e.selections[0].isEmpty) void this.revealSource(entry, at.line, at.column);
      else for (const editor of this.sourceEditors(entry)) this.source.mark(editor, at.line);
      return;
    }
    const line = e.selections[0].active.line + 1;
    for (const entry of this.entriesOf(uri)) {
      if (entry.selectedLine === line) continue;
      entry.selectedLine = line;
      for (const editor of this.previewEditors(entry)) this.highlightIn(entry, editor, true);
    }
  }

  private async revealSource(entry: Entry, line: number, column: number): Promise<void> {
    const shown = this.sourceEditors(entry)[0];
    const document = shown?.document ?? (await vscode.workspace.openTextDocument(entry.source));
    if (line > document.lineCount) return;
    const position = new vscode.Position(line - 1, Math.max(0, column - 1));
    for (const editor of this.sourceEditors(entry)) this.source.mark(editor, null);
    if (shown) {
      // Only the selection moves; the editor scrolls only when the line is off screen.
      shown.selection = new vscode.Selection(position, position);
      const visible = shown.visibleRanges.map((r) => ({ start: r.start.line, end: r.end.line }));
      if (needsScroll(line - 1, visible)) shown.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
      return;
    }
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(position, position), preserveFocus: true });
  }

  /**
   * The active editor changed: unless previews are pinned, the most recently shown preview whose
   * source is no longer in front shows the new Whispem file instead, in the same place.
   */
  private async follow(editor: vscode.TextEditor | undefined): Promise<void> {
    if (!editor || editor.document.languageId !== "whispem") return;
    if (!vscode.workspace.getConfiguration("whispem.bytecode").get<boolean>("followActiveEditor", true)) return;
    const key = bytecodeDocumentUri(editor.document.uri).toString();
    if (this.tabOf(key)) return;
    const candidates = [...this.entries.values()].filter((e) => this.tabOf(e.uri.toString()) && (this.sourceEditors(e).length === 0 || e.uri.toString() === this.lastShown));
    const old = candidates.find((e) => e.uri.toString() === this.lastShown) ?? candidates[candidates.length - 1];
    const tab = old && this.tabOf(old.uri.toString());
    if (!old || !tab) return;
    const uri = bytecodeDocumentUri(editor.document.uri);
    const entry = this.entries.get(key) ?? this.make(uri, editor.document);
    entry.selectedLine = editor.selection.active.line + 1;
    this.lastShown = key;
    for (const e of this.sourceEditors(old)) this.source.clear(e);
    const shown = await vscode.window.showTextDocument(uri, { viewColumn: tab.group.viewColumn, preserveFocus: true, preview: false });
    this.decorateEditor(entry, shown);
    // The tab object of before the change is stale: looked up again.
    const oldTab = this.tabOf(old.uri.toString());
    if (oldTab) await vscode.window.tabGroups.close(oldTab, true);
  }

  private hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const entry = this.entries.get(document.uri.toString());
    const line = entry?.listing.lines[position.line];
    if (!entry || !line || line.kind !== "row" || !entry.listing.view) return undefined;
    const row = entry.listing.view.rows[line.row];
    if (row.kind === "chunk") return undefined;
    const parts: string[] = [];
    if (row.kind === "instruction") parts.push(this.meanings[row.op] ?? `unknown opcode 0x${row.opcode.toString(16).padStart(2, "0")}`);
    else parts.push(`captures the ${row.isLocal ? "local" : "upvalue"} ${row.quoted}`);
    // A number under the pointer, in decimal and hex.
    const word = document.getWordRangeAtPosition(position, /\d+/);
    if (word && word.start.character > 9) {
      const n = Number(document.getText(word));
      if (Number.isSafeInteger(n)) parts.push(`${n} = 0x${n.toString(16)}`);
    }
    if (row.line > 0) parts.push(`source line ${row.line}`);
    // As in the rich view, hovering an instruction marks its source line.
    for (const editor of this.sourceEditors(entry)) this.source.mark(editor, row.line > 0 ? row.line : null);
    return new vscode.Hover(parts.map((p) => new vscode.MarkdownString(p.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, "\\$&"))));
  }

  /** Go to Definition on a jump goes to its target, on MAKE_CLOSURE to the function's chunk. */
  private definition(document: vscode.TextDocument, position: vscode.Position): vscode.Location | undefined {
    const entry = this.entries.get(document.uri.toString());
    const line = entry?.listing.lines[position.line];
    if (!entry || !line || line.kind !== "row" || !entry.listing.view) return undefined;
    const row = entry.listing.view.rows[line.row];
    if (row.kind !== "instruction") return undefined;
    for (const o of row.operands) {
      if ((o.kind === "jump" || o.kind === "closure") && o.row >= 0) return new vscode.Location(document.uri, new vscode.Position(entry.listing.lineOfRow[o.row], 0));
    }
    return undefined;
  }

  dispose(): void {
    for (const entry of this.entries.values()) clearTimeout(entry.timer);
    for (const s of this.subscriptions) s.dispose();
    for (const t of this.stripes) t.dispose();
    this.highlight.dispose();
    this.source.dispose();
  }
}
