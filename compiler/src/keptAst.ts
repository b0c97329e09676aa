// The AST of a document kept across edits: a top-level statement whose green node the incremental
// re-parse reused keeps its AST, moved to its new place; only new statements are lowered. Lowering
// the whole tree after every keystroke is what made large files slow.

import type * as A from "./ast";
import { toAst } from "./lower";
import type { ParseResult } from "./parser";
import { GreenNode, SyntaxNode, type GreenElement } from "./syntax";
import type { LineIndex } from "./text";

/** The statements lowered from one top-level green node, and where that node was. */
interface Lowered {
  offset: number;
  line: number;
  statements: A.Stmt[];
}

/**
 * Lowers a whole parse result through a fresh root of its green tree: the red nodes that lowering
 * creates (and caches on the root) then die with it instead of living as long as the parse result.
 */
export function lowerDetached(parsed: ParseResult, lines?: LineIndex): A.Program {
  return toAst({ text: parsed.text, root: new SyntaxNode(parsed.root.green, null, 0), diagnostics: parsed.diagnostics }, lines);
}

const MAX_SEPARATE_LOWERINGS = 16;

export class KeptAst {
  private lowered = new Map<GreenNode, Lowered>();
  private mover: Mover | null = null;

  /**
   * The AST of `parsed`, reusing what earlier calls lowered for the green nodes it shares with
   * them. One green node can stand at several top-level places (equal nodes are shared, and the
   * incremental re-parse can reuse a shared nested statement at the top level): only its first
   * place is kept; another gets an AST of its own each time, so no AST node is ever at two places.
   */
  program(parsed: ParseResult, lines: LineIndex): A.Program {
    const children = parsed.root.green.children;
    const next = new Map<GreenNode, Lowered>();
    const placed: (Lowered | null)[] = new Array(children.length).fill(null);
    let misses = 0;
    for (const child of children) if (child instanceof GreenNode && !this.lowered.has(child)) misses++;
    // Past a few new statements, one whole lowering is cheaper than lowering each through its own root.
    if (misses > MAX_SEPARATE_LOWERINGS) {
      this.firstLowering(parsed, lines, next, placed);
    } else {
      let offset = 0;
      for (let k = 0; k < children.length; k++) {
        const child = children[k];
        if (child instanceof GreenNode) {
          if (next.has(child)) placed[k] = { offset, line: lines.lineOf(offset), statements: lowerOne(child, offset, parsed, lines) };
          else next.set(child, (placed[k] = this.reuseOrLower(child, offset, parsed, lines)));
        }
        offset += child.width;
      }
    }
    this.lowered = next;
    const body: A.Stmt[] = [];
    for (const l of placed) if (l) for (const s of l.statements) body.push(s);
    return { kind: "Program", body, start: 0, end: parsed.text.length };
  }

  /** Lowers the whole tree at once and files its statements under the green nodes they came from (the first place of each). */
  private firstLowering(parsed: ParseResult, lines: LineIndex, into: Map<GreenNode, Lowered>, placed: (Lowered | null)[]): void {
    const program = lowerDetached(parsed, lines);
    const children = parsed.root.green.children;
    let i = 0;
    let offset = 0;
    for (let k = 0; k < children.length; k++) {
      const child = children[k];
      const end = offset + child.width;
      if (child instanceof GreenNode) {
        const statements: A.Stmt[] = [];
        while (i < program.body.length && program.body[i].start < end) statements.push(program.body[i++]);
        placed[k] = { offset, line: lines.lineOf(offset), statements };
        if (!into.has(child)) into.set(child, placed[k]!);
      }
      offset = end;
    }
    // A move by nothing over the whole program: the first edit near the top moves every
    // statement, and that walk would otherwise run cold (the first edit of the 20 000-line file
    // took 56–69 ms without this, 42–53 ms with it); here it costs the opening a few milliseconds.
    const mover = (this.mover ??= new Mover());
    mover.delta = mover.lineDelta = 0;
    for (const s of program.body) mover.statement(s);
    mover.done();
  }

  private reuseOrLower(child: GreenNode, offset: number, parsed: ParseResult, lines: LineIndex): Lowered {
    const line = lines.lineOf(offset);
    const old = this.lowered.get(child);
    if (old) {
      if (old.offset !== offset || old.line !== line) {
        const mover = (this.mover ??= new Mover());
        mover.delta = offset - old.offset;
        mover.lineDelta = line - old.line;
        for (const s of old.statements) mover.statement(s);
        mover.done();
      }
      return { offset, line, statements: old.statements };
    }
    const statements = lowerOne(child, offset, parsed, lines);
    return { offset, line, statements };
  }
}

/** Lowers one top-level green node at its offset, through a root that holds only it. */
function lowerOne(child: GreenNode, offset: number, parsed: ParseResult, lines: LineIndex): A.Stmt[] {
  const green = new GreenNode(parsed.root.green.kind, child.width, [child as GreenElement], child.flags, 0);
  const root = new SyntaxNode(green, null, offset);
  return toAst({ text: parsed.text, root, diagnostics: [] }, lines).body;
}

