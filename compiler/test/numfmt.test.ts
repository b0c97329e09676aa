// shortest() and formatNumber(): digits round-trip, and no exponent ever appears.
import { test } from "node:test";
import assert from "node:assert/strict";
import { shortest, formatNumber } from "../src/numfmt";

test("spec examples", () => {
  assert.equal(shortest(1e-7), "0.0000001");
  assert.equal(shortest(1e21), "1000000000000000000000");
  assert.equal(shortest(123456789012345678), "123456789012345680");
  assert.equal(shortest(NaN), "NaN");
  assert.equal(shortest(Infinity), "inf");
  assert.equal(shortest(-Infinity), "-inf");
  assert.equal(shortest(0.1 + 0.2), "0.30000000000000004");
  assert.equal(shortest(-1.5e-10), "-0.00000000015");
  assert.equal(shortest(5e-324), "0." + "0".repeat(323) + "5");
  assert.equal(shortest(-0), "-0");
});

test("formatNumber prints integers below 1e15 plainly and -0 as 0", () => {
  assert.equal(formatNumber(-0), "0");
  assert.equal(formatNumber(42), "42");
  assert.equal(formatNumber(-7), "-7");
  assert.equal(formatNumber(999999999999999), "999999999999999");
  assert.equal(formatNumber(1e15), "1000000000000000");
  assert.equal(formatNumber(2.5), "2.5");
});

test("random doubles: the text has no exponent and reads back exactly", () => {
  let seed = 12345;
  const buf = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < 20000; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    buf.setUint32(0, seed);
    seed = (seed * 1103515245 + 12345) >>> 0;
    buf.setUint32(4, seed);
    const x = buf.getFloat64(0);
    if (!Number.isFinite(x)) continue;
    const s = shortest(x);
    assert.doesNotMatch(s, /e/i);
    assert.equal(Number(s), x, s);
  }
});
