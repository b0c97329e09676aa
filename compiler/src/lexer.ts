// The lexer of language.md §1: one token (trivia included) at a time from any token boundary,
// so the incremental parser can restart it anywhere. Lexical errors are token kinds
// (BadChar, BadString, BadFString); the parser turns them into diagnostics.

import { SyntaxKind } from "./syntax";

// Local aliases: a module-level constant is much faster to reach than an import binding.
const K = SyntaxKind;
type K = SyntaxKind;

const KEYWORDS = new Map<string, K>([
  ["let", K.LetKw], ["print", K.PrintKw], ["if", K.IfKw], ["else", K.ElseKw], ["while", K.WhileKw],
  ["for", K.ForKw], ["in", K.InKw], ["and", K.AndKw], ["or", K.OrKw], ["not", K.NotKw], ["fn", K.FnKw],
  ["return", K.ReturnKw], ["break", K.BreakKw], ["continue", K.ContinueKw], ["true", K.TrueKw],
  ["false", K.FalseKw], ["assert", K.AssertKw], ["type_of", K.TypeOfKw], ["exit", K.ExitKw],
  ["map", K.MapKw], ["filter", K.FilterKw], ["reduce", K.ReduceKw], ["length", K.LengthKw],
  ["push", K.PushKw], ["pop", K.PopKw], ["reverse", K.ReverseKw], ["slice", K.SliceKw],
  ["range", K.RangeKw], ["input", K.InputKw], ["read_file", K.ReadFileKw], ["write_file", K.WriteFileKw],
  ["keys", K.KeysKw], ["values", K.ValuesKw], ["has_key", K.HasKeyKw], ["char_at", K.CharAtKw],
  ["substr", K.SubstrKw], ["ord", K.OrdKw], ["num_to_str", K.NumToStrKw], ["str_to_num", K.StrToNumKw],
  ["args", K.ArgsKw], ["write_hex", K.WriteHexKw],
]);

/** The text of every token kind whose text is fixed (punctuation, keywords). */
export const FIXED_TEXT = new Map<K, string>([
  [K.Newline, "\n"], [K.LParen, "("], [K.RParen, ")"], [K.LBrace, "{"], [K.RBrace, "}"],
  [K.LBracket, "["], [K.RBracket, "]"], [K.Comma, ","], [K.Colon, ":"], [K.Plus, "+"], [K.Minus, "-"],
  [K.Star, "*"], [K.Slash, "/"], [K.Percent, "%"], [K.Eq, "="], [K.EqEq, "=="], [K.Bang, "!"],
  [K.BangEq, "!="], [K.Lt, "<"], [K.LtEq, "<="], [K.Gt, ">"], [K.GtEq, ">="],
  ...[...KEYWORDS].map(([text, kind]) => [kind, text] as [K, string]),
]);

export function keywordKind(word: string): K | undefined {
  return KEYWORDS.get(word);
}

function wordHash(text: string, from: number, to: number): number {
  let h = to - from;
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/** Keywords by hash of their text, so a word is looked up without slicing it out of the source. */
const KEYWORDS_BY_HASH = new Map<number, [string, K][]>();
for (const [word, kind] of KEYWORDS) {
  const h = wordHash(word, 0, word.length);
  const list = KEYWORDS_BY_HASH.get(h) ?? [];
  list.push([word, kind]);
  KEYWORDS_BY_HASH.set(h, list);
}

function lookupKeyword(text: string, from: number, to: number): K {
  const list = KEYWORDS_BY_HASH.get(wordHash(text, from, to));
  if (list === undefined) return K.Ident;
  for (const [word, kind] of list) {
    if (word.length !== to - from) continue;
    let i = 0;
    while (i < word.length && word.charCodeAt(i) === text.charCodeAt(from + i)) i++;
    if (i === word.length) return kind;
  }
  return K.Ident;
}

const ALPHA = /\p{Alphabetic}/u;
const ALNUM = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]/u;

function isIdentStart(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  return ALPHA.test(String.fromCodePoint(c));
}

