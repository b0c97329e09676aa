// The lossless syntax tree: immutable "green" nodes that know only their kind, width and
// children (so a subtree can be reused after an edit anywhere else), and a "red" view that adds
// parents and absolute offsets on demand.

export enum SyntaxKind {
  // ---- trivia (never seen by the grammar)
  Whitespace,
  Comment,
  /** A character that starts no token (`Unexpected character`). */
  BadChar,
  // ---- tokens
  Newline,
  LParen,
  RParen,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Eq,
  EqEq,
  Bang,
  BangEq,
  Lt,
  LtEq,
  Gt,
  GtEq,
  Number,
  String,
  /** A string literal without its closing quote (`Unterminated string literal`). */
  BadString,
  FString,
  /** An f-string without its end (`Unterminated string literal`). */
  BadFString,
  Ident,
  // keywords
  LetKw,
  PrintKw,
  IfKw,
  ElseKw,
  /** `else` + newlines + `if`, merged by the lexer into one token. */
  ElseIfKw,
  WhileKw,
  ForKw,
  InKw,
  AndKw,
  OrKw,
  NotKw,
  FnKw,
  ReturnKw,
  BreakKw,
  ContinueKw,
  TrueKw,
  FalseKw,
  // builtin keywords (in expression position they are names)
  AssertKw,
  TypeOfKw,
  ExitKw,
  MapKw,
  FilterKw,
  ReduceKw,
  LengthKw,
  PushKw,
  PopKw,
  ReverseKw,
  SliceKw,
  RangeKw,
  InputKw,
  ReadFileKw,
  WriteFileKw,
  KeysKw,
  ValuesKw,
  HasKeyKw,
  CharAtKw,
  SubstrKw,
  OrdKw,
  NumToStrKw,
  StrToNumKw,
  ArgsKw,
  WriteHexKw,
  // f-string pieces (the parser splits an FString token into these)
  /** `f"` */
  FStringStart,
  /** Literal text between interpolations, escapes as written. */
  FStringText,
  /** The closing `"`. */
  FStringEnd,
  EndOfFile,

  // ---- nodes
  Program,
  Block,
  LetStmt,
  PrintStmt,
  IfStmt,
  WhileStmt,
  ForStmt,
  FnDecl,
  ReturnStmt,
  BreakStmt,
  ContinueStmt,
  IndexAssignStmt,
  ExprStmt,
  /** Input the parser could not make a statement of, or the unparsable rest of one. */
  ErrorStmt,
  ParamList,
  ArgList,
  LiteralExpr,
  NameExpr,
  ArrayExpr,
  DictExpr,
  DictEntry,
  IndexExpr,
  CallExpr,
  BinaryExpr,
  UnaryExpr,
  ParenExpr,
  LambdaExpr,
  FStringExpr,
  /** `{ expr }` inside an f-string. */
  Interpolation,
  /** Tokens after the expression inside f-string braces, which the reference ignores. */
  IgnoredTokens,
  /** Tokens skipped while recovering from a syntax error inside a statement. */
  Error,
  /**
   * `else if cond { … } …` inside an IfStmt. Not a statement kind: a full parse never starts a
   * statement with `else if`, so such a node must never be reused at a statement position.
   */
  ElseIfStmt,
}

export function kindName(k: SyntaxKind): string {
  return SyntaxKind[k];
}

export function isTrivia(k: SyntaxKind): boolean {
  return k <= SyntaxKind.BadChar;
}

export function isStatementKind(k: SyntaxKind): boolean {
  return k >= SyntaxKind.LetStmt && k <= SyntaxKind.ErrorStmt;
}

export function isBuiltinKeyword(k: SyntaxKind): boolean {
  return k >= SyntaxKind.AssertKw && k <= SyntaxKind.WriteHexKw;
}

export function isKeyword(k: SyntaxKind): boolean {
  return k >= SyntaxKind.LetKw && k <= SyntaxKind.WriteHexKw;
}

// ---------------------------------------------------------------- green tree

let tokenCount = 0;

export class GreenToken {
  readonly width: number;
  /** A number for this token object (the parser hashes nodes by their children: see NodeTable). */
  readonly id = (tokenCount = (tokenCount + 1) | 0);
  /**
   * The one-token expression node (NameExpr, LiteralExpr) wrapping this token, shared by every
   * occurrence: green nodes carry no position, so equal leaves need not be allocated again.
   */
  wrapper: GreenNode | null = null;
  constructor(
    readonly kind: SyntaxKind,
    readonly text: string,
  ) {
    this.width = text.length;
  }
}

