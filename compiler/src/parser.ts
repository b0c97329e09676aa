// The parser's machinery: the token cursor over the lexer, the green-tree builder, diagnostics,
// error recovery and (for incremental re-parsing) reuse of old statement nodes. The grammar
// itself is in grammar/statements.ts and grammar/expressions.ts.

import { Diagnostic, Diagnostics, DiagnosticDef, formatMessage } from "./diagnostics";
import { FIXED_TEXT, Lexer, TextPiece, decodeString, matchingBrace } from "./lexer";
import { shortest } from "./numfmt";
import { GreenElement, GreenNode as GreenNodeImported, GreenToken as GreenTokenImported, HAS_ERROR, SyntaxKind, SyntaxNode, isKeyword } from "./syntax";
import { LineIndex } from "./text";
import { program } from "./grammar/statements";

// Local aliases: a module-level constant is much faster to reach than an import binding.
const K = SyntaxKind;
type K = SyntaxKind;
const GreenNode = GreenNodeImported;
type GreenNode = GreenNodeImported;
const GreenToken = GreenTokenImported;
type GreenToken = GreenTokenImported;

export interface ParseResult {
  text: string;
  root: SyntaxNode;
  /** The reference's first error first (language.md §3), then every other diagnostic by position. */
  diagnostics: Diagnostic[];
}

/** Parses a whole document. Never throws. */
export function parse(text: string): ParseResult {
  const parser = new Parser(text, null);
  const result = parser.run();
  parser.release();
  kept.parser = parser;
  return result;
}

/**
 * The last parser, emptied, kept alive on purpose. V8 keeps the hidden classes of the parser's
 * working objects only while one such object lives, and a full collection that finds none left
 * throws away the optimised code of every parsing method: the next parse of a large file then
 * ran 3 to 6 times slower (after each forced or idle full GC, as happens in a language server).
 */
const kept: { parser: Parser | null } = { parser: null };

const lineIndexes = new WeakMap<ParseResult, LineIndex | (() => LineIndex)>();

/** The line index of a parse result's text (computed once, or derived from the previous one). */
export function lineIndex(result: ParseResult): LineIndex {
  let li = lineIndexes.get(result);
  if (typeof li === "function") li = li();
  if (!li) li = new LineIndex(result.text);
  lineIndexes.set(result, li);
  return li;
}

/** The line index of a result if it was already made, else undefined (never computes one). */
export function existingLineIndex(result: ParseResult): LineIndex | undefined {
  const li = lineIndexes.get(result);
  return li instanceof LineIndex ? li : undefined;
}

const sources = new WeakMap<ParseResult, TextPiece[]>();

/** Where a result's text can be read from without flattening it (see TextPiece). */
export function textPieces(result: ParseResult): TextPiece[] {
  return sources.get(result) ?? [{ str: result.text, shift: 0, from: 0, to: Infinity, validEnd: result.text.length }];
}

/** Lets lineIndex(result) derive the index cheaply when it is first asked for. */
export function deriveLineIndex(result: ParseResult, make: () => LineIndex): void {
  if (!lineIndexes.has(result)) lineIndexes.set(result, make);
}

/**
 * Where the parser may take an old statement node instead of parsing: implemented by the
 * incremental re-parser. Given a statement position in the new text, returns an old node that
 * a full parse would rebuild identically, or null.
 */
export interface NodeReuse {
  nodeAt(offset: number): GreenNode | null;
}

/** Thrown (and caught at the nearest statement) to abandon a statement after a syntax error. */
const ABORT = { abort: true };


/**
 * Node kinds the parser shares between equal occurrences (see NodeTable, Parser.finish): expressions and
 * their lists (EXPRESSION: their lookahead is never read, it is stored as 0), and statements and
 * blocks below the top level (NESTED: equal only with the same lookahead). Never f-strings.
 */
const SHAREABLE = new Uint8Array(256);
const EXPRESSION = 1;
const NESTED = 2;
for (const k of [K.CallExpr, K.BinaryExpr, K.UnaryExpr, K.ParenExpr, K.IndexExpr, K.ArrayExpr, K.DictExpr, K.DictEntry, K.ArgList, K.ParamList, K.LambdaExpr]) SHAREABLE[k] = EXPRESSION;
for (const k of [K.Block, K.LetStmt, K.PrintStmt, K.ReturnStmt, K.ExprStmt, K.BreakStmt, K.ContinueStmt, K.IfStmt, K.WhileStmt, K.ForStmt, K.IndexAssignStmt]) SHAREABLE[k] = NESTED;

