// Per-line colours in the source editor matching the bytecode pane's (setting
// `whispem.bytecode.lineColors`), and the highlight of the line an instruction came from.
import * as vscode from "vscode";
import { lineIndex, LINE_PALETTE, paletteIndex, type BytecodeView } from "./viewModel";

export function lineColorsEnabled(): boolean {
  return vscode.workspace.getConfiguration("whispem.bytecode").get<boolean>("lineColors", true);
}

/** The highlight of linked lines (a source line, or its instructions), in the theme's colours. */
export function lineHighlight(extra: vscode.DecorationRenderOptions = {}): vscode.TextEditorDecorationType {
  return vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor("editor.rangeHighlightBackground"),
    borderColor: new vscode.ThemeColor("focusBorder"),
    borderStyle: "solid",
    borderWidth: "1px 0",
    ...extra,
  });
}

export class SourceLineDecorations implements vscode.Disposable {
  private readonly palette = LINE_PALETTE.map((backgroundColor) => vscode.window.createTextEditorDecorationType({ backgroundColor, isWholeLine: true }));
  private readonly highlight = lineHighlight();

  /** Colours every line that produced instructions (none when `enabled` is false or there is no view). */
  colour(editor: vscode.TextEditor, view: BytecodeView | null, enabled: boolean): void {
    const ranges: vscode.Range[][] = this.palette.map(() => []);
    if (enabled && view) {
      const lastLine = editor.document.lineCount;
      for (const line of lineIndex(view).keys()) {
        const i = paletteIndex(line);
        if (i >= 0 && line <= lastLine) ranges[i].push(new vscode.Range(line - 1, 0, line - 1, 0));
      }
    }
    this.palette.forEach((type, i) => editor.setDecorations(type, ranges[i]));
  }

  /** Marks the source line of the instruction under the pointer, scrolling to it (null clears). */
  mark(editor: vscode.TextEditor, line: number | null): void {
    if (line === null || line < 1 || line > editor.document.lineCount) {
      editor.setDecorations(this.highlight, []);
      return;
    }
    const range = new vscode.Range(line - 1, 0, line - 1, 0);
    editor.setDecorations(this.highlight, [range]);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  clear(editor: vscode.TextEditor): void {
    for (const type of this.palette) editor.setDecorations(type, []);
    editor.setDecorations(this.highlight, []);
  }

  dispose(): void {
    for (const type of this.palette) type.dispose();
    this.highlight.dispose();
  }
}
