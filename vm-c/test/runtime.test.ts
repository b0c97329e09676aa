// What wvm adds beyond the reference, and the value semantics that in-place updates must keep:
// deep recursion and its limit, `return` in <main>, range() limits, call traces, the command line,
// copy-on-write of arrays, dicts and strings however they are shared.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, WVM, compileToFile, runSync, scratchDir } from "./wvm-run";

function run(source: string, args: string[] = [], input = "") {
  const file = compileToFile(source);
  const r = runSync(WVM, [file, ...args], input);
  return { file, status: r.status, stdout: r.stdout, stderr: r.stderr, errorLine: r.stderr.split("\n")[0].slice(file.length + 2) };
}

test("100 000 nested calls work", () => {
  const r = run("fn depth(n) {\n  if n == 0 { return 0 }\n  return 1 + depth(n - 1)\n}\nprint depth(100000)\n");
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "100000\n");
});

test("beyond the limit: a Stack overflow error with the line, and a shortened trace", () => {
  const r = run("fn down(n) {\n  return down(n + 1)\n}\nprint down(0)\n");
  assert.equal(r.status, 1);
  assert.equal(r.errorLine, "[line 2, col 0] Error: Stack overflow: more than 1000000 nested calls");
  const trace = r.stderr.trimEnd().split("\n").slice(1);
  assert.ok(trace.length < 50, `trace has ${trace.length} lines`);
  assert.equal(trace[0], "  at down (line 2)");
  assert.equal(trace[trace.length - 1], "  at <main> (line 4)");
  assert.match(r.stderr, /\.\.\. \d+ more frames \.\.\./);
});

test("map, filter and reduce nest deeply without growing the C stack", () => {
  const r = run("fn walk(n) {\n  if n == 0 { return 0 }\n  return map([n], fn(x) { return walk(x - 1) })[0] + 1\n}\nprint walk(50000)\n");
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "50000\n");
});

test("return in <main> ends the program normally", () => {
  const r = run('print "before"\nreturn\nprint "after"\n');
  assert.equal(r.status, 0);
  assert.equal(r.stdout, "before\n");
  assert.equal(r.stderr, "");
});

test("range() too large is a clear error", () => {
  const r = run("let r = range(0, 1000000000)\n");
  assert.equal(r.status, 1);
  assert.equal(r.errorLine, "[line 1, col 0] Error: range() too large");
  assert.equal(run("print length(range(5, 3))\nprint range(0 - 2, 1)\n").stdout, "0\n[-2, -1, 0]\n");
});

test("a runtime error prints the call trace, innermost first", () => {
  const r = run("fn inner(x) {\n  return x / 0\n}\nfn outer(y) {\n  return inner(y) + 1\n}\nprint \"out\"\nprint outer(3)\n");
  assert.equal(r.status, 1);
  assert.equal(r.stdout, "out\n");
  assert.deepEqual(r.stderr.split("\n"), [`${r.file}: Error: Division by zero`, "  at inner (line 2)", "  at outer (line 5)", "  at <main> (line 8)", ""]);
  const m = run("let xs = map([1, 2], fn(x) {\n  return x + \"\" + nope\n})\n");
  assert.deepEqual(m.stderr.split("\n").slice(1), ["  at __lambda_1_0 (line 2)", "  at map (line 1)", "  at <main> (line 1)", ""]);
});

test("arrays, dicts and strings keep value semantics while updated in place", () => {
  const src = `
let a = [1, 2]
let b = a
let a = push(a, 3)
print a
print b
let c = a
a[0] = 9
print a
print c
let d = {"k": 1}
let e = d
d["k"] = 2
d["n"] = 3
print d
print e
let s = "ab"
let t = s
let s = s + "c"
print s + " " + t
fn grow(xs) {
  let xs = push(xs, 0)
  xs[0] = 7
  return xs
}
let g = [1]
print grow(g)
print g
let glob = [5]
fn local_copy() {
  let glob = push(glob, 6)
  return glob
}
print local_copy()
print glob
let nested = [[1], [2]]
let inner = nested[0]
let inner = push(inner, 10)
print nested
print inner
let fs = []
let k = 0
while k < 3 {
  let fs = push(fs, k)
  let k = k + 1
}
let snapshot = fs
let fs = push(fs, 99)
print snapshot
print fs
let keep = map([1, 2, 3], fn(x) { return x })
let keep2 = keep
let keep = reverse(keep)
print keep
print keep2
let t = "x"
let u = t
let t = t + "y" + t
print t + " " + u
let p = [1]
let p2 = p
let p = push(p, 2)[0] + 0
print p2
let r = "r"
let r = r + "1" + length(r)
print r
fn add1(a) {
  return push(a, 1)
}
let g = [0]
let h = add1(g)
print [g, h]
fn tag(d) {
  d["t"] = 1
  return d
}
let d0 = {}
let d1 = tag(d0)
print [d0, d1]
print reduce([1, 2, 3], fn(acc, x) { return push(acc, x * 2) }, [])
let seed = []
let built = reduce([1], fn(acc, x) { return push(acc, x) }, seed)
print [seed, built]
`;
  const r = run(src);
  assert.equal(r.stderr, "");
  assert.deepEqual(r.stdout.split("\n"), [
    "[1, 2, 3]",
    "[1, 2]",
    "[9, 2, 3]",
    "[1, 2, 3]",
    '{"k": 2, "n": 3}',
    '{"k": 1}',
    "abc ab",
    "[7, 0]",
    "[1]",
    "[5, 6]",
    "[5]",
    "[[1], [2]]",
    "[1, 10]",
    "[0, 1, 2]",
    "[0, 1, 2, 99]",
    "[3, 2, 1]",
    "[1, 2, 3]",
    "xyx x",
    "[1]",
    "r11",
    "[[0], [0, 1]]",
    '[{}, {"t": 1}]',
    "[2, 4, 6]",
    "[[], [1]]",
    "",
  ]);
});

