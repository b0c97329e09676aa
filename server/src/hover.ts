// Hover: builtins (signature, description, errors), functions (signature, where defined, what a
// lambda captures) and variables (kind and where defined), in Markdown.

import type { Hover, Position } from "vscode-languageserver/node";
import type { Ast as A } from "../../compiler/src/index";
import { BUILTINS, builtinErrorsMarkdown, builtinSignature, referenceAt, type FunctionScope, type NameSymbol, type Reference, type Resolution } from "../../compiler/src/index";
import type { OpenDocument } from "./documents";
import { toOffset, toRange } from "./positions";

export function hover(doc: OpenDocument, position: Position): Hover | null {
  const offset = toOffset(doc.lines, position);
  const { resolution } = doc.analysis();
  const ref = referenceAt(resolution, offset);
  if (ref) {
    const value = describeReference(doc, resolution, ref);
    return value ? { contents: { kind: "markdown", value }, range: toRange(doc.lines, ref.span) } : null;
  }
  const lambda = lambdaKeywordAt(resolution, offset);
  if (lambda) return { contents: { kind: "markdown", value: describeLambda(doc, lambda) }, range: toRange(doc.lines, { start: lambda.node.start, end: lambda.node.start + 2 }) };
  return null;
}

function code(text: string): string {
  return "```whispem\n" + text + "\n```";
}

function lineOf(doc: OpenDocument, span: A.Span): number {
  return doc.lines.position(span.start).line;
}

function scopeTitle(scope: FunctionScope | null): string {
  if (!scope) return "main";
  if (scope.kind === "function") return `fn ${scope.name}`;
  return scope.name ? `the lambda '${scope.name}'` : "a lambda";
}

function paramList(node: A.FnDeclStmt | A.LambdaExpr): string {
  return node.params.map((p) => p.name).join(", ");
}

function describeReference(doc: OpenDocument, res: Resolution, ref: Reference): string | null {
  const sym = ref.symbol;
  if (!sym) {
    const b = BUILTINS.get(ref.name);
    if (b && ref.access === "read") return describeBuiltin(ref.name) + "\n\n---\nBuiltins are not values: wrap it in a lambda.";
    const fn = res.functions.get(ref.name);
    if (fn) return describeFunction(doc, fn) + "\n\n---\nNamed functions are not values: wrap it in a lambda.";
    return `${code(ref.name)}\nundefined: nothing named '${ref.name}' can be reached from here`;
  }
  if (sym.kind === "builtin") return describeBuiltin(sym.name);
  if (sym.kind === "function") return describeFunction(doc, sym);
  return describeVariable(doc, sym, ref);
}

export function describeBuiltin(name: string): string {
  const b = BUILTINS.get(name)!;
  const parts = [code(builtinSignature(b)), `builtin — ${b.description}`];
  if (b.note) parts.push(b.note);
  if (b.errors.length) parts.push("**Errors**\n\n" + builtinErrorsMarkdown(b.errors));
  return parts.join("\n\n");
}

/**
 * The comment lines just above the line of `offset` (no blank line between), without their `#`:
 * the function's own documentation, as a reader of the source sees it.
 */
export function commentAbove(doc: OpenDocument, offset: number): string | null {
  const { lineStarts, text } = doc.lines;
  const out: string[] = [];
  for (let line = doc.lines.lineOf(offset) - 1; line >= 0 && out.length < 50; line--) {
    const end = line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length;
    const content = text.slice(lineStarts[line], end).trim();
    if (!content.startsWith("#")) break;
    out.push(content.replace(/^#+ ?/, ""));
  }
  return out.length ? out.reverse().join("\n") : null;
}

function describeFunction(doc: OpenDocument, sym: NameSymbol): string {
  const decls = sym.functions as A.FnDeclStmt[];
  const decl = decls[decls.length - 1];
  const parts = [code(`fn ${sym.name}(${paramList(decl)})`)];
  const comment = commentAbove(doc, decl.start);
  if (comment) parts.push(comment);
  if (sym.nested) {
    parts.push(`named function declared on line ${lineOf(doc, decl.name)} — **never compiled**: only top-level named functions are; calling it fails with \`Undefined function\``);
  } else {
    let where = `named function, declared on line ${lineOf(doc, decl.name)}`;
    if (decls.length > 1) where += ` (declared ${decls.length} times: this last declaration is the one compiled)`;
    parts.push(where);
  }
  return parts.join("\n\n");
}

function variableKind(sym: NameSymbol, ref: Reference): string {
  const owner = scopeTitle(sym.owner);
  if (ref.captured) return `captured variable, from ${owner}`;
  switch (sym.kind) {
    case "global":
      // Main's `for` stores its variable into a global.
      return sym.values.length === 0 ? "loop variable of main (a global)" : "global variable";
    case "parameter":
      return `parameter of ${owner}`;
    case "loop":
      return `loop variable of ${owner}`;
    default:
      return `local variable of ${owner}`;
  }
}

function describeVariable(doc: OpenDocument, sym: NameSymbol, ref: Reference): string {
  const lambda = sym.functions.length === 1 ? (sym.functions[0] as A.LambdaExpr) : null;
  const parts = [code(lambda ? `let ${sym.name} = fn(${paramList(lambda)})` : `${sym.kind === "parameter" ? "param" : sym.kind === "loop" ? "for" : "let"} ${sym.name}`)];
  let line = variableKind(sym, ref);
  if (sym.definitions.length) {
    line += `, defined on line ${lineOf(doc, sym.definitions[0])}`;
    if (sym.definitions.length > 1) line += ` (and ${sym.definitions.length - 1} more ${sym.definitions.length === 2 ? "place" : "places"})`;
  }
  parts.push(line);
  const comment = lambda && sym.definitions.length === 1 ? commentAbove(doc, sym.definitions[0].start) : null;
  if (comment) parts.splice(1, 0, comment);
  if (lambda) {
    const scope = doc.analysis().resolution.scopeOf.get(lambda);
    if (scope) parts.push(capturesText(scope));
  }
  if (ref.problem === "uncaptured-loop-variable") parts.push("⚠ closures do not capture loop variables: this read fails at run time.");
  if (ref.problem === "captured-index-assign") parts.push("⚠ index assignment looks the name up in this function's own frame, not the captured cell.");
  if (ref.problem === "captured-call") parts.push("⚠ a call by name does not see captured variables.");
  return parts.join("\n\n");
}

function capturesText(scope: FunctionScope): string {
  if (!scope.captures.length) return "captures nothing";
  return "captures " + scope.captures.map((c) => `\`${c.name}\` (from ${scopeTitle(c.owner)})`).join(", ");
}

function describeLambda(doc: OpenDocument, scope: FunctionScope): string {
  const node = scope.node as A.LambdaExpr;
  const name = scope.name ? `let ${scope.name} = ` : "";
  return [code(`${name}fn(${paramList(node)})`), `lambda on line ${lineOf(doc, node)}, made in ${scopeTitle(scope.parent)}`, capturesText(scope)].join("\n\n");
}

/** The lambda whose `fn` keyword is under the cursor. */
function lambdaKeywordAt(res: Resolution, offset: number): FunctionScope | null {
  for (const scope of res.scopes) {
    const start = scope.node.start;
    if (scope.kind === "lambda" && offset >= start && offset <= start + 2) return scope;
  }
  return null;
}
