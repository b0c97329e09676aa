// Hand-assembled files for what our compiler never emits but a valid file may contain: the
// opcodes it never uses, stack use the static analysis cannot prove (checked at run time),
// underflow, upvalue errors, duplicate chunk names, `return` from <main>.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Chunk, Constant, writeWhbc } from "../../compiler/src/whbc";
import { WVM, runSync, scratchDir } from "./wvm-run";

const num = (value: number): Constant => ({ kind: "number", value });
const str = (value: string): Constant => ({ kind: "string", value });

function chunk(name: string, constants: Constant[], code: number[], paramCount = 0): Chunk {
  return { name, paramCount, upvalueCount: 0, constants, code: Uint8Array.from(code), lines: Uint32Array.from(code.map(() => 7)) };
}

let n = 0;
function run(chunks: Chunk[]) {
  const file = join(scratchDir(), `handmade-${n++}.whbc`);
  writeFileSync(file, writeWhbc({ chunks }));
  const r = runSync(WVM, [file]);
  return { status: r.status, stdout: r.stdout, first: r.stderr.split("\n")[0].slice(file.length + 2), stderr: r.stderr };
}

// Opcode bytes, for readability.
const PUSH_CONST = 0x00, PUSH_TRUE = 0x01, PUSH_NONE = 0x03, LOAD = 0x10, STORE = 0x11, LOAD_GLOBAL = 0x12,
  LOAD_UPVALUE = 0x13, CLOSE_UPVALUE = 0x15, ADD = 0x20, LT = 0x32, JUMP = 0x40, JUMP_IF_FALSE = 0x41, JUMP_IF_TRUE = 0x42,
  CALL = 0x50, RETURN = 0x51, RETURN_NONE = 0x52, MAKE_CLOSURE = 0x53, PRINT = 0x70, POP = 0x71, HALT = 0xff;

test("opcodes the compiler never emits: PUSH_NONE, JUMP_IF_TRUE, CLOSE_UPVALUE", () => {
  const r = run([chunk("<main>", [num(1)], [PUSH_NONE, PRINT, PUSH_TRUE, JUMP_IF_TRUE, 0, 9, PUSH_CONST, 0, PRINT, CLOSE_UPVALUE, 0, PUSH_CONST, 0, PRINT, HALT])]);
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "\n1\n");
});

test("a loop that leaves a value on the stack each time runs checked and grows the stack", () => {
  // i = 0; while i < 100000 { push true; i = i + 1 }; print i
  const code = [PUSH_CONST, 0, STORE, 1, LOAD, 1, PUSH_CONST, 2, LT, JUMP_IF_FALSE, 0, 24, PUSH_TRUE, LOAD, 1, PUSH_CONST, 3, ADD, STORE, 1, JUMP, 0, 4, HALT, LOAD, 1, PRINT, HALT];
  const r = run([chunk("<main>", [num(0), str("i"), num(100000), num(1)], code)]);
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "100000\n");
});

test("popping below the frame is a stack underflow, without a line", () => {
  const main = run([chunk("<main>", [], [POP, HALT])]);
  assert.equal(main.status, 1);
  assert.equal(main.first, "Error: Internal error: stack underflow");
  // A function may not reach into its caller's operands either.
  const fn = run([chunk("<main>", [num(5), str("f")], [PUSH_CONST, 0, CALL, 1, 0, PRINT, HALT]), chunk("f", [], [POP, RETURN_NONE])]);
  assert.equal(fn.status, 1);
  assert.equal(fn.first, "Error: Internal error: stack underflow");
  assert.match(fn.stderr, /\n {2}at f \(line 7\)\n {2}at <main> \(line 7\)\n$/);
});

test("upvalue slots out of range, LOAD_GLOBAL of an undefined name", () => {
  assert.equal(run([chunk("<main>", [], [LOAD_UPVALUE, 3, PRINT, HALT])]).first, "Error: Internal error: upvalue in invalid state: upvalue slot 3 out of range");
  const closure = run([chunk("<main>", [str("g")], [MAKE_CLOSURE, 0, 1, 0, 1, 0x35, POP, HALT]), chunk("g", [], [RETURN_NONE])]);
  assert.equal(closure.first, "Error: Internal error: upvalue in invalid state: parent upvalue slot 5 out of range");
  assert.equal(run([chunk("<main>", [str("zz")], [LOAD_GLOBAL, 0, PRINT, HALT])]).first, "[line 7, col 0] Error: Undefined variable: 'zz'");
});

