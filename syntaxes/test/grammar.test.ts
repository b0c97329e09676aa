// The TextMate grammar, run through vscode-textmate as VS Code runs it: the scope fixtures in
// test-fixtures/grammar/, every keyword and builtin, and whole programs checked against the spec's
// lexical regions (conformance corpus plus seeded generated programs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { IGrammar } from "vscode-textmate";
import { checkScopeFixture, parseScopeFixture, matchesSelector } from "./scope-assertions";
import { documentLines, loadWhispemGrammar, repoRoot, tokenizeLines, topLevelState } from "./textmate";
import { depthOfScopes, lexicalRegions, regionOfScopes, type LexicalReading } from "./lexical-regions";
import { randomFString, SampleRandom } from "./random-fstrings";

const fixtures = join(repoRoot, "test-fixtures");

function wspFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".wsp"))
    .sort()
    .map((f) => join(dir, f));
}

test("scope fixtures", async (t) => {
  const grammar = await loadWhispemGrammar();
  const files = wspFiles(join(fixtures, "grammar"));
  assert.ok(files.length >= 8, "the fixture folder is missing files");
  for (const file of files) {
    await t.test(file.slice(fixtures.length + 1), () => {
      const fixture = parseScopeFixture(readFileSync(file, "utf8"));
      assert.ok(fixture.assertions.length > 0, "a fixture with no assertions checks nothing");
      assert.deepEqual(checkScopeFixture(grammar, fixture, file), []);
    });
  }
});

test("the fixture checker reports wrong scopes, wrong negations and columns past the end", async () => {
  const grammar = await loadWhispemGrammar();
  const fixture = parseScopeFixture(
    ["let x = 1", "#   ^ keyword.control", "# <- - storage.type", "#         ^ string", "#   ^ variable.other"].join("\n"),
  );
  const failures = checkScopeFixture(grammar, fixture, "inline");
  assert.equal(failures.length, 3, failures.join("\n"));
  assert.match(failures[0], /inline:1:5 .*expected keyword\.control/);
  assert.match(failures[1], /expected no storage\.type/);
  assert.match(failures[2], /past the end/);
  assert.ok(matchesSelector(["source.whispem", "string.interpolated.whispem", "meta.embedded.interpolation.whispem"], ["string", "meta.embedded"]));
  assert.ok(!matchesSelector(["source.whispem", "meta.embedded.x", "string.quoted"], ["string", "meta.embedded"]), "order matters");
  assert.ok(!matchesSelector(["source.whispem", "stringy.x"], ["string"]), "prefixes stop at dots");
});

// language.md §1: the keywords, and num_to_hex, a builtin that lexes as an identifier.
const expectedWordScopes: Record<string, string> = {
  let: "storage.type.whispem",
  fn: "storage.type.function.whispem",
  print: "keyword.other.print.whispem",
  and: "keyword.operator.logical.whispem",
  or: "keyword.operator.logical.whispem",
  not: "keyword.operator.logical.whispem",
  true: "constant.language.boolean.true.whispem",
  false: "constant.language.boolean.false.whispem",
};
for (const w of "if else while for in return break continue".split(" ")) expectedWordScopes[w] = "keyword.control.whispem";
const builtins = (
  "assert type_of exit map filter reduce length push pop reverse slice range input read_file write_file " +
  "keys values has_key char_at substr ord num_to_str str_to_num args write_hex num_to_hex"
).split(" ");
for (const w of builtins) expectedWordScopes[w] = "support.function.builtin.whispem";

function scopesOfWord(grammar: IGrammar, line: string, word: string): string[] {
  const { tokens } = grammar.tokenizeLine(line, null);
  const at = line.indexOf(word);
  const token = tokens.find((t) => t.startIndex === at);
  assert.ok(token && token.endIndex === at + word.length, `${JSON.stringify(word)} is not one token in ${JSON.stringify(line)}`);
  return token.scopes;
}

test("every keyword and builtin has its scope, and only as a whole word", async () => {
  const grammar = await loadWhispemGrammar();
  assert.equal(Object.keys(expectedWordScopes).length, 16 + 25 + 1); // keywords, builtin keywords, num_to_hex
  for (const [word, scope] of Object.entries(expectedWordScopes)) {
    assert.ok(scopesOfWord(grammar, `x ${word} y`, word).includes(scope), `${word} → ${scope}`);
    for (const longer of [`${word}_`, `${word}2`, `${word}é`, `_${word}`]) {
      assert.deepEqual(scopesOfWord(grammar, `x ${longer} y`, longer), ["source.whispem", "variable.other.whispem"], longer);
    }
  }
});

