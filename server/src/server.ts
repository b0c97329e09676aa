// The Whispem language server: wires LSP requests to the document store and the analyses.
// Loaded by a platform entry (node/main.ts: stdio or Node IPC; web/main.ts: a web worker), which
// provides the connection and the workspace files (host.ts).

import {
  TextDocumentSyncKind,
  ResponseError,
  ErrorCodes,
  type CancellationToken,
  type InitializeResult,
} from "vscode-languageserver/node";
import { DocumentStore } from "./documents";
import { DiagnosticsPublisher } from "./diagnosticsPublisher";
import { hover } from "./hover";
import { definition, highlights, prepareRename, references, rename } from "./navigation";
import { applySentFiles, documentSymbols, readThrough, WorkspaceSymbols } from "./symbols";
import { SettingsSource } from "./settings";
import { incomingCalls, outgoingCalls, prepareCallHierarchy } from "./callHierarchy";
import { documentLinks } from "./documentLinks";
import { paramsProblem } from "./requestParams";
import { editingAidsCapabilities, editingAidsSettingsChanged, registerEditingAids } from "./editingAids";
import { serverHost } from "./host";
import { useGarbageCollector } from "./compact";
import { contentModified, DocumentWork, Superseded, type Readiness } from "./scheduler";
import { WarmUp } from "./warmUp";

const host = serverHost();
const connection = host.connection;
const documents = new DocumentStore();
const work = new DocumentWork(documents);
if (host.collectGarbage) useGarbageCollector(host.collectGarbage);
let configurationSupport = false;
const settings = new SettingsSource(connection, () => configurationSupport);
const log = (message: string) => connection.console.error(message);
const warmUp = new WarmUp(documents, work);
const publisher = new DiagnosticsPublisher(connection, documents, settings, log, work, warmUp);
// Files not open in the editor are read through the platform (the disk, or the texts a web client sent).
const workspaceSymbols = new WorkspaceSymbols(documents, readThrough(host.files));

function describe(e: unknown): string {
  return e instanceof Error ? e.stack ?? e.message : String(e);
}

/** Requests that read only a document's tree (the others need its analysis too). */
const treeOnly = new Set(["foldingRange", "selectionRange", "formatting", "rangeFormatting", "onTypeFormatting"]);

/** The open documents a request reads: every one for workspace symbols; else the one its
 * `textDocument`, call hierarchy `item` or resolved item's `data` names (if any). */
function documentsRead(name: string, params: unknown): string[] {
  if (name === "workspaceSymbol") return documents.all().map((d) => d.uri);
  const p = params as { textDocument?: { uri?: unknown }; item?: { uri?: unknown }; data?: { uri?: unknown } } | null;
  const uri = p?.textDocument?.uri ?? p?.item?.uri ?? p?.data?.uri;
  return typeof uri === "string" && documents.get(uri) ? [uri] : [];
}

/**
 * A request handler that cannot take the server down: params without the request's shape get
 * InvalidParams (the one check, `requestParams.ts`); an exception (or a rejected promise) becomes
 * an error response and a log line. ResponseErrors (a refused rename, say) pass through as they are.
 *
 * It also schedules the request: when a document it reads is not yet parsed or analysed, the
 * handler waits while that work runs in turns of the event loop (scheduler.ts), so requests on
 * other documents are answered meanwhile; it gets RequestCancelled if cancelled while waiting,
 * ContentModified if the document changed meanwhile.
 */
function guarded<P, R>(name: string, handler: (params: P) => R): (params: P, token?: CancellationToken) => R | ResponseError<void> {
  const failure = (e: unknown): ResponseError<void> => {
    if (e instanceof ResponseError) return e;
    if (e instanceof Superseded) return contentModified(e);
    log(`${name} failed: ${describe(e)}`);
    return new ResponseError(ErrorCodes.InternalError, `${name} failed: ${e instanceof Error ? e.message : String(e)}`);
  };
  const need: Readiness = treeOnly.has(name) ? "parsed" : "analysed";
  return (params: P, token?: CancellationToken) => {
    work.noteMessage();
    const problem = paramsProblem(name, params);
    if (problem) return new ResponseError(ErrorCodes.InvalidParams, problem);
    try {
      const waitFor = documentsRead(name, params).filter((uri) => !work.isReady(documents.get(uri)!, need));
      if (waitFor.length) {
        return (async () => {
          for (const uri of waitFor) await work.ready(uri, need, token);
          try {
            return await handler(params);
          } finally {
            work.ran();
          }
        })().catch(failure) as R;
      }
      const result = handler(params);
      if (result instanceof Promise) return result.catch(failure) as R;
      return result;
    } catch (e) {
      return failure(e);
    }
  };
}

/** The same for notifications: log and carry on. */
function guardedNotification<P>(name: string, handler: (params: P) => void): (params: P) => void {
  return (params: P) => {
    work.noteMessage();
    try {
      handler(params);
    } catch (e) {
      log(`${name} failed: ${describe(e)}`);
    }
  };
}

