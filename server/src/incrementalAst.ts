// The AST of a document kept across edits: a top-level statement whose green node the incremental
// re-parse reused keeps its AST, moved to its new place; only new statements are lowered. Lowering
// the whole tree after every keystroke is what made large files slow.

import type * as A from "../../compiler/src/ast";
import { toAst } from "../../compiler/src/lower";
import type { ParseResult } from "../../compiler/src/parser";
import { GreenNode, SyntaxNode, type GreenElement } from "../../compiler/src/syntax";
import type { LineIndex } from "../../compiler/src/text";

/** The statements lowered from one top-level green node, and where that node was. */
interface Lowered {
  offset: number;
  line: number;
  statements: A.Stmt[];
  /** Every span and every node with a moving line in `statements`, once each. */
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

export class IncrementalAst {
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
    return { kind: "Program", body, span: { start: 0, end: parsed.text.length } };
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
        while (i < program.body.length && program.body[i].span.start < end) statements.push(program.body[i++]);
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
  return { spans: mover.spans, lines: mover.lineNodes };
}

/** Lowers one top-level green node at its offset, through a root that holds only it. */
function lowerOne(child: GreenNode, offset: number, parsed: ParseResult, lines: LineIndex): A.Stmt[] {
  const green = new GreenNode(parsed.root.green.kind, child.width, [child as GreenElement], child.flags, 0);
  const root = new SyntaxNode(green, null, offset);
  return toAst({ text: parsed.text, root, diagnostics: [] }, lines).body;
}

/**
 * Lists what moving a statement's AST moves: every span, and every node whose line changes with
 * its place. An f-string's desugared form shares nodes (and spans) with its parts, so inside
 * f-strings each node and span is listed once; elsewhere every node has its own. Lines inside
 * f-string braces count from the braces (compiler.md §6) and do not move.
 */
class Mover {
  readonly spans: A.Span[] = [];
  readonly lineNodes: { line: number }[] = [];
  private readonly moved = new Set<A.Span>();
  private readonly done = new Set<A.Expr>();
  private fstring = 0;

  private span(s: A.Span): void {
    if (this.fstring > 0) {
      if (this.moved.has(s)) return;
      this.moved.add(s);
    }
    this.spans.push(s);
  }

  private line(n: { line: number }): void {
    if (this.fstring === 0) this.lineNodes.push(n);
  }

  private block(b: A.Block): void {
    this.span(b.span);
    for (const s of b.body) this.statement(s);
  }

  statement(s: A.Stmt): void {
    this.span(s.span);
    this.line(s);
    switch (s.kind) {
      case "Let":
        this.span(s.name.span);
        this.expr(s.value);
        break;
      case "Print":
        this.expr(s.value);
        break;
      case "If":
        this.expr(s.cond);
        this.block(s.then);
        if (s.else) {
          if (s.else.kind === "Block") this.block(s.else);
          else this.statement(s.else);
        }
        break;
      case "While":
        this.expr(s.cond);
        this.block(s.body);
        break;
      case "For":
        this.span(s.variable.span);
        this.expr(s.iterable);
        this.block(s.body);
        break;
      case "FnDecl":
        this.span(s.name.span);
        for (const p of s.params) this.span(p.span);
        this.block(s.body);
        break;
      case "Return":
        if (s.value) this.expr(s.value);
        break;
      case "IndexAssign":
        this.span(s.target.span);
        this.expr(s.index);
        this.expr(s.value);
        break;
      case "ExprStmt":
        this.expr(s.expr);
        break;
      case "Break":
      case "Continue":
      case "ErrorStmt":
        break;
    }
  }

  private expr(e: A.Expr): void {
    if (this.fstring > 0) {
      if (this.done.has(e)) return;
      this.done.add(e);
    }
    this.span(e.span);
    switch (e.kind) {
      case "Number":
      case "String":
      case "Bool":
      case "Var":
      case "Missing":
        break;
      case "Array":
        for (const x of e.elements) this.expr(x);
        break;
      case "Dict":
        for (const en of e.entries) {
          this.expr(en.key);
          this.expr(en.value);
        }
        break;
      case "Index":
        this.expr(e.object);
        this.expr(e.index);
        break;
      case "Binary":
        this.span(e.opSpan);
        this.expr(e.left);
        this.expr(e.right);
        break;
      case "Unary":
        this.expr(e.operand);
        break;
      case "Paren":
        this.expr(e.inner);
        break;
      case "Call":
        this.line(e);
        this.span(e.argsSpan);
        this.expr(e.callee);
        for (const a of e.args) this.expr(a);
        break;
      case "Lambda":
        this.line(e);
        for (const p of e.params) this.span(p.span);
        this.block(e.body);
        break;
      case "FString":
        // The f-string's own span was moved above, outside the bookkeeping: note it.
        this.moved.add(e.span);
        this.fstring++;
        for (const p of e.parts) {
          this.span(p.span);
          if (p.kind === "Interpolation") this.expr(p.expr);
        }
        this.expr(e.desugared);
        this.fstring--;
        break;
    }
  }
}
