// Registers the bytecode views with VS Code: the `.whbc` custom editor, the live preview, and the
// commands Show Bytecode, Compile to Bytecode and Open with Whispem Bytecode Viewer. What they run
// (bytecodeParts.ts, with the compiler) is loaded on first use, not at activation.
import * as vscode from "vscode";
import type { BytecodeEditorProvider, BytecodePreviews, TextPreviews } from "./bytecodeParts";
import { BYTECODE_SCHEME, sourceOfBytecodeUri } from "./textPreviewUri";

// Shared with the web build, which has no Node types; esbuild bundles these require() calls there.
declare const require: (id: string) => unknown;
type Parts = typeof import("./bytecodeParts");
let parts: Parts | undefined;
const bytecodeParts = (): Parts => (parts ??= require("./bytecodeParts") as Parts);

/** The custom editor's view type (package.json `customEditors`). */
const VIEW_TYPE = "whispem.bytecode";

/** `…/name.wsp` → `…/name.whbc`, beside the source (the name `wvm` and the compile task use). */
export function bytecodeUriFor(source: vscode.Uri): vscode.Uri {
  const path = source.path;
  const slash = path.lastIndexOf("/");
  const dot = path.lastIndexOf(".");
  const stem = dot > slash ? path.slice(0, dot) : path;
  return source.with({ path: `${stem}.whbc` });
}

/** The source of a command: the explorer's selection, else the active Whispem editor. */
function sourceUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const editor = vscode.window.activeTextEditor;
  return editor?.document.languageId === "whispem" ? editor.document.uri : undefined;
}

/** Compiles a source (its editor text when open, else the file) to `.whbc` beside it. */
/**
 * Writes bytecode to a file on the local disk safely (never over a source, never through a symbolic
 * link): the desktop extension passes compiler/src/outputFile's; the web build has no local disk.
 */
export interface LocalOutput {
  refusal(source: string, target: string): string | null;
  write(target: string, bytes: Uint8Array): void;
}

async function compileToBytecode(arg: unknown, local?: LocalOutput): Promise<vscode.Uri | undefined> {
  const source = sourceUri(arg);
  if (!source) {
    void vscode.window.showWarningMessage("Open a Whispem (.wsp) file to compile it.");
    return undefined;
  }
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.toString());
  const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(source));
  const result = bytecodeParts().compile(text);
  if (!result.bytes) {
    const first = result.diagnostics.find((d) => d.severity === "error");
    void vscode.window.showErrorMessage(first ? `Cannot compile: line ${first.line}: ${first.message}` : "Cannot compile the file.");
    return undefined;
  }
  const target = bytecodeUriFor(source);
  // Writing bytecode runs nothing, so it is allowed in Restricted Mode too (README); it never
  // writes over a source, nor through a symbolic link at the output (a temp file, then a rename).
  if (target.scheme === "file" && local) {
    const refusal = local.refusal(source.fsPath, target.fsPath);
    if (refusal) {
      void vscode.window.showErrorMessage(`Cannot compile: ${refusal}.`);
      return undefined;
    }
    local.write(target.fsPath, result.bytes);
  } else {
    if (/\.wsp$/i.test(target.path)) {
      void vscode.window.showErrorMessage(`Cannot compile: refusing to write bytecode to a source file name (${target.path}).`);
      return undefined;
    }
    await vscode.workspace.fs.writeFile(target, result.bytes);
  }
  void vscode.window.showInformationMessage(`Compiled to ${vscode.workspace.asRelativePath(target)} (${result.bytes.length} bytes).`, "Open").then((choice) => {
    if (choice === "Open") void vscode.commands.executeCommand("vscode.openWith", target, VIEW_TYPE);
  });
  return target;
}

