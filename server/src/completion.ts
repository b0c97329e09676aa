// Completion: the names visible at the cursor under the real resolution rules (the function's own
// variables and parameters, variables captured from enclosing functions, globals, named
// functions, builtins), keywords and snippets fitting the position, and dict keys after `d["`.
// Documentation is filled in by completionItem/resolve.

import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Position,
  type Range,
} from "vscode-languageserver/node";
import type { Ast as A } from "../../compiler/src/index";
import { BUILTINS, SyntaxKind as K, builtinSignature, referenceAt, unparen, type FunctionScope, type NameSymbol, type SyntaxToken } from "../../compiler/src/index";
import type { OpenDocument } from "./documents";
import { describeBuiltin } from "./hover";
import { toOffset, toPosition } from "./positions";
import { scopeAt, significantBefore } from "./cursor";

/** What completionItem/resolve needs to find the item's documentation again. */
interface ItemData {
  uri: string;
  kind: "builtin" | "function" | "variable";
  name: string;
  /** Where the symbol is defined (variables and functions). */
  at?: number;
}

// sortText groups: nearer names first, keywords and snippets after names.
const SORT = { local: "0", captured: "1", global: "2", function: "3", keyword: "4", builtin: "5", snippet: "6" } as const;

const STATEMENT_KEYWORDS = ["let", "print", "if", "while", "for", "fn", "return", "break", "continue"];
const EXPRESSION_KEYWORDS = ["true", "false", "not", "fn"];

interface Snippet {
  label: string;
  body: string;
  detail: string;
}

const STATEMENT_SNIPPETS: Snippet[] = [
  { label: "fn", body: "fn ${1:name}(${2:params}) {\n\t$0\n}", detail: "named function (top level only)" },
  { label: "if", body: "if ${1:condition} {\n\t$0\n}", detail: "if" },
  { label: "if … else", body: "if ${1:condition} {\n\t$2\n} else {\n\t$0\n}", detail: "if / else" },
  { label: "for … in", body: "for ${1:x} in ${2:range(0, ${3:n})} {\n\t$0\n}", detail: "for loop over an array" },
  { label: "while", body: "while ${1:condition} {\n\t$0\n}", detail: "while loop" },
  { label: "let … = fn", body: "let ${1:name} = fn(${2:x}) {\n\t$0\n}", detail: "a lambda bound to a name" },
];

const ELSE_SNIPPETS: Snippet[] = [
  { label: "else", body: "else {\n\t$0\n}", detail: "else" },
  { label: "else if", body: "else if ${1:condition} {\n\t$0\n}", detail: "else if" },
];

const EXPRESSION_SNIPPETS: Snippet[] = [
  { label: "fn(…) { … }", body: "fn(${1:x}) { return ${0:x} }", detail: "lambda" },
  { label: 'f"…{…}"', body: 'f"${1:text}{${2:value}}"', detail: "f-string" },
];

const identChar = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}_]/u;

