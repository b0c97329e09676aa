// Whether a program calls `input()` anywhere (outside comments and strings), by the lexer. The
// desktop build bundles it apart (out/parts/inputCalls.js), loaded by the first run on save.
import { Lexer } from "../../compiler/src/lexer";
import { SyntaxKind } from "../../compiler/src/syntax";

export function usesInput(text: string): boolean {
  const lexer = new Lexer(text);
  for (let kind = lexer.next(); kind !== SyntaxKind.EndOfFile; kind = lexer.next()) {
    if (kind === SyntaxKind.InputKw) return true;
  }
  return false;
}