function isIdentPart(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
  return ALNUM.test(String.fromCodePoint(c));
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * A stretch of the document read from one flat string: positions [from, to) are read as
 * str[position - shift]. The string is right only up to `validEnd`; a token that needs to look
 * further falls back to the whole text. The incremental parser reads the unchanged parts of a
 * document from the previous text this way, so it never has to flatten the new one.
 */
export interface TextPiece {
  str: string;
  shift: number;
  from: number;
  to: number;
  validEnd: number;
}

/** The piece holding offset `pos` (the last whose `from` is at or before it). */
export function pieceAt(pieces: readonly TextPiece[], pos: number): TextPiece {
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pieces[mid].from <= pos) lo = mid;
    else hi = mid - 1;
  }
  return pieces[lo];
}

export class Lexer {
  /** Where the next token starts. */
  pos: number;
  /** Where the last token returned by next() starts. */
  tokenStart = 0;
  /** One past the furthest character any token so far looked at (to decide where it ends). */
  examinedEnd = 0;
  /** The flat string the last token was read from, and how its indices relate to positions. */
  str = "";
  shift = 0;
  private pieces: TextPiece[];
  private piece: TextPiece;
  /** The current piece's end in its own string: lexing stops there. */
  private localEnd = 0;
  private tokenExamined = 0;

  constructor(
    text: string | { pieces: TextPiece[]; whole: () => string },
    start = 0,
    /** Lexing stops here: the end of the text, or of the contents of f-string braces. */
    readonly end = typeof text === "string" ? text.length : text.whole().length,
    private whole: (() => string) | null = null,
  ) {
    if (typeof text === "string") {
      this.pieces = [{ str: text, shift: 0, from: 0, to: Infinity, validEnd: end }];
    } else {
      this.pieces = text.pieces;
      this.whole = text.whole;
    }
    this.piece = this.pieces[0];
    this.pos = start;
  }

  /** A lexer over one stretch of a flat string (the contents of f-string braces). */
  static over(str: string, shift: number, from: number, to: number): Lexer {
    const lx = new Lexer({ pieces: [{ str, shift, from, to: Infinity, validEnd: to }], whole: () => str }, from, to);
    lx.whole = null;
    return lx;
  }

  /** A second lexer reading the same text from pos (for looking ahead). */
  fork(pos: number): Lexer {
    const lx = new Lexer({ pieces: this.pieces, whole: this.whole ?? (() => "") }, pos, this.end);
    lx.whole = this.whole;
    return lx;
  }

  seek(pos: number): void {
    this.pos = pos;
  }

  /** The character at a position (-1 outside the text), without moving. */
  charAt(pos: number): number {
    if (pos < 0 || pos >= this.end) return -1;
    const piece = pieceAt(this.pieces, pos);
    const i = pos - piece.shift;
    return i >= 0 && i < piece.str.length ? piece.str.charCodeAt(i) : -1;
  }

  /** The pieces the text is read from now (one flat piece after a fallback). */
  currentPieces(): TextPiece[] {
    return this.pieces;
  }

  private look(i: number): void {
    const abs = i + this.shift + 1;
    if (abs > this.tokenExamined) this.tokenExamined = abs;
  }

  private codePointAt(i: number): number {
    return i < this.localEnd ? this.str.codePointAt(i)! : -1;
  }

  private select(pos: number): void {
    this.piece = pieceAt(this.pieces, pos);
  }

  /** Lexes the token at pos, advances past it and returns its kind. */
  next(): K {
    const start = this.pos;
    let pc = this.piece;
    if (start < pc.from || start >= pc.to) {
      this.select(start);
      pc = this.piece;
    }
    this.str = pc.str;
    this.shift = pc.shift;
    const limit = Math.min(pc.validEnd, this.end);
    this.localEnd = limit - pc.shift;
    this.tokenExamined = 0;
    const kind = this.lex(start - pc.shift);
    if (this.tokenExamined > limit && limit < this.end && this.whole) {
      // The token reads past what this piece knows: read the whole text from now on.
      const text = this.whole();
      this.pieces = [{ str: text, shift: 0, from: 0, to: Infinity, validEnd: text.length }];
      this.piece = this.pieces[0];
      this.whole = null;
      this.pos = start;
      return this.next();
    }
    if (this.tokenExamined > this.examinedEnd) this.examinedEnd = this.tokenExamined;
    return kind;
  }

