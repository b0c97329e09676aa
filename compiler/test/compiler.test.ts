// The code generator's rules beyond the corpus (limits, naming, ordering, error positions), and
// thousands of generated programs that must compile and round-trip through the reader/writer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../src/compiler";
import { referenceText } from "../src/diagnostics";
import { readWhbc, writeWhbc } from "../src/whbc";
import { disassemble, disassembleStructured } from "../src/disasm";

const GEN = join(__dirname, "../../test-fixtures/tools/gen-wsp.mjs");
// Generated programs and mutants: a sample in `npm test`, the full sizes in `npm run soak` (WHISPEM_SOAK=1).
const SOAK = process.env.WHISPEM_SOAK === "1";
const GENERATED = SOAK ? 1000 : 250;

function firstError(source: string): string {
  const r = compile(source);
  assert.equal(r.bytes, null, "expected a compile error");
  return referenceText(r.diagnostics[0]);
}

function chunkNames(source: string): string[] {
  const r = compile(source);
  assert.ok(r.file, r.diagnostics.map(referenceText).join("\n"));
  return r.file.chunks.map((c) => c.name);
}

/** The instruction names and operand texts of one chunk, one string per instruction. */
function ops(source: string, chunk = "<main>"): string[] {
  const r = compile(source);
  assert.ok(r.file, r.diagnostics.map(referenceText).join("\n"));
  const c = disassembleStructured(r.file).find((x) => x.name === chunk)!;
  return c.instructions.map((i) => i.text.slice(10).replace(/ +/, " ").split("\n")[0]);
}

test("lambdas are numbered before their bodies; named functions' lambdas come first", () => {
  const names = chunkNames("let a = fn() { return fn() { return 1 } }\nfn f() {\n  let g = fn() { return 2 }\n}\n");
  // f's lambda (pass 2) is __lambda_3_0; main's outer lambda is 1, its inner one 2.
  assert.deepEqual(names, ["<main>", "__lambda_1_1", "__lambda_1_2", "__lambda_3_0", "f"]);
});

test("function chunks are sorted by the bytes of their UTF-8 names", () => {
  // U+FF21 (3 bytes, EF BC A1) sorts before U+1F600 (F0 …) in UTF-8, but after it in UTF-16.
  const names = chunkNames("fn \u{ff21}() {\n}\nfn Z() {\n}\nfn a() {\n}\nfn \u00e9() {\n}\n");
  assert.deepEqual(names, ["<main>", "Z", "a", "\u00e9", "\u{ff21}"]);
});

test("a later declaration of the same name replaces the earlier chunk", () => {
  const r = compile("fn f() {\n  return 1\n}\nfn f(a, b) {\n  return 2\n}\n");
  assert.ok(r.file);
  assert.equal(r.file.chunks.length, 2);
  assert.equal(r.file.chunks[1].paramCount, 2);
});

test("nested for loops name their hidden variables by depth, across function bodies", () => {
  const src = "for a in [1] {\n  let g = fn() {\n    for b in [2] {\n      print b\n    }\n  }\n}\n";
  const lambda = ops(src, "__lambda_2_0");
  assert.ok(lambda.includes("STORE 1 '__iter_1'"), lambda.join("\n"));
  assert.ok(ops(src).includes("STORE 1 '__iter_0'"));
});

test("a while loop is open during its condition, a for loop only after its iterable", () => {
  const inWhile = "while g(fn() {\n  for x in [1] {\n    print x\n  }\n}) {\n  print 0\n}\n";
  assert.ok(ops(inWhile, "__lambda_1_0").includes("STORE 1 '__iter_1'"));
  const inFor = "for y in g(fn() {\n  for x in [1] {\n    print x\n  }\n}) {\n  print 0\n}\n";
  assert.ok(ops(inFor, "__lambda_1_0").includes("STORE 1 '__iter_0'"));
  // A break in a lambda in the condition targets the while loop of another chunk: our error.
  assert.equal(firstError("while g(fn() {\n  break\n}) {\n  print 0\n}\n"), "[line 2, col 0] Error: 'break' used outside of a loop");
});

