// Call hierarchy: incoming and outgoing calls between the program's functions, as far as the
// resolution knows where a call by name goes — a top-level named function, or a variable that a
// single `let` binds to a lambda. The program's top level (main) is an item of its own, the
// caller of whatever the top level calls. Calls through parameters, computed callees or
// variables holding several functions have no known target and are left out.

import { SymbolKind, type CallHierarchyIncomingCall, type CallHierarchyItem, type CallHierarchyOutgoingCall, type Position, type Range } from "vscode-languageserver/node";
import type { Ast as A } from "../../compiler/src/index";
import { referenceAt, type FunctionScope, type NameSymbol, type Resolution } from "../../compiler/src/index";
import type { OpenDocument } from "./documents";
import { toOffset, toRange } from "./positions";

/** What an item carries to the incoming/outgoing requests: its document and its function's start (-1 for main). */
interface ItemData {
  uri: string;
  start: number;
}

/** The function a symbol stands for when called by name, if the resolution knows it. */
function targetOf(res: Resolution, sym: NameSymbol | null): FunctionScope | null {
  if (!sym) return null;
  if (sym.kind === "function") {
    if (sym.nested || !sym.functions.length) return null;
    return res.scopeOf.get(sym.functions[sym.functions.length - 1]) ?? null;
  }
  if (sym.kind === "builtin" || sym.functions.length !== 1) return null;
  return res.scopeOf.get(sym.functions[0]) ?? null;
}

/** The name span to select for a function: its declared name, its `let` name, or a lambda's `fn`. */
function selectionOf(res: Resolution, scope: FunctionScope): A.Span {
  const node = scope.node;
  if (node.kind === "FnDecl") return node.name;
  const binder = res.symbols.find((s) => s.kind !== "function" && s.functions.length === 1 && s.functions[0] === node);
  return binder?.definitions[0] ?? { start: node.start, end: node.start + 2 };
}

function itemFor(doc: OpenDocument, res: Resolution, scope: FunctionScope | null): CallHierarchyItem {
  const data: ItemData = { uri: doc.uri, start: scope ? scope.node.start : -1 };
  if (!scope) {
    const whole: Range = toRange(doc.lines, { start: 0, end: doc.text.length });
    const top: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { name: "main", detail: "the program's top level", kind: SymbolKind.File, uri: doc.uri, range: whole, selectionRange: top, data };
  }
  const node = scope.node;
  const params = node.params.map((p) => p.name).join(", ");
  const line = doc.lines.position(node.start).line;
  const name = scope.name ?? `fn(${params})`;
  const detail = node.kind === "FnDecl" ? `fn ${scope.name}(${params})` : `lambda on line ${line}`;
  return { name, detail, kind: SymbolKind.Function, uri: doc.uri, range: toRange(doc.lines, node), selectionRange: toRange(doc.lines, selectionOf(res, scope)), data };
}

/** The function named, or whose `fn` keyword is, at the position. */
export function prepareCallHierarchy(doc: OpenDocument, position: Position): CallHierarchyItem[] | null {
  const res = doc.analysis().resolution;
  const offset = toOffset(doc.lines, position);
  const ref = referenceAt(res, offset);
  const scope = ref ? targetOf(res, ref.symbol) : res.scopes.find((s) => s.kind === "lambda" && offset >= s.node.start && offset <= s.node.start + 2) ?? null;
  return scope ? [itemFor(doc, res, scope)] : null;
}

/** The item's function in the document's current analysis: undefined if it is gone, null for main. */
function scopeOfItem(doc: OpenDocument, res: Resolution, item: CallHierarchyItem): FunctionScope | null | undefined {
  const data = item.data as Partial<ItemData> | undefined;
  if (typeof data?.start !== "number") return undefined;
  if (data.start === -1) return null;
  return res.scopes.find((s) => s.node.start === data.start && s.compiled);
}

function documentOf(item: CallHierarchyItem, lookup: (uri: string) => OpenDocument | undefined): OpenDocument | undefined {
  const data = item.data as Partial<ItemData> | undefined;
  return lookup(typeof data?.uri === "string" ? data.uri : item.uri);
}

export function incomingCalls(item: CallHierarchyItem, lookup: (uri: string) => OpenDocument | undefined): CallHierarchyIncomingCall[] | null {
  const doc = documentOf(item, lookup);
  if (!doc) return null;
  const res = doc.analysis().resolution;
  const target = scopeOfItem(doc, res, item);
  if (!target) return target === null ? [] : null;
  const byCaller = new Map<FunctionScope | null, Range[]>();
  for (const { ref } of res.calls) {
    if (targetOf(res, ref.symbol) !== target) continue;
    const caller = ref.scope;
    if (caller && !caller.compiled) continue;
    const ranges = byCaller.get(caller) ?? [];
    ranges.push(toRange(doc.lines, ref.span));
    byCaller.set(caller, ranges);
  }
  return [...byCaller].map(([caller, fromRanges]) => ({ from: itemFor(doc, res, caller), fromRanges }));
}

export function outgoingCalls(item: CallHierarchyItem, lookup: (uri: string) => OpenDocument | undefined): CallHierarchyOutgoingCall[] | null {
  const doc = documentOf(item, lookup);
  if (!doc) return null;
  const res = doc.analysis().resolution;
  const caller = scopeOfItem(doc, res, item);
  if (caller === undefined) return null;
  const byTarget = new Map<FunctionScope, Range[]>();
  for (const { ref } of res.calls) {
    // The function's own calls: those written directly in it, not in a function nested inside it.
    if (ref.scope !== caller) continue;
    const target = targetOf(res, ref.symbol);
    if (!target) continue;
    const ranges = byTarget.get(target) ?? [];
    ranges.push(toRange(doc.lines, ref.span));
    byTarget.set(target, ranges);
  }
  return [...byTarget].map(([target, fromRanges]) => ({ to: itemFor(doc, res, target), fromRanges }));
}
