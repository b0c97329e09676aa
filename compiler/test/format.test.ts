// The formatter: golden layouts, and the property that it never changes a program: on the
// conformance corpus and on generated programs (ok, fail and syntax modes: 300 in `npm test`,
// 1 020 in `npm run soak`), formatting keeps the token stream and the compiled bytes, is
// idempotent, and undoes any re-spacing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, mkdtempSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../src/compiler";
import { format, formatEdits } from "../src/format";
import { Lexer } from "../src/lexer";
import { parse } from "../src/parser";
import { SyntaxKind as K } from "../src/syntax";

const FIXTURES = join(__dirname, "../../test-fixtures");
// Generated programs: a sample in `npm test`, the full sizes in `npm run soak` (WHISPEM_SOAK=1).
const SOAK = process.env.WHISPEM_SOAK === "1";
const ALIGNED = SOAK ? 200 : 60;
const PER_MODE = SOAK ? 340 : 100;

/** The significant tokens (kind and text) of a program; `else   if` counts as `else if`. */
function tokens(text: string): string[] {
  const lx = new Lexer(text);
  const out: string[] = [];
  for (let k = lx.next(); k !== K.EndOfFile; k = lx.next()) {
    if (k === K.Whitespace || k === K.Comment) continue;
    const t = text.slice(lx.tokenStart, lx.pos);
    out.push(`${k}:${k === K.ElseIfKw ? t.replace(/[ \t]+/g, " ") : t}`);
  }
  return out;
}

function sameCompilation(a: string, b: string, name: string): void {
  const ra = compile(a);
  const rb = compile(b);
  if (ra.bytes === null || rb.bytes === null) {
    assert.equal(rb.bytes, ra.bytes, `${name}: one compiles, the other does not`);
    const first = (r: typeof ra) => r.diagnostics.map((d) => `${d.line}: ${d.message}`)[0];
    assert.equal(first(rb), first(ra), `${name}: first error`);
    return;
  }
  assert.ok(Buffer.from(ra.bytes).equals(Buffer.from(rb.bytes)), `${name}: bytes differ`);
}

function syntaxErrors(text: string): string[] {
  return parse(text).diagnostics.map((d) => `${d.line}: ${d.code} ${d.message}`);
}

