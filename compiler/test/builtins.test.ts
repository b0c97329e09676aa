// The builtins table agrees with the lexer (which words are keywords) and with the language
// definition (language.md §1, runtime.md §7), and its signatures are well-formed.

import { test } from "node:test";
import assert from "node:assert/strict";
import { BUILTINS, KEYWORDS, acceptsArgCount, builtinSignature } from "../src/builtins";
import { keywordKind } from "../src/lexer";

// language.md §1, the keyword list, verbatim.
const specKeywords = `let print if else while for in and or not fn return break continue true false
    assert type_of exit map filter reduce
    length push pop reverse slice range input read_file write_file keys values has_key
    char_at substr ord num_to_str str_to_num args write_hex`.split(/\s+/).filter(Boolean);

test("every keyword of the language is a keyword here and in the lexer, and nothing else is", () => {
  assert.deepEqual([...KEYWORDS].sort(), [...specKeywords].sort());
  for (const w of specKeywords) assert.notEqual(keywordKind(w), undefined, w);
  assert.equal(keywordKind("num_to_hex"), undefined, "num_to_hex lexes as an identifier");
  assert.equal(BUILTINS.get("num_to_hex")?.keyword, false);
});

test("the builtins are exactly runtime.md §7's, with its arities", () => {
  const arities: Record<string, [number, number, number]> = {
    length: [1, 1, 1], push: [2, 2, 2], pop: [1, 1, 1], reverse: [1, 1, 1], slice: [3, 3, 3], range: [2, 2, 2],
    input: [0, 1, 1], read_file: [1, 1, 1], write_file: [2, 2, 2], keys: [1, 1, 1], values: [1, 1, 1], has_key: [2, 2, 2],
    char_at: [2, 2, 2], substr: [3, 3, 3], ord: [1, 1, 1], num_to_str: [1, 1, 1], str_to_num: [1, 1, 1], args: [0, 0, 0],
    num_to_hex: [1, 1, 1], write_hex: [2, 2, 2], assert: [1, 2, 2], type_of: [1, 1, 1], exit: [0, 1, 1], map: [2, 2, 2],
    filter: [2, 2, 2], reduce: [3, 3, 3],
  };
  assert.deepEqual([...BUILTINS.keys()].sort(), Object.keys(arities).sort());
  for (const [name, [min, max, inMessage]] of Object.entries(arities)) {
    const b = BUILTINS.get(name)!;
    assert.deepEqual([b.minArgs, b.maxArgs, b.arityInMessage], [min, max, inMessage], name);
    assert.ok(acceptsArgCount(b, min) && acceptsArgCount(b, max) && !acceptsArgCount(b, max + 1));
  }
});

test("builtins that may start a statement: the seven of builtin-stmt, plus assert and exit", () => {
  const statements = [...BUILTINS.values()].filter((b) => b.statement).map((b) => b.name).sort();
  assert.deepEqual(statements, ["args", "assert", "exit", "filter", "map", "read_file", "reduce", "write_file", "write_hex"].sort());
});

test("signatures read as calls; num_to_str warns about saturation", () => {
  assert.equal(builtinSignature(BUILTINS.get("slice")!), "slice(array, start, end) -> array");
  assert.equal(builtinSignature(BUILTINS.get("input")!), "input(prompt?) -> string");
  assert.match(BUILTINS.get("num_to_str")!.note ?? "", /9223372036854775807/);
});
