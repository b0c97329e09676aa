// The formatter: one canonical layout within each line, computed over the lossless tree. It only
// rewrites the blanks between tokens (and trailing blanks of comments), never a token and never a
// line break, so the token stream, every line number and therefore the bytecode stay the same.
//
// Layout: 4 spaces per open bracket level (blocks, arrays, dicts, parentheses; several opened on
// one line count once), one space around binary operators, `=`, after commas, colons and
// keywords, none inside brackets or after a unary operator, `} else {`, no trailing blanks. Trailing
// comments on consecutive lines share a column, and `=` of consecutive `let`s and `else` of
// consecutive one-line ifs the author aligned stay aligned (see alignBlock; docs/formatter.md has
// the rules). A line that holds (part of) a syntax error or input the
// parser skipped is left exactly as it is; every other line of a broken file is formatted, as long
// as the file still parses to the same tree (recovery may read indentation; see formatEdits).

import { Lexer } from "./lexer";
import { lineIndex, parse, type ParseResult } from "./parser";
import { GreenNode, GreenToken, SyntaxKind as K, greenText, walkGreen } from "./syntax";

/** Replace `[start, end)` of the text with `newText`. */
export interface FormatEdit {
  start: number;
  end: number;
  newText: string;
}

export const INDENT = "    ";

/** How a token behaves for spacing, decided by the node it sits in. */
const enum Role {
  Plain,
  /** `(` of a call or parameter list, `[` of an index: glued to what precedes. */
  OpenGlued,
  /** `(` of a parenthesised expression, `[` of an array literal, `{` of a dict. */
  Open,
  /** `)` `]`, and `}` of a dict. */
  Close,
  BlockOpen,
  BlockClose,
  /** `,` and `:`: nothing before. */
  Separator,
  /** `-` and `!` as prefix operators: nothing after. */
  Prefix,
  /** A whole f-string, kept as written. */
  FString,
  Comment,
  Newline,
  /** Input the parser skipped or could not read: its line stays as written. */
  Broken,
}

interface Atom {
  start: number;
  end: number;
  kind: K;
  role: Role;
  text: string;
  /** A bracket whose node lacks the other one of its pair (broken input): it indents nothing. */
  unpaired: boolean;
}

/** The tokens of the tree in order, trivia but whitespace included, f-strings as single atoms. */
function atoms(root: GreenNode): Atom[] {
  const out: Atom[] = [];
  // Per open node: inside skipped input, and where its first opening bracket is in `out`.
  const broken: boolean[] = [];
  const opener: number[] = [];
  walkGreen(root, 0, {
    enter: (node, start) => {
      const inBroken = broken.length > 0 && broken[broken.length - 1];
      if (node.kind === K.FStringExpr && node !== root) {
        out.push({ start, end: start + node.width, kind: K.FString, role: inBroken ? Role.Broken : Role.FString, text: greenText(node), unpaired: false });
        return false;
      }
      broken.push(inBroken || node.kind === K.Error || node.kind === K.ErrorStmt);
      opener.push(-1);
      return true;
    },
    token: (c, start, parent) => {
      if (c.kind === K.Whitespace || c.kind === K.EndOfFile) return;
      const role = broken[broken.length - 1] ? Role.Broken : roleOf(c, parent.kind);
      if (opener[opener.length - 1] < 0 && isOpen(role)) opener[opener.length - 1] = out.length;
      out.push({ start, end: start + c.width, kind: c.kind, role, text: c.text, unpaired: false });
    },
    exit: (node) => {
      broken.pop();
      const first = opener.pop()!;
      // Brackets indent only in pairs: an opener whose closer the parser never found indents nothing.
      if (PAIRED.has(node.kind)) {
        const last = node.children[node.children.length - 1];
        const closed = last instanceof GreenToken && CLOSERS.has(last.kind);
        if (first >= 0 && !closed) out[first].unpaired = true;
        if (first < 0 && closed) out[out.length - 1].unpaired = true;
      }
    },
  });
  return out;
}

const PAIRED = new Set<K>([K.Block, K.ArrayExpr, K.DictExpr, K.ParenExpr, K.ArgList, K.ParamList, K.IndexExpr]);
const CLOSERS = new Set<K>([K.RParen, K.RBracket, K.RBrace]);

