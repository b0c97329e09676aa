// wvm's own shortest round-trip number text (wnumfmt.c) against JavaScript's Number::toString,
// which is shortest round-trip too (compiler/src/numfmt.ts spells its exponent out), over many
// seeded doubles of every kind, through the hidden `--format-numbers` entry point; then format()
// and num_to_str through print.
import { test } from "node:test";
import assert from "node:assert/strict";
import { shortest } from "../../compiler/src/numfmt";
import { WVM, compileToFile, rng, runSync } from "./wvm-run";

function bitsHex(x: number): string {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0).toString(16).padStart(16, "0");
}

function compare(values: number[]): void {
  const r = runSync(WVM, ["--format-numbers"], values.map(bitsHex).join("\n") + "\n");
  assert.equal(r.status, 0, r.stderr);
  const got = r.stdout.split("\n");
  let bad = 0;
  const examples: string[] = [];
  values.forEach((x, i) => {
    const want = shortest(x);
    if (got[i] !== want) {
      bad++;
      if (examples.length < 5) examples.push(`${bitsHex(x)}: got ${got[i]} want ${want}`);
    }
  });
  assert.equal(bad, 0, examples.join("\n"));
}

test("edge cases", () => {
  const edge = [0, -0, NaN, Infinity, -Infinity, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
    Number.MAX_VALUE, -Number.MAX_VALUE, 1e21, 1e22, 1e23, 123456789012345680, 9007199254740993, 2 ** 53, 2 ** 53 - 1,
    2 ** 63, 2 ** 64, 0.1, 0.2, 0.3, 0.1 + 0.2, 1 / 3, 2 / 3, 1e-7, 1.5e-10, 9.5, 0.5, 1e15, 1e16, 1e17, 4.35, 5e-310];
  for (let e = -1074; e <= 1023; e++) edge.push(2 ** e, -(2 ** e), 2 ** e * 1.5);
  for (let e = -323; e <= 308; e++) edge.push(Number(`1e${e}`), Number(`9.999999999999999e${e}`));
  compare(edge);
});

test("200 000 seeded random doubles: bit patterns, short decimals and subnormals", () => {
  const next = rng(7);
  const v = new DataView(new ArrayBuffer(8));
  const values: number[] = [];
  for (let i = 0; i < 200000; i++) {
    switch (i % 4) {
      case 0:
        v.setUint32(0, next());
        v.setUint32(4, next());
        values.push(v.getFloat64(0));
        break;
      case 1: // short decimals at every scale: the cases where several digit strings are close
        values.push(Number(`${next() % 100000}e${(next() % 60) - 30}`) / [1, 3, 7, 10][next() % 4]);
        break;
      case 2: // subnormals
        v.setUint32(0, next() & 0x800fffff);
        v.setUint32(4, next());
        values.push(v.getFloat64(0));
        break;
      default: // integers around 2^53 and beyond
        values.push((next() * 2 ** 32 + next()) * 2 ** (next() % 40));
    }
  }
  compare(values.filter((x) => !Number.isNaN(x)));
});

test("print uses format(), num_to_str saturates, dict keys use the integer form", () => {
  const src = [
    "print 0 - 0",
    "print 1 / 3",
    "print 1000000000000000 * 1000",
    "print 999999999999999 + 0.5",
    "print 0.1 * 3",
    'print str_to_num("inf")',
    'print 0 - str_to_num("infinity")',
    "print num_to_str(100000000000000000000)",
    "print num_to_str(0 - 100000000000000000000)",
    "print num_to_str(2.5)",
    'let d = {1: "a", 2.5: "b"}',
    'print d["1"] + d["2.5"]',
    "print [0.000001, 1e0]",
  ].join("\n").replace("1e0", "1");
  const r = runSync(WVM, [compileToFile(src)]);
  assert.equal(r.stderr, "");
  assert.deepEqual(r.stdout.split("\n"), [
    "0",
    "0.3333333333333333",
    "1000000000000000000",
    "999999999999999.5",
    "0.30000000000000004",
    "inf",
    "-inf",
    "9223372036854775807",
    "-9223372036854775808",
    "2.5",
    "ab",
    "[0.000001, 1]",
    "",
  ]);
});
