// Semantic tokens (full, delta and range): names coloured by what the resolution says they are —
// functions, parameters, local or global variables, captured variables, builtins — plus keywords,
// numbers, strings and the braces of f-string interpolations (whose insides are real code).

import type { SemanticTokens, SemanticTokensDelta, SemanticTokensEdit, SemanticTokensLegend } from "vscode-languageserver/node";
import { GreenNode, GreenToken, SyntaxKind as K, walkGreen, type Reference, type Resolution } from "../../compiler/src/index";
import type { OpenDocument } from "./documents";

const TYPES = ["keyword", "number", "string", "function", "parameter", "variable", "operator"] as const;
const MODIFIERS = ["declaration", "defaultLibrary", "global", "local", "captured"] as const;

export const semanticTokensLegend: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

const T = Object.fromEntries(TYPES.map((t, i) => [t, i])) as Record<(typeof TYPES)[number], number>;
const M = Object.fromEntries(MODIFIERS.map((m, i) => [m, 1 << i])) as Record<(typeof MODIFIERS)[number], number>;

const refsByStart = new WeakMap<Resolution, Map<number, Reference>>();

function referenceIndex(res: Resolution): Map<number, Reference> {
  let m = refsByStart.get(res);
  if (!m) {
    m = new Map();
    for (const r of res.references) m.set(r.span.start, r);
    refsByStart.set(res, m);
  }
  return m;
}

/** Type (high bits) and modifiers (low 16 bits) of a name, from the reference the resolution made of it. */
function classify(ref: Reference): number {
  const sym = ref.symbol;
  if (!sym) return (ref.access === "call" ? T.function : T.variable) << 16;
  let mods = 0;
  if (sym.definitions.length && sym.definitions[0].start === ref.span.start) mods |= M.declaration;
  if (sym.captured || ref.captured) mods |= M.captured;
  switch (sym.kind) {
    case "builtin":
      return (T.function << 16) | M.defaultLibrary;
    case "function":
      return (T.function << 16) | mods;
    case "parameter":
      return (T.parameter << 16) | mods | M.local;
    case "global":
      return ((sym.functions.length ? T.function : T.variable) << 16) | mods | M.global;
    default:
      return ((sym.functions.length ? T.function : T.variable) << 16) | mods | M.local;
  }
}

// Token kinds as plain numbers (a module constant is faster to reach than an enum import).
const IDENT = K.Ident;
const NEWLINE = K.Newline;
const NUMBER = K.Number;
const ELSE_IF = K.ElseIfKw;
const FIRST_KEYWORD = K.LetKw;
const FIRST_BUILTIN = K.AssertKw;
const LAST_BUILTIN = K.WriteHexKw;
const L_BRACE = K.LBrace;
const R_BRACE = K.RBrace;
const INTERPOLATION = K.Interpolation;
const STRING_PIECE = new Uint8Array(256);
for (const k of [K.String, K.BadString, K.FStringStart, K.FStringText, K.FStringEnd, K.BadFString]) STRING_PIECE[k] = 1;

// A name's type in a block: its class comes from the resolution each time the block is encoded.
const NAME = -1;
const BUILTIN_NAME = -2;

/**
 * The tokens of one top-level green node, five integers each: line (relative to the node's first
 * line), column (on that first line, counted from the node's start), length, type, modifiers; a
 * name has type NAME or BUILTIN_NAME and, for modifiers, its offset in the node. Green nodes are
 * immutable and position-free, so a block holds for as long as its node does (edits reuse most).
 */
type Block = ArrayLike<number>;

const blocks = new WeakMap<GreenNode, Block>();

/** Walks one top-level green node, recording its tokens relative to where it starts. */
class BlockBuilder {
  readonly block: number[] = [];
  private line: number;

  constructor(
    private readonly starts: readonly number[],
    /** The node's start offset and the line it is on. */
    private readonly nodeStart: number,
    private readonly nodeLine: number,
  ) {
    this.line = nodeLine;
  }

  private emit(start: number, length: number, type: number, mods: number): void {
    const starts = this.starts;
    let line = this.line;
    while (line + 1 < starts.length && starts[line + 1] <= start) line++;
    this.line = line;
    if (length <= 0) return;
    const relLine = line - this.nodeLine;
    this.block.push(relLine, relLine === 0 ? start - this.nodeStart : start - starts[line], length, type, mods);
  }

  /** A token that may span lines: one piece per line. */
  private emitLines(start: number, text: string, type: number): void {
    let from = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", from)) {
      this.emit(start + from, nl - from, type, 0);
      from = nl + 1;
    }
    this.emit(start + from, text.length - from, type, 0);
  }

  walk(node: GreenNode, start: number): void {
    walkGreen(node, start, { token: (t, at, parent) => t.kind > NEWLINE && this.token(t, at, parent.kind) });
  }

  token(t: GreenToken, start: number, parent: K): void {
    const k = t.kind;
    if (k === IDENT) {
      this.emit(start, t.width, NAME, start - this.nodeStart);
    } else if (k >= FIRST_BUILTIN && k <= LAST_BUILTIN) {
      this.emit(start, t.width, BUILTIN_NAME, start - this.nodeStart);
    } else if (k === ELSE_IF) {
      this.emit(start, 4, T.keyword, 0);
      this.emit(start + t.width - 2, 2, T.keyword, 0);
    } else if (k >= FIRST_KEYWORD && k < FIRST_BUILTIN) {
      this.emit(start, t.width, T.keyword, 0);
    } else if (k === NUMBER) {
      this.emit(start, t.width, T.number, 0);
    } else if (STRING_PIECE[k] === 1) {
      this.emitLines(start, t.text, T.string);
    } else if ((k === L_BRACE || k === R_BRACE) && parent === INTERPOLATION) {
      this.emit(start, 1, T.operator, 0);
    }
  }
}

