// Signature help for calls by name (functions, builtins, lambdas bound by `let`) and for calls of a
// lambda written in place, with the active parameter counted from the commas before the cursor.

import type { Position, SignatureHelp, SignatureInformation } from "vscode-languageserver/node";
import type { Ast as A } from "../../compiler/src/index";
import { BUILTINS, SyntaxKind as K, SyntaxNode, builtinSignature, referenceAt, type NameSymbol } from "../../compiler/src/index";
import type { OpenDocument } from "./documents";
import { toOffset } from "./positions";
import { significantBefore } from "./cursor";

/** The argument list the cursor is in (innermost), not looking past a block (a lambda body). */
function argListAt(doc: OpenDocument, offset: number): SyntaxNode | null {
  const before = significantBefore(doc.treeAround(offset), offset);
  if (!before) return null;
  for (let n: SyntaxNode | null = before.parent; n; n = n.parent) {
    if (n.kind === K.Block) return null;
    if (n.kind !== K.ArgList) continue;
    const tokens = n.childTokens();
    const open = tokens.find((t) => t.kind === K.LParen);
    const close = tokens.find((t) => t.kind === K.RParen);
    if (open && offset > open.start && (!close || offset <= close.start)) return n;
  }
  return null;
}

function signature(label: string, params: string[], documentation?: string): SignatureInformation {
  const open = label.indexOf("(");
  let at = open + 1;
  const parameters = params.map((p) => {
    const start = label.indexOf(p, at);
    at = start + p.length;
    return { label: [start, at] as [number, number] };
  });
  return documentation ? { label, parameters, documentation: { kind: "markdown", value: documentation } } : { label, parameters };
}

function symbolSignature(doc: OpenDocument, sym: NameSymbol): SignatureInformation | null {
  if (sym.kind === "builtin") {
    const b = BUILTINS.get(sym.name)!;
    return signature(builtinSignature(b), b.params, b.description);
  }
  const fn = sym.functions[sym.functions.length - 1];
  if (!fn) return null;
  const params = fn.params.map((p) => p.name);
  if (sym.kind === "function") {
    const line = doc.lines.position(sym.definitions[sym.definitions.length - 1].start).line;
    return signature(`fn ${sym.name}(${params.join(", ")})`, params, `named function, declared on line ${line}`);
  }
  return signature(`let ${sym.name} = fn(${params.join(", ")})`, params);
}

export function signatureHelp(doc: OpenDocument, position: Position): SignatureHelp | null {
  const offset = toOffset(doc.lines, position);
  const args = argListAt(doc, offset);
  const call = args?.parent;
  if (!args || !call || call.kind !== K.CallExpr) return null;
  let callee = call.childNodes()[0];
  while (callee && callee.kind === K.ParenExpr) callee = callee.childNodes()[0];
  if (!callee) return null;
  let info: SignatureInformation | null = null;
  const { resolution, program } = doc.analysis();
  if (callee.kind === K.NameExpr) {
    const start = callee.trimmedRange().start;
    const found = referenceAt(resolution, start);
    const ref = found && found.span.start === start ? found : null;
    const sym = ref?.symbol;
    if (sym) info = symbolSignature(doc, sym);
    else if (ref && BUILTINS.has(ref.name)) info = symbolSignature(doc, { kind: "builtin", name: ref.name } as NameSymbol);
  } else if (callee.kind === K.LambdaExpr) {
    const lambda = lambdaAt(program, callee.trimmedRange().start);
    if (lambda) info = signature(`fn(${lambda.params.map((p) => p.name).join(", ")})`, lambda.params.map((p) => p.name));
  }
  if (!info) return null;
  const commas = args.childTokens().filter((t) => t.kind === K.Comma && t.start < offset).length;
  const activeParameter = info.parameters!.length ? Math.min(commas, info.parameters!.length - 1) : 0;
  return { signatures: [{ ...info, activeParameter }], activeSignature: 0, activeParameter };
}

function lambdaAt(program: A.Program, start: number): A.LambdaExpr | null {
  let found: A.LambdaExpr | null = null;
  const visit = (x: unknown): void => {
    if (found || !x || typeof x !== "object") return;
    if (Array.isArray(x)) {
      for (const y of x) visit(y);
      return;
    }
    const o = x as { kind?: string; start?: number; end?: number };
    if (o.kind === "Lambda" && o.start === start) {
      found = o as A.LambdaExpr;
      return;
    }
    if (o.start !== undefined && o.end !== undefined && (start < o.start || start >= o.end) && o.kind !== "Program") return;
    for (const v of Object.values(o)) if (v && typeof v === "object") visit(v);
  };
  visit(program);
  return found;
}