/** A seeded re-spacing of a program: random blanks between tokens and at line starts and ends. */
function respace(text: string, seed: number): string {
  let s = seed >>> 0;
  const rand = (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
  const blanks = ["", " ", "  ", "\t", " \t "];
  const lx = new Lexer(text);
  const toks: { kind: K; text: string }[] = [];
  for (let k = lx.next(); k !== K.EndOfFile; k = lx.next()) if (k !== K.Whitespace) toks.push({ kind: k, text: text.slice(lx.tokenStart, lx.pos) });
  let out = "";
  let prev: { kind: K; text: string } | null = null;
  for (const t of toks) {
    let blank = blanks[rand(blanks.length)];
    if (prev && prev.kind !== K.Newline && t.kind !== K.Newline && blank === "") {
      const pair = new Lexer(prev.text + t.text);
      pair.next();
      if (pair.pos !== prev.text.length || pair.next() !== t.kind || pair.pos !== prev.text.length + t.text.length) blank = " ";
    }
    // The blanks before a trailing comment and a `let`'s `=` are the author's alignment, which the
    // formatter keeps (see the alignment tests): a single space there, so the re-spacing is undone.
    if (prev && prev.kind !== K.Newline && (t.kind === K.Comment || t.kind === K.Eq)) blank = " ";
    // Unterminated strings and comments run to the end of the line: a blank there would join them.
    if (prev && t.kind === K.Newline && (prev.kind === K.Comment || prev.kind === K.BadString || prev.kind === K.BadFString)) blank = "";
    out += blank + t.text;
    prev = t;
  }
  return out;
}

test("golden: the canonical layout", () => {
  const input = readFileSync(join(FIXTURES, "server-aids/format-input.wsp"), "utf8");
  const expected = readFileSync(join(FIXTURES, "server-aids/format-expected.wsp"), "utf8");
  assert.equal(format(input), expected);
  assert.equal(format(expected), expected);
});

test("golden: aligned trailing comments and `=` of consecutive lets stay aligned", () => {
  const input = readFileSync(join(FIXTURES, "server-aids/format-align-input.wsp"), "utf8");
  const expected = readFileSync(join(FIXTURES, "server-aids/format-align-expected.wsp"), "utf8");
  assert.equal(format(input), expected);
  assert.equal(format(expected), expected);
});

test("golden: an aligned `else` of consecutive one-line ifs stays aligned; an unaligned one gets one space", () => {
  const input = readFileSync(join(FIXTURES, "server-aids/format-align-else-input.wsp"), "utf8");
  const expected = readFileSync(join(FIXTURES, "server-aids/format-align-else-expected.wsp"), "utf8");
  assert.equal(format(input), expected);
  assert.equal(format(expected), expected);
  // Every `else` after a `}` of the two aligned pairs stands in one column, as it did in the input.
  const columns = (text: string, from: number) => text.split("\n").slice(from, from + 2).map((l) => l.indexOf("else", l.search(/\}\s+else/)));
  for (const [from, text] of [[2, input], [2, expected], [11, expected]] as const) {
    const [a, b] = columns(text, from);
    assert.ok(a > 0 && a === b, `lines ${from + 1}-${from + 2}: else at ${a} and ${b}`);
  }
  assert.match(expected, /if s >= 90 \{ return "A" \} else \{/);
  assert.match(expected, /if s >= 50 \{ return "C" \} else \{/);
  sameCompilation(input, expected, "format-align-else-input.wsp");
});

/**
 * The program with its `let NAME =` runs (same indentation, consecutive lines) aligned by padding
 * the names, and a trailing comment on every line of each run of `span` lines, aligned `gap`
 * spaces after the longest line — the way an author aligns by hand.
 */
function alignByHand(text: string, span: number, gap: number): string {
  const lines = text.split("\n");
  const let_ = /^(\s*)let (\w+) = /;
  for (let i = 0; i < lines.length; ) {
    const m = let_.exec(lines[i]);
    let j = i + 1;
    if (m) while (j < lines.length && let_.exec(lines[j])?.[1] === m[1]) j++;
    if (m && j - i >= 2) {
      const width = Math.max(...lines.slice(i, j).map((l) => let_.exec(l)![2].length));
      for (let k = i; k < j; k++) lines[k] = lines[k].replace(let_, (_, ind: string, name: string) => `${ind}let ${name.padEnd(width)} = `);
    }
    i = m ? j : i + 1;
  }
  // Comments only where a line can take one: not a line with a comment or a string already.
  const commentable = (l: string) => l.trim() !== "" && !l.includes("#") && !l.includes('"');
  for (let i = 0; i < lines.length; ) {
    if (!commentable(lines[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && j - i < span && commentable(lines[j])) j++;
    const column = Math.max(...lines.slice(i, j).map((l) => l.length)) + gap;
    for (let k = i; k < j; k++) lines[k] = lines[k].padEnd(column) + `# note ${k}`;
    // A line without a comment ends the block.
    i = j + 1;
  }
  return lines.join("\n");
}

test("property: a file whose trailing comments and `=` runs are aligned stays exactly as it was", () => {
  const dir = mkdtempSync(join(tmpdir(), "whispem-align-"));
  try {
    const r = spawnSync(process.execPath, [join(FIXTURES, "tools/gen-wsp.mjs"), "--seed", "20261204", "--count", String(ALIGNED), "--mode", "ok", "--out", dir]);
    assert.equal(r.status, 0, String(r.stderr));
    let aligned = 0;
    readdirSync(dir).sort().forEach((f, i) => {
      const canonical = format(readFileSync(join(dir, f), "utf8"));
      const byHand = alignByHand(canonical, 2 + (i % 5), 1 + (i % 3));
      if (byHand !== canonical) aligned++;
      assert.equal(format(byHand), byHand, `${f}: the alignment was kept`);
      sameCompilation(canonical, byHand, f);
    });
    assert.ok(aligned >= ALIGNED * 0.75, `the programs really were aligned by hand (${aligned})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("lines with syntax errors stay as written; the rest is formatted", () => {
  const input = "let  x=1\nprint (1 +\nlet y=  2\nif x{\n  print   x\n";
  const out = format(input);
  const lines = out.split("\n");
  assert.equal(lines[0], "let x = 1");
  assert.equal(lines[1], "print (1 +", "the broken line is untouched");
  assert.equal(lines[2], "let y = 2");
  // The block is never closed: an unpaired bracket indents nothing.
  assert.equal(lines[4], "print x");
  assert.deepEqual(tokens(out), tokens(input));
});

test("CRLF line endings, blank lines and comments keep their line breaks", () => {
  const input = "let a=[1,\r\n2]   \r\n   \r\n# note   \r\nprint a # end  \r\n";
  assert.equal(format(input), "let a = [1,\r\n    2]\r\n\r\n# note\r\nprint a # end\r\n");
});

test("formatting the conformance corpus keeps every byte of the compiled programs", () => {
  let count = 0;
  for (const sub of ["run", "compile-errors", "syntax"]) {
    const dir = join(FIXTURES, "conformance", sub);
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".wsp")).sort()) {
      const text = readFileSync(join(dir, f), "utf8");
      const once = format(text);
      assert.equal(once.split("\n").length, text.split("\n").length, `${sub}/${f}: line count`);
      assert.deepEqual(tokens(once), tokens(text), `${sub}/${f}: tokens`);
      assert.equal(format(once), once, `${sub}/${f}: idempotent`);
      sameCompilation(text, once, `${sub}/${f}`);
      if (sub === "run") {
        const expected = readFileSync(join(dir, f.replace(/\.wsp$/, ".whbc")));
        assert.ok(Buffer.from(compile(once).bytes!).equals(expected), `${sub}/${f}: reference bytes`);
      }
      count++;
    }
  }
  assert.ok(count >= 300, `${count} programs`);
});

test(`property: ${3 * PER_MODE} generated programs — same bytes, idempotent, re-spacing undone`, () => {
  const dir = mkdtempSync(join(tmpdir(), "whispem-format-"));
  try {
    for (const mode of ["ok", "fail", "syntax"]) {
      const r = spawnSync(process.execPath, [join(FIXTURES, "tools/gen-wsp.mjs"), "--seed", "20261126", "--count", String(PER_MODE), "--mode", mode, "--out", dir]);
      assert.equal(r.status, 0, String(r.stderr));
    }
    const files = readdirSync(dir).sort();
    assert.equal(files.length, 3 * PER_MODE);
    let changed = 0;
    files.forEach((f, i) => {
      const p = readFileSync(join(dir, f), "utf8");
      const messy = respace(p, i + 1);
      assert.deepEqual(tokens(messy), tokens(p), `${f}: the re-spacing keeps tokens`);
      const once = format(p);
      assert.equal(format(once), once, `${f}: idempotent`);
      assert.deepEqual(tokens(once), tokens(p), `${f}: tokens`);
      assert.equal(once.split("\n").length, p.split("\n").length, `${f}: line count`);
      sameCompilation(p, once, f);
      assert.deepEqual(syntaxErrors(once), syntaxErrors(p), `${f}: the same syntax errors on the same lines`);
      const messyOnce = format(messy);
      if (messyOnce !== messy) changed++;
      if (parse(p).diagnostics.length === 0) {
        // Without syntax errors every line is formatted: any spacing gives the one layout.
        assert.equal(messyOnce, once, `${f}: re-spaced formats like the original`);
      } else {
        assert.equal(format(messyOnce), messyOnce, `${f} re-spaced: idempotent`);
        assert.deepEqual(tokens(messyOnce), tokens(p), `${f} re-spaced: tokens`);
        sameCompilation(p, messyOnce, `${f} re-spaced`);
      }
    });
    assert.ok(changed >= 3 * PER_MODE - 20, "the re-spaced programs really were reformatted");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("range formatting changes only the lines of the range", () => {
  const text = "let  a=1\nlet  b=2\nlet  c=3\n";
  const r = parse(text);
  const start = text.indexOf("let  b");
  const edits = formatEdits(r, { range: { start, end: start + 3 } });
  assert.ok(edits.length > 0);
  for (const e of edits) assert.ok(e.start >= start && e.end <= text.indexOf("let  c"));
});
