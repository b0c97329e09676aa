// The .whbc reader and writer: the corpus round-trips byte for byte, and every loader error of
// bytecode.md §1 is reported with the spec's text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readWhbc, writeWhbc, decodeWhbc, WhbcFile } from "../src/whbc";

const RUN = join(__dirname, "../../test-fixtures/conformance/run");

function corpus(): { name: string; bytes: Uint8Array }[] {
  return readdirSync(RUN)
    .filter((f) => f.endsWith(".whbc"))
    .sort()
    .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(RUN, f))) }));
}

test("every corpus file reads, verifies, and writes back to the same bytes", () => {
  const files = corpus();
  assert.ok(files.length > 100);
  for (const { name, bytes } of files) {
    const r = readWhbc(bytes);
    assert.ok(r.ok, `${name}: ${!r.ok && r.error}`);
    assert.deepEqual(writeWhbc(r.file), bytes, name);
  }
});

/** A small valid file to corrupt: one chunk `<main>` with a string and a number constant. */
function sample(): WhbcFile {
  return {
    chunks: [
      {
        name: "<main>",
        paramCount: 0,
        upvalueCount: 0,
        constants: [
          { kind: "string", value: "héllo" },
          { kind: "number", value: 2.5 },
          { kind: "bool", value: true },
          { kind: "none" },
        ],
        code: new Uint8Array([0x00, 0x00, 0x70, 0xff]),
        lines: new Uint32Array([1, 1, 1, 0]),
      },
    ],
  };
}

function refusal(bytes: Uint8Array): string {
  const r = readWhbc(bytes);
  assert.ok(!r.ok, "expected a refusal");
  return r.error;
}

test("the model round-trips through the writer and the reader", () => {
  const file = sample();
  const bytes = writeWhbc(file);
  const r = readWhbc(bytes);
  assert.ok(r.ok);
  assert.deepEqual(r.file, file);
});

test("loader errors use the spec's reasons", () => {
  const good = writeWhbc(sample());
  assert.equal(refusal(new Uint8Array([])), "Invalid bytecode: file too short");
  assert.equal(refusal(good.slice(0, 4)), "Invalid bytecode: file too short");
  assert.equal(refusal(new Uint8Array([0x57, 0x48, 0x42, 0x44, 4, 0, 1])), "Invalid bytecode: bad magic bytes (not a .whbc file)");
  const v3 = good.slice();
  v3[4] = 3;
  assert.equal(refusal(v3), "Invalid bytecode: version mismatch: expected 4, got 3");
  assert.equal(refusal(new Uint8Array([0x57, 0x48, 0x42, 0x43, 4, 0, 0])), "Invalid bytecode: bytecode contains no chunks");
  assert.equal(refusal(good.slice(0, 6)), "Invalid bytecode: unexpected end of bytecode at offset 5 (need 2 bytes, have 1)");
  // name_len 6 at offset 7, name at 9; cut inside the name.
  assert.equal(refusal(good.slice(0, 12)), "Invalid bytecode: unexpected end of bytecode at offset 9 (need 6 bytes, have 3)");
  // The last byte of the line table missing.
  assert.equal(
    refusal(good.slice(0, good.length - 1)),
    `Invalid bytecode: unexpected end of bytecode at offset ${good.length - 16} (need 16 bytes, have 15)`,
  );
});

test("invalid UTF-8 and unknown tags are refused", () => {
  const good = writeWhbc(sample());
  const badName = good.slice();
  badName[9] = 0xff; // first byte of "<main>"
  assert.equal(refusal(badName), "Invalid bytecode: chunk name is not valid UTF-8");
  const badString = good.slice();
  // name "<main>" ends at 15; param, upvalue, count at 15..17; tag at 18, length at 19..20, text from 21.
  assert.equal(badString[18], 2);
  badString[23] = 0xc3; // "h\xc3\xc3llo": a lead byte followed by another lead byte
  assert.equal(refusal(badString), "Invalid bytecode: string constant is not valid UTF-8");
  const badTag = good.slice();
  badTag[18] = 9;
  assert.equal(refusal(badTag), "Invalid bytecode: unknown constant tag 9");
});

test("a byte-order mark in a name is kept, not stripped", () => {
  const file = sample();
  file.chunks[0].name = "\ufeffx";
  const r = readWhbc(writeWhbc(file));
  assert.ok(r.ok);
  assert.equal(r.file.chunks[0].name, "\ufeffx");
});

test("bytes after the last chunk are ignored", () => {
  const good = writeWhbc(sample());
  const longer = new Uint8Array(good.length + 3);
  longer.set(good);
  const r = readWhbc(longer);
  assert.ok(r.ok);
  assert.deepEqual(writeWhbc(r.file), good);
});

test("decodeWhbc reads the layout without verifying code", () => {
  const file = sample();
  file.chunks[0].code = new Uint8Array([0x99]);
  file.chunks[0].lines = new Uint32Array([1]);
  const bytes = writeWhbc(file);
  assert.ok(decodeWhbc(bytes).ok);
  assert.equal(refusal(bytes), "Invalid bytecode: in chunk '<main>' at offset 0: unknown opcode 0x99");
});

test("the writer's UTF-8 matches TextEncoder, surrogate pairs and lone surrogates included", () => {
  const samples = ["", "abc", "é", "€", "😀", "a😀b", "\ud800", "x\udc00y", "\ud83d", "日本語", "\u07ff\u0800\uffff"];
  for (const text of samples) {
    const f = sample();
    f.chunks[0].constants = [{ kind: "string", value: text }];
    const bytes = writeWhbc(f);
    const expected = new TextEncoder().encode(text);
    // tag at 18, length at 19..20, text from 21
    assert.equal((bytes[19] << 8) | bytes[20], expected.length, JSON.stringify(text));
    assert.deepEqual(bytes.subarray(21, 21 + expected.length), expected, JSON.stringify(text));
  }
});

test("a Node Buffer is read like a Uint8Array, and the model owns its code", () => {
  const bytes = writeWhbc(sample());
  const buffer = Buffer.concat([Buffer.from([1, 2, 3]), Buffer.from(bytes)]).subarray(3);
  const r = readWhbc(buffer);
  assert.ok(r.ok);
  assert.deepEqual(r.file, sample());
  buffer.fill(0);
  assert.deepEqual(r.file.chunks[0].code, sample().chunks[0].code);
});