test("constants: strings and numbers are reused; 1 and 1.0 are the same constant", () => {
  assert.deepEqual(ops('print 1\nprint 1.0\nprint "1"\nprint "1"\n'), [
    "PUSH_CONST 0 '1'",
    "PRINT",
    "PUSH_CONST 0 '1'",
    "PRINT",
    "PUSH_CONST 1 '1'",
    "PRINT",
    "PUSH_CONST 1 '1'",
    "PRINT",
    "HALT",
  ]);
});

test("constants are reused the same way in short pools (searched) and long ones (indexed)", () => {
  // 40 distinct values, then every one again, then 0 and -0 (two constants: different bits).
  const values = Array.from({ length: 40 }, (_, i) => (i % 2 ? `"s${i}"` : String(i * 1.5)));
  const source = [...values, ...values, "0", "-0", "0", "-0"].map((v) => `print ${v}`).join("\n") + "\n";
  const r = compile(source);
  assert.ok(r.file, r.diagnostics.map(referenceText).join("\n"));
  const main = r.file.chunks[0];
  const pushes = ops(source).filter((o) => o.startsWith("PUSH_CONST")).map((o) => Number(o.split(" ")[1]));
  assert.deepEqual(pushes.slice(0, 40), [...Array(40).keys()]);
  assert.deepEqual(pushes.slice(40, 80), [...Array(40).keys()]);
  // `-0` compiles as NEG of the constant 0 (a literal is never negative): 0 is already in the pool.
  assert.equal(main.constants.length, new Set(pushes).size);
  const keys = main.constants.map((k) => `${k.kind}:${"value" in k ? (Object.is(k.value, -0) ? "-0" : String(k.value)) : ""}`);
  assert.equal(new Set(keys).size, keys.length, "no value is in the pool twice");
});

test("break/continue outside a loop, and inside a lambda whose loop is outside it", () => {
  assert.equal(firstError("print 1\nbreak\n"), "[line 2, col 0] Error: 'break' used outside of a loop");
  assert.equal(firstError("while true {\n  let f = fn() {\n    continue\n  }\n}\n"), "[line 3, col 0] Error: 'continue' used outside of a loop");
  // The reference's own error wins over ours, even when it comes later in the program.
  assert.equal(
    firstError("while true {\n  let f = fn() {\n    break\n  }\n}\ncontinue\n"),
    "[line 6, col 0] Error: 'continue' used outside of a loop",
  );
});

test("too many elements, arguments and pairs", () => {
  const many = Array.from({ length: 256 }, () => "1").join(", ");
  assert.equal(firstError(`let a = [${many}]\n`), "[line 1, col 0] Error: Too many elements (max 255).");
  assert.equal(firstError(`print 1\nprint f(${many})\n`), "[line 2, col 0] Error: Too many elements (max 255).");
  const pairs = Array.from({ length: 256 }, (_, i) => `"k${i % 200}": 1`).join(", ");
  assert.equal(firstError(`print {${pairs}}\n`), "[line 1, col 0] Error: Too many elements (max 255).");
  const ok = Array.from({ length: 255 }, () => "1").join(", ");
  assert.ok(compile(`let a = [${ok}]\n`).bytes);
});

test("a chunk with exactly 256 constants cannot be written", () => {
  // 128 names and 128 numbers: the 256th constant is added by line 128's STORE.
  const lines = Array.from({ length: 128 }, (_, i) => `let v${i} = ${i + 1000}`);
  assert.equal(firstError(lines.join("\n") + "\n"), "[line 128, col 0] Error: Too many constants in one function (max 256).");
  assert.ok(compile(lines.slice(0, 127).join("\n") + "\nlet v127 = 1000\n").bytes, "255 constants are fine");
  // Two full chunks: the first to fill up in compile order (f, in pass 2) is reported, not <main>.
  const both = `fn f() {\n${lines.join("\n")}\n}\n${lines.join("\n")}\n`;
  assert.equal(firstError(both), "[line 129, col 0] Error: Too many constants in one function (max 256).");
});