  /** Lexes one token at local index p of this.str; sets tokenStart and pos (positions). */
  private lex(p: number): K {
    const text = this.str;
    const end = this.localEnd;
    const shift = this.shift;
    this.tokenStart = p + shift;
    if (p >= end) {
      this.look(p);
      this.pos = p + shift;
      return K.EndOfFile;
    }
    const c = text.charCodeAt(p);
    let kind: K;
    // Whether the token's end was decided by looking at the character after it.
    let looked = true;
    switch (c) {
      case 10: kind = K.Newline; p++; looked = false; break;
      case 32: case 9: case 13: {
        p++;
        while (p < end) {
          const d = text.charCodeAt(p);
          if (d !== 32 && d !== 9 && d !== 13) break;
          p++;
        }
        kind = K.Whitespace;
        break;
      }
      case 35: { // '#'
        const nl = text.indexOf("\n", p);
        p = nl < 0 || nl > end ? end : nl;
        kind = K.Comment;
        break;
      }
      case 40: kind = K.LParen; p++; looked = false; break;
      case 41: kind = K.RParen; p++; looked = false; break;
      case 123: kind = K.LBrace; p++; looked = false; break;
      case 125: kind = K.RBrace; p++; looked = false; break;
      case 91: kind = K.LBracket; p++; looked = false; break;
      case 93: kind = K.RBracket; p++; looked = false; break;
      case 44: kind = K.Comma; p++; looked = false; break;
      case 58: kind = K.Colon; p++; looked = false; break;
      case 43: kind = K.Plus; p++; looked = false; break;
      case 45: kind = K.Minus; p++; looked = false; break;
      case 42: kind = K.Star; p++; looked = false; break;
      case 47: kind = K.Slash; p++; looked = false; break;
      case 37: kind = K.Percent; p++; looked = false; break;
      case 61: // '='
        if (p + 1 < end && text.charCodeAt(p + 1) === 61) { kind = K.EqEq; p += 2; looked = false; } else { kind = K.Eq; p++; }
        break;
      case 33: // '!'
        if (p + 1 < end && text.charCodeAt(p + 1) === 61) { kind = K.BangEq; p += 2; looked = false; } else { kind = K.Bang; p++; }
        break;
      case 60: // '<'
        if (p + 1 < end && text.charCodeAt(p + 1) === 61) { kind = K.LtEq; p += 2; looked = false; } else { kind = K.Lt; p++; }
        break;
      case 62: // '>'
        if (p + 1 < end && text.charCodeAt(p + 1) === 61) { kind = K.GtEq; p += 2; looked = false; } else { kind = K.Gt; p++; }
        break;
      case 34: { // '"'
        const r = this.stringEnd(p + 1);
        kind = r < 0 ? K.BadString : K.String;
        p = r < 0 ? -r - 1 : r;
        looked = r < 0;
        break;
      }
      default:
        if (c === 102 && p + 1 < end && text.charCodeAt(p + 1) === 34) {
          const r = this.fstringEnd(p + 2);
          kind = r < 0 ? K.BadFString : K.FString;
          p = r < 0 ? -r - 1 : r;
          looked = r < 0;
        } else if (isDigit(c)) {
          p++;
          while (p < end && isDigit(text.charCodeAt(p))) p++;
          if (p + 1 < end && text.charCodeAt(p) === 46 && isDigit(text.charCodeAt(p + 1))) {
            p += 2;
            while (p < end && isDigit(text.charCodeAt(p))) p++;
          } else if (p < end && text.charCodeAt(p) === 46) {
            this.look(p + 1); // "1." looked at the character after the dot
          }
          kind = K.Number;
        } else {
          const cp = this.codePointAt(p);
          if (cp === 95 || isIdentStart(cp)) {
            const from = p;
            p += cp > 0xffff ? 2 : 1;
            for (;;) {
              const d = this.codePointAt(p);
              if (d < 0 || !isIdentPart(d)) break;
              p += d > 0xffff ? 2 : 1;
            }
            // Keywords are 2 to 10 ASCII characters.
            kind = p - from <= 10 && p - from >= 2 ? lookupKeyword(text, from, p) : K.Ident;
            if (kind === K.ElseKw) {
              const merged = this.elseIfEnd(p);
              if (merged > 0) {
                kind = K.ElseIfKw;
                p = merged;
              }
            }
          } else {
            kind = K.BadChar;
            p += cp > 0xffff ? 2 : 1;
            looked = false;
          }
        }
    }
    if (looked) this.look(p);
    else this.look(p - 1);
    this.pos = p + shift;
    return kind;
  }

