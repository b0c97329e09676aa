// Memory for huge documents (documents.ts). Their AST is lowered a slice of top-level statements
// at a time, each slice's green nodes let go once lowered, so the lossless tree and the whole AST
// are never held at once. And an array grown by `push` keeps spare capacity (a one-element array
// holds room for 17): the AST and the resolution are mostly small arrays, and on a 10 MB program
// the spare room was about a fifth of their memory. compactAst copies each array at its exact
// length, in place (objects keep their identity; an array is only ever held by the one object
// that made it); the resolution cuts its own lists to size (resolve.ts, keep.ts exact()).

import type { Ast as A, LineIndex } from "../../compiler/src/index";
import { GreenNode, SyntaxNode, toAst, type GreenElement, type SyntaxKind } from "../../compiler/src/index";

let collector: () => void = () => {};

/** Installs the platform's garbage collection (server.ts, from host.ts), if it has one. */
export function useGarbageCollector(collect: () => void): void {
  collector = collect;
}

/** After letting go of a large structure: without it the heap grows over the garbage first. */
export function collectGarbage(): void {
  collector();
}

/** Top-level green elements lowered through one root (top-level statements lower independently). */
const SLICE = 4096;

/**
 * The program of a tree's top-level `children` (the root's kind `kind`), lowered slice by slice;
 * each entry of `children` is set to null once lowered, so the caller must hold the only other
 * reference to the tree and let it go first.
 */
export function lowerInSlices(kind: SyntaxKind, children: (GreenElement | null)[], text: string, lines: LineIndex): A.Program {
  const body: A.Stmt[] = [];
  let offset = 0;
  for (let from = 0; from < children.length; from += SLICE) {
    const slice: GreenElement[] = [];
    let width = 0;
    for (let i = from; i < Math.min(children.length, from + SLICE); i++) {
      const c = children[i]!;
      children[i] = null;
      slice.push(c);
      width += c.width;
    }
    const root = new SyntaxNode(new GreenNode(kind, width, slice, 0, 0), null, offset);
    const statements = toAst({ text, root, diagnostics: [] }, lines).body;
    compactAst(statements);
    for (const s of statements) body.push(s);
    offset += width;
  }
  return { kind: "Program", body, start: 0, end: text.length };
}

/** Replaces every array in (part of) the AST by an exact-length copy. The AST is plain data, a tree
 * (no parent links): walked with its own stack (chains nest tens of thousands deep). */
export function compactAst(ast: object): void {
  const stack: object[] = [ast];
  while (stack.length) {
    const o = stack.pop() as Record<string, unknown>;
    for (const key in o) {
      const v = o[key];
      if (Array.isArray(v)) {
        const copy = v.length ? v.slice() : v;
        if (copy !== v) o[key] = copy;
        for (const x of copy) if (x !== null && typeof x === "object") stack.push(x);
      } else if (v !== null && typeof v === "object") {
        stack.push(v);
      }
    }
  }
}

