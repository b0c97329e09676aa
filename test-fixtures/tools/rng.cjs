"use strict";
// The one seeded generator of our tests and tools (mulberry32): the same seed gives the same
// numbers, so a failing case can be replayed from its seed. (gen-wsp.mjs keeps its own copy: it
// is the shared generator, copied as it is.)

/** Numbers in [0, 1), determined by `seed`. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

exports.mulberry32 = mulberry32;