  /** From after the opening quote: the end of the literal, or -(where the bad token ends)-1. */
  private stringEnd(p: number): number {
    const text = this.str;
    const end = this.localEnd;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (c === 34) return p + 1;
      if (c === 10) {
        this.look(p);
        return -p - 1;
      }
      if (c === 92) {
        if (p + 1 >= end) break;
        p += 2;
        continue;
      }
      p++;
    }
    this.look(end);
    return -end - 1;
  }

  /** From after `f"`: as stringEnd, with `{…}` parts copied raw up to the matching `}`. */
  private fstringEnd(p: number): number {
    const text = this.str;
    const end = this.localEnd;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (c === 34) return p + 1;
      if (c === 10) {
        this.look(p);
        return -p - 1;
      }
      if (c === 92) {
        if (p + 1 >= end) break;
        p += 2;
        continue;
      }
      if (c === 123) {
        const close = matchingBrace(text, p + 1, end);
        if (close < 0) break;
        p = close + 1;
        continue;
      }
      p++;
    }
    this.look(end);
    return -end - 1;
  }

  /** After an `else` ending at p: the end of the `if` it merges with, or -1. */
  private elseIfEnd(p: number): number {
    const text = this.str;
    const end = this.localEnd;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (c === 32 || c === 9 || c === 13 || c === 10) {
        p++;
      } else if (c === 35) {
        const nl = text.indexOf("\n", p);
        p = nl < 0 || nl > end ? end : nl;
      } else {
        break;
      }
    }
    this.look(p);
    if (p + 1 < end && text.charCodeAt(p) === 105 && text.charCodeAt(p + 1) === 102) {
      const after = this.codePointAt(p + 2);
      this.look(p + 2);
      if (after < 0 || !isIdentPart(after)) return p + 2;
    }
    return -1;
  }

  /** The text of [from, to), which lies within the piece the last token was read from. */
  slice(from: number, to: number): string {
    return this.str.slice(from - this.shift, to - this.shift);
  }
}

/** The index of the `}` closing a brace whose contents start at p, counting nested pairs; -1 if none. */
export function matchingBrace(text: string, p: number, end: number): number {
  let depth = 1;
  for (; p < end; p++) {
    const c = text.charCodeAt(p);
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return p;
  }
  return -1;
}

/** The value of a string literal's text (quotes included, or only the opening one if unterminated). */
export function decodeString(raw: string): string {
  const close = raw.length >= 2 && raw.endsWith('"') && !isEscapedQuoteEnd(raw) ? raw.length - 1 : raw.length;
  return decodeEscapes(raw, 1, close, false);
}

function isEscapedQuoteEnd(raw: string): boolean {
  // `"abc\"` unterminated at end of input: the final quote is escaped. Count the backslashes.
  let n = 0;
  for (let i = raw.length - 2; i >= 1 && raw.charCodeAt(i) === 92; i--) n++;
  return n % 2 === 1;
}

/** Decodes string escapes in raw[from, to); f-string literal parts also know `\{` and `\}`. */
export function decodeEscapes(raw: string, from: number, to: number, fstring: boolean): string {
  let out = "";
  let run = from;
  for (let i = from; i < to; i++) {
    if (raw.charCodeAt(i) !== 92 || i + 1 >= to) continue;
    const e = raw[i + 1];
    let rep: string | null = null;
    if (e === "n") rep = "\n";
    else if (e === "t") rep = "\t";
    else if (e === "r") rep = "\r";
    else if (e === "\\") rep = "\\";
    else if (e === '"') rep = '"';
    else if (fstring && (e === "{" || e === "}")) rep = e;
    if (rep !== null) {
      out += raw.slice(run, i) + rep;
      run = i + 2;
    }
    i++; // the escaped character never starts another escape
  }
  return out + raw.slice(run, to);
}
