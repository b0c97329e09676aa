// The bytecode views in the extension host: the `.whbc` custom editor (valid, broken, changed on
// disk), Compile to Bytecode, and the live preview (beside, after edits, following the cursor).
// What the webviews drew is observed through their render reports (test-only commands).
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { compile } from "../../../compiler/src/compiler";
import type { RenderedReport } from "../../src/bytecode/protocol";
import type { PreviewState } from "../../src/bytecode/bytecodePreview";
import type { TextPreviewState } from "../../src/bytecode/textPreview";
import { api, EXTENSION_ID, setText, workspaceFile } from "./helpers";

interface EditorState {
  uri: string;
  version: number;
  error: string | null;
  chunks: string[];
  rowCount: number;
  rendered: RenderedReport | null;
}

/** Waits, render report by render report, until `read` returns something. */
async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Counted before reading, so a render between the two is not missed.
    const seen = await vscode.commands.executeCommand<number>("whispem.test.bytecodeRenders");
    const value = await read();
    if (value !== undefined) return value;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(await lastStates())}`);
    await vscode.commands.executeCommand("whispem.test.nextBytecodeRender", seen, left);
  }
}

async function lastStates(): Promise<unknown> {
  return {
    editors: await vscode.commands.executeCommand("whispem.test.bytecodeEditors"),
    previews: (await vscode.commands.executeCommand<PreviewState[]>("whispem.test.bytecodePreviews")).map((p) => ({ ...p, listing: `${p.listing.length} chars` })),
  };
}

async function editorState(uri: vscode.Uri): Promise<EditorState | undefined> {
  const all = await vscode.commands.executeCommand<EditorState[]>("whispem.test.bytecodeEditors");
  return all.find((e) => e.uri === uri.toString());
}

async function previewState(uri: vscode.Uri): Promise<PreviewState | undefined> {
  const all = await vscode.commands.executeCommand<PreviewState[]>("whispem.test.bytecodePreviews");
  return all.find((p) => p.source === uri.toString());
}

/** The editor state once its webview has drawn the current version and `accept` holds. */
function drawnEditor(uri: vscode.Uri, what: string, accept: (s: EditorState & { rendered: RenderedReport }) => boolean, timeoutMs?: number): Promise<EditorState & { rendered: RenderedReport }> {
  return until(what, async () => {
    const s = await editorState(uri);
    if (!s?.rendered || s.rendered.version !== s.version) return undefined;
    const drawn = s as EditorState & { rendered: RenderedReport };
    return accept(drawn) ? drawn : undefined;
  }, timeoutMs);
}

function drawnPreview(uri: vscode.Uri, what: string, accept: (s: PreviewState & { rendered: RenderedReport }) => boolean): Promise<PreviewState & { rendered: RenderedReport }> {
  return until(what, async () => {
    const s = await previewState(uri);
    if (!s?.rendered || s.rendered.version !== s.version) return undefined;
    const drawn = s as PreviewState & { rendered: RenderedReport };
    return accept(drawn) ? drawn : undefined;
  });
}

/** Polls the text previews until one of `source` satisfies `accept` (they have no render reports). */
async function textPreview(source: vscode.Uri, what: string, accept: (s: TextPreviewState) => boolean, timeoutMs = 30_000): Promise<TextPreviewState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await vscode.commands.executeCommand<TextPreviewState[]>("whispem.test.bytecodeTextPreviews");
    const s = all.find((p) => p.source === source.toString());
    if (s && accept(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(all.map((p) => ({ ...p, text: `${p.text.length} chars` })))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The visible editor of a text preview. */
function previewEditor(state: TextPreviewState): vscode.TextEditor | undefined {
  return vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === state.uri);
}

function activeCustomEditor(): vscode.TabInputCustom | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom ? input : undefined;
}

suite("bytecode views", function () {
  let fixtures: string;
  const folder = () => workspaceFile("bytecode");

  suiteSetup(async function () {
    await api();
    fixtures = join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, "test-fixtures", "bytecode");
    // The fixtures go into the workspace, where the UI step of the launcher also finds them.
    await vscode.workspace.fs.createDirectory(folder());
    for (const name of ["program.wsp", "program.whbc", "hostile.whbc", "bad-jump.whbc", "empty.whbc"]) {
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder(), name), readFileSync(join(fixtures, name)));
    }
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  test("opening a .whbc opens the bytecode viewer, which draws the verified file", async () => {
    const uri = vscode.Uri.joinPath(folder(), "program.whbc");
    await vscode.commands.executeCommand("vscode.open", uri);
    const tab = activeCustomEditor();
    assert.ok(tab, "a custom editor is active");
    assert.equal(tab.viewType, "whispem.bytecode");
    assert.equal(tab.uri.toString(), uri.toString());
    // Rows on screen once the webview has its size (a first draw can come before the layout).
    const s = await drawnEditor(uri, "the viewer to draw program.whbc", (x) => x.rendered.rowCount > 0 && x.rendered.lastVisibleRow > x.rendered.firstVisibleRow);
    assert.equal(s.error, null);
    assert.deepEqual(s.chunks, ["<main>", "__lambda_17_0", "adder", "count_to"]);
    assert.equal(s.rendered.chunkCount, 4);
    assert.equal(s.rendered.rowCount, s.rowCount);
    assert.ok(s.rendered.hexRows && s.rendered.hexRows[1] > 0, "the hex view shows bytes");
  });

  test("a broken .whbc shows the verifier's message and the bytes, never a blank page", async () => {
    for (const [name, message] of [
      ["bad-jump.whbc", /^Invalid bytecode: in chunk 'count_to' at offset \d+: jump target \d+ is not the start of an instruction$/],
      ["empty.whbc", /^Invalid bytecode: file too short$/],
    ] as const) {
      const uri = vscode.Uri.joinPath(folder(), name);
      // The explorer's "Open with Whispem Bytecode Viewer".
      await vscode.commands.executeCommand("whispem.openBytecodeViewer", uri);
      assert.equal(activeCustomEditor()?.uri.toString(), uri.toString());
      const s = await drawnEditor(uri, `the viewer to draw ${name}`, () => true);
      assert.match(s.rendered.error ?? "", message, name);
    }
  });

  test("the viewer reloads when the file changes on disk", async () => {
    const uri = vscode.Uri.joinPath(folder(), "program.whbc");
    await vscode.commands.executeCommand("vscode.open", uri);
    const before = await drawnEditor(uri, "program.whbc drawn", (x) => x.rendered.chunkCount === 4);
    await vscode.workspace.fs.writeFile(uri, readFileSync(join(fixtures, "hostile.whbc")));
    const after = await drawnEditor(uri, "the new contents drawn", (x) => x.version > before.version && x.rendered.chunkCount === 2);
    assert.deepEqual(after.chunks, ["<main>", "f"]);
    await vscode.workspace.fs.writeFile(uri, readFileSync(join(fixtures, "program.whbc")));
    await drawnEditor(uri, "the original drawn again", (x) => x.rendered.chunkCount === 4);
  });

  test("a file over 1 MB opens and draws only the rows on screen", async function () {
    this.timeout(120_000);
    const generator = join(fixtures, "..", "tools", "gen-wsp.mjs");
    const program = spawnSync(process.execPath, [generator, "--seed", "7", "--size", "16800"], { encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" } });
    assert.equal(program.status, 0, program.stderr);
    const bytes = compile(program.stdout).bytes!;
    assert.ok(bytes.length >= 1 << 20, `${bytes.length} bytes`);
    const uri = vscode.Uri.joinPath(folder(), "large.whbc");
    await vscode.workspace.fs.writeFile(uri, bytes);
    await vscode.commands.executeCommand("vscode.open", uri);
    const s = await drawnEditor(uri, "the large file drawn", (x) => x.rendered.rowCount > 0, 90_000);
    assert.equal(s.error, null);
    assert.equal(s.rendered.rowCount, s.rowCount);
    assert.ok(s.rowCount > 50_000, `${s.rowCount} rows`);
    assert.ok(s.rendered.drawnRows > 0 && s.rendered.drawnRows < 200, `${s.rendered.drawnRows} rows in the DOM`);
  });

  test("Compile to Bytecode writes NAME.whbc beside the source, byte for byte the compiler's", async () => {
    const source = vscode.Uri.joinPath(folder(), "program.wsp");
    const target = await vscode.commands.executeCommand<vscode.Uri>("whispem.compileToBytecode", source);
    assert.equal(target?.toString(), vscode.Uri.joinPath(folder(), "program.whbc").toString());
    const written = await vscode.workspace.fs.readFile(target);
    const expected = compile(readFileSync(join(fixtures, "program.wsp"), "utf8")).bytes!;
    assert.deepEqual(Buffer.from(written), Buffer.from(expected));
  });

  test("Show Bytecode in Rich View opens beside the source, follows edits and the cursor, and shows compile errors", async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    const uri = vscode.Uri.joinPath(folder(), "program.wsp");
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand("whispem.showBytecodeRich");

    const first = await drawnPreview(uri, "the preview to draw", (s) => s.rendered.rowCount > 0);
    assert.ok(first.ok);
    assert.match(first.listing, /CALL +\d+ 'count_to' argc=1/);
    const previewTab = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith("whispem.bytecodePreview"));
    assert.ok(previewTab, "a preview tab is open");
    assert.equal(previewTab.group.viewColumn, vscode.ViewColumn.Two, "beside the source");
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString(), "the source keeps the focus");

    // An edit: the preview recompiles and draws the new code.
    await setText(document, document.getText() + "print 12345\n");
    const edited = await drawnPreview(uri, "the preview after an edit", (s) => s.version > first.version && s.listing.includes("'12345'"));
    assert.equal(edited.rendered.rowCount, edited.rowCount);

    // The cursor on `print count_to(limit)` (line 20) highlights exactly that line's instructions;
    // then on the first line with code and on the line the edit added.
    for (const line of [20, 2, 27]) {
      editor.selection = new vscode.Selection(line - 1, 0, line - 1, 0);
      const s = await drawnPreview(uri, `the highlight of line ${line}`, (x) => x.rendered.selectedLine === line && x.rendered.highlightedRows.length > 0);
      assert.deepEqual(s.rendered.highlightedRows, s.selectedLineRows, `line ${line}: the rows on screen are the line's rows`);
      assert.ok(s.selectedLineRows[0] >= s.rendered.firstVisibleRow && s.selectedLineRows[0] <= s.rendered.lastVisibleRow, "scrolled into view");
    }

    // The line colours follow their setting.
    assert.equal((await previewState(uri))?.rendered?.lineColors, true);
    const settings = vscode.workspace.getConfiguration("whispem.bytecode");
    await settings.update("lineColors", false, vscode.ConfigurationTarget.Global);
    try {
      await drawnPreview(uri, "the colours off", (s) => s.rendered.lineColors === false);
    } finally {
      await settings.update("lineColors", undefined, vscode.ConfigurationTarget.Global);
    }
    await drawnPreview(uri, "the colours back", (s) => s.rendered.lineColors === true);

    // A compile error replaces the disassembly; fixing it brings the disassembly back.
    const good = document.getText();
    await setText(document, "break\n" + good);
    const broken = await drawnPreview(uri, "the compile error", (s) => !s.ok && s.rendered.compileErrors > 0);
    assert.match(broken.compileErrors[0], /^1:\d+ WSP\d+ /);
    await setText(document, good);
    await drawnPreview(uri, "the disassembly again", (s) => s.ok && s.rendered.compileErrors === 0 && s.rendered.rowCount > 0);
    // Back to the file as it is on disk, so closing it asks nothing.
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand("workbench.action.files.revert");
    assert.equal(document.isDirty, false);
  });

  test("the rich preview follows the active Whispem editor, unless pinned by its setting", async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    const program = vscode.Uri.joinPath(folder(), "program.wsp");
    const other = vscode.Uri.joinPath(folder(), "other.wsp");
    await vscode.workspace.fs.writeFile(other, new TextEncoder().encode("print 424242\n"));
    await vscode.window.showTextDocument(program, { viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand("whispem.showBytecodeRich");
    await drawnPreview(program, "the preview of program.wsp", (s) => s.rendered.rowCount > 0);

    // Another Whispem file in the source's column: the same preview shows its bytecode.
    await vscode.window.showTextDocument(other, { viewColumn: vscode.ViewColumn.One });
    const followed = await drawnPreview(other, "the preview of other.wsp", (s) => s.listing.includes("'424242'") && s.rendered.rowCount > 0);
    assert.ok(followed.ok);
    assert.equal((await vscode.commands.executeCommand<PreviewState[]>("whispem.test.bytecodePreviews")).length, 1, "one preview, retargeted");

    // Pinned: switching back leaves it on other.wsp.
    const settings = vscode.workspace.getConfiguration("whispem.bytecode");
    await settings.update("followActiveEditor", false, vscode.ConfigurationTarget.Global);
    try {
      await vscode.window.showTextDocument(program, { viewColumn: vscode.ViewColumn.One });
      const states = await vscode.commands.executeCommand<PreviewState[]>("whispem.test.bytecodePreviews");
      assert.deepEqual(states.map((p) => p.source), [other.toString()]);
    } finally {
      await settings.update("followActiveEditor", undefined, vscode.ConfigurationTarget.Global);
    }
  });
  test("Show Bytecode opens the text preview beside the source: the listing, live on edits, linked to the cursor, coloured, compile errors", async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    const uri = vscode.Uri.joinPath(folder(), "program.wsp");
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand("whispem.showBytecode");

    // The command returns once the preview's editor is shown, with the listing as its text.
    const first = await textPreview(uri, "the text preview", (s) => s.shown);
    const shown = previewEditor(first)!;
    assert.equal(shown.document.languageId, "whispem-bytecode");
    assert.equal(shown.document.getText(), first.text);
    assert.match(first.text, /^== <main> ==/);
    assert.match(first.text, /CALL +\d+ 'count_to' argc=1/);
    assert.equal(shown.viewColumn, vscode.ViewColumn.Two, "beside the source");
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString(), "the source keeps the focus");
    assert.equal((await vscode.commands.executeCommand<PreviewState[]>("whispem.test.bytecodePreviews")).length, 0, "no webview made");
    assert.ok(first.colouredLines > 0, "line colours on");

    // An edit: VS Code reads the new listing.
    await setText(document, document.getText() + "print 12345\n");
    await textPreview(uri, "the preview after an edit", (s) => s.text.includes("'12345'") && previewEditor(s)?.document.getText() === s.text);

    // The cursor on `print count_to(limit)` (line 20) highlights that line's instructions.
    editor.selection = new vscode.Selection(19, 0, 19, 0);
    const twenty = await textPreview(uri, "the highlight of line 20", (s) => s.selectedLine === 20 && s.highlightedLines.length > 0);
    const lines = previewEditor(twenty)!.document.getText().split("\n");
    assert.ok(twenty.highlightedLines.some((l) => /'count_to' argc=1/.test(lines[l])), twenty.highlightedLines.map((l) => lines[l]).join("\n"));
    // Hover: the opcode's meaning and the source line; Go to Definition on a jump: its target.
    const callLine = twenty.highlightedLines.find((l) => /CALL/.test(lines[l]))!;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", vscode.Uri.parse(twenty.uri), new vscode.Position(callLine, lines[callLine].indexOf("CALL") + 1));
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === "string" ? c : c.value))).join("\n").replace(/\\(.)/g, "$1");
    assert.match(hoverText, /CALL \(0x50\): /);
    assert.match(hoverText, /source line 20/);
    const jumpLine = lines.findIndex((l) => /-> \d{4}$/.test(l));
    assert.ok(jumpLine > 0, "the program has a jump");
    const target = /-> (\d{4})$/.exec(lines[jumpLine])![1];
    const definitions = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>("vscode.executeDefinitionProvider", vscode.Uri.parse(twenty.uri), new vscode.Position(jumpLine, lines[jumpLine].indexOf("->") + 1));
    assert.equal(definitions.length, 1);
    const at = "range" in definitions[0] ? definitions[0].range.start.line : definitions[0].targetRange.start.line;
    assert.ok(lines[at].startsWith(target + " "), `${lines[jumpLine]} → ${lines[at]}`);

    // The line colours follow their setting.
    const settings = vscode.workspace.getConfiguration("whispem.bytecode");
    await settings.update("lineColors", false, vscode.ConfigurationTarget.Global);
    try {
      await textPreview(uri, "the colours off", (s) => !s.lineColors && s.colouredLines === 0);
    } finally {
      await settings.update("lineColors", undefined, vscode.ConfigurationTarget.Global);
    }
    await textPreview(uri, "the colours back", (s) => s.lineColors && s.colouredLines > 0);

    // A compile error replaces the listing; fixing it brings the listing back.
    const good = document.getText();
    await setText(document, "break\n" + good);
    const broken = await textPreview(uri, "the compile error", (s) => !s.ok && previewEditor(s)?.document.getText() === s.text);
    assert.match(broken.text, /^Cannot compile program\.wsp: \d+ errors?/);
    assert.match(broken.compileErrors[0], /^1:\d+ WSP\d+ /);
    await setText(document, good);
    await textPreview(uri, "the listing again", (s) => s.ok && previewEditor(s)?.document.getText() === s.text && s.text.startsWith("== <main> =="));

    // Its title button opens the rich view of the same source.
    await vscode.commands.executeCommand("whispem.showBytecodeRich", vscode.Uri.parse(twenty.uri));
    await drawnPreview(uri, "the rich view from the text preview", (s) => s.rendered.rowCount > 0);

    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand("workbench.action.files.revert");
    assert.equal(document.isDirty, false);
    // Auto-save may have written an edit before the revert: the fixture as it was, for the UI checks.
    await vscode.workspace.fs.writeFile(uri, readFileSync(join(fixtures, "program.wsp")));
  });

  test("the text preview follows the active Whispem editor, unless pinned by its setting", async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    const program = vscode.Uri.joinPath(folder(), "program.wsp");
    const other = vscode.Uri.joinPath(folder(), "other.wsp");
    await vscode.workspace.fs.writeFile(other, new TextEncoder().encode("print 424242\n"));
    await vscode.window.showTextDocument(program, { viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand("whispem.showBytecode");
    await textPreview(program, "the preview of program.wsp", (s) => s.shown);

    // Another Whispem file in the source's column: the preview's place shows its bytecode instead.
    await vscode.window.showTextDocument(other, { viewColumn: vscode.ViewColumn.One });
    const followed = await textPreview(other, "the preview of other.wsp", (s) => s.shown && s.text.includes("'424242'"));
    assert.equal(previewEditor(followed)?.viewColumn, vscode.ViewColumn.Two);
    const previewTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === "whispem-bytecode");
    for (const deadline = Date.now() + 10_000; previewTabs().length > 1 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(previewTabs().map((t) => (t.input as vscode.TabInputText).uri.toString()), [followed.uri], "one preview tab, now of other.wsp");

    // Pinned: switching back leaves it on other.wsp.
    const settings = vscode.workspace.getConfiguration("whispem.bytecode");
    await settings.update("followActiveEditor", false, vscode.ConfigurationTarget.Global);
    try {
      await vscode.window.showTextDocument(program, { viewColumn: vscode.ViewColumn.One });
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(previewTabs().map((t) => (t.input as vscode.TabInputText).uri.toString()), [followed.uri]);
    } finally {
      await settings.update("followActiveEditor", undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