test("strings over 65535 UTF-8 bytes and code over 65535 bytes are refused", () => {
  assert.equal(firstError(`print 1\nprint "${"é".repeat(32768)}"\n`), "[line 2, col 0] Error: String too long (max 65535 bytes).");
  // Each `print 1` is 3 bytes; 22 000 of them overflow the u16 jump range of <main>.
  const big = "print 1\n".repeat(22000);
  assert.equal(firstError(big), "[line 21846, col 0] Error: Function too large to compile (max 65535 bytes of bytecode).");
});

test("a compile error inside f-string braces is reported at its real line", () => {
  // The calls inside the braces carry the relative line 1 in the bytecode; the error is on line 2.
  const calls = Array.from({ length: 300 }, (_, i) => `g(x${i})`).join(" + ");
  const r = compile(`print 1\nprint f"{${calls}}"\n`);
  assert.equal(r.bytes, null);
  assert.equal(r.diagnostics[0].line, 2);
  assert.equal(r.diagnostics[0].message, "Too many constants in one function (max 256).");
});

test("syntax errors come back as the parser's diagnostics, with no bytes", () => {
  const r = compile("let x = \n");
  assert.equal(r.bytes, null);
  assert.equal(referenceText(r.diagnostics[0]), "[line 1, col 9] Error: Expected expression, found newline");
});

function generate(seed: number, count: number, mode: string): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), `whispem-gen-${mode}-`));
  const r = spawnSync(process.execPath, [GEN, "--seed", String(seed), "--count", String(count), "--mode", mode, "--out", dir]);
  assert.equal(r.status, 0, String(r.stderr));
  return { dir, files: readdirSync(dir).filter((f) => f.endsWith(".wsp")).sort() };
}

for (const mode of ["ok", "fail"]) {
  test(`generated ${mode} programs compile and round-trip`, () => {
    const { dir, files } = generate(mode === "ok" ? 101 : 202, GENERATED, mode);
    try {
      assert.equal(files.length, GENERATED);
      for (const f of files) {
        const result = compile(readFileSync(join(dir, f), "utf8"));
        assert.deepEqual(result.diagnostics.map(referenceText), [], f);
        const read = readWhbc(result.bytes!);
        assert.ok(read.ok, `${f}: ${!read.ok && read.error}`);
        assert.deepEqual(writeWhbc(read.file), result.bytes, `${f}: write(read(bytes)) differs`);
        assert.equal(disassemble(read.file), disassemble(result.file!), `${f}: listing changed through the file`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("generated programs with a corrupted token never make the compiler throw", () => {
  // A corruption can leave a valid program (a deleted token, a `#`): then it must compile soundly.
  const { dir, files } = generate(303, 300, "syntax");
  let refused = 0;
  try {
    for (const f of files) {
      const result = compile(readFileSync(join(dir, f), "utf8"));
      if (result.bytes === null) {
        refused++;
        assert.ok(result.diagnostics.length > 0, f);
      } else {
        assert.ok(readWhbc(result.bytes).ok, f);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(refused > files.length / 2, `only ${refused} of ${files.length} refused`);
});

test("fuzz: mutated corpus sources never make compile() throw; whatever compiles verifies", () => {
  const run = join(__dirname, "../../test-fixtures/conformance/run");
  const sources = readdirSync(run)
    .filter((f) => f.endsWith(".wsp"))
    .sort()
    .map((f) => readFileSync(join(run, f), "utf8"));
  const junk = ["", "(", ")", "{", "}", "[", "]", ",", "=", "let", "fn", "if", "else", '"', ":", "+", "1", "x", "\n", "return", 'f"{', "#", "break", "continue", "fn() {", "}\n", 'f"{x}"', "\\", "é"];
  let seed = 5;
  const next = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed % n;
  };
  let compiled = 0;
  for (let i = 0; i < 1500; i++) {
    let text = sources[i % sources.length];
    for (let k = next(3); k >= 0; k--) {
      const at = next(text.length + 1);
      text = text.slice(0, at) + junk[next(junk.length)] + text.slice(at + next(4));
    }
    const result = compile(text);
    if (result.bytes) {
      compiled++;
      assert.ok(readWhbc(result.bytes).ok, `case ${i}`);
    } else {
      assert.ok(result.diagnostics.length > 0 && result.diagnostics[0].severity === "error", `case ${i}`);
    }
  }
  assert.ok(compiled > 50, `only ${compiled} mutants compiled`);
});
