// Registers the editing aids (issue 6) on the connection: completion, signature help, semantic
// tokens, formatting, code actions, inlay hints, code lenses, folding and selection ranges. The
// server's core (server.ts) adds these capabilities and calls registerEditingAids once.

import { CodeActionKind, type CancellationToken, type Connection, type ResponseError, type ServerCapabilities } from "vscode-languageserver/node";
import type { DocumentStore, OpenDocument } from "./documents";
import { completion, resolveCompletion } from "./completion";
import { signatureHelp } from "./signatureHelp";
import { SemanticTokensCache, semanticTokensLegend } from "./semanticTokens";
import { formatDocument, formatOnType, formatRange } from "./formatting";
import { codeActions } from "./codeActions";
import { inlayHints } from "./inlayHints";
import { codeLenses, resolveCodeLens } from "./codeLens";
import { foldingRanges } from "./folding";
import { selectionRanges } from "./selectionRanges";

export const editingAidsCapabilities: ServerCapabilities = {
  completionProvider: { triggerCharacters: ['"'], resolveProvider: true },
  signatureHelpProvider: { triggerCharacters: ["(", ","], retriggerCharacters: [","] },
  semanticTokensProvider: { legend: semanticTokensLegend, full: { delta: true }, range: true },
  documentFormattingProvider: true,
  documentRangeFormattingProvider: true,
  documentOnTypeFormattingProvider: { firstTriggerCharacter: "}" },
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
  inlayHintProvider: true,
  codeLensProvider: { resolveProvider: true },
  foldingRangeProvider: true,
  selectionRangeProvider: true,
};

type Guard = <P, R>(name: string, handler: (params: P) => R) => (params: P, token?: CancellationToken) => R | ResponseError<void>;

export interface EditingAidsContext {
  connection: Connection;
  documents: DocumentStore;
  /** Looks up an open document or throws the protocol's error. */
  openDocument(uri: string): OpenDocument;
  guarded: Guard;
  /** Whether the client answers workspace/configuration. */
  configurationSupport(): boolean;
}

/** `whispem.inlayHints.parameterNames` (default on), asked for the document's scope. */
async function parameterHintsEnabled(ctx: EditingAidsContext, uri: string): Promise<boolean> {
  if (!ctx.configurationSupport()) return true;
  const whispem = (await ctx.connection.workspace.getConfiguration({ scopeUri: uri, section: "whispem" })) as { inlayHints?: { parameterNames?: unknown } } | null;
  return whispem?.inlayHints?.parameterNames !== false;
}

export function registerEditingAids(ctx: EditingAidsContext): void {
  const { connection, guarded, openDocument } = ctx;
  const tokens = new SemanticTokensCache();
  connection.onCompletion(guarded("completion", (p) => completion(openDocument(p.textDocument.uri), p.position)));
  connection.onCompletionResolve(guarded("completionResolve", (item) => resolveCompletion(item, (uri) => ctx.documents.get(uri))));
  connection.onSignatureHelp(guarded("signatureHelp", (p) => signatureHelp(openDocument(p.textDocument.uri), p.position)));
  // A huge document (documents.ts) keeps no tree: no semantic tokens (the grammar's colours stay)
  // and no folding ranges (the editor folds by indentation).
  const noTokens = { data: [] };
  connection.languages.semanticTokens.on(
    guarded("semanticTokens", (p) => {
      const doc = openDocument(p.textDocument.uri);
      return doc.huge ? noTokens : tokens.full(doc);
    }),
  );
  connection.languages.semanticTokens.onDelta(
    guarded("semanticTokensDelta", (p) => {
      const doc = openDocument(p.textDocument.uri);
      return doc.huge ? noTokens : tokens.delta(doc, p.previousResultId);
    }),
  );
  connection.languages.semanticTokens.onRange(
    guarded("semanticTokensRange", (p) => {
      const doc = openDocument(p.textDocument.uri);
      return doc.huge ? noTokens : tokens.range(doc, p.range.start.line, p.range.end.line);
    }),
  );
  connection.onDocumentFormatting(guarded("formatting", (p) => formatDocument(openDocument(p.textDocument.uri))));
  connection.onDocumentRangeFormatting(guarded("rangeFormatting", (p) => formatRange(openDocument(p.textDocument.uri), p.range)));
  connection.onDocumentOnTypeFormatting(guarded("onTypeFormatting", (p) => formatOnType(openDocument(p.textDocument.uri), p.position, p.ch)));
  connection.onCodeAction(guarded("codeAction", (p) => codeActions(openDocument(p.textDocument.uri), p.range, p.context.only)));
  connection.languages.inlayHint.on(
    guarded("inlayHint", async (p) => {
      const doc = openDocument(p.textDocument.uri);
      if (!(await parameterHintsEnabled(ctx, doc.uri))) return [];
      return inlayHints(openDocument(p.textDocument.uri), p.range);
    }),
  );
  connection.onCodeLens(guarded("codeLens", (p) => codeLenses(openDocument(p.textDocument.uri))));
  connection.onCodeLensResolve(guarded("codeLensResolve", (lens) => resolveCodeLens(lens, (uri) => ctx.documents.get(uri))));
  connection.onFoldingRanges(
    guarded("foldingRange", (p) => {
      const doc = openDocument(p.textDocument.uri);
      return doc.huge ? null : foldingRanges(doc);
    }),
  );
  connection.onSelectionRanges(guarded("selectionRange", (p) => selectionRanges(openDocument(p.textDocument.uri), p.positions)));
}

/** Settings changed: the client should ask for inlay hints again. */
export function editingAidsSettingsChanged(connection: Connection): void {
  connection.languages.inlayHint.refresh().catch(() => {
    // A client without refresh support asks again on its own schedule.
  });
}
