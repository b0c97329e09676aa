// Lowering: the lossless syntax tree → the plain AST of ast.ts, with real spans everywhere,
// bytecode lines (relative inside f-string braces, compiler.md §6) and f-strings desugared.
// Broken input still gives a complete tree: missing pieces become Missing nodes or empty blocks.
// It walks the green tree directly, computing offsets as it goes: no red nodes, little garbage.

import type * as A from "./ast";
import { decodeEscapes, decodeString } from "./lexer";
import type { ParseResult } from "./parser";
import { GreenNode, GreenToken, SyntaxKind } from "./syntax";
import { LineIndex } from "./text";

// Local aliases: a module-level constant is much faster to reach than an import binding.
const K = SyntaxKind;
type K = SyntaxKind;
const GreenNodeClass = GreenNode;

const memo = new WeakMap<ParseResult, A.Program>();

/**
 * The AST of a parse result (computed once per result). `lines`, an index of the same text the
 * caller already has, saves indexing it again (a large file's lines, at every edit).
 */
export function toAst(result: ParseResult, lines?: LineIndex): A.Program {
  let p = memo.get(result);
  if (!p) {
    const root = result.root;
    const lowering = new Lowering(lines && lines.text === result.text ? lines : lineIndexOf(result.text));
    p = { kind: "Program", body: lowering.statements(root.green, root.start), start: 0, end: result.text.length };
    memo.set(result, p);
    kept.lowering = lowering;
  }
  return p;
}

/**
 * The last Lowering (it holds only the line index, kept anyway) and one Parts, kept alive on
 * purpose: a full collection that finds no object of a class left drops its hidden class and the
 * optimised code built on it, and the next lowering of a large file ran much slower.
 */
const kept: { lowering: Lowering | null; parts: Parts | null } = { lowering: null, parts: null };

// Callers lowering parts of one document in turn pass the same text: index its lines once.
let lastText: string | null = null;
let lastIndex: LineIndex | null = null;

function lineIndexOf(text: string): LineIndex {
  if (lastText !== text || !lastIndex) {
    lastIndex = new LineIndex(text);
    lastText = text;
  }
  return lastIndex;
}

/**
 * `xs` at its exact length. An array grown by push from empty reserves room for 17 items, and
 * the AST's lists (a block's statements, a call's arguments, parameters) mostly hold one to
 * three for as long as the document is open: on the 20 000-line bench file that slack was about
 * a tenth of the server's heap.
 */
function exactly<T>(xs: T[]): T[] {
  return xs.length > 0 && xs.length < 17 ? xs.slice() : xs;
}

function isExprKind(k: K): boolean {
  switch (k) {
    case K.LiteralExpr: case K.NameExpr: case K.ArrayExpr: case K.DictExpr: case K.IndexExpr:
    case K.CallExpr: case K.BinaryExpr: case K.UnaryExpr: case K.ParenExpr: case K.LambdaExpr:
    case K.FStringExpr:
      return true;
    default:
      return false;
  }
}

function isChainLink(n: GreenNode | null): boolean {
  return n !== null && (n.kind === K.BinaryExpr || n.kind === K.IndexExpr || n.kind === K.CallExpr);
}

/** A node's range. Nodes begin and end with significant tokens: trivia is left to their parents. */
function trimmed(n: GreenNode, start: number): A.Span {
  return { start, end: start + n.width };
}

/**
 * The pieces of one node that lowering needs, found in one pass over its children: its first two
 * expressions and blocks, its first name, its first token and one child node of a given kind,
 * with their offsets. (Plain fields rather than arrays: lowering makes one per node.)
 */
class Parts {
  e0: GreenNode | null = null;
  s0 = 0;
  e1: GreenNode | null = null;
  s1 = 0;
  b0: GreenNode | null = null;
  bs0 = 0;
  b1: GreenNode | null = null;
  bs1 = 0;
  ident: GreenToken | null = null;
  identStart = 0;
  token: GreenToken | null = null;
  tokenStart = 0;
  node: GreenNode | null = null;
  nodeStart = 0;
  hasElse = false;