export function registerBytecodeViews(context: vscode.ExtensionContext, local?: LocalOutput): void {
  // Both made on first use: the editor when VS Code opens a .whbc, the previews on Show Bytecode
  // (with none shown, what they listen to changes nothing).
  let editorProvider: BytecodeEditorProvider | undefined;
  let previewSet: BytecodePreviews | undefined;
  let textPreviewSet: TextPreviews | undefined;
  const editor = () => (editorProvider ??= new (bytecodeParts().BytecodeEditorProvider)(context.extensionUri));
  const previews = () => (previewSet ??= new (bytecodeParts().BytecodePreviews)(context.extensionUri));
  const changedPreview = new vscode.EventEmitter<vscode.Uri>();
  const textPreviews = () => (textPreviewSet ??= new (bytecodeParts().TextPreviews)(changedPreview));
  /** The Whispem editor a Show Bytecode command is about (its argument, else the active editor). */
  async function sourceEditor(arg: unknown): Promise<vscode.TextEditor | undefined> {
    const active = vscode.window.activeTextEditor;
    let uri = arg instanceof vscode.Uri ? arg : active?.document.uri;
    // From a text preview (its title button): the preview's source.
    if (uri) uri = sourceOfBytecodeUri(uri) ?? uri;
    let target = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri?.toString());
    // A file named from the explorer, or a preview's source no longer shown: opened first.
    if (!target && uri && uri.scheme !== BYTECODE_SCHEME) target = await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One, preview: false });
    if (!target || target.document.languageId !== "whispem") {
      void vscode.window.showWarningMessage("Open a Whispem (.wsp) file to see its bytecode.");
      return undefined;
    }
    return target;
  }
  type Document = Parameters<BytecodeEditorProvider["resolveCustomEditor"]>[0];
  const editors: vscode.CustomReadonlyEditorProvider<Document> = {
    openCustomDocument: (uri) => editor().openCustomDocument(uri),
    resolveCustomEditor: (document, panel) => editor().resolveCustomEditor(document, panel),
  };
  context.subscriptions.push(
    { dispose: () => previewSet?.dispose() },
    { dispose: () => textPreviewSet?.dispose() },
    changedPreview,
    // Registered now, so a preview restored with the window gets its text (compiled on first use).
    vscode.workspace.registerTextDocumentContentProvider(BYTECODE_SCHEME, { onDidChange: changedPreview.event, provideTextDocumentContent: (uri) => textPreviews().provide(uri) }),
    vscode.window.registerCustomEditorProvider(VIEW_TYPE, editors, {
      // Reopening a hidden editor re-renders from the document; a megabyte listing is not kept alive.
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    }),
    vscode.commands.registerCommand("whispem.showBytecode", async (arg?: unknown) => {
      const target = await sourceEditor(arg);
      if (!target) return;
      // The text preview paints at once; the rich one is a webview, which VS Code takes a second to make.
      if (vscode.workspace.getConfiguration("whispem.bytecode").get<string>("preview", "text") === "rich") previews().show(target);
      else await textPreviews().show(target);
    }),
    vscode.commands.registerCommand("whispem.showBytecodeRich", async (arg?: unknown) => {
      const target = await sourceEditor(arg);
      if (target) previews().show(target);
    }),
    vscode.commands.registerCommand("whispem.compileToBytecode", (arg: unknown) => compileToBytecode(arg, local)),
    vscode.commands.registerCommand("whispem.openBytecodeViewer", (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (uri) return vscode.commands.executeCommand("vscode.openWith", uri, VIEW_TYPE);
      return undefined;
    }),
  );
  // The integration tests observe the webviews through these; they are not contributed to menus.
  if (context.extensionMode !== vscode.ExtensionMode.Production) {
    context.subscriptions.push(
      vscode.commands.registerCommand("whispem.test.bytecodePreviews", () => previewSet?.states() ?? []),
      vscode.commands.registerCommand("whispem.test.bytecodeTextPreviews", () => textPreviewSet?.states() ?? []),
      vscode.commands.registerCommand("whispem.test.bytecodeEditors", () =>
        [...(editorProvider?.editors.values() ?? [])].map(({ document, channel }) => ({
          uri: document.uri.toString(),
          version: channel.currentVersion,
          error: document.view.error,
          chunks: document.view.chunks.map((c) => c.name),
          rowCount: document.view.rows.length,
          rendered: channel.lastRendered,
        })),
      ),
      vscode.commands.registerCommand("whispem.test.bytecodeRenders", () => bytecodeParts().renderCount()),
      // Resolves with the render count once it exceeds `seen` (at once if it already does), or on timeout.
      vscode.commands.registerCommand(
        "whispem.test.nextBytecodeRender",
        (seen: number, timeoutMs = 10_000) =>
          new Promise<number>((resolve) => {
            const { onDidRender, renderCount } = bytecodeParts();
            if (renderCount() > seen) return resolve(renderCount());
            const timer = setTimeout(() => {
              sub.dispose();
              resolve(renderCount());
            }, timeoutMs);
            const sub = onDidRender(() => {
              clearTimeout(timer);
              sub.dispose();
              resolve(renderCount());
            });
          }),
      ),
    );
  }
}
