// Inlay hints: parameter names before the arguments of calls of functions with two or more
// parameters (named functions, lambdas bound by `let`, builtins). An argument that is a variable
// of the parameter's own name gets no hint.

import { InlayHintKind, type InlayHint, type Range } from "vscode-languageserver/node";
import type { Ast as A } from "../../compiler/src/index";
import { BUILTINS, referenceAt, unparen, type NameSymbol, type Resolution } from "../../compiler/src/index";
import type { OpenDocument } from "./documents";
import { toOffset, toPosition } from "./positions";

function parameterNames(sym: NameSymbol): string[] | null {
  if (sym.kind === "builtin") return BUILTINS.get(sym.name)?.params.map((p) => p.replace(/\?$/, "")) ?? null;
  if (sym.kind === "function" || sym.kind === "global" || sym.kind === "local") {
    const fn = sym.functions[sym.functions.length - 1];
    return fn ? fn.params.map((p) => p.name) : null;
  }
  return null;
}

/** Every call in a subtree that overlaps [from, to] (its own stack: chains may be thousands deep). */
function collectCalls(root: unknown, out: A.CallExpr[], from: number, to: number): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const x = stack.pop();
    if (!x || typeof x !== "object") continue;
    if (Array.isArray(x)) {
      for (let i = x.length - 1; i >= 0; i--) stack.push(x[i]);
      continue;
    }
    const o = x as { kind?: string; start?: number; end?: number; desugared?: unknown };
    if (o.start !== undefined && o.end !== undefined && o.kind !== "Program" && (o.end < from || o.start > to)) continue;
    if (o.kind === "Call") out.push(o as A.CallExpr);
    for (const [k, v] of Object.entries(o)) {
      // An f-string's `desugared` repeats its parts' expressions.
      if (k === "desugared" || !v || typeof v !== "object") continue;
      stack.push(v);
    }
  }
}

export function inlayHints(doc: OpenDocument, range: Range): InlayHint[] {
  const from = toOffset(doc.lines, range.start);
  const to = toOffset(doc.lines, range.end);
  const { program, resolution } = doc.analysis();
  const calls: A.CallExpr[] = [];
  collectCalls(program.body, calls, from, to);
  const hints: InlayHint[] = [];
  for (const call of calls) {
    const params = call.name === null ? null : calleeParams(resolution, call);
    if (!params || params.length < 2) continue;
    call.args.forEach((arg, i) => {
      if (i >= params.length || arg.kind === "Missing" || arg.start < from || arg.start > to) return;
      const bare = unparen(arg);
      if (bare.kind === "Var" && bare.name === params[i]) return;
      hints.push({ position: toPosition(doc.lines, arg.start), label: `${params[i]}:`, kind: InlayHintKind.Parameter, paddingRight: true });
    });
  }
  hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
  return hints;
}

function calleeParams(res: Resolution, call: A.CallExpr): string[] | null {
  const callee = unparen(call.callee);
  const ref = referenceAt(res, callee.start);
  if (!ref || ref.span.start !== callee.start || !ref.symbol) return null;
  return parameterNames(ref.symbol);
}
