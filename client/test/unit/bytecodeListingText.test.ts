// The text preview's document (client/src/bytecode/listingText.ts): the listing of a compiled
// source line for line with what each line stands for, compile errors in its place, the links to
// source lines, and the bytecode grammar's colours on it (vscode-textmate, as VS Code runs it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { errorLineText, listingOfModel, sourcePositionOf, textLinesBySourceLine, textLinesOfSourceLine } from "../../src/bytecode/listingText";
import { listingOf, rowText, viewOfSource } from "../../src/bytecode/viewModel";
import { documentLines, loadBytecodeGrammar, tokenizeLines } from "../../../syntaxes/test/textmate";

const root = join(__dirname, "..", "..", "..");
const program = readFileSync(join(root, "test-fixtures", "bytecode", "program.wsp"), "utf8");

function compiled() {
  const model = viewOfSource(program);
  assert.ok(model.ok);
  return { model, view: model.view, listing: listingOfModel(model, "program.wsp") };
}

test("the text is the disassembly listing, each line knowing its row", () => {
  const { view, listing } = compiled();
  assert.equal(listing.text, listingOf(view));
  const lines = documentLines(listing.text);
  assert.equal(lines.pop(), "", "the text ends with a line break");
  assert.equal(lines.length, listing.lines.length);
  view.rows.forEach((row, i) => {
    assert.equal(lines[listing.lineOfRow[i]], rowText(row));
    assert.deepEqual(listing.lines[listing.lineOfRow[i]], { kind: "row", row: i });
  });
  // One blank line between chunks, none before the first.
  const blanks = listing.lines.filter((l) => l.kind === "blank").length;
  assert.equal(blanks, view.chunks.length - 1);
  assert.ok(lines[0].startsWith("== <main> =="));
});

test("instruction lines link to their source line; headers, blanks and HALT to none", () => {
  const { view, listing } = compiled();
  for (const [i, l] of listing.lines.entries()) {
    const at = sourcePositionOf(listing, i);
    if (l.kind === "blank") assert.equal(at, null);
    else if (l.kind === "row") {
      const row = view.rows[l.row];
      if (row.kind === "chunk" || row.line === 0) assert.equal(at, null, `line ${i}`);
      else assert.deepEqual(at, { line: row.line, column: 1 });
    }
  }
  assert.equal(sourcePositionOf(listing, listing.lines.length), null, "past the end");
  // `print count_to(limit)` is line 20: its lines are exactly those whose instructions say line 20.
  const twenty = textLinesOfSourceLine(listing, 20);
  assert.ok(twenty.length > 0);
  assert.ok(twenty.some((t) => /CALL +\d+ 'count_to' argc=1/.test(documentLines(listing.text)[t])));
  for (const t of twenty) assert.deepEqual(sourcePositionOf(listing, t), { line: 20, column: 1 });
  assert.deepEqual(textLinesOfSourceLine(listing, 9999), []);
  const all = textLinesBySourceLine(listing);
  assert.deepEqual(all.get(20), twenty);
  const linked = [...listing.lines.keys()].filter((i) => sourcePositionOf(listing, i) !== null).length;
  assert.equal([...all.entries()].filter(([line]) => line > 0).reduce((n, [, ts]) => n + ts.length, 0), linked);
});

test("a source with compile errors: a heading, then one line per error, each linking to its place", () => {
  const model = viewOfSource("let x = 1\nbreak\nprint y +\n");
  assert.ok(!model.ok);
  const listing = listingOfModel(model, "bad.wsp");
  const lines = documentLines(listing.text);
  const n = model.errors.length;
  assert.ok(n >= 1);
  assert.match(lines[0], new RegExp(`^Cannot compile bad\\.wsp: ${n} errors?`));
  assert.equal(sourcePositionOf(listing, 0), null);
  model.errors.forEach((e, i) => {
    assert.equal(lines[i + 1], errorLineText(e));
    assert.deepEqual(sourcePositionOf(listing, i + 1), { line: e.line, column: e.column });
  });
  assert.deepEqual(textLinesOfSourceLine(listing, 2), []);
  assert.equal(errorLineText({ code: "WSP0001", message: "a\nb\r\nc", line: 3, column: 4, start: 0, end: 1 }), "3:4 WSP0001 a b c");
});

test("the bytecode grammar colours headers, opcodes, operands and errors", async () => {
  const grammar = await loadBytecodeGrammar();
  const { listing } = compiled();
  const doc = tokenizeLines(grammar, documentLines(listing.text));
  const scopesAt = (line: number, text: string) => {
    const l = doc.lines[line];
    const at = l.text.indexOf(text);
    assert.ok(at >= 0, `${text} in ${l.text}`);
    return l.tokens.find((t) => t.startIndex <= at && at < t.endIndex)!.scopes.join(" ");
  };
  let opcodes = 0;
  for (const [i, l] of doc.lines.entries()) {
    const m = /^\d{4} +(?:\d+|\|) +([A-Z_]+)/.exec(l.text);
    if (m) {
      opcodes++;
      assert.match(scopesAt(i, m[1]), /keyword\.other\.opcode/, l.text);
    }
    const s = /'[^']*'/.exec(l.text);
    if (s && m) assert.match(scopesAt(i, s[0]), /string\.quoted\.single/, l.text);
    const j = /-> \d{4}/.exec(l.text);
    if (j) assert.match(scopesAt(i, j[0]), /keyword\.control\.jump/, l.text);
  }
  assert.ok(opcodes > 20, `${opcodes} instruction lines`);
  assert.match(scopesAt(0, "<main>"), /entity\.name\.function/);
  const errors = tokenizeLines(grammar, ["Cannot compile bad.wsp: 1 error", "2:1 WSP0301 'break' outside a loop"]);
  assert.match(errors.lines[0].tokens[0].scopes.join(" "), /markup\.heading/);
  assert.ok(errors.lines[1].tokens.some((t) => t.scopes.includes("invalid.illegal.whispem-bytecode")));
});