/** The line containing `offset`, searching forward from `line`. */
function lineFrom(starts: readonly number[], line: number, offset: number): number {
  while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
  return line;
}

/** The encoded token data (LSP's relative five-integer form) of the lines [fromLine, toLine]. */
export function encodeTokens(doc: OpenDocument, fromLine = 0, toLine = Number.MAX_SAFE_INTEGER): number[] {
  const encoder = new TokenEncoder();
  pushTokens(doc, encoder, fromLine, toLine);
  return Array.from(encoder.finish());
}

/**
 * Tokens as LSP sends them: five integers each, line and start relative to the previous token's
 * (tokens come in document order), in a typed array — a document's last result is kept for
 * deltas, and 20 000 lines are ~450 000 integers: 1.8 MB so, 3.6 MB and more as a plain array.
 */
class TokenEncoder {
  private data = new Uint32Array(4096);
  private length = 0;
  private line = 0;
  private char = 0;

  push(line: number, char: number, length: number, type: number, mods: number): void {
    if (this.length + 5 > this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const d = this.data;
    const i = this.length;
    d[i] = line - this.line;
    d[i + 1] = line === this.line ? char - this.char : char;
    d[i + 2] = length;
    d[i + 3] = type;
    d[i + 4] = mods;
    this.length = i + 5;
    this.line = line;
    this.char = char;
  }

  /** The integers, in an array of their own size. */
  finish(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

/** The edit that turns `before` into `after`: what lies between their common start and common end. */
export function tokenEdits(before: Uint32Array, after: Uint32Array): SemanticTokensEdit[] {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before[start] === after[start]) start++;
  let end = 0;
  while (end < shorter - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  if (start === before.length && start === after.length) return [];
  const data = Array.from(after.subarray(start, after.length - end));
  const deleteCount = before.length - end - start;
  return [data.length ? { start, deleteCount, data } : { start, deleteCount }];
}

/** Pushes the tokens of the lines [fromLine, toLine], in document order, into the builder. */
function pushTokens(doc: OpenDocument, builder: TokenEncoder, fromLine: number, toLine: number): void {
  const refs = referenceIndex(doc.analysis().resolution);
  const starts = doc.lines.lineStarts;
  let offset = 0;
  let nodeLine = 0;
  for (const child of doc.tree.root.green.children) {
    const nodeStart = offset;
    offset += child.width;
    nodeLine = lineFrom(starts, nodeLine, nodeStart);
    if (nodeLine > toLine) break;
    // Lines before the range: a node ending before its first line has nothing to give.
    if (offset < starts[Math.min(fromLine, starts.length - 1)]) continue;
    let block: Block;
    if (child instanceof GreenNode) {
      let kept = blocks.get(child);
      if (!kept) {
        const builder = new BlockBuilder(starts, nodeStart, nodeLine);
        builder.walk(child, nodeStart);
        // Kept as long as the node: four bytes an integer, no spare room (a pushed array holds
        // eight bytes each and up to half as many again unused).
        kept = Int32Array.from(builder.block);
        blocks.set(child, kept);
      }
      block = kept;
    } else {
      if (child.kind <= NEWLINE) continue;
      const builder = new BlockBuilder(starts, nodeStart, nodeLine);
      builder.token(child, nodeStart, doc.tree.root.green.kind);
      block = builder.block;
    }
    const nodeChar = nodeStart - starts[nodeLine];
    for (let i = 0; i < block.length; i += 5) {
      const relLine = block[i];
      const line = nodeLine + relLine;
      if (line < fromLine) continue;
      if (line > toLine) break;
      let type = block[i + 3];
      let mods = block[i + 4];
      if (type < 0) {
        const ref = refs.get(nodeStart + mods);
        if (ref) {
          const c = classify(ref);
          type = c >>> 16;
          mods = c & 0xffff;
        } else if (type === BUILTIN_NAME) {
          type = T.function;
          mods = M.defaultLibrary;
        } else continue;
      }
      builder.push(line, relLine === 0 ? nodeChar + block[i + 1] : block[i + 1], block[i + 2], type, mods);
    }
  }
}

/**
 * Each open document's last full result (dropped with the document), so that a delta request
 * against it gets edits, and one against anything else the full tokens. Result ids are a counter.
 */
export class SemanticTokensCache {
  private readonly last = new WeakMap<OpenDocument, { data: Uint32Array; id: string }>();
  private counter = 0;

  full(doc: OpenDocument): SemanticTokens {
    const data = this.encode(doc);
    return { resultId: this.remember(doc, data), data: Array.from(data) };
  }

  delta(doc: OpenDocument, previousResultId: string): SemanticTokens | SemanticTokensDelta {
    const last = this.last.get(doc);
    if (!last || last.id !== previousResultId) return this.full(doc);
    const data = this.encode(doc);
    return { resultId: this.remember(doc, data), edits: tokenEdits(last.data, data) };
  }

  private encode(doc: OpenDocument): Uint32Array {
    const encoder = new TokenEncoder();
    pushTokens(doc, encoder, 0, Number.MAX_SAFE_INTEGER);
    return encoder.finish();
  }

  private remember(doc: OpenDocument, data: Uint32Array): string {
    const id = String(++this.counter);
    this.last.set(doc, { data, id });
    return id;
  }

  range(doc: OpenDocument, fromLine: number, toLine: number): SemanticTokens {
    return { data: encodeTokens(doc, fromLine, toLine) };
  }
}