/** Node flag: the node or something inside it carries a diagnostic (never reused). */
export const HAS_ERROR = 1;

// GreenNode.bits: the kind (8 bits), the flags (1 bit), the lookahead (the rest, saturating).
const KIND_MASK = 0xff;
const FLAGS_SHIFT = 8;
const FLAGS_MASK = HAS_ERROR;
const LOOKAHEAD_SHIFT = 9;
/** The largest lookahead stored as is; a larger one reads as Infinity (the node is never reused). */
const LOOKAHEAD_MAX = (1 << 21) - 1;
if (SyntaxKind.ElseIfStmt > KIND_MASK) throw new Error("SyntaxKind no longer fits GreenNode's kind bits");

export class GreenNode {
  /**
   * Kind, flags and lookahead in one small integer: a large file has ~100 000 green nodes, and
   * two fields fewer is 16 bytes less each (issue 16: the server's memory).
   */
  private readonly bits: number;
  constructor(
    kind: SyntaxKind,
    readonly width: number,
    readonly children: readonly GreenElement[],
    flags: number,
    lookahead: number,
  ) {
    this.bits = kind | ((flags & FLAGS_MASK) << FLAGS_SHIFT) | (Math.min(lookahead, LOOKAHEAD_MAX) << LOOKAHEAD_SHIFT);
  }
  get kind(): SyntaxKind {
    return this.bits & KIND_MASK;
  }
  get flags(): number {
    return (this.bits >> FLAGS_SHIFT) & FLAGS_MASK;
  }
  /**
   * How many characters past its end the lexer and parser looked to build this node. An edit
   * within [start, end + lookahead) may change it; one outside cannot. Kept for statement
   * nodes (the only ones reused); 0 on shared one-token expression nodes.
   */
  get lookahead(): number {
    const n = this.bits >>> LOOKAHEAD_SHIFT;
    return n === LOOKAHEAD_MAX ? Infinity : n;
  }
  get hasError(): boolean {
    return (this.bits & (HAS_ERROR << FLAGS_SHIFT)) !== 0;
  }
}

export type GreenElement = GreenNode | GreenToken;

export function isGreenNode(e: GreenElement): e is GreenNode {
  return e instanceof GreenNode;
}

/** The source text of a green element (tokens joined). */
export function greenText(e: GreenElement): string {
  let s = "";
  const stack: GreenElement[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    if (x instanceof GreenToken) s += x.text;
    else for (let i = x.children.length - 1; i >= 0; i--) stack.push(x.children[i]);
  }
  return s;
}

/**
 * Visits a green tree in source order with an explicit stack (left-nested chains make trees
 * thousands of nodes deep): `enter` before a node's children (returning false skips them), `token`
 * for each token with its offset and parent, `exit` after the children.
 */
export function walkGreen(
  root: GreenNode,
  start: number,
  visitor: {
    enter?: (node: GreenNode, start: number) => boolean | void;
    token?: (token: GreenToken, start: number, parent: GreenNode) => void;
    exit?: (node: GreenNode, start: number) => void;
  },
): void {
  if (visitor.enter?.(root, start) === false) return;
  const nodes: GreenNode[] = [root];
  const starts: number[] = [start];
  const next: number[] = [0];
  const offsets: number[] = [start];
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const node = nodes[top];
    const i = next[top];
    if (i === node.children.length) {
      nodes.pop();
      next.pop();
      offsets.pop();
      const at = starts.pop()!;
      visitor.exit?.(node, at);
      continue;
    }
    next[top] = i + 1;
    const c = node.children[i];
    const at = offsets[top];
    offsets[top] = at + c.width;
    if (c instanceof GreenNode) {
      if (visitor.enter?.(c, at) === false) continue;
      nodes.push(c);
      starts.push(at);
      next.push(0);
      offsets.push(at);
    } else {
      visitor.token?.(c, at, node);
    }
  }
}

// ---------------------------------------------------------------- red view

/** A token at its place in the file. */
export class SyntaxToken {
  constructor(
    readonly green: GreenToken,
    readonly parent: SyntaxNode,
    readonly start: number,
  ) {}
  get kind(): SyntaxKind {
    return this.green.kind;
  }
  get text(): string {
    return this.green.text;
  }
  get end(): number {
    return this.start + this.green.text.length;
  }
}

