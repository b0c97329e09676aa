// The lexer of language.md §1: token kinds and extents, trivia, else-if merging, strings with
// escapes and continued lines, f-strings with nested braces and quotes, unicode identifiers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Lexer, decodeEscapes, decodeString } from "../src/lexer";
import { SyntaxKind, kindName } from "../src/syntax";

/** Every token (trivia included) as "Kind:text". */
function lex(text: string): string[] {
  const lx = new Lexer(text);
  const out: string[] = [];
  for (;;) {
    const k = lx.next();
    if (k === SyntaxKind.EndOfFile) return out;
    out.push(`${kindName(k)}:${text.slice(lx.tokenStart, lx.pos)}`);
  }
}

/** Only the significant tokens. */
function sig(text: string): string[] {
  return lex(text).filter((t) => !/^(Whitespace|Comment):/.test(t));
}

test("punctuation and operators, longest match", () => {
  assert.deepEqual(sig("(){}[],:+-*/%= == ! != < <= > >="), [
    "LParen:(", "RParen:)", "LBrace:{", "RBrace:}", "LBracket:[", "RBracket:]", "Comma:,", "Colon::",
    "Plus:+", "Minus:-", "Star:*", "Slash:/", "Percent:%", "Eq:=", "EqEq:==", "Bang:!", "BangEq:!=",
    "Lt:<", "LtEq:<=", "Gt:>", "GtEq:>=",
  ]);
  assert.deepEqual(sig("a===b"), ["Ident:a", "EqEq:==", "Eq:=", "Ident:b"]);
});

test("trivia: spaces, tabs and \\r are skipped; # comments run to the newline; \\n is a token", () => {
  assert.deepEqual(lex("x \t\r# note\n y"), ["Ident:x", "Whitespace: \t\r", "Comment:# note", "Newline:\n", "Whitespace: ", "Ident:y"]);
});

test("numbers: a dot is taken only before a digit; no exponent, no sign", () => {
  assert.deepEqual(sig("12.5 1. 1e5 007 3.25.5"), ["Number:12.5", "Number:1", "BadChar:.", "Number:1", "Ident:e5", "Number:007", "Number:3.25", "BadChar:.", "Number:5"]);
  assert.deepEqual(sig("-4"), ["Minus:-", "Number:4"]);
});

test("identifiers: unicode letters and digits, keywords, builtin keywords, num_to_hex is a name", () => {
  assert.deepEqual(sig("café naïve_2 x٣ _a Ωmega"), ["Ident:café", "Ident:naïve_2", "Ident:x٣", "Ident:_a", "Ident:Ωmega"]);
  assert.deepEqual(sig("let print length write_hex num_to_hex"), ["LetKw:let", "PrintKw:print", "LengthKw:length", "WriteHexKw:write_hex", "Ident:num_to_hex"]);
  assert.deepEqual(sig("letter iff"), ["Ident:letter", "Ident:iff"]);
});

test("unexpected characters are one code point each", () => {
  assert.deepEqual(sig("a $ ; & \u00a0 😀 b"), ["Ident:a", "BadChar:$", "BadChar:;", "BadChar:&", "BadChar:\u00a0", "BadChar:😀", "Ident:b"]);
  assert.deepEqual(sig("\f"), ["BadChar:\f"]);
});

test("else followed by newlines, spaces and comments, then if, is one token", () => {
  assert.deepEqual(sig("else if"), ["ElseIfKw:else if"]);
  assert.deepEqual(sig("else\n\n  # c\n if x"), ["ElseIfKw:else\n\n  # c\n if", "Ident:x"]);
  assert.deepEqual(sig("else iffy"), ["ElseKw:else", "Ident:iffy"]);
  assert.deepEqual(sig("else {"), ["ElseKw:else", "LBrace:{"]);
  assert.deepEqual(sig("else\n{"), ["ElseKw:else", "Newline:\n", "LBrace:{"]);
  assert.deepEqual(sig("else\nif"), ["ElseIfKw:else\nif"]);
  assert.deepEqual(sig("elsewhere if"), ["Ident:elsewhere", "IfKw:if"]);
});

test("strings: escapes, other backslashes kept, backslash-newline continues, raw newline ends badly", () => {
  assert.deepEqual(sig('"a\\"b" "c"'), ['String:"a\\"b"', 'String:"c"']);
  assert.deepEqual(sig('"one \\\ntwo" x'), ['String:"one \\\ntwo"', "Ident:x"]);
  assert.deepEqual(sig('"open\nx'), ['BadString:"open', "Newline:\n", "Ident:x"]);
  assert.deepEqual(sig('"end\\'), ['BadString:"end\\']);
  assert.equal(decodeString('"t\\tn\\nr\\rq\\"b\\\\ \\q"'), 't\tn\nr\rq"b\\ \\q');
  assert.equal(decodeString('"a\\\nb"'), "a\\\nb");
  assert.equal(decodeString('"open'), "open");
});

test("f-strings: braces copied raw with nesting, quotes and newlines inside braces", () => {
  assert.deepEqual(sig('f"a{b}c" f'), ['FString:f"a{b}c"', "Ident:f"]);
  assert.deepEqual(sig('f"{d["a"]}" 1'), ['FString:f"{d["a"]}"', "Number:1"]);
  assert.deepEqual(sig('f"{ {"k": 1}["k"] }"'), ['FString:f"{ {"k": 1}["k"] }"']);
  assert.deepEqual(sig('f"{x\n+ 1}"'), ['FString:f"{x\n+ 1}"']);
  assert.deepEqual(sig('f"a}b\\{c"'), ['FString:f"a}b\\{c"']);
  assert.deepEqual(sig('f"line\\\nnext"'), ['FString:f"line\\\nnext"']);
  assert.deepEqual(sig('f"open\nx'), ['BadFString:f"open', "Newline:\n", "Ident:x"]);
  assert.deepEqual(sig('f"{open\n"x"'), ['BadFString:f"{open\n"x"']);
  assert.deepEqual(sig('ff"x"'), ["Ident:ff", 'String:"x"']);
  assert.equal(decodeEscapes('a\\{b\\}\\n\\q', 0, 11, true), "a{b}\n\\q");
});

test("a bounded lexer stops at its end (f-string brace contents)", () => {
  const text = 'f"{a + "b"}"';
  const lx = new Lexer(text, 3, 10);
  const kinds: string[] = [];
  for (let k = lx.next(); k !== SyntaxKind.EndOfFile; k = lx.next()) kinds.push(kindName(k));
  assert.deepEqual(kinds, ["Ident", "Whitespace", "Plus", "Whitespace", "String"]);
});

test("examinedEnd covers the lookahead that decided a token", () => {
  const lx = new Lexer("1.x");
  lx.next();
  assert.equal(lx.pos, 1);
  assert.ok(lx.examinedEnd >= 3, "looked at the character after the dot");
  const e = new Lexer("else\n\n\nx");
  e.next();
  assert.equal(e.pos, 4);
  assert.ok(e.examinedEnd >= 8, "looked past the newlines for an if");
});