connection.onInitialize((params): InitializeResult => {
  configurationSupport = params.capabilities.workspace?.configuration === true;
  // For the keystrokes bench's comparison: `{"warmUp": false}` leaves the first keystrokes cold.
  if ((params.initializationOptions as { warmUp?: unknown } | undefined)?.warmUp === false) warmUp.enabled = false;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
      callHierarchyProvider: true,
      documentLinkProvider: { resolveProvider: false },
      ...editingAidsCapabilities,
    },
    serverInfo: { name: "whispem-language-server", version: "0.1.0" },
  };
});

connection.onInitialized(() => {
  void settings.refresh().then(
    (changed) => changed && publisher.republishAll(),
    (e) => log(`reading settings failed: ${describe(e)}`),
  );
});

connection.onDidChangeConfiguration(
  guardedNotification("didChangeConfiguration", (params) => {
    void settings.refresh(params.settings).then(
      (changed) => changed && publisher.republishAll(),
      (e) => log(`reading settings failed: ${describe(e)}`),
    );
    editingAidsSettingsChanged(connection);
  }),
);

connection.onDidOpenTextDocument(
  guardedNotification("didOpen", (params) => {
    const d = params.textDocument;
    documents.open(d.uri, d.version, d.text);
    publisher.schedule(d.uri);
  }),
);

connection.onDidChangeTextDocument(
  guardedNotification("didChange", (params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return;
    doc.update(params.textDocument.version, params.contentChanges);
    publisher.schedule(doc.uri);
  }),
);

connection.onDidCloseTextDocument(
  guardedNotification("didClose", (params) => {
    documents.close(params.textDocument.uri);
    publisher.clear(params.textDocument.uri);
  }),
);

function openDocument(uri: string) {
  const doc = documents.get(uri);
  if (!doc) throw new ResponseError(ErrorCodes.InvalidParams, `document not open: ${uri}`);
  return doc;
}

connection.onHover(guarded("hover", (p) => hover(openDocument(p.textDocument.uri), p.position)));
connection.onDefinition(guarded("definition", (p) => definition(openDocument(p.textDocument.uri), p.position)));
connection.onReferences(guarded("references", (p) => references(openDocument(p.textDocument.uri), p.position, p.context.includeDeclaration)));
connection.onDocumentHighlight(guarded("documentHighlight", (p) => highlights(openDocument(p.textDocument.uri), p.position)));
connection.onPrepareRename(guarded("prepareRename", (p) => prepareRename(openDocument(p.textDocument.uri), p.position)));
connection.onRenameRequest(guarded("rename", (p) => rename(openDocument(p.textDocument.uri), p.position, p.newName)));
connection.onDocumentSymbol(
  guarded("documentSymbol", (p) => {
    const doc = openDocument(p.textDocument.uri);
    return documentSymbols(doc.analysis().program, doc.lines);
  }),
);
connection.onWorkspaceSymbol(guarded("workspaceSymbol", (p) => workspaceSymbols.find(typeof p.query === "string" ? p.query : "")));
// The workspace's .wsp files, found by the client (workspace.findFiles), then its watcher's events.
connection.onNotification(
  "whispem/workspaceFiles",
  guardedNotification("workspaceFiles", (p: { uris?: unknown; changed?: unknown; deleted?: unknown }) => {
    if (Array.isArray(p?.uris)) {
      workspaceSymbols.setFiles(p.uris.filter((u): u is string => typeof u === "string"));
    } else {
      // A web client sends the files' texts (a worker has no disk): the platform keeps them.
      applySentFiles(workspaceSymbols, host.files, p);
    }
  }),
);
connection.onDidChangeWatchedFiles(guardedNotification("didChangeWatchedFiles", (p) => workspaceSymbols.fileEvents(Array.isArray(p?.changes) ? p.changes : [])));
const lookup = (uri: string) => documents.get(uri);
connection.languages.callHierarchy.onPrepare(guarded("prepareCallHierarchy", (p) => prepareCallHierarchy(openDocument(p.textDocument.uri), p.position)));
connection.languages.callHierarchy.onIncomingCalls(guarded("incomingCalls", (p) => incomingCalls(p.item, lookup)));
connection.languages.callHierarchy.onOutgoingCalls(guarded("outgoingCalls", (p) => outgoingCalls(p.item, lookup)));
connection.onDocumentLinks(guarded("documentLinks", (p) => documentLinks(openDocument(p.textDocument.uri))));
registerEditingAids({ connection, documents, openDocument, guarded, configurationSupport: () => configurationSupport });

// The server's own memory, for benchmarks and diagnosing a slow editor (not part of LSP).
connection.onRequest("whispem/memoryUsage", guarded("memoryUsage", () => host.memoryUsage()));

connection.onShutdown(() => {
  publisher.dispose();
  warmUp.dispose();
});

// Last line of defence: an error escaping a timer or promise is logged, the server keeps serving.
host.catchStrays(log, describe);

connection.listen();