const HASH_MULTIPLIER = 0x9e3779b1 | 0;

/** The hash of a node the parser did not make in this parse (a shared leaf, a reused statement): from its kind and direct children. */
function shallowHash(n: GreenNode): number {
  let hash = n.kind;
  for (const c of n.children) hash = Math.imul(hash ^ (c instanceof GreenToken ? c.id : c.width * 131 + c.kind), HASH_MULTIPLIER);
  return hash;
}

/**
 * The shareable nodes of one parse, by a hash of their kind and children (open addressing in a
 * typed array: no allocation per node). Two nodes are equal when they have the same kind,
 * lookahead and the very same children.
 */
class NodeTable {
  // It starts small enough for V8 to keep in its heap (an edit's parse makes a handful of nodes;
  // a larger buffer per keystroke is memory outside the heap that only a full collection frees).
  private slots = new Int32Array(16);
  private nodes: GreenNode[] = [];
  private nodeHashes: number[] = [];

  find(hash: number, kind: K, lookahead: number, children: GreenElement[], from: number, n: number): GreenNode | null {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = mix(hash) & mask; ; i = (i + 1) & mask) {
      const s = slots[i];
      if (s === 0) return null;
      if (this.nodeHashes[s - 1] !== hash) continue;
      const c = this.nodes[s - 1];
      const ck = c.children;
      if (ck.length !== n || c.kind !== kind || c.lookahead !== lookahead) continue;
      let same = true;
      for (let j = 0; j < n && same; j++) same = ck[j] === children[from + j];
      if (same) return c;
    }
  }

  add(hash: number, node: GreenNode): void {
    this.nodes.push(node);
    this.nodeHashes.push(hash);
    if (this.nodes.length * 2 > this.slots.length) this.grow();
    else this.place(this.slots, this.nodes.length - 1);
  }

  private place(slots: Int32Array, index: number): void {
    const mask = slots.length - 1;
    let i = mix(this.nodeHashes[index]) & mask;
    while (slots[i] !== 0) i = (i + 1) & mask;
    slots[i] = index + 1;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    for (let k = 0; k < this.nodes.length; k++) this.place(slots, k);
    this.slots = slots;
  }
}

/** The final scramble of a hash before it picks a slot. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b | 0);
  return h ^ (h >>> 13);
}

/** The shared token of each kind whose text is fixed, indexed by kind. */
const FIXED_TOKENS: (GreenToken | undefined)[] = [];
for (const [k, t] of FIXED_TEXT) FIXED_TOKENS[k] = new GreenToken(k, t);
const EOF_TOKEN = new GreenToken(K.EndOfFile, "");
/**
 * Tokens are immutable and carry no position, so equal ones are shared: a small hash table of
 * recent short tokens (names, numbers, indentation) saves most token allocations.
 */
const TOKEN_CACHE_SIZE = 8192;
const tokenCache: (GreenToken | undefined)[] = new Array(TOKEN_CACHE_SIZE);

/**
 * text[s, e) as a string of its own. V8 makes a slice of 13 characters or more a view into the
 * whole string, which it keeps alive: a token kept across edits (an indentation run, a comment, a
 * long string or name) would keep the whole text of the version it was read from — on the 20 000-
 * line bench file 3 000 edits kept 30 old texts (20 MB). Concatenation then slicing copies the
 * characters into a string of their own (the view's parent is then that copy).
 */
function ownSlice(text: string, s: number, e: number): string {
  return e - s < 13 ? text.slice(s, e) : (" " + text.slice(s, e)).slice(1);
}