export function completion(doc: OpenDocument, position: Position): CompletionList {
  const text = doc.text;
  const offset = toOffset(doc.lines, position);
  let wordStart = offset;
  while (wordStart > 0 && identChar.test(text[wordStart - 1])) wordStart--;
  const range: Range = { start: toPosition(doc.lines, wordStart), end: position };
  const empty: CompletionList = { isIncomplete: false, items: [] };

  const root = doc.treeAround(offset);
  const inside = offset > 0 ? root.tokenAt(offset - 1) : null;
  if (inside && inside.end > offset - 1 && inside.start < offset) {
    const k = inside.kind;
    if (k === K.Comment) return empty;
    if (k === K.String || k === K.BadString) {
      const closedBefore = k === K.String && inside.end <= offset;
      return closedBefore ? empty : { isIncomplete: false, items: dictKeys(doc, offset) };
    }
    if (k === K.FStringStart || k === K.FStringText || k === K.BadFString || k === K.Number) return empty;
  }

  const prev = significantBefore(root, wordStart);
  const items: CompletionItem[] = [];
  if (prev && isNamePosition(prev)) return empty;
  if (prev && prev.kind === K.Ident && prev.parent.kind === K.ForStmt) return { isIncomplete: false, items: [keyword("in", range)] };

  const statement = !prev || prev.kind === K.Newline || ((prev.kind === K.LBrace || prev.kind === K.RBrace) && prev.parent.kind === K.Block);
  const beforeCall = text[offset] === "(";
  if (statement) {
    for (const k of STATEMENT_KEYWORDS) items.push(keyword(k, range));
    for (const s of STATEMENT_SNIPPETS) items.push(snippet(s, range));
    if (prev && prev.kind === K.RBrace && isIfBlockEnd(prev)) {
      for (const s of ELSE_SNIPPETS) items.push({ ...snippet(s, range), sortText: "0" });
    }
  } else {
    for (const k of EXPRESSION_KEYWORDS) items.push(keyword(k, range));
    for (const s of EXPRESSION_SNIPPETS) items.push(snippet(s, range));
    if (prev && endsOperand(prev)) for (const k of ["and", "or"]) items.push({ ...keyword(k, range), sortText: "0" });
  }
  items.push(...names(doc, offset, range, statement, beforeCall));
  return { isIncomplete: false, items };
}

/** After `let`, `for`, `fn` or inside a parameter list, a new name is being written. */
function isNamePosition(prev: SyntaxToken): boolean {
  if (prev.kind === K.LetKw || prev.kind === K.ForKw) return true;
  if (prev.kind === K.FnKw && prev.parent.kind === K.FnDecl) return true;
  return (prev.kind === K.LParen || prev.kind === K.Comma) && prev.parent.kind === K.ParamList;
}

function isIfBlockEnd(brace: SyntaxToken): boolean {
  const owner = brace.parent.parent;
  return owner !== null && (owner.kind === K.IfStmt || owner.kind === K.ElseIfStmt);
}

function endsOperand(t: SyntaxToken): boolean {
  return t.kind === K.Ident || t.kind === K.Number || t.kind === K.String || t.kind === K.RParen || t.kind === K.RBracket || t.kind === K.TrueKw || t.kind === K.FalseKw || t.kind === K.FString;
}

function keyword(k: string, range: Range): CompletionItem {
  return { label: k, kind: CompletionItemKind.Keyword, sortText: SORT.keyword + k, textEdit: { range, newText: k } };
}

function snippet(s: Snippet, range: Range): CompletionItem {
  return {
    label: s.label,
    kind: CompletionItemKind.Snippet,
    detail: s.detail,
    sortText: SORT.snippet + s.label,
    filterText: s.label.split(/[^\p{L}_]/u)[0] || s.label,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: s.body },
  };
}

/** `name(${1:a}, ${2:b})`, or just the name when a `(` follows already. */
function callText(name: string, params: string[], beforeCall: boolean): { newText: string; snippet: boolean } {
  if (beforeCall) return { newText: name, snippet: false };
  const args = params.map((p, i) => `\${${i + 1}:${p}}`).join(", ");
  return { newText: `${name}(${args})`, snippet: true };
}

