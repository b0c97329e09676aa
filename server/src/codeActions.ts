// Code actions: the quick fixes the analysis attaches to its diagnostics (pitfalls.md #1 nested
// `fn` → `let NAME = fn`, #4 wrap a function used as a value, #13 `let a = push(a, x)`, and
// "did you mean" for undefined names), for the diagnostics that touch the requested range; and
// the "Convert to f-string" refactoring (fstringRefactor.ts).

import { CodeActionKind, type CodeAction, type Range, type TextEdit } from "vscode-languageserver/node";
import { toLspDiagnostic } from "./diagnosticsPublisher";
import { fstringRewriteAt } from "./fstringRefactor";
import type { OpenDocument } from "./documents";
import { toOffset, toRange } from "./positions";

/** Whether a requested kind filter admits this kind (`refactor` admits `refactor.rewrite`). */
function admits(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => k === "" || k === kind || kind.startsWith(k + "."));
}

export function codeActions(doc: OpenDocument, range: Range, only?: string[]): CodeAction[] {
  const start = toOffset(doc.lines, range.start);
  const end = toOffset(doc.lines, range.end);
  const out: CodeAction[] = [];
  if (admits(only, CodeActionKind.RefactorRewrite)) {
    const rewrite = fstringRewriteAt(doc.text, doc.analysis().program, start, end);
    if (rewrite) {
      out.push({ title: "Convert to f-string", kind: CodeActionKind.RefactorRewrite, edit: { changes: { [doc.uri]: [{ range: toRange(doc.lines, rewrite), newText: rewrite.newText }] } } });
    }
  }
  if (!admits(only, CodeActionKind.QuickFix)) return out;
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