  constructor(n: GreenNode, start: number, nodeKind: K | null) {
    this.reset(n, start, nodeKind);
  }

  reset(n: GreenNode, start: number, nodeKind: K | null): this {
    this.e0 = this.e1 = this.b0 = this.b1 = this.node = null;
    this.ident = this.token = null;
    this.s0 = this.s1 = this.bs0 = this.bs1 = this.identStart = this.tokenStart = this.nodeStart = 0;
    this.hasElse = false;
    let offset = start;
    for (const c of n.children) {
      if (c instanceof GreenNodeClass) {
        if (isExprKind(c.kind)) {
          if (this.e0 === null) {
            this.e0 = c;
            this.s0 = offset;
          } else if (this.e1 === null) {
            this.e1 = c;
            this.s1 = offset;
          }
        } else if (c.kind === K.Block) {
          if (this.b0 === null) {
            this.b0 = c;
            this.bs0 = offset;
          } else if (this.b1 === null) {
            this.b1 = c;
            this.bs1 = offset;
          }
        } else if (c.kind === nodeKind && this.node === null) {
          this.node = c;
          this.nodeStart = offset;
        }
      } else if (c.kind > K.BadChar) {
        if (c.kind === K.Ident && this.ident === null) {
          this.ident = c;
          this.identStart = offset;
        } else if (c.kind === K.ElseKw) {
          this.hasElse = true;
        }
        if (this.token === null && c.kind !== K.Newline) {
          this.token = c;
          this.tokenStart = offset;
        }
      }
      offset += c.width;
    }
    return this;
  }
}

class Lowering {
  /** Where the contents of the innermost enclosing f-string braces start (lines restart there). */
  private braceBase = -1;
  /**
   * Parts made over and over, one per node: a stack of them reused instead (each statement and
   * expression gives back the ones it took when it returns), so lowering a large file makes
   * little garbage besides the AST.
   */
  private readonly pool: Parts[] = [];
  private depth = 0;

  private parts(n: GreenNode, start: number, nodeKind: K | null): Parts {
    const d = this.depth++;
    const p = this.pool[d];
    if (p) return p.reset(n, start, nodeKind);
    return (this.pool[d] = new Parts(n, start, nodeKind));
  }

  constructor(private lines: LineIndex) {}

  private line(offset: number): number {
    if (this.braceBase < 0) return this.lines.lineOf(offset) + 1;
    // Lines inside braces count from the brace contents; the index gives the newlines between.
    return this.lines.lineOf(offset) - this.lines.lineOf(this.braceBase) + 1;
  }

  statements(list: GreenNode, start: number): A.Stmt[] {
    const out: A.Stmt[] = [];
    let offset = start;
    for (const c of list.children) {
      if (c instanceof GreenNodeClass) {
        const s = this.statement(c, offset);
        if (s) out.push(s);
      }
      offset += c.width;
    }
    return exactly(out);
  }

  private block(n: GreenNode | null, start: number, at: number): A.Block {
    if (!n) return { kind: "Block", body: [], start: at, end: at };
    return { kind: "Block", body: this.statements(n, start), start, end: start + n.width };
  }

  private ident(t: GreenToken | null, start: number, at: number): A.Ident {
    if (!t) return { name: "", start: at, end: at };
    return { name: t.text, start, end: start + t.width };
  }

  private expr(parts: Parts, i: 0 | 1, at: number): A.Expr {
    const n = i === 0 ? parts.e0 : parts.e1;
    if (!n) return { kind: "Missing", start: at, end: at };
    return this.expression(n, i === 0 ? parts.s0 : parts.s1);
  }

