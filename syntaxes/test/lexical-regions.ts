// An independent reading of the spec's lexical rules (language.md §1), used as the oracle for the
// grammar on whole programs: which characters are comment, string, or code (f-string braces included).
// It only finds regions; it does not build tokens or report errors.

export type Region = "code" | "comment" | "string" | "interpolation-brace";

export interface LexicalReading {
  /** The region of every UTF-16 index. */
  regions: Region[];
  /** How many f-string braces enclose each index (a brace itself belongs to the outside). */
  depth: number[];
  /**
   * Inside f-string braces that hold a brace in a nested string or comment. The lexer reads brace
   * contents twice, counting braces to find their end and then as code, and there the two readings
   * disagree; a grammar can follow only one (the count), so regions there are not comparable.
   */
  ambiguous: boolean[];
  /** A top-level string or f-string runs into a newline or the end of the file (a lexical error). */
  unterminated: boolean;
}

const identifier = /[\p{Alphabetic}_][\p{Alphabetic}\p{Nd}\p{Nl}\p{No}_]*/uy;
const number = /[0-9]+(?:\.[0-9]+)?/y;

/** Reads `src` as a whole program. */
export function lexicalRegions(src: string): LexicalReading {
  const reading: LexicalReading = {
    regions: new Array(src.length).fill("code"),
    depth: new Array(src.length).fill(0),
    ambiguous: new Array(src.length).fill(false),
    unterminated: false,
  };
  reading.unterminated = readCode(src, 0, src.length, reading);
  return reading;
}

function mark(out: LexicalReading, from: number, to: number, region: Region): void {
  for (let i = from; i < to; i++) out.regions[i] = region;
}

/**
 * Reads src[from, to) as a stand-alone program, as the lexer does for f-string brace contents.
 * Returns whether one of its literals is unterminated.
 */
function readCode(src: string, from: number, to: number, out: LexicalReading): boolean {
  let unterminated = false;
  let i = from;
  while (i < to) {
    const c = src[i];
    if (c === "#") {
      let j = i;
      while (j < to && src[j] !== "\n") j++;
      mark(out, i, j, "comment");
      i = j;
    } else if (c === '"' || (c === "f" && i + 1 < to && src[i + 1] === '"')) {
      const literal = c === '"' ? readString(src, i, to, out) : readFString(src, i, to, out);
      unterminated ||= !literal.closed;
      i = literal.end;
    } else if (matchAt(identifier, src, i, to)) {
      i = identifier.lastIndex;
    } else if (matchAt(number, src, i, to)) {
      i = number.lastIndex;
    } else {
      i++;
    }
  }
  return unterminated;
}

function matchAt(re: RegExp, src: string, at: number, to: number): boolean {
  re.lastIndex = at;
  return re.test(src) && re.lastIndex <= to;
}

interface Literal {
  end: number;
  closed: boolean;
}

/** A "…" literal from its opening quote; a backslash always takes the next character with it. */
function readString(src: string, start: number, to: number, out: LexicalReading): Literal {
  let i = start + 1;
  while (i < to && src[i] !== '"' && src[i] !== "\n") i += src[i] === "\\" && i + 1 < to ? 2 : 1;
  const closed = i < to && src[i] === '"';
  const end = closed ? i + 1 : i;
  mark(out, start, end, "string");
  return { end, closed };
}

/** An f"…" literal from its f: literal parts are string, {…} parts are counted raw, then read as code. */
function readFString(src: string, start: number, to: number, out: LexicalReading): Literal {
  mark(out, start, start + 2, "string");
  let i = start + 2;
  while (i < to && src[i] !== '"' && src[i] !== "\n") {
    if (src[i] === "\\" && i + 1 < to) {
      mark(out, i, i + 2, "string");
      i += 2;
    } else if (src[i] === "{") {
      let depth = 1;
      let j = i + 1;
      for (; j < to; j++) {
        if (src[j] === "{") depth++;
        else if (src[j] === "}" && --depth === 0) break;
      }
      out.regions[i] = "interpolation-brace";
      for (let k = i + 1; k < j; k++) out.depth[k]++;
      readCode(src, i + 1, j, out); // errors in there belong to the parser, not the lexer
      if (holdsQuotedBrace(src, i + 1, j, out)) for (let k = i + 1; k < j; k++) out.ambiguous[k] = true;
      if (j === to) return { end: to, closed: false };
      out.regions[j] = "interpolation-brace";
      i = j + 1;
    } else {
      out.regions[i] = "string";
      i++;
    }
  }
  if (i < to && src[i] === '"') {
    out.regions[i] = "string";
    return { end: i + 1, closed: true };
  }
  return { end: i, closed: false };
}

function holdsQuotedBrace(src: string, from: number, to: number, out: LexicalReading): boolean {
  for (let k = from; k < to; k++) {
    if ((src[k] === "{" || src[k] === "}") && (out.regions[k] === "string" || out.regions[k] === "comment")) return true;
  }
  return false;
}

/** How many f-string braces a token's scopes put it in (a brace itself belongs to the outside). */
export function depthOfScopes(scopes: readonly string[]): number {
  let depth = scopes.filter((s) => s.startsWith("meta.embedded.interpolation.")).length;
  if (scopes[scopes.length - 1].startsWith("punctuation.section.interpolation.")) depth--;
  return depth;
}

/** The region a token's scopes put it in: the innermost scope that decides wins. */
export function regionOfScopes(scopes: readonly string[]): Region {
  for (let k = scopes.length - 1; k >= 0; k--) {
    const s = scopes[k];
    if (s.startsWith("comment.")) return "comment";
    if (s.startsWith("punctuation.section.interpolation.")) return "interpolation-brace";
    if (s.startsWith("meta.embedded.")) return "code";
    if (s.startsWith("string.")) return "string";
  }
  return "code";
}
