// The statement grammar of language.md §2: program, blocks, statements, the else chain.

import type { Parser } from "../parser";
import { SyntaxKind } from "../syntax";
import { argList, expr, nameExpr, paramList } from "./expressions";

// Local aliases: a module-level constant is much faster to reach than an import binding.
const K = SyntaxKind;
type K = SyntaxKind;

export function program(p: Parser): void {
  p.startAt(0, K.Program); // before any leading trivia, which belongs inside the program
  for (;;) {
    p.skipNewlines();
    if (p.at(K.EndOfFile)) break;
    p.statementWithRecovery(false, statement, block, elsePart);
  }
  p.finishProgram();
}

export function block(p: Parser): void {
  p.depthIn();
  // Checked before the node starts, so a statement whose `{` is missing has no Block yet
  // (recovery then looks for one).
  if (!p.at(K.LBrace)) p.errorExpected("'{'");
  p.startNode(K.Block);
  p.bump();
  for (;;) {
    p.skipNewlines();
    if (p.at(K.RBrace)) {
      p.bump();
      break;
    }
    if (p.at(K.EndOfFile)) p.errorUnexpectedEof();
    p.statementWithRecovery(true, statement, block, elsePart);
  }
  p.finish();
  p.depthOut();
}

function statement(p: Parser): void {
  switch (p.kind) {
    case K.LetKw:
      p.startNode(K.LetStmt);
      p.bump();
      p.expect(K.Ident, "identifier");
      p.expect(K.Eq, "'='");
      expr(p);
      p.finish();
      return;
    case K.PrintKw:
      p.startNode(K.PrintStmt);
      p.bump();
      expr(p);
      p.finish();
      return;
    case K.IfKw:
      p.startNode(K.IfStmt);
      p.bump();
      expr(p);
      block(p);
      elsePart(p);
      p.finish();
      return;
    case K.WhileKw:
      p.startNode(K.WhileStmt);
      p.bump();
      expr(p);
      block(p);
      p.finish();
      return;
    case K.ForKw:
      p.startNode(K.ForStmt);
      p.bump();
      p.expect(K.Ident, "identifier");
      p.expect(K.InKw, "'in'");
      expr(p);
      block(p);
      p.finish();
      return;
    case K.FnKw:
      p.startNode(K.FnDecl);
      p.bump();
      p.expect(K.Ident, "identifier");
      paramList(p);
      block(p);
      p.finish();
      return;
    case K.ReturnKw:
      p.startNode(K.ReturnStmt);
      p.bump();
      if (!p.at(K.Newline) && !p.at(K.RBrace) && !p.at(K.EndOfFile)) expr(p);
      p.finish();
      return;
    case K.BreakKw:
      p.startNode(K.BreakStmt);
      p.bump();
      p.finish();
      return;
    case K.ContinueKw:
      p.startNode(K.ContinueStmt);
      p.bump();
      p.finish();
      return;
    case K.ExitKw: {
      // A bare `exit` is the call `exit()`: a CallExpr without an argument list.
      p.startNode(K.ExprStmt);
      const m = p.mark();
      nameExpr(p);
      p.startAt(m, K.CallExpr);
      if (p.at(K.LParen)) argList(p);
      p.finish();
      p.finish();
      return;
    }
    case K.AssertKw:
    case K.WriteFileKw:
    case K.ReadFileKw:
    case K.WriteHexKw:
    case K.ArgsKw:
    case K.MapKw:
    case K.FilterKw:
    case K.ReduceKw: {
      p.startNode(K.ExprStmt);
      const m = p.mark();
      nameExpr(p);
      p.startAt(m, K.CallExpr);
      argList(p);
      p.finish();
      p.finish();
      return;
    }
    case K.Ident:
      identStatement(p);
      return;
    default:
      p.errorExpected("statement");
  }
}

/** `f(…)`, `a[i] = v`, or `a[i]` followed by any calls and indexes. */
function identStatement(p: Parser): void {
  p.startNode(K.ExprStmt);
  const m = p.mark();
  nameExpr(p);
  if (p.at(K.LParen)) {
    p.startAt(m, K.CallExpr);
    argList(p);
    p.finish();
  } else if (p.at(K.LBracket)) {
    index(p, m);
    if (p.at(K.Eq)) {
      p.retype(K.IndexAssignStmt);
      p.bump();
      expr(p);
    } else {
      for (;;) {
        if (p.at(K.LParen)) {
          p.startAt(m, K.CallExpr);
          argList(p);
          p.finish();
        } else if (p.at(K.LBracket)) {
          index(p, m);
        } else {
          break;
        }
      }
    }
  } else {
    p.errorExpected("'(' or '['");
  }
  p.finish();
}

function index(p: Parser, m: number): void {
  p.startAt(m, K.IndexExpr);
  p.bump();
  p.brackets.push(K.LBracket);
  expr(p);
  p.expect(K.RBracket, "']'");
  p.brackets.pop();
  p.finish();
}

/** After an if's block: `else if …`, `else { … }`, or nothing (newlines before else are skipped). */
export function elsePart(p: Parser): void {
  if (p.at(K.Newline)) {
    const next = p.peekPastNewlines();
    if (next !== K.ElseKw && next !== K.ElseIfKw) return;
    p.skipNewlines();
  }
  if (p.at(K.ElseIfKw)) {
    p.startNode(K.ElseIfStmt);
    p.bump();
    expr(p);
    block(p);
    elsePart(p);
    p.finish();
  } else if (p.at(K.ElseKw)) {
    p.bump();
    block(p);
  }
}
