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
import { BUILTINS, KEYWORDS, builtinPageUri, referenceAt, referenceStartingAt, resolveText, type NameSymbol, type Reference, type Span } from "../../compiler/src/index";
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
  // A builtin's "definition" is the read-only page that describes it (compiler/src/builtinDocs.ts).
  if (sym?.kind === "builtin") return [{ uri: builtinPageUri(sym.name), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
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
  if (!identifier.test(newName) || KEYWORDS.has(newName) || BUILTINS.has(newName)) {
    throw new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is not a valid name: it must be an identifier, not a keyword or a builtin.`);
  }
  const sym = referenceUnder(doc, position)!.symbol!;
  const spans = sym.references.map((r) => r.span);
  const conflict = renameConflict(doc.text, sym.name, spans, newName);
  if (conflict) throw new ResponseError(ErrorCodes.InvalidRequest, conflict);
  const edits = spans.map((span) => ({ range: toRange(doc.lines, span), newText: newName }));
  return { changes: { [doc.uri]: edits } };
}

/**
 * Renames in a copy of the text and resolves it again: the renamed occurrences must still reach
 * one symbol, and nothing else may reach it (a new name can capture, or be captured by, another
 * variable of that name). Returns why the rename is refused, or null.
 */
function renameConflict(text: string, oldName: string, spans: readonly Span[], newName: string): string | null {
  const grow = newName.length - oldName.length;
  let renamed = "";
  let last = 0;
  const newStarts: number[] = [];
  spans.forEach((span, i) => {
    renamed += text.slice(last, span.start) + newName;
    last = span.end;
    newStarts.push(span.start + i * grow);
  });
  renamed += text.slice(last);
  const res = resolveText(renamed);
  const targets = newStarts.map((start) => referenceStartingAt(res, start)?.symbol ?? null);
  const target = targets[0];
  if (!target || targets.some((t) => t !== target)) return `Renaming to '${newName}' would make these names mean different things.`;
  if (target.references.length !== spans.length) return `Renaming to '${newName}' would clash with another '${newName}' that is visible here.`;
  return null;
}
