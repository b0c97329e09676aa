// Code lenses: "▶ Run file" above the first line (the client's Run File command, given the
// document's URI) and, above each named function declaration, a reference count made lazily on
// resolve. Clicking the count opens the references peek (`editor.action.showReferences`, whose
// arguments the client's middleware turns into VS Code's own types).

import type { CodeLens, Location, Position } from "vscode-languageserver/node";
import type { Ast as A } from "../../compiler/src/index";
import { type NameSymbol } from "../../compiler/src/index";
import type { OpenDocument } from "./documents";
import { toLocation, toOffset, toRange } from "./positions";

/** The client's command that runs a file (package.json `contributes.commands`). */
export const RUN_FILE_COMMAND = "whispem.runFile";
/** VS Code's command that opens the references peek: (uri, position, locations). */
export const SHOW_REFERENCES_COMMAND = "editor.action.showReferences";

/** What an unresolved reference lens carries to its resolve request. */
export interface ReferenceLensData {
  uri: string;
  /** The declaration's name position (found again in the document's current analysis on resolve). */
  position: Position;
}

export function codeLenses(doc: OpenDocument): CodeLens[] {
  const lenses: CodeLens[] = [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, command: { title: "▶ Run file", command: RUN_FILE_COMMAND, arguments: [doc.uri] } }];
  const { resolution } = doc.analysis();
  for (const sym of resolution.symbols) {
    if (sym.kind !== "function") continue;
    for (const decl of sym.functions as A.FnDeclStmt[]) {
      const range = toRange(doc.lines, decl.name);
      if (sym.nested) {
        // No command: the text is information (an empty command id makes the lens a label).
        lenses.push({ range, command: { title: "never compiled (not at the top level)", command: "" } });
      } else {
        const data: ReferenceLensData = { uri: doc.uri, position: range.start };
        lenses.push({ range, data });
      }
    }
  }
  lenses.sort((a, b) => a.range.start.line - b.range.start.line);
  return lenses;
}

/** The function symbol whose declaration name starts at this position, in the current analysis. */
function functionDeclaredAt(doc: OpenDocument, position: Position): NameSymbol | null {
  const offset = toOffset(doc.lines, position);
  for (const sym of doc.analysis().resolution.symbols) {
    if (sym.kind === "function" && sym.definitions.some((d) => d.start === offset)) return sym;
  }
  return null;
}

/**
 * Counts the references of the lens's function (not its declarations) and makes the command that
 * shows them. A lens whose function is gone (the document changed since) becomes a plain label.
 */
export function resolveCodeLens(lens: CodeLens, lookup: (uri: string) => OpenDocument | undefined): CodeLens {
  const data = lens.data as Partial<ReferenceLensData> | undefined;
  const doc = typeof data?.uri === "string" ? lookup(data.uri) : undefined;
  const position = data?.position;
  const valid = position && Number.isInteger(position.line) && Number.isInteger(position.character);
  const sym = doc && valid ? functionDeclaredAt(doc, position) : null;
  if (!doc || !sym || !position) return { range: lens.range, command: { title: "references: document changed", command: "" } };
  const uses: Location[] = sym.references.filter((r) => r.access !== "definition").map((r) => toLocation(doc.uri, doc.lines, r.span));
  const title = `${uses.length} ${uses.length === 1 ? "reference" : "references"}`;
  return { range: lens.range, command: { title, command: uses.length ? SHOW_REFERENCES_COMMAND : "", arguments: uses.length ? [doc.uri, position, uses] : undefined } };
}
