// Waiting in the extension host for what VS Code reports (events), never for a fixed time.
import * as vscode from "vscode";
import type { WhispemApi } from "../../src/extension";
import type { RunResult } from "../../src/runs";

export const EXTENSION_ID = "whispem.whispem";

/** Resolves with the first event that satisfies `accept`; rejects after `timeoutMs`. */
export function nextEvent<T>(event: vscode.Event<T>, accept: (e: T) => boolean = () => true, what = "event", timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const sub = event((e) => {
      if (!accept(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}

/** Resolves once the diagnostics of `uri` satisfy `accept`, checking the current ones first. */
export async function diagnosticsWhere(uri: vscode.Uri, accept: (d: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  const now = vscode.languages.getDiagnostics(uri);
  if (accept(now)) return now;
  try {
    await nextEvent(
      vscode.languages.onDidChangeDiagnostics,
      (e) => e.uris.some((u) => u.toString() === uri.toString()) && accept(vscode.languages.getDiagnostics(uri)),
      what,
      timeoutMs,
    );
  } catch (e) {
    const have = vscode.languages.getDiagnostics(uri).map((d) => `${d.source}@${d.range.start.line}: ${d.message}`);
    throw new Error(`${(e as Error).message}; diagnostics now: ${JSON.stringify(have)}`);
  }
  return vscode.languages.getDiagnostics(uri);
}

export async function api(): Promise<WhispemApi> {
  const extension = vscode.extensions.getExtension<WhispemApi>(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  return extension.activate();
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error("the tests need a workspace folder");
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Replaces a document's whole text (unsaved). */
export async function setText(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not edit ${document.uri.fsPath}`);
}

/** Diagnostics that come from running programs (not from the language server). */
export function runtimeDiagnostics(d: vscode.Diagnostic[]): vscode.Diagnostic[] {
  return d.filter((x) => x.source === "wvm");
}

/** Runs a workspace file with Whispem: Run File and resolves with how the run ended. */
export function runFile(name: string): Thenable<RunResult> {
  return vscode.commands.executeCommand<RunResult>("whispem.runFile", workspaceFile(name));
}

/** Sets (or, with undefined, removes) a whispem.* setting. */
export async function setting(key: string, value: unknown, target = vscode.ConfigurationTarget.Workspace): Promise<void> {
  await vscode.workspace.getConfiguration("whispem").update(key, value, target);
}