  /** Every expression child, in order (array elements, call arguments). */
  private allExprs(n: GreenNode, start: number): A.Expr[] {
    const out: A.Expr[] = [];
    let offset = start;
    for (const c of n.children) {
      if (c instanceof GreenNodeClass && isExprKind(c.kind)) out.push(this.expression(c, offset));
      offset += c.width;
    }
    return exactly(out);
  }

  private statement(n: GreenNode, start: number): A.Stmt | null {
    const depth = this.depth;
    const s = this.statementAt(n, start);
    this.depth = depth;
    return s;
  }

  private statementAt(n: GreenNode, start: number): A.Stmt | null {
    const sp = trimmed(n, start);
    const end = sp.end;
    const line = this.line(sp.start);
    switch (n.kind) {
      case K.LetStmt: {
        const p = this.parts(n, start, null);
        return { kind: "Let", line, start: sp.start, end: sp.end, name: this.ident(p.ident, p.identStart, end), value: this.expr(p, 0, end) };
      }
      case K.PrintStmt:
        return { kind: "Print", line, start: sp.start, end: sp.end, value: this.expr(this.parts(n, start, null), 0, end) };
      case K.IfStmt:
      case K.ElseIfStmt: {
        const p = this.parts(n, start, K.ElseIfStmt);
        let otherwise: A.Block | A.IfStmt | null = null;
        if (p.node) otherwise = this.statement(p.node, p.nodeStart) as A.IfStmt;
        else if (p.hasElse) otherwise = this.block(p.b1, p.bs1, end);
        return { kind: "If", line, start: sp.start, end: sp.end, cond: this.expr(p, 0, end), then: this.block(p.b0, p.bs0, end), else: otherwise };
      }
      case K.WhileStmt: {
        const p = this.parts(n, start, null);
        return { kind: "While", line, start: sp.start, end: sp.end, cond: this.expr(p, 0, end), body: this.block(p.b0, p.bs0, end) };
      }
      case K.ForStmt: {
        const p = this.parts(n, start, null);
        return {
          kind: "For", line, start: sp.start, end: sp.end, variable: this.ident(p.ident, p.identStart, end),
          iterable: this.expr(p, 0, end), body: this.block(p.b0, p.bs0, end),
        };
      }
      case K.FnDecl: {
        const p = this.parts(n, start, K.ParamList);
        return {
          kind: "FnDecl", line, start: sp.start, end: sp.end, name: this.ident(p.ident, p.identStart, end),
          params: this.params(p.node, p.nodeStart), body: this.block(p.b0, p.bs0, end),
        };
      }
      case K.ReturnStmt: {
        const p = this.parts(n, start, null);
        return { kind: "Return", line, start: sp.start, end: sp.end, value: p.e0 ? this.expr(p, 0, end) : null };
      }
      case K.BreakStmt:
        return { kind: "Break", line, start: sp.start, end: sp.end };
      case K.ContinueStmt:
        return { kind: "Continue", line, start: sp.start, end: sp.end };
      case K.IndexAssignStmt: {
        // children: IndexExpr(NameExpr [ index ]) = value
        const p = this.parts(n, start, null);
        const target = p.e0;
        let name: A.Ident = { name: "", start: sp.start, end: sp.start };
        let index: A.Expr = { kind: "Missing", start: end, end };
        if (target && target.kind === K.IndexExpr) {
          const t = this.parts(target, p.s0, null);
          const nameNode = t.e0;
          if (nameNode && nameNode.kind === K.NameExpr) {
            const tok = nameNode.children[0] as GreenToken;
            name = { name: tok.text, start: t.s0, end: t.s0 + tok.width };
          }
          index = this.expr(t, 1, t.e0 ? t.s0 + t.e0.width : end);
        }
        return { kind: "IndexAssign", line, start: sp.start, end: sp.end, target: name, index, value: this.expr(p, 1, end) };
      }
      case K.ExprStmt:
        return { kind: "ExprStmt", line, start: sp.start, end: sp.end, expr: this.expr(this.parts(n, start, null), 0, end) };
      case K.ErrorStmt:
        return { kind: "ErrorStmt", line, start: sp.start, end: sp.end };
      default:
        return null;
    }
  }

