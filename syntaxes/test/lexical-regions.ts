// An independent reading of the spec's lexical rules (language.md §1), used as the oracle for the
// grammar on whole programs: which characters are comment, string, or code (f-string braces included).
// It only finds regions; it does not build tokens or report errors.

export type Region = "code" | "comment" | "string" | "interpolation-brace";

const identifier = /[\p{Alphabetic}_][\p{Alphabetic}\p{Nd}\p{Nl}\p{No}_]*/uy;
const number = /[0-9]+(?:\.[0-9]+)?/y;

/** The region of every UTF-16 index of `src`, read as a whole program. */
export function lexicalRegions(src: string): Region[] {
  const out: Region[] = new Array(src.length).fill("code");
  readCode(src, 0, src.length, out);
  return out;
}

function mark(out: Region[], from: number, to: number, region: Region): void {
  for (let i = from; i < to; i++) out[i] = region;
}

/** Reads src[from, to) as a stand-alone program, as the lexer does for f-string brace contents. */
function readCode(src: string, from: number, to: number, out: Region[]): void {
  let i = from;
  while (i < to) {
    const c = src[i];
    if (c === "#") {
      let j = i;
      while (j < to && src[j] !== "\n") j++;
      mark(out, i, j, "comment");
      i = j;
    } else if (c === "f" && src[i + 1] === '"' && i + 1 < to) {
      i = readFString(src, i, to, out);
    } else if (c === '"') {
      i = readString(src, i, to, out);
    } else if (matchAt(identifier, src, i, to)) {
      i = identifier.lastIndex;
    } else if (matchAt(number, src, i, to)) {
      i = number.lastIndex;
    } else {
      i++;
    }
  }
}

function matchAt(re: RegExp, src: string, at: number, to: number): boolean {
  re.lastIndex = at;
  return re.test(src) && re.lastIndex <= to;
}

/** A "…" literal from its opening quote; a backslash always takes the next character with it. */
function readString(src: string, start: number, to: number, out: Region[]): number {
  let i = start + 1;
  while (i < to && src[i] !== '"' && src[i] !== "\n") i += src[i] === "\\" && i + 1 < to ? 2 : 1;
  const end = i < to && src[i] === '"' ? i + 1 : i;
  mark(out, start, end, "string");
  return end;
}

/** An f"…" literal from its f: literal parts are string, {…} parts are counted raw, then read as code. */
function readFString(src: string, start: number, to: number, out: Region[]): number {
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
      out[i] = "interpolation-brace";
      readCode(src, i + 1, j, out);
      if (j < to) out[j] = "interpolation-brace";
      i = j + 1;
    } else {
      out[i] = "string";
      i++;
    }
  }
  if (i < to && src[i] === '"') {
    out[i] = "string";
    i++;
  }
  return i;
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
