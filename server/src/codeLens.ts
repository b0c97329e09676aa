// Code lenses: "▶ Run" above the first line (the client's Run File command, given the document's
// URI) and a reference count above each named function declaration.

import type { CodeLens } from "vscode-languageserver/node";
import type * as A from "../../compiler/src/ast";
import type { OpenDocument } from "./documents";
import { toRange } from "./positions";

/** The client's command that runs a file (package.json `contributes.commands`). */
export const RUN_FILE_COMMAND = "whispem.runFile";

export function codeLenses(doc: OpenDocument): CodeLens[] {
  const lenses: CodeLens[] = [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, command: { title: "▶ Run", command: RUN_FILE_COMMAND, arguments: [doc.uri] } }];
  const { resolution } = doc.analysis();
  for (const sym of resolution.symbols) {
    if (sym.kind !== "function") continue;
    const uses = sym.references.filter((r) => r.access !== "definition").length;
    for (const decl of sym.functions as A.FnDeclStmt[]) {
      const title = sym.nested ? "never compiled (not at the top level)" : `${uses} ${uses === 1 ? "reference" : "references"}`;
      // No command: the count is information (an empty command id makes the lens a label).
      lenses.push({ range: toRange(doc.lines, decl.name.span), command: { title, command: "" } });
    }
  }
  lenses.sort((a, b) => a.range.start.line - b.range.start.line);
  return lenses;
}
