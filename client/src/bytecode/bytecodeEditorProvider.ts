// The `.whbc` custom editor: a read-only webview showing the verified file (chunks, constant pools,
// disassembly, hex) or the verifier's refusal beside the hex; reloads when the file changes on disk.
import * as vscode from "vscode";
import { BytecodeChannel } from "./bytecodeChannel";
import { lineColorsEnabled } from "./lineColors";
import { viewOfFile, type BytecodeView } from "./viewModel";
import { webviewHtml, webviewOptions } from "./webviewHtml";

/** One opened `.whbc` file, shared by all editors showing it. */
export class BytecodeDocument implements vscode.CustomDocument {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after the file was read again (it changed on disk). */
  readonly onDidReload = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher;
  bytes: Uint8Array = new Uint8Array();
  view: BytecodeView = viewOfFile(new Uint8Array());

  private constructor(readonly uri: vscode.Uri) {
    const folder = vscode.Uri.joinPath(uri, "..");
    const name = uri.path.slice(uri.path.lastIndexOf("/") + 1);
    // The name is a glob pattern here: its special characters are matched literally.
    const pattern = name.replace(/[*?[{}]/g, (c) => `[${c}]`);
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, pattern));
    const reload = () => void this.load().then(() => this.changed.fire());
    this.watcher.onDidChange(reload);
    this.watcher.onDidCreate(reload);
    // A deleted file shows why it cannot be read rather than its old contents.
    this.watcher.onDidDelete(reload);
  }

  static async open(uri: vscode.Uri): Promise<BytecodeDocument> {
    const document = new BytecodeDocument(uri);
    await document.load();
    return document;
  }

  private async load(): Promise<void> {
    try {
      this.bytes = await vscode.workspace.fs.readFile(this.uri);
      this.view = viewOfFile(this.bytes);
    } catch (e) {
      this.bytes = new Uint8Array();
      this.view = { ...viewOfFile(this.bytes), error: `Cannot read the file: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}

export class BytecodeEditorProvider implements vscode.CustomReadonlyEditorProvider<BytecodeDocument> {
  static readonly viewType = "whispem.bytecode";
  /** Open editors, for the integration tests' state command. */
  readonly editors = new Map<vscode.WebviewPanel, { document: BytecodeDocument; channel: BytecodeChannel }>();

  constructor(private readonly extensionUri: vscode.Uri) {}

  openCustomDocument(uri: vscode.Uri): Promise<BytecodeDocument> {
    return BytecodeDocument.open(uri);
  }

  async resolveCustomEditor(document: BytecodeDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = webviewOptions();
    const html = await webviewHtml(this.extensionUri, "file");
    const channel = new BytecodeChannel(panel.webview, "file", lineColorsEnabled());
    panel.webview.html = html;
    const title = document.uri.path.slice(document.uri.path.lastIndexOf("/") + 1);
    const show = () => channel.show({ title, view: document.view, bytes: document.bytes });
    show();
    this.editors.set(panel, { document, channel });
    const subscriptions = [
      document.onDidReload(show),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("whispem.bytecode.lineColors")) channel.setLineColors(lineColorsEnabled());
      }),
    ];
    panel.onDidDispose(() => {
      this.editors.delete(panel);
      channel.dispose();
      for (const s of subscriptions) s.dispose();
    });
  }
}
