// Document symbols (the outline: functions, lambdas bound by `let`, top-level variables, nested)
// and workspace symbols over the workspace's .wsp files as the client finds and watches them.

import { FileChangeType, SymbolKind, type DocumentSymbol, type FileEvent, type SymbolInformation } from "vscode-languageserver/node";
import type { Ast as A } from "../../compiler/src/index";
import { LineIndex, lowerDetached, parse } from "../../compiler/src/index";
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
            span: s,
            selection: s.name,
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
              span: s,
              selection: s.name,
              children: body(value.body.body),
            });
          } else if (atTop && !seen.has(s.name.name)) {
            into.push({ name: s.name.name, detail: "", kind: SymbolKind.Variable, span: s, selection: s.name, children: [] });
          }
          seen.add(s.name.name);
          break;
        }
        case "For":
          if (atTop && !seen.has(s.variable.name)) {
            into.push({ name: s.variable.name, detail: "loop variable", kind: SymbolKind.Variable, span: s.variable, selection: s.variable, children: [] });
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

/** What the workspace symbols know of a file that is not open: its symbols once read, until it changes. */
interface KnownFile {
  /** Null until read (again). */
  symbols: SymbolInformation[] | null;
  /** The read in progress, shared by concurrent requests. */
  reading: Promise<SymbolInformation[]> | null;
  /** Bumped by every change event: a read started before it is not kept. */
  generation: number;
}

const maxFiles = 5000;

/**
 * Workspace symbols: open documents as they are in the editor, the other .wsp files of the
 * workspace as on disk. The server does not walk the disk: the client finds the files
 * (`workspace.findFiles`) and sends the list (`whispem/workspaceFiles`), then file watcher events
 * (`workspace/didChangeWatchedFiles`); a file is read, asynchronously, when first needed after
 * it appears or changes.
 */
export class WorkspaceSymbols {
  private readonly files = new Map<string, KnownFile>();

  constructor(
    private readonly documents: DocumentStore,
    private readonly readText: (uri: string) => Promise<string>,
  ) {}

  /** The client's list of the workspace's .wsp files (replaces what was known). */
  setFiles(uris: readonly string[]): void {
    const keep = new Set(uris.filter((u) => typeof u === "string").slice(0, maxFiles));
    for (const uri of [...this.files.keys()]) if (!keep.has(uri)) this.files.delete(uri);
    for (const uri of keep) if (!this.files.has(uri)) this.files.set(uri, { symbols: null, reading: null, generation: 0 });
  }

  /** A file watcher event: created or changed files are read again when next needed, deleted ones forgotten. */
  fileEvents(events: readonly FileEvent[]): void {
    for (const e of events) {
      if (typeof e?.uri !== "string" || !e.uri.endsWith(".wsp")) continue;
      if (e.type === FileChangeType.Deleted) {
        this.files.delete(e.uri);
        continue;
      }
      const known = this.files.get(e.uri);
      if (known) {
        known.symbols = null;
        known.reading = null;
        known.generation++;
      } else if (this.files.size < maxFiles) {
        this.files.set(e.uri, { symbols: null, reading: null, generation: 0 });
      }
    }
  }

  /** How many files (open or not) the symbols come from. */
  get fileCount(): number {
    return this.files.size;
  }

  async find(query: string): Promise<SymbolInformation[]> {
    const out: SymbolInformation[] = [];
    const open = new Set<string>();
    for (const doc of this.documents.all()) {
      open.add(doc.uri);
      out.push(...flatten(doc.uri, outline(doc.analysis().program), doc.lines));
    }
    const closed = [...this.files.keys()].filter((uri) => !open.has(uri));
    for (const symbols of await Promise.all(closed.map((uri) => this.fileSymbols(uri)))) out.push(...symbols);
    return query ? out.filter((s) => matchesQuery(s.name, query)) : out;
  }

  private fileSymbols(uri: string): Promise<SymbolInformation[]> {
    const known = this.files.get(uri);
    if (!known) return Promise.resolve([]);
    if (known.symbols) return Promise.resolve(known.symbols);
    if (known.reading) return known.reading;
    const generation = known.generation;
    known.reading = this.readText(uri).then(
      (text) => {
        const symbols = flatten(uri, outline(lowerDetached(parse(text))), new LineIndex(text));
        if (this.files.get(uri) === known && known.generation === generation) {
          known.symbols = symbols;
          known.reading = null;
        }
        return symbols;
      },
      () => {
        // Unreadable (gone, a folder, no permission): no symbols; the next event tries again.
        if (this.files.get(uri) === known && known.generation === generation) known.reading = null;
        return [];
      },
    );
    return known.reading;
  }
}


/** The platform's files the client sends with their texts (the web): kept there, and listed for the symbols. */
export interface SentWorkspaceFiles {
  apply?(params: unknown): void;
  uris?(): string[];
  read(uri: string): string | undefined;
}

/** A `whispem/workspaceFiles` notification carrying the files' texts (`changed`, `deleted`, `all`). */
export function applySentFiles(symbols: WorkspaceSymbols, files: SentWorkspaceFiles, params: { changed?: unknown; deleted?: unknown }): void {
  if (!files.apply || !files.uris) return;
  files.apply(params);
  symbols.setFiles(files.uris());
  const changed = Array.isArray(params?.changed) ? (params.changed as { uri?: unknown }[]) : [];
  symbols.fileEvents(changed.filter((f) => typeof f?.uri === "string").map((f) => ({ uri: f.uri as string, type: FileChangeType.Changed })));
}

/** Reads a file not open in the editor through the platform's files. */
export function readThrough(files: SentWorkspaceFiles): (uri: string) => Promise<string> {
  return (uri) => {
    const text = files.read(uri);
    return text === undefined ? Promise.reject(new Error(`cannot read ${uri}`)) : Promise.resolve(text);
  };
}

function flatten(uri: string, entries: OutlineEntry[], lines: LineIndex, container?: string): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  for (const e of entries) {
    out.push({ name: e.name, kind: e.kind, location: { uri, range: toRange(lines, e.selection) }, containerName: container });
    out.push(...flatten(uri, e.children, lines, e.name));
  }
  return out;
}
