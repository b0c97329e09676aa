// Lowering: the lossless syntax tree → the plain AST of ast.ts, with real spans everywhere,
// bytecode lines (relative inside f-string braces, compiler.md §6) and f-strings desugared.
// Broken input still gives a complete tree: missing pieces become Missing nodes or empty blocks.

import type * as A from "./ast";
import { decodeEscapes, decodeString } from "./lexer";
import type { ParseResult } from "./parser";
import { SyntaxKind as K, SyntaxNode, SyntaxToken } from "./syntax";
import { LineIndex } from "./text";

const memo = new WeakMap<ParseResult, A.Program>();

/** The AST of a parse result (computed once per result). */
export function toAst(result: ParseResult): A.Program {
  let p = memo.get(result);
  if (!p) {
    p = new Lowering(result.text).program(result.root);
    memo.set(result, p);
  }
  return p;
}

const EXPR_KINDS = new Set<K>([
  K.LiteralExpr, K.NameExpr, K.ArrayExpr, K.DictExpr, K.IndexExpr, K.CallExpr, K.BinaryExpr,
  K.UnaryExpr, K.ParenExpr, K.LambdaExpr, K.FStringExpr,
]);

function span(n: { start: number; end: number }): A.Span {
  return { start: n.start, end: n.end };
}

function exprNodes(n: SyntaxNode): SyntaxNode[] {
  return n.childNodes().filter((c) => EXPR_KINDS.has(c.kind));
}

function firstToken(n: SyntaxNode, kind: K): SyntaxToken | undefined {
  return n.childTokens().find((t) => t.kind === kind);
}

function firstNode(n: SyntaxNode, kind: K): SyntaxNode | undefined {
  return n.childNodes().find((c) => c.kind === kind);
}

class Lowering {
  private lines: LineIndex;
  /** Where the contents of the innermost enclosing f-string braces start (lines restart there). */
  private braceBase: number | null = null;

  constructor(private text: string) {
    this.lines = new LineIndex(text);
  }

  private line(offset: number): number {
    if (this.braceBase === null) return this.lines.lineOf(offset) + 1;
    let n = 1;
    for (let i = this.text.indexOf("\n", this.braceBase); i >= 0 && i < offset; i = this.text.indexOf("\n", i + 1)) n++;
    return n;
  }

  program(root: SyntaxNode): A.Program {
    return { kind: "Program", body: this.statements(root), span: { start: 0, end: this.text.length } };
  }

  private statements(list: SyntaxNode): A.Stmt[] {
    const out: A.Stmt[] = [];
    for (const c of list.childNodes()) {
      const s = this.statement(c);
      if (s) out.push(s);
    }
    return out;
  }

  private block(n: SyntaxNode | undefined, at: number): A.Block {
    if (!n) return { kind: "Block", body: [], span: { start: at, end: at } };
    return { kind: "Block", body: this.statements(n), span: span(n) };
  }

  private ident(t: SyntaxToken | undefined, at: number): A.Ident {
    if (!t) return { name: "", span: { start: at, end: at } };
    return { name: t.text, span: span(t) };
  }

  private expr(n: SyntaxNode | undefined, at: number): A.Expr {
    if (!n) return { kind: "Missing", span: { start: at, end: at } };
    return this.expression(n);
  }

  private statement(n: SyntaxNode): A.Stmt | null {
    const line = this.line(n.start);
    const sp = span(n);
    const exprs = () => exprNodes(n);
    switch (n.kind) {
      case K.LetStmt:
        return { kind: "Let", line, span: sp, name: this.ident(firstToken(n, K.Ident), n.end), value: this.expr(exprs()[0], n.end) };
      case K.PrintStmt:
        return { kind: "Print", line, span: sp, value: this.expr(exprs()[0], n.end) };
      case K.IfStmt:
      case K.ElseIfStmt: {
        const blocks = n.childNodes().filter((c) => c.kind === K.Block);
        const elseIf = firstNode(n, K.ElseIfStmt);
        const hasElse = firstToken(n, K.ElseKw) !== undefined;
        let otherwise: A.Block | A.IfStmt | null = null;
        if (elseIf) otherwise = this.statement(elseIf) as A.IfStmt;
        else if (hasElse) otherwise = this.block(blocks[1], n.end);
        return { kind: "If", line, span: sp, cond: this.expr(exprs()[0], n.end), then: this.block(blocks[0], n.end), else: otherwise };
      }
      case K.WhileStmt:
        return { kind: "While", line, span: sp, cond: this.expr(exprs()[0], n.end), body: this.block(firstNode(n, K.Block), n.end) };
      case K.ForStmt:
        return {
          kind: "For", line, span: sp, variable: this.ident(firstToken(n, K.Ident), n.end),
          iterable: this.expr(exprs()[0], n.end), body: this.block(firstNode(n, K.Block), n.end),
        };
      case K.FnDecl:
        return {
          kind: "FnDecl", line, span: sp, name: this.ident(firstToken(n, K.Ident), n.end),
          params: this.params(firstNode(n, K.ParamList)), body: this.block(firstNode(n, K.Block), n.end),
        };
      case K.ReturnStmt: {
        const e = exprs()[0];
        return { kind: "Return", line, span: sp, value: e ? this.expression(e) : null };
      }
      case K.BreakStmt:
        return { kind: "Break", line, span: sp };
      case K.ContinueStmt:
        return { kind: "Continue", line, span: sp };
      case K.IndexAssignStmt: {
        const target = firstNode(n, K.IndexExpr);
        const name = target ? firstNode(target, K.NameExpr) : undefined;
        const nameTok = name?.childTokens()[0];
        const index = target ? exprNodes(target)[1] : undefined;
        return {
          kind: "IndexAssign", line, span: sp, target: this.ident(nameTok, n.start),
          index: this.expr(index, target ? target.end : n.end), value: this.expr(exprs()[1], n.end),
        };
      }
      case K.ExprStmt:
        return { kind: "ExprStmt", line, span: sp, expr: this.expr(exprs()[0], n.end) };
      case K.ErrorStmt:
        return { kind: "ErrorStmt", line, span: sp };
      default:
        return null;
    }
  }

