// The incremental re-parser's oracle: after random edits (and undoing them), the incrementally
// re-parsed tree equals a full parse of the same text — same shape, ranges, tokens and
// diagnostics — and untouched statements are shared with the previous tree.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, ParseResult } from "../src/parser";
import { reparse, TextEdit } from "../src/incremental";
import { GreenElement, GreenNode, SyntaxKind, greenText, kindName } from "../src/syntax";
import { mulberry32 as rng } from "../../test-fixtures/tools/rng.cjs";

const generator = join(__dirname, "../../test-fixtures/tools/gen-wsp.mjs");
// Generated programs: a sample in `npm test`, the full sizes in `npm run soak` (WHISPEM_SOAK=1).
const SCALE = process.env.WHISPEM_SOAK === "1" ? 1 : 0.3;
const sized = (n: number) => Math.round(n * SCALE);

function generated(mode: string, seed: number, count: number): string[] {
  const dir = mkdtempSync(join(tmpdir(), "wsp-gen-"));
  try {
    execFileSync(process.execPath, [generator, "--seed", String(seed), "--count", String(count), "--mode", mode, "--out", dir]);
    return readdirSync(dir).sort().map((f) => readFileSync(join(dir, f), "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first difference between two trees, or null (iterative: chains nest deep). */
function treeDiff(a0: GreenElement, b0: GreenElement): string | null {
  const stack: [GreenElement, GreenElement, number, string][] = [[a0, b0, 0, "Program"]];
  while (stack.length) {
    const [a, b, at, path] = stack.pop()!;
    if (a === b) continue;
    if (a.kind !== b.kind || a.width !== b.width) return `${path}@${at}: ${kindName(a.kind)}/${a.width} vs ${kindName(b.kind)}/${b.width}`;
    if (!(a instanceof GreenNode) || !(b instanceof GreenNode)) {
      if ((a as { text: string }).text !== (b as { text: string }).text) return `${path}@${at}: token text differs`;
      continue;
    }
    if (a.children.length !== b.children.length) return `${path}@${at}: ${a.children.length} vs ${b.children.length} children`;
    if (a.hasError !== b.hasError) return `${path}@${at}: error flag differs`;
    let offset = at;
    const next: [GreenElement, GreenElement, number, string][] = [];
    for (let i = 0; i < a.children.length; i++) {
      next.push([a.children[i], b.children[i], offset, path.length < 200 ? `${path}/${kindName(a.children[i].kind)}` : path]);
      offset += a.children[i].width;
    }
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]);
  }
  return null;
}

function assertSameAsFull(inc: ParseResult, context: string): void {
  const full = parse(inc.text);
  assert.equal(greenText(inc.root.green), inc.text, `${context}: lossless`);
  const d = treeDiff(inc.root.green, full.root.green);
  assert.equal(d, null, `${context}: tree differs from a full parse: ${d}`);
  assert.deepEqual(inc.diagnostics, full.diagnostics, `${context}: diagnostics differ from a full parse`);
}

const SNIPPETS = ["", "(", ")", "{", "}", "[", "]", ",", "=", "let", "fn", "if", "else", '"', "@", ":", "+", "1", "x", "\n",
  "return", 'f"{', "#", " ", "\\", "else\n", "\nif", '}"', "{x}", "é", "😀", "\\\n", ".5", "else if", "\t", "{\n"];
const CHARS = 'abefilsx01"{}[]()#\\\n =+.,:f';

/** An edit of 1–20 characters, often inside a string, comment, f-string or near else/braces. */
function randomEdit(text: string, r: () => number): TextEdit {
  let start: number;
  if (r() < 0.6) {
    const interesting = [...text.matchAll(/f"|"|#|\{|\}|else|\\/g)];
    start = interesting.length ? interesting[Math.floor(r() * interesting.length)].index! + Math.floor(r() * 4) : 0;
  } else {
    start = Math.floor(r() * (text.length + 1));
  }
  start = Math.min(start, text.length);
  const kind = r();
  const len = 1 + Math.floor(r() * 20);
  const end = kind < 0.35 ? start : Math.min(text.length, start + len); // insert, or delete/replace
  let inserted = "";
  if (kind < 0.35 || kind > 0.7) {
    while (inserted.length === 0) {
      inserted = r() < 0.5 ? SNIPPETS[Math.floor(r() * SNIPPETS.length)] : "";
      for (let i = Math.floor(r() * 4); i > 0; i--) inserted += CHARS[Math.floor(r() * CHARS.length)];
    }
    inserted = inserted.slice(0, 20);
  }
  return { start, end, text: inserted };
}

/** Edits then undoes them (in reverse), checking every step against a full parse. */
function editAndUndo(source: string, r: () => number, edits: number, label: string): void {
  let result = parse(source);
  const undo: TextEdit[] = [];
  for (let i = 0; i < edits; i++) {
    const e = randomEdit(result.text, r);
    undo.push({ start: e.start, end: e.start + e.text.length, text: result.text.slice(e.start, e.end) });
    result = reparse(result, e);
    assertSameAsFull(result, `${label} edit ${i} ${JSON.stringify(e)}`);
  }
  while (undo.length) {
    result = reparse(result, undo.pop()!);
    assertSameAsFull(result, `${label} undo ${undo.length}`);
  }
  assert.equal(result.text, source);
}

test("incremental == full parse over random edit-and-undo runs on generated programs", () => {
  const r = rng(20240611);
  let programs = 0;
  let wanted = 0;
  for (const [mode, count] of [["ok", sized(500)], ["fail", sized(250)], ["syntax", sized(600)]] as const) {
    wanted += count;
    const sources = generated(mode, 11, count);
    sources.forEach((src, i) => {
      editAndUndo(src, r, 3, `${mode} #${i}`);
      programs++;
    });
  }
  assert.equal(programs, wanted);
});

test("long chains of edits (text read from pieces of earlier texts) stay equal to a full parse", () => {
  const r = rng(77);
  const sources = generated("ok", 41, 6);
  for (const [i, src] of sources.entries()) {
    let result = parse(src);
    let plain = src;
    for (let k = 0; k < 150; k++) {
      const e = randomEdit(plain, r);
      plain = plain.slice(0, e.start) + e.text + plain.slice(e.end);
      result = reparse(result, e);
      assert.equal(result.text, plain);
      assertSameAsFull(result, `chain ${i} edit ${k}`);
    }
  }
});

test("every generated program, valid or broken, parses losslessly; valid ones without diagnostics", () => {
  for (const mode of ["ok", "fail", "syntax"]) {
    for (const src of generated(mode, 29, sized(300))) {
      const r = parse(src);
      assert.equal(greenText(r.root.green), src);
      if (mode !== "syntax") assert.deepEqual(r.diagnostics, []);
      else assert.ok(r.diagnostics.length > 0 || !/@/.test(src), "a corrupted program with @ reports it");
    }
  }
});

test("edits far from else/if, strings and f-strings that change tokens elsewhere", () => {
  const cases: [string, TextEdit][] = [
    ["if a {\n}\nelse\n\n\n  i\nprint 1\n", { start: 17, end: 17, text: "f" }], // `i` → `if`: merges with the else lines above
    ["if a {\n}\nelse\n\n  if b { }\n", { start: 15, end: 17, text: "" }], // the if disappears: else stands alone
    ['print "a \\\nb"\nprint 2\n', { start: 9, end: 10, text: "" }], // remove the continuing backslash
    ['print 1\nprint f"{x}"\nprint 2\n', { start: 17, end: 18, text: "" }], // unbalance the f-string braces
    ["print 1\nprint 2 # c\nprint 3\n", { start: 16, end: 16, text: "#" }],
    ["print 1\nprint 2\n", { start: 6, end: 6, text: '"' }], // an opening quote swallows to the line end
    ["fn f() {\n  print 1\n  print 2\n}\n", { start: 20, end: 20, text: "}" }], // a block closes early
    ["print 1.\nprint 2\n", { start: 8, end: 8, text: "5" }], // `1.` + `5` → `1.5`
    ["let x = 1\n", { start: 10, end: 10, text: "print x" }], // append at the end
    ['print f"{fn() {\n  print 1\n  print 22\n}()}"\nprint 3\n', { start: 0, end: 18, text: "" }], // statements from f-string braces become top level
    ['print f"{fn() { return "a }()}"\n', { start: 16, end: 23, text: "" }],
  ];
  for (const [text, edit] of cases) {
    const inc = reparse(parse(text), edit);
    assertSameAsFull(inc, JSON.stringify([text, edit]));
  }
});

test("untouched statements are reused, top level and inside blocks", () => {
  const lines = ["fn big() {"];
  for (let i = 0; i < 50; i++) lines.push(`    print ${i}`);
  lines.push("}");
  for (let i = 0; i < 50; i++) lines.push(`let v${i} = ${i}`);
  const text = lines.join("\n") + "\n";
  const before = parse(text);
  const at = text.indexOf("print 25") + 6;
  const after = reparse(before, { start: at, end: at + 2, text: "99" });
  assertSameAsFull(after, "reuse");
  const fnOld = before.root.green.children.find((c) => c.kind === SyntaxKind.FnDecl) as GreenNode;
  const fnNew = after.root.green.children.find((c) => c.kind === SyntaxKind.FnDecl) as GreenNode;
  assert.notEqual(fnOld, fnNew, "the edited function is rebuilt");
  const oldStatements = new Set((fnOld.children.find((c) => c.kind === SyntaxKind.Block) as GreenNode).children);
  const newBlock = fnNew.children.find((c) => c.kind === SyntaxKind.Block) as GreenNode;
  const prints = newBlock.children.filter((c) => c.kind === SyntaxKind.PrintStmt);
  assert.equal(prints.filter((p) => oldStatements.has(p)).length, 49, "all prints but the edited one are shared");
  const oldTop = new Set(before.root.green.children);
  const lets = after.root.green.children.filter((c) => c.kind === SyntaxKind.LetStmt);
  assert.equal(lets.length, 50);
  assert.ok(lets.every((l) => oldTop.has(l)), "top-level statements after the edit are shared");
  assert.equal(after.root.children().find((c) => c.kind === SyntaxKind.LetStmt)!.start, text.indexOf("let v0"), "positions of reused nodes are right");
});

test("a statement with a 50 000-term chain is reused and re-parsed without deep recursion", () => {
  const text = "print " + Array(50000).fill("1").join(" + ") + "\nprint 2\n";
  const before = parse(text);
  const after = reparse(before, { start: text.length - 2, end: text.length - 2, text: "3" });
  assert.equal(after.root.green.children[0], before.root.green.children[0], "the long statement is shared");
  assertSameAsFull(after, "long chain");
});

test("equal statements that looked different distances ahead are not shared: an edit within the longer look ahead re-parses its statement", () => {
  // Both `if` statements read the same, but after the second the parser looked over three blank
  // lines to `elsey` (a possible `else`): sharing one node would give it the first one's shorter
  // lookahead, and deleting the `y` would then keep the `if` without its new `else`.
  const text = "fn f() {\n    if x { print 1 }\n    print 2\n    if x { print 1 }\n\n\n\n    elsey { print 3 }\n}\n";
  const old = parse(text);
  const at = text.indexOf("elsey") + 4;
  const edit: TextEdit = { start: at, end: at + 1, text: "" };
  const edited = text.slice(0, at) + text.slice(at + 1);
  const diff = treeDiff(reparse(old, edit).root.green, parse(edited).root.green);
  assert.equal(diff, null, diff ?? "");
});