function roleOf(t: GreenToken, parent: K): Role {
  switch (t.kind) {
    case K.Newline:
      return Role.Newline;
    case K.Comment:
      return Role.Comment;
    case K.BadChar:
    case K.BadString:
    case K.BadFString:
      return Role.Broken;
    case K.LParen:
      return parent === K.ArgList || parent === K.ParamList ? Role.OpenGlued : Role.Open;
    case K.LBracket:
      return parent === K.IndexExpr ? Role.OpenGlued : Role.Open;
    case K.LBrace:
      return parent === K.Block ? Role.BlockOpen : Role.Open;
    case K.RBrace:
      return parent === K.Block ? Role.BlockClose : Role.Close;
    case K.RParen:
    case K.RBracket:
      return Role.Close;
    case K.Comma:
    case K.Colon:
      return Role.Separator;
    case K.Minus:
    case K.Bang:
      return parent === K.UnaryExpr ? Role.Prefix : Role.Plain;
    default:
      return Role.Plain;
  }
}

/** The blank wanted between two tokens on the same line. */
function spacing(a: Atom, b: Atom): string {
  if (a.role === Role.Open || a.role === Role.OpenGlued || a.role === Role.Prefix) return "";
  if (b.role === Role.Close || b.role === Role.Separator || b.role === Role.OpenGlued) return "";
  if (a.role === Role.BlockOpen && b.role === Role.BlockClose) return "";
  return " ";
}

/** Whether two tokens written with nothing between them still lex as those two tokens. */
function gluesSafely(a: Atom, b: Atom): boolean {
  const text = a.text + b.text;
  const lx = new Lexer(text);
  const k1 = lx.next();
  if (lx.pos !== a.text.length || (k1 !== a.kind && a.role !== Role.FString)) return false;
  const k2 = lx.next();
  return lx.pos === text.length && (k2 === b.kind || b.role === Role.FString);
}

function isOpen(r: Role): boolean {
  return r === Role.Open || r === Role.OpenGlued || r === Role.BlockOpen;
}

function isClose(r: Role): boolean {
  return r === Role.Close || r === Role.BlockClose;
}

function opens(a: Atom): boolean {
  return isOpen(a.role) && !a.unpaired;
}

function closes(a: Atom): boolean {
  return isClose(a.role) && !a.unpaired;
}

/** The 0-based lines that hold part of a syntax error or of skipped input. */
function brokenLines(result: ParseResult, list: Atom[]): Set<number> {
  const lines = lineIndex(result);
  const out = new Set<number>();
  const mark = (start: number, end: number) => {
    const first = lines.lineOf(start);
    const last = lines.lineOf(Math.max(start, end - 1));
    for (let l = first; l <= last; l++) out.add(l);
  };
  for (const d of result.diagnostics) mark(d.start, d.end);
  for (const a of list) if (a.role === Role.Broken) mark(a.start, a.end);
  return out;
}

export interface FormatOptions {
  /** Only blanks inside this offset range (widened to whole lines) are changed. */
  range?: { start: number; end: number };
}

/** The edits that bring a parsed document to the canonical layout, in document order. */
export function formatEdits(result: ParseResult, options: FormatOptions = {}): FormatEdit[] {
  const full = layoutEdits(result, options, true);
  if (result.diagnostics.length === 0) return full;
  // The parser's recovery from a syntax error may read indentation (a block whose `{` is missing
  // is the lines indented deeper). So in a broken file an edit must be shown not to change the
  // tree: first the whole layout, else without touching indentation, else nothing.
  if (sameTree(result, full)) return full;
  const spacing = layoutEdits(result, options, false);
  return sameTree(result, spacing) ? spacing : [];
}

/** Whether the text with these edits parses to the same tree, blanks and comments aside. */
function sameTree(result: ParseResult, edits: readonly FormatEdit[]): boolean {
  if (edits.length === 0) return true;
  return treeShape(parse(applyEdits(result.text, edits)).root.green) === treeShape(result.root.green);
}

function treeShape(root: GreenNode): string {
  const parts: string[] = [];
  walkGreen(root, 0, {
    enter: (n) => void parts.push(`(${n.kind}`),
    token: (c) => {
      if (c.kind !== K.Whitespace && c.kind !== K.Comment) parts.push(c.kind === K.ElseIfKw ? "else if" : c.text);
    },
    exit: () => parts.push(")"),
  });
  return parts.join(" ");
}