  private params(n: SyntaxNode | undefined): A.Ident[] {
    if (!n) return [];
    return n.childTokens().filter((t) => t.kind === K.Ident).map((t) => ({ name: t.text, span: span(t) }));
  }

  private expression(n: SyntaxNode): A.Expr {
    const sp = span(n);
    switch (n.kind) {
      case K.LiteralExpr: {
        const t = n.childTokens()[0];
        switch (t.kind) {
          case K.Number: return { kind: "Number", value: Number(t.text), span: sp };
          case K.String: case K.BadString: return { kind: "String", value: decodeString(t.text), span: sp };
          case K.TrueKw: return { kind: "Bool", value: true, span: sp };
          case K.FalseKw: return { kind: "Bool", value: false, span: sp };
          default: return { kind: "Missing", span: sp };
        }
      }
      case K.NameExpr:
        return { kind: "Var", name: n.childTokens()[0].text, span: sp };
      case K.ArrayExpr:
        return { kind: "Array", elements: exprNodes(n).map((e) => this.expression(e)), span: sp };
      case K.DictExpr:
        return {
          kind: "Dict", span: sp,
          entries: n.childNodes().filter((c) => c.kind === K.DictEntry).map((entry) => {
            const [k, v] = exprNodes(entry);
            return { key: this.expr(k, entry.start), value: this.expr(v, entry.end) };
          }),
        };
      case K.IndexExpr: {
        const [o, i] = exprNodes(n);
        return { kind: "Index", object: this.expr(o, n.start), index: this.expr(i, n.end), span: sp };
      }
      case K.CallExpr: {
        const callee = this.expr(exprNodes(n)[0], n.start);
        const argList = firstNode(n, K.ArgList);
        const args = argList ? exprNodes(argList).map((e) => this.expression(e)) : [];
        const lparen = argList ? firstToken(argList, K.LParen) : undefined;
        let inner: A.Expr = callee;
        while (inner.kind === "Paren") inner = inner.inner;
        return {
          kind: "Call", callee, name: inner.kind === "Var" ? inner.name : null, args, span: sp,
          line: this.line(lparen ? lparen.start : n.start),
          argsSpan: argList ? span(argList) : { start: callee.span.end, end: callee.span.end },
        };
      }
      case K.BinaryExpr: {
        const [l, r] = exprNodes(n);
        const op = n.childTokens()[0];
        const opSpan = op ? span(op) : { start: n.end, end: n.end };
        const opText = (op ? op.text : "+") as A.BinaryOp;
        return { kind: "Binary", op: opText, opSpan, left: this.expr(l, n.start), right: this.expr(r, opSpan.end), span: sp };
      }
      case K.UnaryExpr: {
        const op = n.childTokens()[0];
        return { kind: "Unary", op: op.kind === K.Minus ? "-" : "not", operand: this.expr(exprNodes(n)[0], n.end), span: sp };
      }
      case K.ParenExpr:
        return { kind: "Paren", inner: this.expr(exprNodes(n)[0], n.end), span: sp };
      case K.LambdaExpr: {
        const fn = firstToken(n, K.FnKw)!;
        return {
          kind: "Lambda", params: this.params(firstNode(n, K.ParamList)),
          body: this.block(firstNode(n, K.Block), n.end), line: this.line(fn.start), span: sp,
        };
      }
      case K.FStringExpr:
        return this.fstring(n);
      default:
        return { kind: "Missing", span: sp };
    }
  }

  private fstring(n: SyntaxNode): A.FStringExpr {
    const parts: A.FStringPart[] = [];
    const pieces: A.Expr[] = [];
    for (const c of n.children()) {
      if (c instanceof SyntaxToken) {
        if (c.kind !== K.FStringText) continue;
        const value = decodeEscapes(c.text, 0, c.text.length, true);
        parts.push({ kind: "Text", value, span: span(c) });
        if (value !== "") pieces.push({ kind: "String", value, span: span(c) });
      } else if (c.kind === K.Interpolation) {
        const saved = this.braceBase;
        this.braceBase = c.start + 1;
        const e = this.expr(exprNodes(c)[0], c.end - 1);
        this.braceBase = saved;
        parts.push({ kind: "Interpolation", expr: e, span: span(c) });
        pieces.push(e);
      }
    }
    let desugared: A.Expr;
    if (pieces.length === 0) desugared = { kind: "String", value: "", span: span(n) };
    else {
      desugared = pieces[0];
      for (let i = 1; i < pieces.length; i++) {
        const at = pieces[i].span.start;
        desugared = {
          kind: "Binary", op: "+", opSpan: { start: at, end: at }, left: desugared, right: pieces[i],
          span: { start: pieces[0].span.start, end: pieces[i].span.end },
        };
      }
    }
    return { kind: "FString", parts, desugared, span: span(n) };
  }
}

