// Code actions: the quick fixes the analysis attaches to its diagnostics (pitfalls.md #1 nested
// `fn` → `let NAME = fn`, #4 wrap a function used as a value, #13 `let a = push(a, x)`, and
// "did you mean" for undefined names), for the diagnostics that touch the requested range.

import { CodeActionKind, type CodeAction, type Range, type TextEdit } from "vscode-languageserver/node";
import { toLspDiagnostic } from "./diagnosticsPublisher";
import type { OpenDocument } from "./documents";
import { toOffset, toRange } from "./positions";

export function codeActions(doc: OpenDocument, range: Range, only?: string[]): CodeAction[] {
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k + ".") || k === "")) return [];
  const start = toOffset(doc.lines, range.start);
  const end = toOffset(doc.lines, range.end);
  const out: CodeAction[] = [];
  for (const d of doc.analysis().diagnostics) {
    if (!d.fixes?.length || d.start > end || d.end < start) continue;
    const diagnostic = toLspDiagnostic(doc, d);
    delete diagnostic.data;
    for (const fix of d.fixes) {
      const edits: TextEdit[] = fix.edits.map((e) => ({ range: toRange(doc.lines, e), newText: e.newText }));
      out.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: d.fixes.length === 1,
        edit: { changes: { [doc.uri]: edits } },
      });
    }
  }
  return out;
}