function layoutEdits(result: ParseResult, options: FormatOptions, indentation: boolean): FormatEdit[] {
  const text = result.text;
  const list = atoms(result.root.green);
  const broken = brokenLines(result, list);
  const lines = lineIndex(result);
  let from = 0;
  let to = text.length;
  if (options.range) {
    from = lines.lineStarts[lines.lineOf(options.range.start)];
    const lastLine = lines.lineOf(options.range.end);
    to = lastLine + 1 < lines.lineStarts.length ? lines.lineStarts[lastLine + 1] - 1 : text.length;
  }
  const edits: FormatEdit[] = [];
  const replace = (start: number, end: number, newText: string) => {
    if (start < from || end > to) return;
    if (text.slice(start, end) === newText) return;
    if (broken.has(lines.lineOf(start))) return;
    edits.push({ start, end, newText });
  };

  // Gaps whose width depends on the lines around them (alignment), settled after the loop.
  const cells: Cell[] = [];
  // Open brackets, each with the indentation level of the line that opened it.
  const stack: number[] = [];
  let level = 0;
  let prev: Atom | null = null;
  for (let i = 0; i <= list.length; i++) {
    const a = i < list.length ? list[i] : null;
    const gapStart = prev ? prev.end : 0;
    const gapEnd = a ? a.start : text.length;
    const gap = text.slice(gapStart, gapEnd);
    const lineStart = prev === null || prev.role === Role.Newline;
    if (lineStart && a !== null && a.role !== Role.Newline) {
      // Indentation: the level of the opener a leading closer matches, else one past the innermost opener.
      level = closes(a) && stack.length ? stack[stack.length - 1] : stack.length ? stack[stack.length - 1] + 1 : 0;
      if (indentation && !gap.includes("\r")) replace(gapStart, gapEnd, INDENT.repeat(level));
    } else if (a === null || a.role === Role.Newline) {
      // Trailing blanks go; a carriage return of a CRLF line ending stays.
      const keep = gap.endsWith("\r") && a !== null ? "\r" : "";
      if (!gap.slice(0, gap.length - keep.length).includes("\r")) replace(gapStart, gapEnd, keep);
    } else if (prev !== null && !gap.includes("\r")) {
      let want = a.role === Role.Comment ? " " : spacing(prev, a);
      if (want === "" && !gluesSafely(prev, a)) want = " ";
      const line = lines.lineOf(a.start);
      const lineStartOffset = lines.lineStarts[line];
      if (a.role === Role.Comment) {
        cells.push({ kind: "comment", line, gapStart, gapEnd, column: a.start - lineStartOffset });
      } else if (a.kind === K.Eq && i >= 2 && list[i - 1].kind === K.Ident && list[i - 2].kind === K.LetKw && (i === 2 || list[i - 3].role === Role.Newline)) {
        cells.push({ kind: "eq", line, gapStart, gapEnd, column: a.start - lineStartOffset });
      } else if ((a.kind === K.ElseKw || a.kind === K.ElseIfKw) && prev.kind === K.RBrace) {
        cells.push({ kind: "else", line, gapStart, gapEnd, column: a.start - lineStartOffset });
      } else {
        replace(gapStart, gapEnd, want);
      }
    }
    if (a === null) break;
    if (a.kind === K.ElseIfKw && /^else[ \t]+if$/.test(a.text) && a.text !== "else if") replace(a.start, a.end, "else if");
    if (a.role === Role.Comment) {
      // Trailing blanks inside a comment (it runs to the newline) go too, a final "\r" stays.
      const cr = a.text.endsWith("\r") ? "\r" : "";
      const body = a.text.slice(0, a.text.length - cr.length);
      // A loop, not /[ \t\r]+$/ (tried from every blank of a long run: quadratic).
      let keepTo = body.length;
      while (keepTo > 0 && (body[keepTo - 1] === " " || body[keepTo - 1] === "\t" || body[keepTo - 1] === "\r")) keepTo--;
      const trimmed = body.slice(0, keepTo);
      if (trimmed !== body && !body.slice(0, trimmed.length).includes("\r")) replace(a.start + trimmed.length, a.end - cr.length, "");
    }
    if (opens(a)) stack.push(level);
    else if (closes(a)) stack.pop();
    prev = a;
  }
  // `=` first, then `else`: their padding moves what comes after them on the line (an `else`,
  // the code end that trailing comments align to).
  for (const kind of ["eq", "else"] as const) {
    for (const block of authorAlignedBlocks(cells, kind)) {
      if (block.length === 1) replaceInOrder(edits, replace, block[0].gapStart, block[0].gapEnd, " ");
      else alignBlock(block, edits, lines.lineStarts, replace);
    }
  }
  for (const block of commentBlocks(cells)) alignBlock(block, edits, lines.lineStarts, replace);
  return edits;
}

