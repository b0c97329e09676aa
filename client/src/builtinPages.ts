// Shows the read-only page about a builtin that go to definition on a builtin opens (the
// language server answers with a `whispem-builtin:/NAME.md` location; see compiler/src/builtinDocs.ts).
import * as vscode from "vscode";
import { BUILTIN_SCHEME, builtinOfPath, builtinPage } from "../../compiler/src/builtinDocs";

export function registerBuiltinPages(): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(BUILTIN_SCHEME, {
    provideTextDocumentContent(uri) {
      const name = builtinOfPath(uri.path);
      return (name && builtinPage(name)) ?? `# Not a Whispem builtin\n\n\`${uri.path}\` names no builtin.\n`;
    },
  });
}