function internToken(kind: K, text: string, s: number, e: number): GreenToken {
  const len = e - s;
  if (len > 32) return new GreenToken(kind, ownSlice(text, s, e));
  let h = kind * 31 + len;
  for (let i = s; i < e; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  const slot = h & (TOKEN_CACHE_SIZE - 1);
  const t = tokenCache[slot];
  if (t !== undefined && t.kind === kind && t.width === len) {
    const tt = t.text;
    let i = 0;
    while (i < len && tt.charCodeAt(i) === text.charCodeAt(s + i)) i++;
    if (i === len) return t;
  }
  const fresh = new GreenToken(kind, ownSlice(text, s, e));
  tokenCache[slot] = fresh;
  return fresh;
}

/** Nesting beyond this many expressions or blocks is refused rather than overflowing the stack. */
const MAX_DEPTH = 300;

export class Parser {
  lexer: Lexer;
  /** The current significant token. */
  kind: K = K.EndOfFile;
  start = 0;
  end = 0;
  /** The flat string the current token was read from, and its index of position 0. */
  private curStr = "";
  private curShift = 0;
  // The trivia before the current token and the children of the open nodes are stacks with
  // explicit counts: shrinking an array by setting its length costs more than the push itself.
  private pending: GreenToken[] = [];
  private pendingCount = 0;
  private children: GreenElement[] = [];
  private childCount = 0;
  /** A hash of each element of `children` (see NodeTable). */
  private hashes: number[] = [];
  /**
   * Equal nodes are made once per parse (green nodes are immutable and carry no position, so one
   * can stand at several places): a third of the nodes of a generated 20 000-line file equal an
   * earlier one (`x + 1`, `(a, b)`, `k: v`, `return x`).
   */
  private table: NodeTable | null = null;
  // The nodes started and not finished, as parallel stacks (no object per node: less garbage).
  private openKinds: K[] = [];
  private openMarkers: number[] = [];
  /** The error count when the node started; -1 for a node that holds an error from the start. */
  private openErrors: number[] = [];
  /** Sum of the widths pushed into the tree so far: the absolute end of the built text. */
  private built = 0;
  private errorCount = 0;
  /** Tokens taken since the last syntax error (tokens skipped while recovering do not count). */
  private sinceError = 1 << 30;
  /** An unexpected character came just before the current token (already reported). */
  private badCharBefore = false;
  private lexErrors: Diagnostic[] = [];
  private parseErrors: Diagnostic[] = [];
  /** Brackets `( [ {` consumed and not yet closed, for recovery. */
  brackets: K[] = [];
  /** > 0 while parsing the contents of f-string braces (no reuse; lexical errors are phase 2). */
  private inBraces = 0;
  depth = 0;
  private lines: LineIndex | null = null;

  constructor(
    public text: string,
    private reuse: NodeReuse | null,
    /** Makes the line index when a diagnostic needs one (the incremental parser derives it). */
    private makeLineIndex: () => LineIndex = () => new LineIndex(text),
    /** Where to read the text from, when not from `text` itself (see TextPiece). */
    pieces?: TextPiece[],
  ) {
    this.lexer = pieces ? new Lexer({ pieces, whole: () => text }, 0, text.length) : new Lexer(text);
    this.mainLexer = this.lexer;
  }

  private mainLexer: Lexer;

  run(): ParseResult {
    this.advance();
    try {
      program(this);
    } catch {
      // The grammar catches its own aborts; anything else is a bug (or a stack overflow). Keep
      // the promise of never throwing: the tree built so far, then the rest of the text, lexed
      // again from where the tree ends, as an error node.
      this.lexer = this.mainLexer;
      this.inBraces = 0;
      this.pendingCount = 0;
      while (this.openKinds.length > 1) this.finish();
      this.lexer.seek(this.built);
      this.advance();
      this.startErrorNode(K.Error);
      while (!this.at(K.EndOfFile)) this.bump();
      this.finish();
      this.finishProgram();
    }
    const root = this.children[0] as GreenNode;
    const rest = this.parseErrors.slice();
    let first: Diagnostic | undefined;
    if (this.lexErrors.length) first = this.lexErrors[0];
    else first = rest[0];
    const all = [...this.lexErrors, ...this.parseErrors].filter((d) => d !== first);
    all.sort((a, b) => a.start - b.start || a.end - b.end);
    const result: ParseResult = { text: this.text, root: new SyntaxNode(root, null, 0), diagnostics: first ? [first, ...all] : all };
    if (this.lines) lineIndexes.set(result, this.lines);
    sources.set(result, this.mainLexer.currentPieces());
    return result;
  }

  /** Drops the tree and diagnostics once run() has returned them (see `kept`). */
  release(): void {
    this.children = [];
    this.childCount = 0;
    this.pending = [];
    this.pendingCount = 0;
    this.lexErrors = [];
    this.parseErrors = [];
    this.brackets = [];
    this.lines = null;
    // The kept parser must not hold the document's text: after the next edit it would be a
    // second copy of the file alive for nothing.
    this.table = null;
    this.hashes = [];
    this.text = this.curStr = "";
    this.lexer = this.mainLexer = new Lexer("");
    this.reuse = null;
    this.makeLineIndex = () => new LineIndex("");
  }

  /** Called by the grammar's program rule once at end of file. */
  finishProgram(): void {
    this.flushTrivia();
    this.push(EOF_TOKEN);
    this.finish();
  }

  // ------------------------------------------------------------ tokens

  /** Moves to the next significant token, collecting trivia and reporting lexical errors. */
  advance(): void {
    const lx = this.lexer;
    this.badCharBefore = false;
    for (;;) {
      const k = lx.next();
      if (k <= K.BadChar) {
        this.pending[this.pendingCount++] = FIXED_TOKENS[k] ?? internToken(k, lx.str, lx.tokenStart - lx.shift, lx.pos - lx.shift);
        if (k === K.BadChar) this.badCharBefore = true;
        if (k === K.BadChar && !this.inBraces) {
          const ch = lx.slice(lx.tokenStart, lx.pos);
          this.lexError(this.diag(Diagnostics.UnexpectedCharacter, { char: ch }, lx.tokenStart, lx.pos));
        }
        continue;
      }
      this.kind = k;
      this.start = lx.tokenStart;
      this.end = lx.pos;
      this.curStr = lx.str;
      this.curShift = lx.shift;
      if ((k === K.BadString || k === K.BadFString) && !this.inBraces) {
        this.lexError(this.diag(Diagnostics.UnterminatedString, {}, this.start, this.end));
      }
      return;
    }
  }

  /** A token within the current one (the current token itself, or a piece of an f-string). */
  private token(k: K, s: number, e: number): GreenToken {
    return FIXED_TOKENS[k] ?? internToken(k, this.curStr, s - this.curShift, e - this.curShift);
  }

  /** The source text of [s, e) within the current token. */
  currentText(s: number, e: number): string {
    return this.curStr.slice(s - this.curShift, e - this.curShift);
  }

  /** The `}` closing the f-string brace whose contents start at `from` (within the current token). */
  matchingBraceInCurrent(from: number, to: number): number {
    return matchingBrace(this.curStr, from - this.curShift, to - this.curShift) + this.curShift;
  }

  /** A character within the current token. */
  currentChar(i: number): number {
    return this.curStr.charCodeAt(i - this.curShift);
  }

  at(k: K): boolean {
    return this.kind === k;
  }

  /** Adds the current token to the tree and moves on. */
  bump(): void {
    this.flushTrivia();
    this.push(this.token(this.kind, this.start, this.end));
    // A new line starts a new statement more often than not: errors there are worth reporting.
    this.sinceError += this.kind === K.Newline ? 3 : 1;
    this.advance();
  }

  /** A node of one token (a name or a literal): shared between all occurrences of that token. */
  leafNode(kind: K): void {
    this.flushTrivia();
    const t = this.token(this.kind, this.start, this.end);
    let node = t.wrapper;
    if (node === null || node.kind !== kind) {
      node = new GreenNode(kind, t.width, [t], this.kind === K.BadString || this.kind === K.BadFString ? HAS_ERROR : 0, 0);
      t.wrapper = node;
    }
    this.push(node);
    this.sinceError++;
    this.advance();
  }

  /** Adds a piece of the current token (f-strings are split into pieces) without moving on. */
  pushPiece(k: K, s: number, e: number): void {
    this.flushTrivia();
    this.push(this.token(k, s, e));
    this.sinceError++;
  }

  expect(k: K, what: string): void {
    if (this.kind === k) this.bump();
    else this.errorExpected(what);
  }

  skipNewlines(): void {
    while (this.kind === K.Newline) this.bump();
  }

  /** The kind of the first token after the current one that is neither trivia nor a newline. */
  peekPastNewlines(): K {
    const lx = this.lexer.fork(this.end);
    let k: K;
    do k = lx.next();
    while (k <= K.BadChar || k === K.Newline);
    if (lx.examinedEnd > this.lexer.examinedEnd) this.lexer.examinedEnd = lx.examinedEnd;
    return k;
  }

  // ------------------------------------------------------------ tree building

  private push(e: GreenElement): void {
    this.hashes[this.childCount] = e instanceof GreenToken ? e.id : shallowHash(e);
    this.children[this.childCount++] = e;
    this.built += e.width;
  }

  private flushTrivia(): void {
    const n = this.pendingCount;
    if (n === 0) return;
    const pending = this.pending;
    for (let i = 0; i < n; i++) this.push(pending[i]);
    this.pendingCount = 0;
  }

  /** A position to start a node at later (startAt), after any trivia before the current token. */
  mark(): number {
    this.flushTrivia();
    return this.childCount;
  }

  startNode(kind: K): void {
    this.openAt(kind, this.mark(), this.errorCount);
  }

  private openAt(kind: K, marker: number, errors: number): void {
    this.openKinds.push(kind);
    this.openMarkers.push(marker);
    this.openErrors.push(errors);
  }

  /** Starts a node that holds input already reported as an error (so it is never reused). */
  startErrorNode(kind: K): void {
    this.openAt(kind, this.mark(), -1);
  }

  /** Starts a node that begins at an earlier mark (e.g. a binary expression around its left operand). */
  startAt(marker: number, kind: K): void {
    this.openAt(kind, marker, this.errorCount);
  }

  /** Changes the kind of the innermost open node (`a[i]` turns out to be `a[i] = v`). */
  retype(kind: K): void {
    this.openKinds[this.openKinds.length - 1] = kind;
  }

  finish(): void {
    const kind = this.openKinds.pop()!;
    const marker = this.openMarkers.pop()!;
    const errors = this.openErrors.pop()!;
    const children = this.children;
    const n = this.childCount - marker;
    const hashes = this.hashes;
    let width = 0;
    let flags = 0;
    let hash = kind;
    for (let i = 0; i < n; i++) {
      const k = children[marker + i];
      width += k.width;
      if (k instanceof GreenNode) flags |= k.flags & HAS_ERROR;
      hash = Math.imul(hash ^ hashes[marker + i], HASH_MULTIPLIER);
    }
    if (this.errorCount > errors) flags |= HAS_ERROR;
    // Only statements are ever reused, so only they keep their lookahead: equal expressions followed by different text stay equal.
    const share = SHAREABLE[kind];
    const lookahead = share === EXPRESSION ? 0 : Math.max(0, this.lexer.examinedEnd - this.built);
    // A top-level statement is never shared: the kept AST and semantic tokens file things under it.
    const shared = flags === 0 && share !== 0 && (share === EXPRESSION || this.openKinds[this.openKinds.length - 1] !== K.Program);
    let node = shared ? (this.table ??= new NodeTable()).find(hash, kind, lookahead, children, marker, n) : null;
    if (node === null) {
      // A plain copy: much cheaper than splice for these short runs.
      const kids: GreenElement[] = new Array(n);
      for (let i = 0; i < n; i++) kids[i] = children[marker + i];
      node = new GreenNode(kind, width, kids, flags, lookahead);
      if (shared) this.table!.add(hash, node);
    }
    children[marker] = node;
    hashes[marker] = hash;
    this.childCount = marker + 1;
  }

  /** Closes every node opened above the given depth (after an abort). */
  closeTo(depth: number): void {
    while (this.openKinds.length > depth) this.finish();
  }

  /** Whether the innermost open node already has a child node of this kind. */
  openHasChild(kind: K): boolean {
    for (let i = this.openMarkers[this.openMarkers.length - 1]; i < this.childCount; i++) {
      const c = this.children[i];
      if (c instanceof GreenNode && c.kind === kind) return true;
    }
    return false;
  }

  // ------------------------------------------------------------ reuse

  /** At a statement position: takes an old node if the reuse oracle allows. */
  tryReuse(): boolean {
    if (!this.reuse || this.inBraces) return false;
    const n = this.reuse.nodeAt(this.start);
    if (!n) return false;
    this.flushTrivia();
    this.push(n);
    this.sinceError += significantTokens(n, 3);
    const end = this.start + n.width;
    if (end + n.lookahead > this.lexer.examinedEnd) this.lexer.examinedEnd = end + n.lookahead;
    this.lexer.seek(end);
    this.advance();
    return true;
  }

  // ------------------------------------------------------------ f-string braces

  /**
   * Parses the contents of one `{…}` of an f-string on its own (language.md §2): lexical errors
   * first, then one expression; the tokens after it are kept as IgnoredTokens.
   */
  parseBraces(from: number, to: number, expr: (p: Parser) => void): void {
    const pre = Lexer.over(this.curStr, this.curShift, from, to);
    for (let k = pre.next(); k !== K.EndOfFile; k = pre.next()) {
      if (k === K.BadChar) this.parseError(this.diag(Diagnostics.UnexpectedCharacter, { char: pre.slice(pre.tokenStart, pre.pos) }, pre.tokenStart, pre.pos));
      else if (k === K.BadString || k === K.BadFString) this.parseError(this.diag(Diagnostics.UnterminatedString, {}, pre.tokenStart, pre.pos));
    }
    const saved = { lexer: this.lexer, kind: this.kind, start: this.start, end: this.end, pending: this.pending, pendingCount: this.pendingCount, str: this.curStr, shift: this.curShift };
    const bracketBase = this.brackets.length;
    const depth = this.openKinds.length;
    const savedDepth = this.depth;
    this.inBraces++;
    this.lexer = Lexer.over(this.curStr, this.curShift, from, to);
    this.pending = [];
    this.pendingCount = 0;
    this.advance();
    try {
      expr(this);
    } catch (e) {
      if (e !== ABORT) throw e;
      this.depth = savedDepth;
      this.closeTo(depth);
    }
    if (this.kind !== K.EndOfFile) {
      this.startNode(K.IgnoredTokens);
      while (!this.at(K.EndOfFile)) this.bump();
      this.finish();
    }
    this.flushTrivia();
    this.brackets.length = bracketBase;
    this.inBraces--;
    saved.lexer.examinedEnd = Math.max(saved.lexer.examinedEnd, this.lexer.examinedEnd);
    this.lexer = saved.lexer;
    this.kind = saved.kind;
    this.start = saved.start;
    this.end = saved.end;
    this.pending = saved.pending;
    this.pendingCount = saved.pendingCount;
    this.curStr = saved.str;
    this.curShift = saved.shift;
  }

  // ------------------------------------------------------------ diagnostics

  private lineIndex(): LineIndex {
    return (this.lines ??= this.makeLineIndex());
  }

  private diag(def: DiagnosticDef, args: Record<string, string>, start: number, end: number): Diagnostic {
    const pos = this.lineIndex().position(start);
    return { code: def.code, severity: def.severity, message: formatMessage(def, args), start, end, line: pos.line, column: pos.column };
  }

  private lexError(d: Diagnostic): void {
    this.errorCount++;
    this.sinceError = 0;
    this.lexErrors.push(d);
  }

  private parseError(d: Diagnostic): void {
    this.errorCount++;
    this.parseErrors.push(d);
    this.sinceError = 0;
  }

  /**
   * A syntax error found fewer than three tokens after the last error, on the same line, is most
   * likely a consequence of it (the classic rule of yacc's error recovery): count it, do not
   * report it.
   * After an unexpected character, or at an unterminated string, the complaint is usually that
   * same typo again (`x + @`): it was reported already, and lexical errors win anyway.
   */
  private syntaxError(d: () => Diagnostic): void {
    if (this.sinceError < 3 || this.badCharBefore || this.kind === K.BadString || this.kind === K.BadFString) {
      this.errorCount++;
      this.sinceError = 0;
    } else {
      this.parseError(d());
    }
  }

  /** `Expected X, found Y` at the current token; abandons the statement. */
  errorExpected(what: string): never {
    this.syntaxError(() => this.diag(Diagnostics.Expected, { expected: what, found: this.describeCurrent() }, this.start, this.end));
    throw ABORT;
  }

  /** `Unexpected end of file` inside a block; abandons the statement. */
  errorUnexpectedEof(): never {
    this.syntaxError(() => this.diag(Diagnostics.UnexpectedEof, {}, this.start, this.end));
    throw ABORT;
  }

  errorTooDeep(): never {
    this.parseError(this.diag(Diagnostics.NestingTooDeep, {}, this.start, this.end));
    throw ABORT;
  }

  /** The current token as the reference shows it in messages (language.md §1). */
  describeCurrent(): string {
    return describeToken(this.kind, this.currentText(this.start, this.end));
  }

  // ------------------------------------------------------------ recovery

  /**
   * Parses one statement of a statement list; on a syntax error, skips to where the next
   * statement can start (a newline or `}` outside the brackets the statement opened, or a
   * statement keyword on a new line) so that one typo gives one diagnostic.
   */
  statementWithRecovery(inBlock: boolean, statement: (p: Parser) => void, block: (p: Parser) => void, elsePart: (p: Parser) => void): void {
    if (this.tryReuse()) return;
    const depth = this.openKinds.length;
    const bracketBase = this.brackets.length;
    const startPos = this.start;
    const savedDepth = this.depth;
    try {
      statement(this);
      return;
    } catch (e) {
      if (e !== ABORT) throw e;
    }
    this.depth = savedDepth;
    // Keep the statement's own node open (its first pieces stay useful), close what is inside it.
    this.closeTo(Math.min(this.openKinds.length, depth + 1));
    const stmtOpen = this.openKinds.length > depth;
    const initial = this.brackets.slice(bracketBase);
    this.brackets.length = bracketBase;
    const stmtKind = stmtOpen ? this.openKinds[depth] : K.ErrorStmt;
    const header = stmtOpen && (stmtKind === K.IfStmt || stmtKind === K.WhileStmt || stmtKind === K.ForStmt || stmtKind === K.FnDecl) && !this.openHasChild(K.Block);
    if (!stmtOpen) this.startErrorNode(K.ErrorStmt);
    const foundBlock = this.skipToStatementEnd(inBlock, initial, header, stmtOpen ? K.Error : null);
    if (foundBlock) {
      this.guarded(block, inBlock);
      if (stmtKind === K.IfStmt) this.guarded(elsePart, inBlock);
    } else if (header && this.at(K.Newline)) {
      // `while x` and its `{` forgotten: when the next lines are indented deeper, they are its body.
      const indent = this.columnOf(startPos);
      const next = this.lexer.fork(this.end);
      let k: K;
      do k = next.next();
      while (k <= K.BadChar || k === K.Newline);
      if (k !== K.EndOfFile && this.columnOf(next.tokenStart) > indent) {
        this.headlessBlock(indent, statement, block, elsePart);
        if (stmtKind === K.IfStmt) this.guarded(elsePart, inBlock);
      }
    }
    this.finish();
    // Never loop in place: a statement that failed on its first token consumes at least it.
    if (this.start === startPos && this.kind !== K.EndOfFile && !(inBlock && this.kind === K.RBrace)) {
      this.startErrorNode(K.ErrorStmt);
      this.bump();
      this.finish();
    }
  }

  /** The statements of a block whose `{` is missing: the lines indented deeper than its header. */
  private headlessBlock(indent: number, statement: (p: Parser) => void, block: (p: Parser) => void, elsePart: (p: Parser) => void): void {
    this.startNode(K.Block);
    for (;;) {
      this.skipNewlines();
      if (this.at(K.EndOfFile)) break;
      const column = this.columnOf(this.start);
      if (this.at(K.RBrace)) {
        if (column >= indent) this.bump();
        break;
      }
      if (column <= indent) break;
      this.statementWithRecovery(true, statement, block, elsePart);
    }
    this.finish();
  }

  /** How many characters precede a position on its line (from the text, so reuse cannot skew it). */
  private columnOf(pos: number): number {
    let i = pos;
    while (i > 0) {
      const c = this.lexer.charAt(i - 1);
      if (c === 10 || c < 0) break;
      i--;
    }
    return pos - i;
  }

  private guarded(rule: (p: Parser) => void, inBlock: boolean): void {
    const depth = this.openKinds.length;
    const bracketBase = this.brackets.length;
    const savedDepth = this.depth;
    try {
      rule(this);
    } catch (e) {
      if (e !== ABORT) throw e;
      this.depth = savedDepth;
      this.closeTo(depth);
      const initial = this.brackets.slice(bracketBase);
      this.brackets.length = bracketBase;
      this.skipToStatementEnd(inBlock, initial, false, K.Error);
    }
  }

  /**
   * Skips tokens (into a node of kind `wrap`, or straight into the open node when null) up to the
   * end of the broken statement. With `header`, stops at a `{` outside brackets and returns true:
   * the caller parses it as the statement's block.
   */
  private skipToStatementEnd(inBlock: boolean, initial: K[], header: boolean, wrap: K | null): boolean {
    const stack = initial;
    // How many entries at the bottom of the stack were opened before the error (by the broken
    // statement itself, so a statement may well start on the next line).
    let before = initial.length;
    let wrapped = false;
    const begin = () => {
      if (wrap !== null && !wrapped) {
        this.startErrorNode(wrap);
        wrapped = true;
      }
    };
    let foundBlock = false;
    const since = this.sinceError;
    for (;;) {
      const k = this.kind;
      if (k === K.EndOfFile) break;
      if (k === K.Newline) {
        if (stack.length === 0) {
          // `if x` with its `{` on the next line: take that block as the statement's.
          if (header && this.peekPastNewlines() === K.LBrace) {
            begin();
            this.skipNewlines();
            foundBlock = true;
          }
          break;
        }
        if ((stack[stack.length - 1] === K.LParen || stack.length <= before) && this.statementAhead()) break;
      } else if (k === K.LParen || k === K.LBracket || k === K.LBrace) {
        if (k === K.LBrace && header && stack.length === 0) {
          foundBlock = true;
          break;
        }
        stack.push(k);
      } else if (k === K.RParen || k === K.RBracket || k === K.RBrace) {
        const open = k === K.RParen ? K.LParen : k === K.RBracket ? K.LBracket : K.LBrace;
        const j = stack.lastIndexOf(open);
        if (j >= 0) {
          stack.length = j;
          if (j < before) before = j;
        } else if (k === K.RBrace) {
          // A header whose `{` is missing but whose `}` is on the same line (`if x print 1 }`):
          // that `}` closes the missing block, not the enclosing one.
          if (header) {
            begin();
            this.bump();
            break;
          }
          if (inBlock) break;
        }
      }
      begin();
      this.bump();
    }
    this.sinceError = since;
    if (wrapped) this.finish();
    return foundBlock;
  }

  /** Whether the line after the current newline starts like a statement (for recovery). */
  private statementAhead(): boolean {
    const lx = this.lexer.fork(this.end);
    let k: K;
    do k = lx.next();
    while (k <= K.BadChar || k === K.Newline);
    let result = isStatementStart(k) || k === K.RBrace || k === K.EndOfFile;
    if (!result && (k === K.Ident || k === K.AssertKw || k === K.ExitKw || k === K.WriteFileKw || k === K.ReadFileKw ||
        k === K.WriteHexKw || k === K.ArgsKw || k === K.MapKw || k === K.FilterKw || k === K.ReduceKw)) {
      let k2: K;
      do k2 = lx.next();
      while (k2 <= K.BadChar);
      result = k2 === K.LParen || (k === K.Ident && k2 === K.LBracket);
    }
    if (lx.examinedEnd > this.lexer.examinedEnd) this.lexer.examinedEnd = lx.examinedEnd;
    return result;
  }

  depthIn(): void {
    if (++this.depth > MAX_DEPTH) {
      this.depth = 0;
      this.errorTooDeep();
    }
  }

  depthOut(): void {
    if (this.depth > 0) this.depth--;
  }
}

/**
 * What parsing a node adds to Parser.sinceError (as bump() counts), counting no further than
 * `max`. Iterative: a chain like `1 + 1 + …` nests thousands of nodes down its first child.
 */
function significantTokens(n: GreenNode, max: number): number {
  let count = 0;
  const stack: GreenElement[] = [n];
  while (stack.length && count < max) {
    const e = stack.pop()!;
    if (e instanceof GreenNode) {
      for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]);
    } else if (e.kind === K.Newline) count += 3;
    else if (e.kind > K.BadChar && e.kind !== K.EndOfFile) count++;
  }
  return Math.min(count, max);
}

function isStatementStart(k: K): boolean {
  switch (k) {
    case K.LetKw: case K.PrintKw: case K.IfKw: case K.WhileKw: case K.ForKw: case K.FnKw:
    case K.ReturnKw: case K.BreakKw: case K.ContinueKw:
      return true;
    default:
      return false;
  }
}

/** A token as the reference shows it in messages (language.md §1 table). */
export function describeToken(kind: K, text: string): string {
  switch (kind) {
    case K.Newline: return "newline";
    case K.EndOfFile: return "end of file";
    case K.String: case K.BadString: return `string "${decodeString(text)}"`;
    case K.FString: case K.BadFString: return "f-string";
    case K.Number: return `number '${shortest(Number(text))}'`;
    case K.Ident: return `identifier '${text}'`;
    case K.ElseIfKw: return "'else if'";
    default:
      if (isKeyword(kind) || FIXED_TEXT.has(kind)) return `'${FIXED_TEXT.get(kind) ?? text}'`;
      return `'${text}'`;
  }
}