test("duplicate chunk names: the last one is called", () => {
  const r = run([
    chunk("<main>", [str("f")], [CALL, 0, 0, PRINT, HALT]),
    chunk("f", [num(1)], [PUSH_CONST, 0, RETURN]),
    chunk("f", [num(2)], [PUSH_CONST, 0, RETURN]),
  ]);
  assert.equal(r.stdout, "2\n");
});

test("RETURN from <main> ends the program with status 0", () => {
  const r = run([chunk("<main>", [num(3)], [PUSH_CONST, 0, PRINT, PUSH_CONST, 0, RETURN])]);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, "3\n");
  assert.equal(r.stderr, "");
});

test("a closure over a variable that does not exist captures none", () => {
  // g = closure capturing local 'nothing'; print g()
  const r = run([
    chunk("<main>", [str("g"), str("__callee__")], [MAKE_CLOSURE, 0, 1, 1, 7, ...Buffer.from("nothing"), CALL, 1, 0, PRINT, HALT]),
    chunk("g", [], [LOAD_UPVALUE, 0, RETURN]),
  ]);
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "\n");
});

test("a named call: a function in a local variable wins over a chunk of the same name", () => {
  // f(x) { h = closure of k; return h() } where a chunk named h also exists.
  const r = run([
    chunk("<main>", [num(1), str("f")], [PUSH_CONST, 0, CALL, 1, 1, PRINT, HALT]),
    chunk("f", [str("x"), str("k"), str("h")], [STORE, 0, MAKE_CLOSURE, 1, 0, STORE, 2, CALL, 2, 0, RETURN], 1),
    chunk("h", [str("chunk h")], [PUSH_CONST, 0, RETURN]),
    chunk("k", [str("closure k")], [PUSH_CONST, 0, RETURN]),
  ]);
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "closure k\n");
});

test("a repeated parameter name: the last STORE (the first argument) wins, as the bytes say", () => {
  const r = run([
    chunk("<main>", [num(1), num(2), str("f")], [PUSH_CONST, 0, PUSH_CONST, 1, CALL, 2, 2, PRINT, HALT]),
    chunk("f", [str("a")], [STORE, 0, STORE, 0, LOAD, 0, RETURN], 2),
  ]);
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "1\n");
});

test("a jump back into the parameter prologue stores again (the call skips it only on entry)", () => {
  // f(x): while x < 10 { x = x + 1 } written as a jump back to the STORE at offset 0.
  const r = run([
    chunk("<main>", [num(3), str("f")], [PUSH_CONST, 0, CALL, 1, 1, PRINT, HALT]),
    chunk("f", [str("x"), num(10), num(1)], [STORE, 0, LOAD, 0, PUSH_CONST, 1, LT, JUMP_IF_FALSE, 0, 18, LOAD, 0, PUSH_CONST, 2, ADD, JUMP, 0, 0, LOAD, 0, RETURN], 1),
  ]);
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "10\n");
});

test("<main>'s chunk called by name: its frame reads its own locals (only a <main> nothing calls reads globals directly)", () => {
  // m: let x = input(); if input() == "call" { m() }; print x — the called frame's x is its local.
  const EQ = 0x30;
  const file = join(scratchDir(), `handmade-${n++}.whbc`);
  const consts = [str("input"), str("x"), str("call"), str("m")];
  const code = [CALL, 0, 0, STORE, 1, CALL, 0, 0, PUSH_CONST, 2, EQ, JUMP_IF_FALSE, 0, 18, CALL, 3, 0, POP, LOAD, 1, PRINT, RETURN_NONE];
  writeFileSync(file, writeWhbc({ chunks: [chunk("m", consts, code)] }));
  const r = runSync(WVM, [file], "a\ncall\nb\nstop\n");
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "b\na\n");
});