/**
 * Moves a statement's AST by `delta` characters and `lineDelta` lines, in place: every node (its
 * start and end; a binary operation's operator and a call's argument list move with their node),
 * and the line of every node whose line changes with its place. An f-string's desugared form
 * shares nodes with its parts, so inside f-strings each node is moved once (sets kept until
 * done()); elsewhere each node is reached once. Lines inside f-string braces count from the
 * braces (compiler.md §6) and do not move. The walk is done again at each move rather than
 * listing once what to move: the lists held a pointer per node (~1.3 MB on the 20 000-line
 * file); the walk costs about 40 % more than running the lists did.
 */
class Mover {
  delta = 0;
  lineDelta = 0;
  /** Inside f-strings: what was moved already. */
  private moved: Set<A.Span> | null = null;
  private visited: Set<A.Expr> | null = null;
  /** The expressions still to visit, and whether each is inside an f-string. */
  private readonly nodes: A.Expr[] = [];
  private readonly modes: boolean[] = [];

  /** `inFString`: inside an f-string, where nodes are shared and lines do not move. */
  private span(s: A.Span, inFString: boolean): void {
    if (inFString) {
      const moved = (this.moved ??= new Set());
      if (moved.has(s)) return;
      moved.add(s);
    }
    s.start += this.delta;
    s.end += this.delta;
  }

  /** Forgets the f-string nodes moved (call after each statement list). */
  done(): void {
    this.moved = this.visited = null;
  }

  private push(e: A.Expr, inFString: boolean): void {
    this.nodes.push(e);
    this.modes.push(inFString);
  }

  private line(n: { line: number }, inFString: boolean): void {
    if (!inFString) n.line += this.lineDelta;
  }

  private block(b: A.Block, inFString: boolean): void {
    this.span(b, inFString);
    for (const s of b.body) this.statement(s, inFString);
  }

  statement(s: A.Stmt, inFString = false): void {
    const f = inFString;
    this.span(s, f);
    this.line(s, f);
    switch (s.kind) {
      case "Let":
        this.span(s.name, f);
        this.expr(s.value, f);
        break;
      case "Print":
        this.expr(s.value, f);
        break;
      case "If":
        this.expr(s.cond, f);
        this.block(s.then, f);
        if (s.else) {
          if (s.else.kind === "Block") this.block(s.else, f);
          else this.statement(s.else, f);
        }
        break;
      case "While":
        this.expr(s.cond, f);
        this.block(s.body, f);
        break;
      case "For":
        this.span(s.variable, f);
        this.expr(s.iterable, f);
        this.block(s.body, f);
        break;
      case "FnDecl":
        this.span(s.name, f);
        for (const p of s.params) this.span(p, f);
        this.block(s.body, f);
        break;
      case "Return":
        if (s.value) this.expr(s.value, f);
        break;
      case "IndexAssign":
        this.span(s.target, f);
        this.expr(s.index, f);
        this.expr(s.value, f);
        break;
      case "ExprStmt":
        this.expr(s.expr, f);
        break;
      case "Break":
      case "Continue":
      case "ErrorStmt":
        break;
    }
  }

  /** An expression and everything in it, from an explicit stack: chains may be thousands deep. */
  private expr(root: A.Expr, inFString: boolean): void {
    // The stacks are shared: a lambda's body inside pushes above this walk's entries.
    const nodes = this.nodes;
    const modes = this.modes;
    const base = nodes.length;
    this.push(root, inFString);
    while (nodes.length > base) {
      const e = nodes.pop()!;
      const f = modes.pop()!;
      if (f) {
        const visited = (this.visited ??= new Set());
        if (visited.has(e)) continue;
        visited.add(e);
      }
      this.span(e, f);
      switch (e.kind) {
        case "Number":
        case "String":
        case "Bool":
        case "Var":
        case "Missing":
          break;
        case "Array":
          for (const x of e.elements) this.push(x, f);
          break;
        case "Dict":
          for (const en of e.entries) {
            this.push(en.key, f);
            this.push(en.value, f);
          }
          break;
        case "Index":
          this.push(e.object, f);
          this.push(e.index, f);
          break;
        case "Binary":
          e.opStart += this.delta;
          e.opEnd += this.delta;
          this.push(e.left, f);
          this.push(e.right, f);
          break;
        case "Unary":
          this.push(e.operand, f);
          break;
        case "Paren":
          this.push(e.inner, f);
          break;
        case "Call":
          this.line(e, f);
          e.argsStart += this.delta;
          e.argsEnd += this.delta;
          this.push(e.callee, f);
          for (const a of e.args) this.push(a, f);
          break;
        case "Lambda":
          this.line(e, f);
          for (const p of e.params) this.span(p, f);
          this.block(e.body, f);
          break;
        case "FString":
          // Its parts and its desugared form share nodes: each is listed once (its own span was
          // listed above, in the mode around it: note it).
          (this.moved ??= new Set()).add(e);
          for (const p of e.parts) {
            this.span(p, true);
            if (p.kind === "Interpolation") this.push(p.expr, true);
          }
          this.push(e.desugared, true);
          break;
      }
    }
  }
}