test("the region oracle reads strings, f-string braces and comments as the spec says", () => {
  const show = (src: string) => lexicalRegions(src).regions.map((r) => ({ code: "c", comment: "#", string: "s", "interpolation-brace": "b" })[r]).join("");
  assert.equal(show('x = "a#b" # c'), "ccccsssssc###");
  assert.equal(show('f"{d["a"]}!"'), "ssbccssscbss");
  assert.equal(show('f"{"a}"'), "ssbssbs", "a } inside a string in braces still closes them");
  assert.equal(show('elf"x"'), "cccsss", "f starts an f-string only at the start of a word");
  assert.equal(show('f"a\\{x\\}{y # z\n}"'), "ssssssssbcc###cbs");
  const nested = lexicalRegions('f"{f"{x}"}"');
  assert.deepEqual(nested.depth, [0, 0, 0, 1, 1, 1, 2, 1, 1, 0, 0]);
  assert.ok(!nested.ambiguous.some(Boolean));
  // Counting braces, the contents are `"{" + "}"`; read as code, two strings: the readings disagree.
  const quotedBraces = lexicalRegions('f"{"{" + "}"}"');
  assert.deepEqual(quotedBraces.ambiguous.map(Number), [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
});

/** How a token's scopes disagree with the lexer's reading of document offset `at`, if they do. */
function disagreement(scopes: readonly string[], reading: LexicalReading, at: number): string | undefined {
  const depth = depthOfScopes(scopes);
  if (depth > 0 !== reading.depth[at] > 0) return `${depth ? "inside" : "outside"} f-string braces, the lexer says otherwise`;
  if (reading.ambiguous[at]) return undefined;
  if (depth !== reading.depth[at]) return `${depth} f-string braces deep, the lexer says ${reading.depth[at]}`;
  const region = regionOfScopes(scopes);
  return region === reading.regions[at] ? undefined : `scoped ${scopes.join(" ")}, the lexer says ${reading.regions[at]}`;
}

/**
 * Tokenizes a program and returns what is wrong with the result. Any input must tokenize completely
 * with every line covered. Unless a top-level literal is unterminated (a lexical error), every
 * character must be where the lexer puts it and the file must end with no rule open. In a valid
 * program, moreover, every non-blank character of code has a scope.
 */
function programProblems(grammar: IGrammar, text: string, valid: boolean): string[] {
  const lines = documentLines(text);
  const doc = tokenizeLines(grammar, lines);
  const problems: string[] = [];
  if (doc.stoppedEarly) problems.push("tokenization stopped early");
  const reading = lexicalRegions(lines.join("\n"));
  if (valid) assert.ok(!reading.unterminated, "a valid program has no unterminated literal");
  const clean = !reading.unterminated;
  let lineStart = 0;
  doc.lines.forEach((line, n) => {
    const where = `line ${n + 1}`;
    const tokens = line.tokens;
    if (tokens.length === 0 || tokens[0].startIndex !== 0) problems.push(`${where}: tokens do not start at column 1`);
    for (let k = 1; k < tokens.length; k++) {
      if (tokens[k].startIndex !== tokens[k - 1].endIndex) problems.push(`${where}: a gap or overlap at ${tokens[k].startIndex}`);
    }
    if (tokens.length && tokens[tokens.length - 1].endIndex < line.text.length) problems.push(`${where}: tokens stop before the end`);
    if (clean) {
      for (const t of tokens) {
        for (let i = t.startIndex; i < Math.min(t.endIndex, line.text.length); i++) {
          const wrong = disagreement(t.scopes, reading, lineStart + i);
          if (wrong) {
            problems.push(`${where}:${i + 1}: ${JSON.stringify(line.text[i])} is ${wrong}`);
            return;
          }
          if (valid && reading.regions[lineStart + i] === "code" && !/\s/.test(line.text[i]) && t.scopes.length === 1) {
            problems.push(`${where}:${i + 1}: ${JSON.stringify(line.text[i])} has no scope`);
            return;
          }
        }
      }
    }
    lineStart += line.text.length + 1;
  });
  if (clean && !doc.endState.equals(topLevelState(grammar))) problems.push("a rule is still open at the end of the file");
  return problems;
}

function checkPrograms(grammar: IGrammar, files: string[], valid: boolean): string[] {
  const failures: string[] = [];
  for (const file of files) {
    const name = file.slice(file.lastIndexOf("/", file.lastIndexOf("/") - 1) + 1);
    for (const p of programProblems(grammar, readFileSync(file, "utf8"), valid).slice(0, 3)) failures.push(`${name} ${p}`);
  }
  return failures;
}

function generatePrograms(mode: string, seed: number, count: number, dir: string): string[] {
  const generator = join(fixtures, "tools", "gen-wsp.mjs");
  const out = join(dir, mode);
  execFileSync(process.execPath, [generator, "--seed", String(seed), "--count", String(count), "--mode", mode, "--out", out]);
  const files = wspFiles(out);
  assert.equal(files.length, count);
  return files;
}

test("conformance programs: regions match the spec and every file ends at top level", async () => {
  const grammar = await loadWhispemGrammar();
  const files = [...wspFiles(join(fixtures, "conformance", "run")), ...wspFiles(join(fixtures, "conformance", "compile-errors"))];
  assert.ok(files.length > 200);
  assert.deepEqual(checkPrograms(grammar, files, true), []);
});

test("syntax-error programs: complete tokenization; where they lex cleanly, regions and end state too", async () => {
  const grammar = await loadWhispemGrammar();
  const files = wspFiles(join(fixtures, "conformance", "syntax"));
  assert.ok(files.length > 50);
  // The oracle's idea of an unterminated literal agrees with the reference's first error.
  let unterminated = 0;
  for (const file of files) {
    const error = readFileSync(file.replace(/\.wsp$/, ".error"), "utf8");
    const reading = lexicalRegions(readFileSync(file, "utf8"));
    if (/Error: Unterminated string literal/.test(error)) assert.ok(reading.unterminated, file);
    if (!/Error: (Unexpected character|Unterminated string literal)/.test(error)) assert.ok(!reading.unterminated, file);
    if (reading.unterminated) unterminated++;
  }
  assert.ok(unterminated > 0 && unterminated < files.length);
  assert.deepEqual(checkPrograms(grammar, files, false), []);
});

test("seeded generated programs: valid and failing ones as the corpus, broken ones as syntax/", async () => {
  const grammar = await loadWhispemGrammar();
  const dir = mkdtempSync(join(tmpdir(), "whispem-grammar-"));
  try {
    const valid = [...generatePrograms("ok", 9101, 40, dir), ...generatePrograms("fail", 9102, 40, dir)];
    assert.deepEqual(checkPrograms(grammar, valid, true), []);
    assert.deepEqual(checkPrograms(grammar, generatePrograms("syntax", 9103, 60, dir), false), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a large generated program tokenizes completely and ends at top level", async () => {
  const grammar = await loadWhispemGrammar();
  const generator = join(fixtures, "tools", "gen-wsp.mjs");
  const text = execFileSync(process.execPath, [generator, "--seed", "9104", "--size", "5000"], { encoding: "utf8", maxBuffer: 64 << 20 });
  assert.ok(documentLines(text).length >= 4000);
  assert.deepEqual(programProblems(grammar, text, true), []);
});

test("seeded random f-strings: every brace part and literal ends where the lexer's count ends it", async () => {
  const grammar = await loadWhispemGrammar();
  const random = new SampleRandom(20261126);
  let clean = 0;
  let comparable = 0;
  const failures: string[] = [];
  for (let k = 0; k < 6000 && failures.length < 5; k++) {
    const src = `print ${randomFString(random)} + f"{1}"\nprint 1\n`;
    const reading = lexicalRegions(src);
    if (reading.unterminated) continue; // a lexical error: the editor shows it, nothing to agree on
    clean++;
    comparable += reading.ambiguous.filter((a) => !a).length;
    for (const problem of programProblems(grammar, src, false)) failures.push(`${problem}: ${JSON.stringify(src)}`);
  }
  assert.ok(clean > 2000 && comparable > 100000, `only ${clean} lexically clean samples, ${comparable} comparable characters`);
  assert.deepEqual(failures, []);
});