function names(doc: OpenDocument, offset: number, range: Range, statement: boolean, beforeCall: boolean): CompletionItem[] {
  const { resolution } = doc.analysis();
  const scope = scopeAt(resolution, doc.text, offset);
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  const variable = (sym: NameSymbol, group: string, detail: string) => {
    if (seen.has(sym.name) || !sym.name) return;
    seen.add(sym.name);
    const lambda = sym.functions.length === 1 ? (sym.functions[0] as A.LambdaExpr) : null;
    const item: CompletionItem = {
      label: sym.name,
      kind: lambda ? CompletionItemKind.Function : CompletionItemKind.Variable,
      detail: lambda ? `${detail} — fn(${lambda.params.map((p) => p.name).join(", ")})` : detail,
      sortText: group + sym.name,
      textEdit: { range, newText: sym.name },
      data: { uri: doc.uri, kind: "variable", name: sym.name, at: sym.definitions[0]?.start } satisfies ItemData,
    };
    items.push(item);
  };
  // A `let` records its name once its value is compiled; parameters from the start; loop variables at their `for`.
  const definedBefore = (sym: NameSymbol, limit: number) =>
    sym.kind === "parameter" || sym.values.some((v) => v.end <= limit) || (sym.kind === "loop" && sym.definitions.some((d) => d.end <= limit)) || (sym.values.length === 0 && sym.definitions.some((d) => d.end <= limit));

  // The function's own frame: parameters, and variables stored before the cursor.
  if (scope) {
    for (const sym of scope.locals.values()) {
      if (!definedBefore(sym, offset)) continue;
      variable(sym, SORT.local, sym.kind === "parameter" ? "parameter" : sym.kind === "loop" ? "loop variable" : "local variable");
    }
    // Captured: locals of enclosing functions recorded before the closure is made (loop variables never are).
    for (let inner: FunctionScope = scope, outer = scope.parent; outer; inner = outer, outer = outer.parent) {
      for (const sym of outer.locals.values()) {
        if (sym.kind === "loop" || !definedBefore(sym, inner.node.start)) continue;
        variable(sym, SORT.captured, `captured from ${outer.kind === "function" ? `fn ${outer.name}` : outer.name ? `the lambda '${outer.name}'` : "a lambda"}`);
      }
    }
  }
  // Globals: anywhere inside a function (it runs later), in main only once stored.
  for (const sym of resolution.globals.values()) {
    if (!sym.definitions.length || (!scope && !definedBefore(sym, offset))) continue;
    variable(sym, SORT.global, sym.values.length ? "global variable" : "loop variable of main (a global)");
  }
  // Named functions are reached by calls from anywhere (forward calls too).
  for (const sym of resolution.functions.values()) {
    if (seen.has(sym.name)) continue;
    seen.add(sym.name);
    const decl = sym.functions[sym.functions.length - 1] as A.FnDeclStmt;
    const params = decl.params.map((p) => p.name);
    const t = callText(sym.name, params, beforeCall);
    items.push({
      label: sym.name,
      kind: CompletionItemKind.Function,
      detail: `fn ${sym.name}(${params.join(", ")})`,
      sortText: SORT.function + sym.name,
      insertTextFormat: t.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range, newText: t.newText },
      data: { uri: doc.uri, kind: "function", name: sym.name, at: decl.name.start } satisfies ItemData,
    });
  }
  for (const b of BUILTINS.values()) {
    if (seen.has(b.name)) continue;
    // At the start of a statement only the builtins that may stand alone are valid (pitfalls #13).
    if (statement && b.keyword && !b.statement) continue;
    const t = callText(b.name, b.params.filter((p) => !p.endsWith("?")), beforeCall);
    items.push({
      label: b.name,
      kind: CompletionItemKind.Function,
      detail: builtinSignature(b),
      sortText: SORT.builtin + b.name,
      insertTextFormat: t.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range, newText: t.newText },
      data: { uri: doc.uri, kind: "builtin", name: b.name } satisfies ItemData,
    });
  }
  return items;
}

const NAME_START = /[\p{Alphabetic}_]/u;
const NAME_PART = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}_]/u;

/**
 * Where `offset` is in the string of `name[ "prefix…` on its line: the name's start and the
 * typed prefix. Read backwards from the cursor, each character once (a regex ending in `$`
 * would be tried from every letter of a long line: quadratic).
 */
