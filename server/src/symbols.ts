// Document symbols (the outline: functions, lambdas bound by `let`, top-level variables, nested)
// and workspace symbols over every .wsp file of the workspace folders.

import { SymbolKind, type DocumentSymbol, type SymbolInformation } from "vscode-languageserver/node";
import type * as A from "../../compiler/src/ast";
import { parse } from "../../compiler/src/parser";
import { lowerDetached } from "./incrementalAst";
import { LineIndex } from "../../compiler/src/text";
import type { DocumentStore } from "./documents";
import type { WorkspaceFiles } from "./host";
import { toRange } from "./positions";

interface OutlineEntry {
  name: string;
  detail: string;
  kind: SymbolKind;
  span: A.Span;
  selection: A.Span;
  children: OutlineEntry[];
}

/** The outline of a program, as plain spans. */
export function outline(program: A.Program): OutlineEntry[] {
  const top: OutlineEntry[] = [];
  const seenGlobals = new Set<string>();
  const visit = (stmts: A.Stmt[], into: OutlineEntry[], atTop: boolean, seen: Set<string>) => {
    for (const s of stmts) {
      switch (s.kind) {
        case "FnDecl":
          into.push({
            name: s.name.name,
            detail: `fn(${s.params.map((p) => p.name).join(", ")})`,
            kind: SymbolKind.Function,
            span: s.span,
            selection: s.name.span,
            children: body(s.body.body),
          });
          break;
        case "Let": {
          const value = unparen(s.value);
          if (value.kind === "Lambda") {
            into.push({
              name: s.name.name,
              detail: `fn(${value.params.map((p) => p.name).join(", ")})`,
              kind: SymbolKind.Function,
              span: s.span,
              selection: s.name.span,
              children: body(value.body.body),
            });
          } else if (atTop && !seen.has(s.name.name)) {
            into.push({ name: s.name.name, detail: "", kind: SymbolKind.Variable, span: s.span, selection: s.name.span, children: [] });
          }
          seen.add(s.name.name);
          break;
        }
        case "For":
          if (atTop && !seen.has(s.variable.name)) {
            into.push({ name: s.variable.name, detail: "loop variable", kind: SymbolKind.Variable, span: s.variable.span, selection: s.variable.span, children: [] });
            seen.add(s.variable.name);
          }
          visit(s.body.body, into, atTop, seen);
          break;
        case "If":
          visit(s.then.body, into, atTop, seen);
          if (s.else) visit(s.else.kind === "Block" ? s.else.body : [s.else], into, atTop, seen);
          break;
        case "While":
          visit(s.body.body, into, atTop, seen);
          break;
        default:
          break;
      }
    }
  };
  const body = (stmts: A.Stmt[]): OutlineEntry[] => {
    const out: OutlineEntry[] = [];
    visit(stmts, out, false, new Set());
    return out;
  };
  visit(program.body, top, true, seenGlobals);
  return top;
}

function unparen(e: A.Expr): A.Expr {
  while (e.kind === "Paren") e = e.inner;
  return e;
}

export function documentSymbols(program: A.Program, lines: LineIndex): DocumentSymbol[] {
  const convert = (e: OutlineEntry): DocumentSymbol => ({
    name: e.name,
    detail: e.detail,
    kind: e.kind,
    range: toRange(lines, e.span),
    selectionRange: toRange(lines, e.selection),
    children: e.children.map(convert),
  });
  return outline(program).map(convert);
}

/** Whether every character of the query appears in the name in order, ignoring case (as editors filter). */
export function matchesQuery(name: string, query: string): boolean {
  const n = name.toLowerCase();
  let i = 0;
  for (const c of query.toLowerCase()) {
    i = n.indexOf(c, i);
    if (i < 0) return false;
    i++;
  }
  return true;
}

interface FileSymbols {
  stamp: string;
  symbols: SymbolInformation[];
}

/** Workspace symbols: open documents as they are in the editor, other .wsp files as the platform finds them. */
export class WorkspaceSymbols {
  private readonly cache = new Map<string, FileSymbols>();

  constructor(
    private readonly documents: DocumentStore,
    private readonly files: WorkspaceFiles,
  ) {}

  find(query: string): SymbolInformation[] {
    const out: SymbolInformation[] = [];
    const open = new Set<string>();
    for (const doc of this.documents.all()) {
      open.add(doc.uri);
      out.push(...flatten(doc.uri, outline(doc.analysis().program), doc.lines));
    }
    for (const uri of this.files.uris()) {
      if (open.has(uri)) continue;
      out.push(...this.fileSymbols(uri));
    }
    return query ? out.filter((s) => matchesQuery(s.name, query)) : out;
  }

  private fileSymbols(uri: string): SymbolInformation[] {
    const stamp = this.files.stamp(uri);
    if (stamp === undefined) {
      this.cache.delete(uri);
      return [];
    }
    const cached = this.cache.get(uri);
    if (cached && cached.stamp === stamp) return cached.symbols;
    const text = this.files.read(uri);
    if (text === undefined) return [];
    const symbols = flatten(uri, outline(lowerDetached(parse(text))), new LineIndex(text));
    this.cache.set(uri, { stamp, symbols });
    return symbols;
  }
}

function flatten(uri: string, entries: OutlineEntry[], lines: LineIndex, container?: string): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  for (const e of entries) {
    out.push({ name: e.name, kind: e.kind, location: { uri, range: toRange(lines, e.selection) }, containerName: container });
    out.push(...flatten(uri, e.children, lines, e.name));
  }
  return out;
}
