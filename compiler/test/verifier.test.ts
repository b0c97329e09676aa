// The verifier: each check of docs/bytecode-tools.md with its exact message, and a seeded fuzz
// run over mutated and truncated corpus files (accepted, or refused with `Invalid bytecode: …`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readWhbc, writeWhbc, Constant, WhbcFile } from "../src/whbc";
import { disassemble } from "../src/disasm";
import { mulberry32 as rng } from "../../test-fixtures/tools/rng.cjs";

const RUN = join(__dirname, "../../test-fixtures/conformance/run");

function file(code: number[], constants: Constant[] = [], extra: { name: string; code: number[] }[] = []): WhbcFile {
  const chunk = (name: string, c: number[]) => ({
    name,
    paramCount: 0,
    upvalueCount: 0,
    constants,
    code: new Uint8Array(c),
    lines: new Uint32Array(c.length).fill(1),
  });
  return { chunks: [chunk("<main>", code), ...extra.map((e) => chunk(e.name, e.code))] };
}

function verdict(f: WhbcFile): string {
  const r = readWhbc(writeWhbc(f));
  return r.ok ? "ok" : r.error;
}

const S = (value: string): Constant => ({ kind: "string", value });
const N = (value: number): Constant => ({ kind: "number", value });
const PREFIX = "Invalid bytecode: in chunk '<main>'";

test("a sound chunk is accepted", () => {
  // PUSH_CONST 0; STORE 1 'x'; LOAD 1; JUMP_IF_FALSE 11; LOAD 1; POP; HALT
  assert.equal(verdict(file([0x00, 0, 0x11, 1, 0x10, 1, 0x41, 0, 11, 0x10, 1, 0x71, 0xff], [N(1), S("x")])), "ok");
});

test("empty code and a line table of the wrong length", () => {
  assert.equal(verdict(file([])), `${PREFIX}: code is empty`);
  const f = file([0xff]);
  f.chunks[0].lines = new Uint32Array([1, 2]);
  assert.equal(verdict(f), `${PREFIX}: lines_len 2 differs from code_len 1`);
});

test("instruction checks, in order", () => {
  assert.equal(verdict(file([0x71, 0x04, 0xff])), `${PREFIX} at offset 1: unknown opcode 0x04`);
  assert.equal(verdict(file([0x71, 0x00])), `${PREFIX} at offset 1: truncated instruction PUSH_CONST`);
  assert.equal(verdict(file([0x40, 0x00])), `${PREFIX} at offset 0: truncated instruction JUMP`);
  assert.equal(verdict(file([0x50, 0x00])), `${PREFIX} at offset 0: truncated instruction CALL`);
  assert.equal(verdict(file([0x00, 2, 0xff], [N(1)])), `${PREFIX} at offset 0: constant index 2 out of range (pool has 1 constants)`);
  assert.equal(verdict(file([0x10, 0, 0xff], [N(1)])), `${PREFIX} at offset 0: operand 0 of LOAD is not a string constant`);
  assert.equal(verdict(file([0x50, 0, 1, 0xff], [N(1)])), `${PREFIX} at offset 0: operand 0 of CALL is not a string constant`);
  // PUSH_CONST accepts any constant kind.
  assert.equal(verdict(file([0x00, 0, 0xff], [N(1)])), "ok");
});

test("MAKE_CLOSURE: chunk name, descriptors, capture names", () => {
  const f = (code: number[]) => file(code, [S("g"), S("h")], [{ name: "g", code: [0x52] }]);
  assert.equal(verdict(f([0x53, 0, 1, 1, 1, 0x61, 0x71, 0xff])), "ok");
  assert.equal(verdict(f([0x53, 1, 0, 0xff])), `${PREFIX} at offset 0: MAKE_CLOSURE names unknown chunk 'h'`);
  assert.equal(verdict(f([0x53, 0, 2, 1, 1, 0x61, 0xff])), `${PREFIX} at offset 0: truncated instruction MAKE_CLOSURE`);
  assert.equal(verdict(f([0x53, 0, 1, 1, 5, 0x61])), `${PREFIX} at offset 0: truncated instruction MAKE_CLOSURE`);
  assert.equal(verdict(f([0x53, 0, 1, 1, 1, 0xc3, 0xff])), `${PREFIX} at offset 0: capture name is not valid UTF-8`);
});

test("jump targets must start an instruction", () => {
  // JUMP 4 lands on the operand byte of `PUSH_CONST 0`.
  assert.equal(verdict(file([0x40, 0, 4, 0x00, 0, 0xff], [N(1)])), `${PREFIX} at offset 0: jump target 4 is not the start of an instruction`);
  assert.equal(verdict(file([0x41, 0, 9, 0xff])), `${PREFIX} at offset 0: jump target 9 is not the start of an instruction`);
  assert.equal(verdict(file([0x41, 0, 3, 0xff])), "ok");
});

test("the last instruction must not fall off the end", () => {
  assert.equal(verdict(file([0x01, 0x71])), `${PREFIX} at offset 1: last instruction POP can fall off the end`);
  for (const last of [0xff, 0x51, 0x52]) assert.equal(verdict(file([0x01, last])), "ok");
  assert.equal(verdict(file([0x40, 0, 0])), "ok");
});

test("later chunks are named in messages", () => {
  const f = file([0xff], [], [{ name: "f", code: [0x71] }]);
  assert.equal(verdict(f), "Invalid bytecode: in chunk 'f' at offset 0: last instruction POP can fall off the end");
});

function mutate(bytes: Uint8Array, r: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(r() * n);
  const kind = pick(5);
  if (kind === 0) return bytes.slice(0, pick(bytes.length + 1)); // truncate
  const out = bytes.slice();
  if (kind === 1) {
    for (let i = 1 + pick(4); i > 0; i--) out[pick(out.length)] = pick(256); // random bytes
    return out;
  }
  if (kind === 2) {
    const at = pick(out.length);
    out[at] ^= 1 << pick(8); // one bit
    return out;
  }
  if (kind === 3) {
    // An interesting value (0, 0xff, a small count) in a random place: lengths and counts go wild.
    out[pick(out.length)] = [0, 1, 0x7f, 0x80, 0xff][pick(5)];
    return out;
  }
  const at = pick(out.length); // delete a run
  return new Uint8Array([...out.subarray(0, at), ...out.subarray(Math.min(out.length, at + 1 + pick(8)))]);
}

test("fuzz: thousands of mutated and truncated files are accepted or refused cleanly", () => {
  const files = readdirSync(RUN)
    .filter((f) => f.endsWith(".whbc"))
    .sort()
    .map((f) => new Uint8Array(readFileSync(join(RUN, f))));
  const r = rng(20240611);
  let accepted = 0;
  let refused = 0;
  for (let i = 0; i < 6000; i++) {
    const input = mutate(files[i % files.length], r);
    let result;
    try {
      result = readWhbc(input);
    } catch (e) {
      assert.fail(`case ${i}: reader threw ${e}`);
    }
    if (result.ok) {
      accepted++;
      // An accepted file is sound: it disassembles and survives another write/read.
      assert.ok(disassemble(result.file).length > 0);
      assert.ok(readWhbc(writeWhbc(result.file)).ok, `case ${i}: rewritten file refused`);
    } else {
      refused++;
      assert.match(result.error, /^Invalid bytecode: \S/, `case ${i}`);
    }
  }
  // Both outcomes must actually occur, or the mutations are not exercising the verifier.
  assert.ok(accepted > 100 && refused > 1000, `accepted ${accepted}, refused ${refused}`);
});
