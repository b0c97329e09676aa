// Go to definition, find references, document highlight and rename: all answered from the
// resolution, so they reach exactly the occurrences the compiler and VM connect to a name.

import {
  DocumentHighlightKind,
  ResponseError,
  ErrorCodes,
  type DocumentHighlight,
  type Location,
  type Position,
  type Range,
  type WorkspaceEdit,
} from "vscode-languageserver/node";
import { KEYWORDS } from "../../compiler/src/builtins";
import { referenceAt, type NameSymbol, type Reference } from "../../compiler/src/resolve";
import type { OpenDocument } from "./documents";
import { toLocation, toOffset, toRange } from "./positions";

function referenceUnder(doc: OpenDocument, position: Position): Reference | null {
  return referenceAt(doc.analysis().resolution, toOffset(doc.lines, position));
}

/** Where a symbol is defined: a named function's compiled (last) declaration, else the first definition. */
function primaryDefinition(sym: NameSymbol) {
  if (sym.kind === "function" && sym.functions.length > 1) return sym.definitions[sym.definitions.length - 1];
  return sym.definitions[0];
}

export function definition(doc: OpenDocument, position: Position): Location[] | null {
  const sym = referenceUnder(doc, position)?.symbol;
  if (!sym || !sym.definitions.length) return null;
  return [toLocation(doc.uri, doc.lines, primaryDefinition(sym))];
}

export function references(doc: OpenDocument, position: Position, includeDeclaration: boolean): Location[] | null {
  const sym = referenceUnder(doc, position)?.symbol;
  if (!sym || sym.kind === "builtin") return sym ? builtinUses(doc, sym) : null;
  const first = primaryDefinition(sym);
  return sym.references
    .filter((r) => includeDeclaration || r.span.start !== first?.start)
    .map((r) => toLocation(doc.uri, doc.lines, r.span));
}

function builtinUses(doc: OpenDocument, sym: NameSymbol): Location[] {
  return sym.references.map((r) => toLocation(doc.uri, doc.lines, r.span));
}

export function highlights(doc: OpenDocument, position: Position): DocumentHighlight[] | null {
  const sym = referenceUnder(doc, position)?.symbol;
  if (!sym) return null;
  return sym.references.map((r) => ({
    range: toRange(doc.lines, r.span),
    kind: r.access === "read" || r.access === "call" ? DocumentHighlightKind.Read : DocumentHighlightKind.Write,
  }));
}

/** The rename range and current name, or an error saying why this cannot be renamed. */
export function prepareRename(doc: OpenDocument, position: Position): { range: Range; placeholder: string } {
  const ref = referenceUnder(doc, position);
  if (!ref) throw new ResponseError(ErrorCodes.InvalidRequest, "Only a variable, parameter or function name can be renamed.");
  const sym = ref.symbol;
  if (!sym || sym.kind === "builtin" || KEYWORDS.has(ref.name)) {
    throw new ResponseError(ErrorCodes.InvalidRequest, sym?.kind === "builtin" || KEYWORDS.has(ref.name) ? `'${ref.name}' is a builtin and cannot be renamed.` : `'${ref.name}' is not defined anywhere it could come from.`);
  }
  return { range: toRange(doc.lines, ref.span), placeholder: ref.name };
}

const identifier = /^[\p{Alphabetic}_][\p{Alphabetic}\p{Nd}\p{Nl}\p{No}_]*$/u;

export function rename(doc: OpenDocument, position: Position, newName: string): WorkspaceEdit {
  prepareRename(doc, position);
  if (!identifier.test(newName) || KEYWORDS.has(newName)) {
    throw new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is not a valid name: it must be an identifier and not a keyword.`);
  }
  const sym = referenceUnder(doc, position)!.symbol!;
  const edits = sym.references.map((r) => ({ range: toRange(doc.lines, r.span), newText: newName }));
  return { changes: { [doc.uri]: edits } };
}
