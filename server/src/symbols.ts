// Document symbols (the outline: functions, lambdas bound by `let`, top-level variables, nested)
// and workspace symbols over every .wsp file of the workspace folders.

import { readdirSync, statSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from "vscode-languageserver/node";
import type * as A from "../../compiler/src/ast";
import { parse } from "../../compiler/src/parser";
import { lowerDetached } from "./incrementalAst";
import { LineIndex } from "../../compiler/src/text";
import type { DocumentStore } from "./documents";
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
  mtimeMs: number;
  size: number;
  symbols: SymbolInformation[];
}

const skippedDirs = new Set(["node_modules", ".git", "out", ".vscode-test"]);
const maxFiles = 5000;

/** Workspace symbols: open documents as they are in the editor, other .wsp files as on disk. */
export class WorkspaceSymbols {
  private readonly cache = new Map<string, FileSymbols>();
  folders: string[] = [];

  constructor(private readonly documents: DocumentStore) {}

  find(query: string): SymbolInformation[] {
    const out: SymbolInformation[] = [];
    const open = new Set<string>();
    for (const doc of this.documents.all()) {
      open.add(doc.uri);
      out.push(...flatten(doc.uri, outline(doc.analysis().program), doc.lines));
    }
    for (const file of this.files()) {
      const uri = pathToFileURL(file).href;
      if (open.has(uri)) continue;
      out.push(...this.fileSymbols(file, uri));
    }
    return query ? out.filter((s) => matchesQuery(s.name, query)) : out;
  }

  private fileSymbols(file: string, uri: string): SymbolInformation[] {
    let st;
    try {
      st = statSync(file);
    } catch {
      this.cache.delete(file);
      return [];
    }
    const cached = this.cache.get(file);
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached.symbols;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return [];
    }
    const symbols = flatten(uri, outline(lowerDetached(parse(text))), new LineIndex(text));
    this.cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, symbols });
    return symbols;
  }

  private files(): string[] {
    const found: string[] = [];
    const walk = (dir: string) => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (found.length >= maxFiles) return;
        if (e.isDirectory()) {
          if (!skippedDirs.has(e.name)) walk(join(dir, e.name));
        } else if (e.isFile() && e.name.endsWith(".wsp")) found.push(join(dir, e.name));
      }
    };
    for (const f of this.folders) walk(f);
    return found;
  }

  setFolders(uris: string[]): void {
    this.folders = uris.filter((u) => u.startsWith("file:")).map((u) => fileURLToPath(u));
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