/** A node at its place in the file: offsets are computed from widths while walking down. */
export class SyntaxNode {
  private cache: SyntaxElement[] | null = null;
  constructor(
    readonly green: GreenNode,
    readonly parent: SyntaxNode | null,
    readonly start: number,
  ) {}
  get kind(): SyntaxKind {
    return this.green.kind;
  }
  get end(): number {
    return this.start + this.green.width;
  }
  get hasError(): boolean {
    return this.green.hasError;
  }
  children(): SyntaxElement[] {
    if (this.cache) return this.cache;
    const out: SyntaxElement[] = [];
    let offset = this.start;
    for (const c of this.green.children) {
      out.push(c instanceof GreenNode ? new SyntaxNode(c, this, offset) : new SyntaxToken(c, this, offset));
      offset += c.width;
    }
    this.cache = out;
    return out;
  }
  childNodes(): SyntaxNode[] {
    return this.children().filter((c): c is SyntaxNode => c instanceof SyntaxNode);
  }
  /** Significant tokens that are direct children (no trivia). */
  childTokens(): SyntaxToken[] {
    return this.children().filter((c): c is SyntaxToken => c instanceof SyntaxToken && !isTrivia(c.kind));
  }
  text(): string {
    return greenText(this.green);
  }
  /** The significant range: first to last non-trivia token inside (start,start if none). */
  trimmedRange(): { start: number; end: number } {
    const first = firstSignificant(this);
    const last = lastSignificant(this);
    if (!first || !last) return { start: this.start, end: this.start };
    return { start: first.start, end: last.end };
  }
  /** The token containing offset (the last token when offset is the end of the node). */
  tokenAt(offset: number): SyntaxToken | null {
    let node: SyntaxNode = this;
    descend: for (;;) {
      const cs = node.children();
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i];
        if (offset < c.end || (i === cs.length - 1 && offset === c.end)) {
          if (offset < c.start) return null;
          if (c instanceof SyntaxToken) return c;
          node = c;
          continue descend;
        }
      }
      return null;
    }
  }
  // Walks are iterative: left-nested chains (`1 + 1 + …`) can be thousands of nodes deep.
  *tokens(): Generator<SyntaxToken> {
    const stack: SyntaxElement[] = [this];
    while (stack.length) {
      const x = stack.pop()!;
      if (x instanceof SyntaxToken) yield x;
      else {
        const cs = x.children();
        for (let i = cs.length - 1; i >= 0; i--) stack.push(cs[i]);
      }
    }
  }
  *descendants(): Generator<SyntaxNode> {
    const stack: SyntaxNode[] = [...this.childNodes()].reverse();
    while (stack.length) {
      const x = stack.pop()!;
      yield x;
      const cs = x.childNodes();
      for (let i = cs.length - 1; i >= 0; i--) stack.push(cs[i]);
    }
  }
}

export type SyntaxElement = SyntaxNode | SyntaxToken;

function firstSignificant(n: SyntaxNode): SyntaxToken | null {
  for (const t of n.tokens()) if (!isTrivia(t.kind) && t.kind !== SyntaxKind.EndOfFile) return t;
  return null;
}

function lastSignificant(n: SyntaxNode): SyntaxToken | null {
  const stack: SyntaxElement[] = [n];
  while (stack.length) {
    const x = stack.pop()!;
    if (x instanceof SyntaxToken) {
      if (!isTrivia(x.kind) && x.kind !== SyntaxKind.EndOfFile) return x;
    } else {
      for (const c of x.children()) stack.push(c); // the last child is popped first
    }
  }
  return null;
}

/** An indented dump of the tree: `Kind@start..end` per node, tokens with their text. */
export function dumpTree(root: SyntaxNode): string {
  const lines: string[] = [];
  // Iterative: left-nested chains (`1 + 1 + …`) can be thousands of nodes deep.
  const stack: SyntaxElement[] = [root];
  const depths: number[] = [0];
  while (stack.length) {
    const x = stack.pop()!;
    const depth = depths.pop()!;
    if (x instanceof SyntaxNode) {
      lines.push(`${"  ".repeat(depth)}${kindName(x.kind)}@${x.start}..${x.end}${x.hasError ? " !" : ""}`);
      const cs = x.children();
      for (let i = cs.length - 1; i >= 0; i--) {
        stack.push(cs[i]);
        depths.push(depth + 1);
      }
    } else lines.push(`${"  ".repeat(depth)}${kindName(x.kind)}@${x.start}..${x.end} ${JSON.stringify(x.text)}`);
  }
  return lines.join("\n") + "\n";
}
