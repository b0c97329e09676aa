// The AST of a document kept across edits: a top-level statement whose green node the incremental
// re-parse reused keeps its AST, moved to its new place; only new statements are lowered. Lowering
// the whole tree after every keystroke is what made large files slow.

import type * as A from "./ast";
import { toAst } from "./lower";
import type { ParseResult } from "./parser";
import { GreenNode, SyntaxNode, type GreenElement } from "./syntax";
import { exact } from "./keep";
import type { LineIndex } from "./text";

/** The statements lowered from one top-level green node, and where that node was. */
interface Lowered {
  offset: number;
  line: number;
  statements: A.Stmt[];
  /** Every node (a node is its own span), every separate span (operators, argument lists) and every node with a moving line in `statements`, once each. */
  moves: Moves;
}

interface Moves {
  spans: A.Span[];
  lines: { line: number }[];
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

  /** The AST of `parsed`, reusing what earlier calls lowered for the green nodes it shares with them. */
  program(parsed: ParseResult, lines: LineIndex): A.Program {
    const children = parsed.root.green.children;
    const next = new Map<GreenNode, Lowered>();
    let misses = 0;
    for (const child of children) if (child instanceof GreenNode && !this.lowered.has(child)) misses++;
    // Past a few new statements, one whole lowering is cheaper than lowering each through its own root.
    if (misses > MAX_SEPARATE_LOWERINGS) {
      this.firstLowering(parsed, lines, next);
    } else {
      let offset = 0;
      for (const child of children) {
        if (child instanceof GreenNode) next.set(child, this.reuseOrLower(child, offset, parsed, lines));
        offset += child.width;
      }
    }
    this.lowered = next;
    const body: A.Stmt[] = [];
    for (const child of children) {
      if (!(child instanceof GreenNode)) continue;
      const l = next.get(child);
      if (l) for (const s of l.statements) body.push(s);
    }
    return { kind: "Program", body, start: 0, end: parsed.text.length };
  }

  /** Lowers the whole tree at once and files its statements under the green nodes they came from. */
  private firstLowering(parsed: ParseResult, lines: LineIndex, into: Map<GreenNode, Lowered>): void {
    const program = lowerDetached(parsed, lines);
    let i = 0;
    let offset = 0;
    for (const child of parsed.root.green.children) {
      const end = offset + child.width;
      if (child instanceof GreenNode) {
        const statements: A.Stmt[] = [];
        while (i < program.body.length && program.body[i].start < end) statements.push(program.body[i++]);
        into.set(child, { offset, line: lines.lineOf(offset), statements, moves: movesOf(statements) });
      }
      offset = end;
    }
  }

  private reuseOrLower(child: GreenNode, offset: number, parsed: ParseResult, lines: LineIndex): Lowered {
    const line = lines.lineOf(offset);
    const old = this.lowered.get(child);
    if (old) {
      if (old.offset !== offset || old.line !== line) {
        // Only the lists run: an edit near the top moves every statement below it.
        const delta = offset - old.offset;
        if (delta !== 0) for (const sp of old.moves.spans) {
          sp.start += delta;
          sp.end += delta;
        }
        const lineDelta = line - old.line;
        if (lineDelta !== 0) for (const n of old.moves.lines) n.line += lineDelta;
      }
      return { offset, line, statements: old.statements, moves: old.moves };
    }
    const statements = lowerOne(child, offset, parsed, lines);
    return { offset, line, statements, moves: movesOf(statements) };
  }
}

/** What moving `statements` moves, listed once when they are lowered. */
function movesOf(statements: A.Stmt[]): Moves {
  const mover = new Mover();
  for (const s of statements) mover.statement(s);
  return { spans: exact(mover.spans), lines: exact(mover.lineNodes) };
}

/** Lowers one top-level green node at its offset, through a root that holds only it. */
function lowerOne(child: GreenNode, offset: number, parsed: ParseResult, lines: LineIndex): A.Stmt[] {
  const green = new GreenNode(parsed.root.green.kind, child.width, [child as GreenElement], child.flags, 0);
  const root = new SyntaxNode(green, null, offset);
  return toAst({ text: parsed.text, root, diagnostics: [] }, lines).body;
}

/**
 * Lists what moving a statement's AST moves: every node (its start and end), the separate spans
 * of operators and argument lists, and every node whose line changes with its place. An
 * f-string's desugared form shares nodes with its parts, so inside f-strings each node is listed
 * once; elsewhere each node is reached once. Lines inside
 * f-string braces count from the braces (compiler.md §6) and do not move.
 */
class Mover {
  readonly spans: A.Span[] = [];
  readonly lineNodes: { line: number }[] = [];
  /** Inside f-strings: what was listed already (made at the first f-string). */
  private moved: Set<A.Span> | null = null;
  private done: Set<A.Expr> | null = null;
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
    this.spans.push(s);
  }

  private push(e: A.Expr, inFString: boolean): void {
    this.nodes.push(e);
    this.modes.push(inFString);
  }

  private line(n: { line: number }, inFString: boolean): void {
    if (!inFString) this.lineNodes.push(n);
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
        const done = (this.done ??= new Set());
        if (done.has(e)) continue;
        done.add(e);
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
          this.span(e.opSpan, f);
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
          this.span(e.argsSpan, f);
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