test("calls the linker resolves keep the by-name rules of runtime.md §5", () => {
  // f and g are never stored: their calls are resolved at load time. f is stored later in
  // <main> and a is stored inside b, so those names stay looked up at every call.
  const r = run(
    [
      "fn g(a, b, c) { return a * 100 + b * 10 + c }",
      "fn a() { return 1 }",
      "fn b() {",
      "  let a = fn() { return 2 }",
      "  return a()",
      "}",
      "fn f(x) { return x + 1 }",
      "fn adder(k) { return fn(x) { return x + k } }",
      "print g(1, 2, 3)",
      "print a()",
      "print b()",
      "print f(1)",
      "let f = fn(x) { return x * 10 }",
      "print f(2)",
      "let h = fn(p, q) { return p - q }",
      "print h(10, 3)",
      "print [h][0](7, 2)",
      "print adder(5)(10)",
      "print g(g(0, 0, 1), g(0, 1, 0), 9)",
      "",
    ].join("\n"),
  );
  assert.equal(r.stderr, "");
  assert.deepEqual(r.stdout.split("\n"), ["123", "1", "2", "2", "20", "7", "5", "15", "209", ""]);
  // A named call with the wrong number of arguments is still the arity error, with its line.
  const wrong = run("fn f(x) { return x }\nprint f(1)\nprint f(1, 2)\n");
  assert.equal(wrong.stdout, "1\n");
  assert.equal(wrong.errorLine, "[line 3, col 0] Error: Function 'f' expected 1 argument, got 2");
});

test("a name a function reads but never stores is the global; one it stores later starts unset", () => {
  const r = run(
    [
      "fn show() { return g }",
      "fn swap() {",
      "  let r = q",
      "  let q = 2",
      "  return r + q",
      "}",
      "fn missing() { return nowhere }",
      "let g = 5",
      "let q = 40",
      "print show()",
      "print swap()",
      "print q",
      "print missing()",
      "",
    ].join("\n"),
  );
  assert.equal(r.stdout, "5\n42\n40\n");
  assert.equal(r.errorLine, "[line 7, col 0] Error: Undefined variable: 'nowhere'");
});

test("closures share cells and the making frame keeps its stale local (runtime.md §6)", () => {
  const src = `
fn make() {
  let n = 0
  let inc = fn() { let n = n + 1 }
  inc()
  inc()
  let late = fn() { return n }
  let n = n + 10
  return [n, late()]
}
print make()
`;
  assert.equal(run(src).stdout, "[10, 10]\n");
});

test("args(), input() and exit()", () => {
  const r = run('print args()\nlet a = input("name? ")\nlet b = input()\nlet c = input()\nprint a + "|" + b + "|" + c\nexit(3)\nprint "no"\n', ["x", "y z"], "ann\r\nbob\n");
  assert.equal(r.stdout, "[x, y z]\nname? ann|bob|\n");
  assert.equal(r.status, 3);
});

test("the command line: --version, --help, unreadable and invalid files", () => {
  const v = runSync(WVM, ["--version"]);
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^wvm \d+\.\d+\.\d+/);
  const h = runSync(WVM, ["--help"]);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /--dump/);
  const missing = join(scratchDir(), "missing.whbc");
  const m = runSync(WVM, [missing]);
  assert.equal(m.status, 1);
  assert.equal(m.stderr, `Cannot read '${missing}': No such file or directory (os error 2)\n`);
  const none = runSync(WVM, []);
  assert.notEqual(none.status, 0);
});

