// syntaxes/language-configuration.json: the fields VS Code reads, and its regular expressions
// compiled the way VS Code compiles them, tried on sample lines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./textmate";

type Pattern = string | { pattern: string; flags?: string };
interface OnEnterRule {
  beforeText: Pattern;
  afterText?: Pattern;
  action: { indent: string; appendText?: string };
}
interface LanguageConfiguration {
  comments: { lineComment: string };
  brackets: [string, string][];
  autoClosingPairs: { open: string; close: string; notIn?: string[] }[];
  surroundingPairs: [string, string][];
  wordPattern: Pattern;
  indentationRules: { increaseIndentPattern: Pattern; decreaseIndentPattern: Pattern };
  onEnterRules: OnEnterRule[];
}

const config = JSON.parse(readFileSync(join(repoRoot, "syntaxes", "language-configuration.json"), "utf8")) as LanguageConfiguration;

/** VS Code's reading of a pattern: a string gets no flags, an object its own. */
function compile(p: Pattern): RegExp {
  return typeof p === "string" ? new RegExp(p) : new RegExp(p.pattern, p.flags);
}

test("comments, brackets, auto-closing and surrounding pairs", () => {
  assert.equal(config.comments.lineComment, "#");
  assert.deepEqual(config.brackets, [["{", "}"], ["[", "]"], ["(", ")"]]);
  const pair = (open: string) => config.autoClosingPairs.find((p) => p.open === open);
  for (const [open, close] of config.brackets) assert.equal(pair(open)?.close, close);
  // The editor never auto-closes a lone quote typed after a word character, so f" needs its own pair.
  for (const open of ['"', 'f"']) {
    assert.equal(pair(open)?.close, '"');
    assert.deepEqual(pair(open)?.notIn?.sort(), ["comment", "string"]);
  }
  assert.deepEqual(config.surroundingPairs, [...config.brackets, ['"', '"']]);
});

test("indentation: in after a line ending in { or [, out on a line starting with } or ]", () => {
  const increase = compile(config.indentationRules.increaseIndentPattern);
  const decrease = compile(config.indentationRules.decreaseIndentPattern);
  for (const line of [
    "if x {",
    "    while i < 3 {  ",
    "} else {",
    "let d = {",
    "let grid = [",
    "fn f(a, b) { # a comment after the brace",
    'print "a}" + f"{x}" + g(1) {',
    'let s = "a \\" quote" {',
    "    for k in keys(d) {\t",
  ]) {
    assert.ok(increase.test(line), `indent after ${JSON.stringify(line)}`);
  }
  for (const line of [
    "fn f() { return 1 }",
    'print "{"',
    'print "a \\" {"',
    "# todo {",
    'let s = "a" # {',
    "print x",
    "let d = {}",
    "}",
  ]) {
    assert.ok(!increase.test(line), `no indent after ${JSON.stringify(line)}`);
  }
  for (const line of ["}", "    }", "} else {", "\t]", "],", "}}"]) assert.ok(decrease.test(line), JSON.stringify(line));
  for (const line of ["print }", "x = {}", "# }", ""]) assert.ok(!decrease.test(line), JSON.stringify(line));
});

/** The action VS Code takes on Enter from its onEnterRules: the first rule that matches wins. */
function enterAction(before: string, after: string): string | undefined {
  for (const rule of config.onEnterRules) {
    if (!compile(rule.beforeText).test(before)) continue;
    if (rule.afterText !== undefined && !compile(rule.afterText).test(after)) continue;
    return rule.action.indent + (rule.action.appendText ?? "");
  }
  return undefined;
}

test("on Enter: indent between brackets, and a comment line continues nothing", () => {
  assert.equal(enterAction("fn f() {", "}"), "indentOutdent");
  assert.equal(enterAction("let xs = [", "]"), "indentOutdent");
  assert.equal(enterAction("    if x {  ", "  }"), "indentOutdent");
  // A brace in a comment opens nothing, and no '#' is added to the next line.
  assert.equal(enterAction("# see f() {", "}"), "none");
  assert.equal(enterAction("    # note", ""), "none");
  // Elsewhere the indentation rules decide.
  assert.equal(enterAction("print x", ""), undefined);
  assert.equal(enterAction("if x {", ""), undefined);
});

/** The word around a column, found as VS Code finds it: scan the line with the global pattern. */
function wordAt(line: string, column: number): string | undefined {
  const p = compile(config.wordPattern);
  const re = new RegExp(p.source, p.flags + "g");
  for (const m of line.matchAll(re)) {
    if (m.index <= column && column <= m.index + m[0].length) return m[0];
  }
  return undefined;
}

test("words are Whispem identifiers, Unicode letters included, and numbers", () => {
  const line = "print café + 日本語 + x² + länge(ñ) + _a1 + num_to_hex(3.25) + 𝔘nicode";
  const at = (s: string) => line.indexOf(s);
  assert.equal(wordAt(line, at("é")), "café");
  assert.equal(wordAt(line, at("本")), "日本語");
  assert.equal(wordAt(line, at("²")), "x²");
  assert.equal(wordAt(line, at("länge") + 2), "länge");
  assert.equal(wordAt(line, at("ñ")), "ñ");
  assert.equal(wordAt(line, at("_a1")), "_a1");
  assert.equal(wordAt(line, at("to_hex")), "num_to_hex");
  assert.equal(wordAt(line, at(".25")), "3.25");
  assert.equal(wordAt(line, at("nicode")), "𝔘nicode");
  assert.equal(wordAt("a.b", 0), "a", "a dot is not part of a word");
  assert.equal(wordAt("1e5", 2), "e5", "as the lexer reads it: 1 then e5");
});
