// Number text as Whispem prints it: shortest round-trip digits, never an exponent
// (spec README "shortest(x)", runtime.md §1 format()).

/**
 * The shortest decimal text that reads back as exactly `x`, all digits spelled out:
 * `1e-7` → `0.0000001`, `1e21` → `1000000000000000000000`. NaN → `NaN`, ±∞ → `inf` / `-inf`.
 * Negative zero → `-0` (callers that print values map it to `0` through formatNumber).
 */
export function shortest(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  // JavaScript's own conversion already yields the shortest round-trip digits (ECMA-262
  // Number::toString); only its exponent form needs spelling out.
  const s = x.toString();
  const e = s.indexOf("e");
  if (e < 0) return s;
  const negative = s.startsWith("-");
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const pointAt = (dot < 0 ? mantissa.length : dot) + exponent; // digits before the point
  let out: string;
  if (pointAt <= 0) out = "0." + "0".repeat(-pointAt) + digits;
  else if (pointAt >= digits.length) out = digits + "0".repeat(pointAt - digits.length);
  else out = digits.slice(0, pointAt) + "." + digits.slice(pointAt);
  return negative ? "-" + out : out;
}

/** format() of a number value: integral and |x| < 1e15 → plain integer (so -0 is `0`); else shortest. */
export function formatNumber(x: number): string {
  if (Number.isFinite(x) && x === Math.trunc(x) && Math.abs(x) < 1e15) return x === 0 ? "0" : x.toFixed(0);
  return shortest(x);
}