test("builtin errors carry the CALL's line and the exact reference text", () => {
  const cases: [string, string][] = [
    ['print char_at("abc", 5)', "[line 1, col 0] Error: Array index 5 out of bounds (length: 3)"],
    ['print substr(1, 2, 3)', "[line 1, col 0] Error: Type error: expected string, number, number, found wrong types"],
    ["print slice([1], 0, 9)", "[line 1, col 0] Error: slice() end index 9 out of bounds (length: 1)"],
    ['print str_to_num(" 12x")', '[line 1, col 0] Error: Type error: expected numeric string, found " 12x"'],
    ["let f = fn(a, b) { return a }\nprint map([1], f)", "[line 2, col 0] Error: Function '__lambda_1_0' expected 2 arguments, got 1"],
    ["print map([1], 5)", "[line 1, col 0] Error: Type error: expected function, found number"],
    ['print write_hex("/tmp/wvm-odd.bin", "abc")', "[line 1, col 0] Error: write_hex() needs an even number of hex digits"],
    ['print read_file("/nonexistent/x")', "[line 1, col 0] Error: Failed to read '/nonexistent/x': No such file or directory (os error 2)"],
    ["print {}[[1]]", "[line 1, col 0] Error: Type error: expected string or number (as dict key), found array"],
    ["print -\"a\"", "[line 1, col 0] Error: Type error: expected number, found string"],
    ["assert(false)", "[line 1, col 0] Error: Assertion failed: assertion failed"],
    ["print input(1, 2)", "[line 1, col 0] Error: Function 'input' expected 1 argument, got 2"],
  ];
  for (const [src, want] of cases) assert.equal(run(src + "\n").errorLine, want, src);
  assert.equal(run('print map([], 5)\nprint reduce([], fn(a, b) { return a }, 7)\nprint str_to_num("  -1.5E2 ") + str_to_num("+.5")\nprint ord("é")\n').stdout, "[]\n7\n-149.5\n233\n");
});

test("seeded generated programs: the self-checking ones succeed, the failing ones stop with a runtime error", () => {
  for (const mode of ["ok", "fail"]) {
    const dir = join(scratchDir(), `gen-${mode}`);
    mkdirSync(dir, { recursive: true });
    const gen = spawnSync(process.execPath, [join(ROOT, "test-fixtures/tools/gen-wsp.mjs"), "--seed", "31337", "--count", "60", "--mode", mode, "--out", dir], {
      encoding: "utf8",
    });
    assert.equal(gen.status, 0, gen.stderr);
    const sources = readdirSync(dir).filter((f) => f.endsWith(".wsp"));
    assert.ok(sources.length >= 60);
    for (const f of sources) {
      const file = compileToFile(readFileSync(join(dir, f), "utf8"), f);
      const r = runSync(WVM, [file, "a1", "b 2"]);
      if (mode === "ok") {
        assert.equal(r.stderr, "", f);
        assert.equal(r.status, 0, f);
      } else if (r.stderr !== "") {
        assert.equal(r.status, 1, f);
        assert.match(r.stderr.split("\n")[0], /^\S+: (\[line \d+, col 0\] )?Error: \S/, f);
        assert.match(r.stderr.split("\n")[1], /^  at \S+ \(line \d+\)$/, f);
      } else assert.notEqual(r.status, 0, `${f} neither failed nor exited with a status`);
    }
  }
});

test("output reaches a pipe while the program still runs (no waiting for exit)", async () => {
  const file = compileToFile('print "started"\nlet i = 0\nwhile i < 30000000 {\n  let i = i + 1\n}\nprint "done"\n');
  const child = spawn(WVM, [file], { stdio: ["ignore", "pipe", "pipe"] });
  const first = await new Promise<string>((resolve) => child.stdout.once("data", (d) => resolve(String(d))));
  assert.equal(first, "started\n");
  assert.equal(child.exitCode, null, "the first line came only at exit");
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(status, 0);
});