export function dictKeyContext(text: string, lineStart: number, offset: number): { nameStart: number; prefix: string } | null {
  const quote = text.lastIndexOf('"', offset - 1);
  if (quote < lineStart) return null;
  const prefix = text.slice(quote + 1, offset);
  if (prefix.includes("\\")) return null;
  let i = quote - 1;
  while (i >= lineStart && /\s/.test(text[i])) i--;
  if (i < lineStart || text[i] !== "[") return null;
  i--;
  while (i >= lineStart && /\s/.test(text[i])) i--;
  const nameEnd = i + 1;
  // Name characters, one code point at a time (a surrogate pair is read as one).
  let first = nameEnd;
  while (i >= lineStart) {
    const low = text.charCodeAt(i);
    const pair = low >= 0xdc00 && low <= 0xdfff && i - 1 >= lineStart ? 2 : 1;
    const ch = text.slice(i - pair + 1, i + 1);
    if (!NAME_PART.test(ch)) break;
    first = i - pair + 1;
    i -= pair;
  }
  // The name starts at its first letter or underscore (the characters before are not part of it).
  let start = first;
  while (start < nameEnd) {
    const cp = text.codePointAt(start)!;
    const ch = String.fromCodePoint(cp);
    if (NAME_START.test(ch)) break;
    start += ch.length;
  }
  if (start >= nameEnd) return null;
  return { nameStart: start, prefix };
}

/** Keys of the dict literals a variable is given (and of its `d["k"] = v`), in the string of `d["…`. */
function dictKeys(doc: OpenDocument, offset: number): CompletionItem[] {
  const text = doc.text;
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const m = dictKeyContext(text, lineStart, offset);
  if (!m) return [];
  const nameStart = m.nameStart;
  const ref = referenceAt(doc.analysis().resolution, nameStart);
  if (!ref || ref.span.start !== nameStart || !ref.symbol) return [];
  const keys = new Map<string, string>();
  for (const v of ref.symbol.values) {
    const dict = unparen(v);
    if (dict.kind !== "Dict") continue;
    for (const e of dict.entries) {
      const key = unparen(e.key);
      if (key.kind === "String" && !keys.has(key.value)) keys.set(key.value, text.slice(key.start + 1, key.end - 1));
    }
  }
  // Keys written by `d["k"] = v` to the same variable are known too.
  const { resolution, program } = doc.analysis();
  for (const s of indexAssignments(program.body)) {
    const key = unparen(s.index);
    if (key.kind !== "String" || keys.has(key.value)) continue;
    const target = referenceAt(resolution, s.target.start);
    if (target?.symbol === ref.symbol) keys.set(key.value, text.slice(key.start + 1, key.end - 1));
  }
  const range: Range = { start: toPosition(doc.lines, offset - m.prefix.length), end: toPosition(doc.lines, offset) };
  return [...keys].map(([value, written]) => ({
    label: value,
    kind: CompletionItemKind.Property,
    detail: `key of ${ref.name}`,
    textEdit: { range, newText: written },
  }));
}

/** Every `a[i] = v` statement, in functions and lambdas too. */
function indexAssignments(x: unknown, out: A.IndexAssignStmt[] = []): A.IndexAssignStmt[] {
  if (!x || typeof x !== "object") return out;
  if (Array.isArray(x)) {
    for (const y of x) indexAssignments(y, out);
    return out;
  }
  const o = x as { kind?: string };
  if (o.kind === "IndexAssign") out.push(o as A.IndexAssignStmt);
  for (const [k, v] of Object.entries(o)) if (k !== "desugared" && v && typeof v === "object") indexAssignments(v, out);
  return out;
}

/** completionItem/resolve: the documentation of builtins, functions and variables. */
export function resolveCompletion(item: CompletionItem, find: (uri: string) => OpenDocument | undefined): CompletionItem {
  const data = item.data as ItemData | undefined;
  if (!data) return item;
  if (data.kind === "builtin" && BUILTINS.has(data.name)) {
    return { ...item, documentation: { kind: MarkupKind.Markdown, value: describeBuiltin(data.name) } };
  }
  const doc = find(data.uri);
  if (!doc || data.at === undefined) return item;
  const line = doc.lines.position(data.at).line;
  const what = data.kind === "function" ? "named function" : "defined";
  return { ...item, documentation: { kind: MarkupKind.Markdown, value: "```whispem\n" + (item.detail ?? data.name) + "\n```\n\n" + `${what} on line ${line}` } };
}
