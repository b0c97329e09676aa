// The address of a source's bytecode preview document: `whispem-bytecode:/…/NAME.wsp.bytecode`,
// the source's own URI in the query. Its name ends in `.wsp.bytecode`, which gives it the
// `whispem-bytecode` language (package.json) from the start, so it opens coloured. No compiler here:
// activation registers the scheme with this alone.
import * as vscode from "vscode";

export const BYTECODE_SCHEME = "whispem-bytecode";

export function bytecodeDocumentUri(source: vscode.Uri): vscode.Uri {
  const path = /\.wsp$/i.test(source.path) ? source.path : `${source.path}.wsp`;
  return vscode.Uri.from({ scheme: BYTECODE_SCHEME, path: `${path.startsWith("/") ? "" : "/"}${path}.bytecode`, query: source.toString() });
}

/** The source a bytecode preview document is of; undefined for another URI. */
export function sourceOfBytecodeUri(uri: vscode.Uri): vscode.Uri | undefined {
  if (uri.scheme !== BYTECODE_SCHEME || !uri.query) return undefined;
  try {
    return vscode.Uri.parse(uri.query, true);
  } catch {
    return undefined;
  }
}