test("the update opcodes (wopcodes.h, W_UPDATES): in place only when the STORE or RETURN after the update lets go of the other holder", () => {
  // The cases that must copy would print something else if the update changed its operand in
  // place: the STOREd name read again before the STORE, another name or an array holding the
  // value, a caller's variable behind a returned update, a reduce seed. The others (a loop's
  // `let out = push(out, i)`, `return push(acc, …)` on a fresh array) may update in place.
  const src = `let a = [1]
let a = [push(a, 2), a]
print a
let s = "a"
let s = s + "b" + s
print s
let t = "x"
let u = t
let t = t + "y" + u
print t + " " + u
let p = "p"
let p = p + p
print p
let b = [1, 2]
b[0] = b[1]
print b
let d = {"k": 1}
let e = [d]
d["k"] = 2
print d
print e
fn keep(xs) {
  return push(xs, 1)
}
let g = [0]
print keep(g)
print g
fn grow(n) {
  let out = []
  let i = 0
  while i < n {
    let out = push(out, i)
    let i = i + 1
  }
  return reverse(out)
}
print grow(4)
print reduce([1, 2, 3], fn(acc, x) { return push(acc, x * 10) }, [])
let base = [9]
print reduce([1, 2], fn(acc, x) { return push(acc, x) }, base)
print base
fn set_last(xs, v) {
  xs[length(xs) - 1] = v
  return xs
}
let h = [1, 2, 3]
print set_last(h, 7)
print h
fn tail(s) {
  let s = s + "!"
  return s + "?"
}
let w = "hi"
print tail(w) + w
`;
  const r = run(src);
  assert.equal(r.stderr, "");
  assert.equal(
    r.stdout,
    `[[1, 2], [1]]
aba
xyx x
pp
[2, 2]
{"k": 2}
[{"k": 1}]
[0, 1]
[0]
[3, 2, 1, 0]
[10, 20, 30]
[9, 1, 2]
[9]
[1, 2, 7]
[1, 2, 3]
hi!?hi
`,
  );
});

// The cycle collector (wcycle.c): `--gc-stats` (hidden) reports, after the run, what it freed
// during the run and at exit, and how many cells are left.
function gcStats(stderr: string): { collections: number; during: number; atExit: number; cellsLeft: number } {
  const m = /wvm gc: (\d+) collections freed (\d+) objects during the run, (\d+) at exit; (\d+) cells left/.exec(stderr);
  assert.ok(m, stderr);
  return { collections: Number(m[1]), during: Number(m[2]), atExit: Number(m[3]), cellsLeft: Number(m[4]) };
}

test("reference cycles are collected while the program runs; cycles still reachable are kept and work", () => {
  // Each call of pair() leaves a closure and its cell holding each other; every 1 000th is kept.
  const src = `fn pair(k) {
    let me = 0
    let me = fn() { return [me, k] }
    return me
}
let kept = []
let i = 0
while i < 50000 {
    let p = pair(i)
    if i % 1000 == 0 {
        let kept = push(kept, p)
    }
    let i = i + 1
}
let sum = 0
for f in kept {
    let again = f()[0]
    let sum = sum + again()[1]
}
print sum
`;
  const file = compileToFile(src);
  const r = runSync(WVM, ["--gc-stats", file]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "1225000\n"); // 0 + 1000 + ... + 49000
  const s = gcStats(r.stderr);
  assert.ok(s.collections >= 3, `${s.collections} collections`);
  // Each pair is a function and two cells (me, k). 51 stay reachable (50 kept, the last in p);
  // the 49 949 others are garbage: most freed during the run, the rest at exit.
  assert.ok(s.during >= 100000, `freed during the run: ${s.during}`);
  assert.equal(s.during + s.atExit, 3 * 49949);
  assert.equal(s.cellsLeft, 2 * 51);
  // Without cycles nothing is tracked and nothing collected.
  const plain = runSync(WVM, ["--gc-stats", compileToFile("let a = [1]\nlet a = push(a, 2)\nprint a\n")]);
  assert.deepEqual(gcStats(plain.stderr), { collections: 0, during: 0, atExit: 0, cellsLeft: 0 });
});

test("programs that build cycles: test-fixtures/cycles give their expected output, generated ones check themselves", () => {
  const dir = join(ROOT, "test-fixtures/cycles");
  const status: Record<string, number> = { "error-exit": 1, "exit-status": 3 };
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".wsp"))) {
    const name = f.slice(0, -4);
    const r = runSync(WVM, [compileToFile(readFileSync(join(dir, f), "utf8"), name)]);
    assert.equal(r.status, status[name] ?? 0, `${f}: ${r.stderr}`);
    assert.equal(r.stdout, readFileSync(join(dir, `${name}.out`), "utf8"), f);
  }
  const gen = join(scratchDir(), "gen-cycles");
  const g = spawnSync(process.execPath, [join(ROOT, "test-fixtures/tools/gen-cycles.mjs"), "--seed", "31337", "--count", "30", "--out", gen], { encoding: "utf8" });
  assert.equal(g.status, 0, g.stderr);
  let collected = 0;
  for (const f of readdirSync(gen).filter((f) => f.endsWith(".wsp"))) {
    const r = runSync(WVM, ["--gc-stats", compileToFile(readFileSync(join(gen, f), "utf8"), f)]);
    assert.equal(r.status, 0, `${f}: ${r.stderr}`);
    assert.match(r.stdout, /^\d+\n\d+\n$/, f);
    collected += gcStats(r.stderr).during;
  }
  assert.ok(collected > 0, "no generated program had a collection during its run");
});
