// The expression grammar of language.md §2: precedence levels, postfix calls and indexes,
// literals, lambdas and f-strings (whose `{…}` contents are parsed as real child nodes).

import type { Parser } from "../parser";
import { SyntaxKind, isBuiltinKeyword as isBuiltinKeywordImported } from "../syntax";
import { block } from "./statements";

// Local aliases: a module-level constant is much faster to reach than an import binding.
const K = SyntaxKind;
type K = SyntaxKind;
const isBuiltinKeyword = isBuiltinKeywordImported;

export function expr(p: Parser): void {
  p.depthIn();
  or(p);
  p.depthOut();
}

function or(p: Parser): void {
  const m = p.mark();
  and(p);
  while (p.at(K.OrKw)) {
    p.startAt(m, K.BinaryExpr);
    p.bump();
    and(p);
    p.finish();
  }
}

function and(p: Parser): void {
  const m = p.mark();
  comparison(p);
  while (p.at(K.AndKw)) {
    p.startAt(m, K.BinaryExpr);
    p.bump();
    comparison(p);
    p.finish();
  }
}

function isComparison(k: K): boolean {
  return k === K.Lt || k === K.LtEq || k === K.Gt || k === K.GtEq || k === K.EqEq || k === K.BangEq;
}

function comparison(p: Parser): void {
  const m = p.mark();
  additive(p);
  while (isComparison(p.kind)) {
    p.startAt(m, K.BinaryExpr);
    p.bump();
    additive(p);
    p.finish();
  }
}

function additive(p: Parser): void {
  const m = p.mark();
  multiplicative(p);
  while (p.at(K.Plus) || p.at(K.Minus)) {
    p.startAt(m, K.BinaryExpr);
    p.bump();
    multiplicative(p);
    p.finish();
  }
}

function multiplicative(p: Parser): void {
  const m = p.mark();
  unary(p);
  while (p.at(K.Star) || p.at(K.Slash) || p.at(K.Percent)) {
    p.startAt(m, K.BinaryExpr);
    p.bump();
    unary(p);
    p.finish();
  }
}

function unary(p: Parser): void {
  if (p.at(K.NotKw) || p.at(K.Bang) || p.at(K.Minus)) {
    p.depthIn();
    p.startNode(K.UnaryExpr);
    p.bump();
    unary(p);
    p.finish();
    p.depthOut();
    return;
  }
  postfix(p);
}

function postfix(p: Parser): void {
  const m = p.mark();
  primary(p);
  for (;;) {
    if (p.at(K.LBracket)) {
      p.startAt(m, K.IndexExpr);
      p.bump();
      p.brackets.push(K.LBracket);
      expr(p);
      p.expect(K.RBracket, "']'");
      p.brackets.pop();
      p.finish();
    } else if (p.at(K.LParen)) {
      p.startAt(m, K.CallExpr);
      argList(p);
      p.finish();
    } else {
      return;
    }
  }
}

export function nameExpr(p: Parser): void {
  p.leafNode(K.NameExpr);
}

function primary(p: Parser): void {
  const k = p.kind;
  switch (k) {
    case K.Number:
    case K.String:
    case K.BadString:
    case K.BadFString:
    case K.TrueKw:
    case K.FalseKw:
      p.leafNode(K.LiteralExpr);
      return;
    case K.FString:
      fstring(p);
      return;
    case K.FnKw:
      p.startNode(K.LambdaExpr);
      p.bump();
      paramList(p);
      block(p);
      p.finish();
      return;
    case K.Ident:
      nameExpr(p);
      return;
    case K.LBracket:
      array(p);
      return;
    case K.LBrace:
      dict(p);
      return;
    case K.LParen:
      p.startNode(K.ParenExpr);
      p.bump();
      p.brackets.push(K.LParen);
      expr(p);
      p.expect(K.RParen, "')'");
      p.brackets.pop();
      p.finish();
      return;
    default:
      if (isBuiltinKeyword(k)) {
        nameExpr(p);
        return;
      }
      p.errorExpected("expression");
  }
}

function array(p: Parser): void {
  p.startNode(K.ArrayExpr);
  p.bump();
  p.brackets.push(K.LBracket);
  p.skipNewlines();
  if (!p.at(K.RBracket)) {
    for (;;) {
      p.skipNewlines();
      expr(p);
      p.skipNewlines();
      if (!p.at(K.Comma)) break;
      p.bump();
      p.skipNewlines();
    }
    p.skipNewlines();
  }
  p.expect(K.RBracket, "']'");
  p.brackets.pop();
  p.finish();
}

function dict(p: Parser): void {
  p.startNode(K.DictExpr);
  p.bump();
  p.brackets.push(K.LBrace);
  p.skipNewlines();
  if (!p.at(K.RBrace)) {
    for (;;) {
      p.skipNewlines();
      p.startNode(K.DictEntry);
      expr(p);
      p.expect(K.Colon, "':'");
      expr(p);
      p.finish();
      p.skipNewlines();
      if (!p.at(K.Comma)) break;
      p.bump();
      p.skipNewlines();
    }
    p.skipNewlines();
  }
  p.expect(K.RBrace, "'}'");
  p.brackets.pop();
  p.finish();
}

/** `( [ expr { , expr } ] )` on one line. */
export function argList(p: Parser): void {
  p.startNode(K.ArgList);
  p.expect(K.LParen, "'('");
  p.brackets.push(K.LParen);
  if (!p.at(K.RParen)) {
    expr(p);
    while (p.at(K.Comma)) {
      p.bump();
      expr(p);
    }
  }
  p.expect(K.RParen, "')'");
  p.brackets.pop();
  p.finish();
}

export function paramList(p: Parser): void {
  p.startNode(K.ParamList);
  p.expect(K.LParen, "'('");
  p.brackets.push(K.LParen);
  if (!p.at(K.RParen)) {
    p.expect(K.Ident, "identifier");
    while (p.at(K.Comma)) {
      p.bump();
      p.expect(K.Ident, "identifier");
    }
  }
  p.expect(K.RParen, "')'");
  p.brackets.pop();
  p.finish();
}

/**
 * Splits the FString token into `f"`, literal pieces, `{ … }` interpolations (contents parsed on
 * their own) and the closing `"`, all at their real offsets.
 */
function fstring(p: Parser): void {
  const s = p.start;
  const e = p.end; // the closing quote is at e - 1
  p.startNode(K.FStringExpr);
  p.pushPiece(K.FStringStart, s, s + 2);
  let i = s + 2;
  let run = i;
  while (i < e - 1) {
    const c = p.currentChar(i);
    if (c === 92) {
      i += 2;
    } else if (c === 123) {
      if (i > run) p.pushPiece(K.FStringText, run, i);
      const close = p.matchingBraceInCurrent(i + 1, e);
      p.startNode(K.Interpolation);
      p.pushPiece(K.LBrace, i, i + 1);
      p.parseBraces(i + 1, close, expr);
      p.pushPiece(K.RBrace, close, close + 1);
      p.finish();
      i = close + 1;
      run = i;
    } else {
      i++;
    }
  }
  if (e - 1 > run) p.pushPiece(K.FStringText, run, e - 1);
  p.pushPiece(K.FStringEnd, e - 1, e);
  p.finish();
  p.advance();
}