/** A gap before a trailing comment, before the `=` of a line `let NAME = …`, or before an `else` after `}`. */
interface Cell {
  kind: "comment" | "eq" | "else";
  line: number;
  gapStart: number;
  gapEnd: number;
  /** The column of the comment or `=` as written. */
  column: number;
}

/** Runs of cells of this kind on consecutive lines. */
function runs(cells: readonly Cell[], kind: Cell["kind"]): Cell[][] {
  const out: Cell[][] = [];
  for (const c of cells) {
    if (c.kind !== kind) continue;
    const last = out[out.length - 1];
    if (last && last[last.length - 1].line === c.line - 1) last.push(c);
    else out.push([c]);
  }
  return out;
}

/** Trailing comments on consecutive lines share one column (like gofmt's tabwriter). */
function commentBlocks(cells: readonly Cell[]): Cell[][] {
  return runs(cells, "comment");
}

/**
 * Consecutive `let NAME =` lines whose `=` the author aligned (the same column, on two lines or
 * more, with more than one blank before some `=`) stay aligned; any other `=` is a block of one
 * and gets one space. The same for an `else` after a `}` on consecutive lines (one-line `if`s).
 */
function authorAlignedBlocks(cells: readonly Cell[], kind: "eq" | "else"): Cell[][] {
  const out: Cell[][] = [];
  for (const run of runs(cells, kind)) {
    let group: Cell[] = [];
    const flush = () => {
      if (group.length >= 2 && group.some((c) => c.gapEnd - c.gapStart > 1)) out.push(group);
      else out.push(...group.map((c) => [c]));
      group = [];
    };
    for (const c of run) {
      if (group.length > 0 && group[0].column !== c.column) flush();
      group.push(c);
    }
    flush();
  }
  return out;
}

/**
 * Gives the cells of one block the same column: the furthest code end in the formatted text plus
 * the narrowest gap the author left (at least one space). A lone trailing comment keeps its gap
 * (at least one space), so a file already aligned stays exactly as it is.
 */
function alignBlock(block: readonly Cell[], edits: FormatEdit[], lineStarts: readonly number[], replace: (s: number, e: number, t: string) => void): void {
  const ends = block.map((c) => formattedColumn(c.gapStart, lineStarts[c.line], edits));
  const gap = Math.max(1, Math.min(...block.map((c) => c.gapEnd - c.gapStart)));
  const column = Math.max(...ends) + gap;
  block.forEach((c, i) => replaceInOrder(edits, replace, c.gapStart, c.gapEnd, " ".repeat(column - ends[i])));
}

/** `replace` for an edit made after the others: it moves to its place in document order. */
function replaceInOrder(edits: FormatEdit[], replace: (s: number, e: number, t: string) => void, start: number, end: number, newText: string): void {
  const before = edits.length;
  replace(start, end, newText);
  if (edits.length === before) return;
  const e = edits.pop()!;
  let at = edits.length;
  while (at > 0 && edits[at - 1].start > e.start) at--;
  edits.splice(at, 0, e);
}

/** The column `offset` (a position of the original text) has once the edits before it are applied. */
function formattedColumn(offset: number, lineStart: number, edits: readonly FormatEdit[]): number {
  let column = offset - lineStart;
  for (const e of edits) {
    if (e.end > offset) break;
    if (e.start < lineStart) continue;
    column += e.newText.length - (e.end - e.start);
  }
  return column;
}

/** Applies edits (in document order, not overlapping) to a text. */
export function applyEdits(text: string, edits: readonly FormatEdit[]): string {
  let out = "";
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The text in the canonical layout. */
export function format(text: string): string {
  return applyEdits(text, formatEdits(parse(text)));
}
