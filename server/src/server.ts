// The Whispem language server: wires LSP requests to the document store and the analyses.
// Transports: stdio (`--stdio`) or Node IPC (`--node-ipc`), chosen by vscode-languageserver.

import {
  createConnection,
  ProposedFeatures,
  TextDocumentSyncKind,
  ResponseError,
  ErrorCodes,
  type InitializeResult,
} from "vscode-languageserver/node";
import { DocumentStore } from "./documents";
import { DiagnosticsPublisher } from "./diagnosticsPublisher";
import { hover } from "./hover";
import { definition, highlights, prepareRename, references, rename } from "./navigation";
import { documentSymbols, WorkspaceSymbols } from "./symbols";
import { SettingsSource } from "./settings";
import { paramsProblem } from "./requestParams";
import { editingAidsCapabilities, editingAidsSettingsChanged, registerEditingAids } from "./editingAids";

const connection = createConnection(ProposedFeatures.all);
const documents = new DocumentStore();
let configurationSupport = false;
const settings = new SettingsSource(connection, () => configurationSupport);
const log = (message: string) => connection.console.error(message);
const publisher = new DiagnosticsPublisher(connection, documents, settings, log);
const workspaceSymbols = new WorkspaceSymbols(documents);

function describe(e: unknown): string {
  return e instanceof Error ? e.stack ?? e.message : String(e);
}

/**
 * A request handler that cannot take the server down: params without the request's shape get
 * InvalidParams (the one check, `requestParams.ts`); an exception (or a rejected promise) becomes
 * an error response and a log line. ResponseErrors (a refused rename, say) pass through as they are.
 */
function guarded<P, R>(name: string, handler: (params: P) => R): (params: P) => R | ResponseError<void> {
  const failure = (e: unknown): ResponseError<void> => {
    if (e instanceof ResponseError) return e;
    log(`${name} failed: ${describe(e)}`);
    return new ResponseError(ErrorCodes.InternalError, `${name} failed: ${e instanceof Error ? e.message : String(e)}`);
  };
  return (params: P) => {
    const problem = paramsProblem(name, params);
    if (problem) return new ResponseError(ErrorCodes.InvalidParams, problem);
    try {
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
    try {
      handler(params);
    } catch (e) {
      log(`${name} failed: ${describe(e)}`);
    }
  };
}

connection.onInitialize((params): InitializeResult => {
  configurationSupport = params.capabilities.workspace?.configuration === true;
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  workspaceSymbols.setFolders(folders);
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
      ...editingAidsCapabilities,
    },
    serverInfo: { name: "whispem-language-server", version: "0.1.0" },
  };
});

connection.onInitialized(() => {
  void settings.refresh().then(
    () => publisher.republishAll(),
    (e) => log(`reading settings failed: ${describe(e)}`),
  );
});

connection.onDidChangeConfiguration(
  guardedNotification("didChangeConfiguration", (params) => {
    void settings.refresh(params.settings).then(
      () => publisher.republishAll(),
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
connection.onWorkspaceSymbol(guarded("workspaceSymbol", (p) => workspaceSymbols.find(p.query)));
registerEditingAids({ connection, documents, openDocument, guarded, configurationSupport: () => configurationSupport });

// The server's own memory, for benchmarks and diagnosing a slow editor (not part of LSP). When
// node runs with --expose-gc, garbage is collected first so the figures count live objects.
connection.onRequest(
  "whispem/memoryUsage",
  guarded("memoryUsage", () => {
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage();
  }),
);

connection.onShutdown(() => {
  publisher.dispose();
});

// Last line of defence: an error escaping a timer or promise is logged, the server keeps serving.
process.on("uncaughtException", (e) => log(`uncaught: ${describe(e)}`));
process.on("unhandledRejection", (e) => log(`unhandled rejection: ${describe(e)}`));

connection.listen();