  private params(n: GreenNode | null, start: number): A.Ident[] {
    const out: A.Ident[] = [];
    if (!n) return out;
    let offset = start;
    for (const c of n.children) {
      if (!(c instanceof GreenNodeClass) && c.kind === K.Ident) out.push({ name: c.text, start: offset, end: offset + c.width });
      offset += c.width;
    }
    return exactly(out);
  }

  private expression(n: GreenNode, start: number): A.Expr {
    const depth = this.depth;
    const e = this.expressionAt(n, start);
    this.depth = depth;
    return e;
  }

  private expressionAt(n: GreenNode, start: number): A.Expr {
    const sp = trimmed(n, start);
    switch (n.kind) {
      case K.LiteralExpr: {
        const t = n.children[0] as GreenToken;
        switch (t.kind) {
          case K.Number: return { kind: "Number", value: Number(t.text), start: sp.start, end: sp.end };
          case K.String: case K.BadString: return { kind: "String", value: decodeString(t.text), start: sp.start, end: sp.end };
          case K.TrueKw: return { kind: "Bool", value: true, start: sp.start, end: sp.end };
          case K.FalseKw: return { kind: "Bool", value: false, start: sp.start, end: sp.end };
          default: return { kind: "Missing", start: sp.start, end: sp.end };
        }
      }
      case K.NameExpr:
        return { kind: "Var", name: (n.children[0] as GreenToken).text, start: sp.start, end: sp.end };
      case K.ArrayExpr:
        return { kind: "Array", elements: this.allExprs(n, start), start: sp.start, end: sp.end };
      case K.DictExpr: {
        const entries: { key: A.Expr; value: A.Expr }[] = [];
        let offset = start;
        for (const c of n.children) {
          if (c instanceof GreenNodeClass && c.kind === K.DictEntry) {
            const p = this.parts(c, offset, null);
            entries.push({ key: this.expr(p, 0, offset), value: this.expr(p, 1, offset + c.width) });
            this.depth--;
          }
          offset += c.width;
        }
        return { kind: "Dict", entries: exactly(entries), start: sp.start, end: sp.end };
      }
      case K.IndexExpr:
      case K.CallExpr:
      case K.BinaryExpr:
        return this.chain(n, start);
      case K.UnaryExpr: {
        const p = this.parts(n, start, null);
        return { kind: "Unary", op: p.token && p.token.kind === K.Minus ? "-" : "not", operand: this.expr(p, 0, sp.end), start: sp.start, end: sp.end };
      }
      case K.ParenExpr:
        return { kind: "Paren", inner: this.expr(this.parts(n, start, null), 0, sp.end), start: sp.start, end: sp.end };
      case K.LambdaExpr: {
        const p = this.parts(n, start, K.ParamList);
        return {
          kind: "Lambda", params: this.params(p.node, p.nodeStart),
          body: this.block(p.b0, p.bs0, sp.end), line: this.line(p.tokenStart), start: sp.start, end: sp.end,
        };
      }
      case K.FStringExpr:
        return this.fstring(n, start, sp);
      default:
        return { kind: "Missing", start: sp.start, end: sp.end };
    }
  }

  /**
   * Binary operations, indexes and calls nest to the left (`a + b + c`, `f(1)(2)`) and a program
   * may chain thousands: lower the left spine in a loop, not by recursion.
   */
  private chain(n: GreenNode, start: number): A.Expr {
    // Most chains are one link long: no arrays for those.
    let p = this.parts(n, start, n.kind === K.CallExpr ? K.ArgList : null);
    if (!isChainLink(p.e0)) return this.chainLink(n, start, null, p);
    const spine: GreenNode[] = [n];
    const starts: number[] = [start];
    const parts: Parts[] = [p];
    while (isChainLink(p.e0)) {
      const node: GreenNode = p.e0!;
      const at = p.s0;
      p = new Parts(node, at, node.kind === K.CallExpr ? K.ArgList : null);
      spine.push(node);
      starts.push(at);
      parts.push(p);
    }
    let acc: A.Expr | null = null;
    for (let i = spine.length - 1; i >= 0; i--) acc = this.chainLink(spine[i], starts[i], acc, parts[i]);
    return acc!;
  }

  /**
   * One link of a chain, given its parts (ArgList as the node of a call); `first` is its left
   * operand (callee, object) already lowered, if any.
   */
  private chainLink(n: GreenNode, start: number, first: A.Expr | null, p: Parts): A.Expr {
    const sp = trimmed(n, start);
    switch (n.kind) {
      case K.IndexExpr: {
        return { kind: "Index", object: first ?? this.expr(p, 0, sp.start), index: this.expr(p, 1, sp.end), start: sp.start, end: sp.end };
      }
      case K.CallExpr: {
        const callee = first ?? this.expr(p, 0, sp.start);
        let args: A.Expr[] = [];
        let lparen = -1;
        let argsStart = callee.end;
        let argsEnd = callee.end;
        if (p.node) {
          args = this.allExprs(p.node, p.nodeStart);
          const open = p.node.children[0];
          if (open && open.kind === K.LParen) lparen = p.nodeStart;
          argsStart = p.nodeStart;
          argsEnd = p.nodeStart + p.node.width;
        }
        let inner: A.Expr = callee;
        while (inner.kind === "Paren") inner = inner.inner;
        return {
          kind: "Call", callee, name: inner.kind === "Var" ? inner.name : null, args, start: sp.start, end: sp.end,
          line: this.line(lparen >= 0 ? lparen : sp.start), argsStart, argsEnd,
        };
      }
      case K.BinaryExpr: {
        const op = p.token;
        const opStart = op ? p.tokenStart : sp.end;
        const opEnd = op ? p.tokenStart + op.width : sp.end;
        return {
          kind: "Binary", op: (op ? op.text : "+") as A.BinaryOp, opStart, opEnd,
          left: first ?? this.expr(p, 0, sp.start), right: this.expr(p, 1, opEnd), start: sp.start, end: sp.end,
        };
      }
      default:
        return { kind: "Missing", start: sp.start, end: sp.end };
    }
  }

  private fstring(n: GreenNode, start: number, sp: A.Span): A.FStringExpr {
    const parts: A.FStringPart[] = [];
    const pieces: A.Expr[] = [];
    let offset = start;
    for (const c of n.children) {
      if (!(c instanceof GreenNodeClass)) {
        if (c.kind === K.FStringText) {
          const value = decodeEscapes(c.text, 0, c.text.length, true);
          parts.push({ kind: "Text", value, start: offset, end: offset + c.width });
          if (value !== "") pieces.push({ kind: "String", value, start: offset, end: offset + c.width });
        }
      } else if (c.kind === K.Interpolation) {
        const saved = this.braceBase;
        this.braceBase = offset + 1;
        const e = this.expr(this.parts(c, offset, null), 0, offset + c.width - 1);
        this.depth--;
        this.braceBase = saved;
        parts.push({ kind: "Interpolation", expr: e, start: offset, end: offset + c.width });
        pieces.push(e);
      }
      offset += c.width;
    }
    let desugared: A.Expr;
    if (pieces.length === 0) desugared = { kind: "String", value: "", start: sp.start, end: sp.end };
    else {
      desugared = pieces[0];
      for (let i = 1; i < pieces.length; i++) {
        const at = pieces[i].start;
        desugared = {
          kind: "Binary", op: "+", opStart: at, opEnd: at, left: desugared, right: pieces[i],
          start: pieces[0].start, end: pieces[i].end,
        };
      }
    }
    return { kind: "FString", parts, desugared, start: sp.start, end: sp.end };
  }
}

kept.parts = new Parts(new GreenNode(K.Error, 0, [], 0, 0), 0, null);
