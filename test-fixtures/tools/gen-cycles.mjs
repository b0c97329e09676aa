#!/usr/bin/env node
// gen-cycles.mjs — seeded generator of Whispem programs that build reference cycles (closures that
// capture a cell which then holds them, directly or through arrays, dicts, other closures, parent
// captures, map/reduce callbacks), for the VM's cycle collector and leak-checked runs. Our own
// step next to gen-wsp.mjs (a copy of the shared generator, which never builds such cycles).
//
//   node gen-cycles.mjs --seed 7 --count 20 --out DIR   # DIR/cycles_7_0.wsp ...
//
// Every program is self-checking: it asserts the totals the generator computed and prints them,
// so a run that succeeds (status 0, nothing on stderr) computed what the cycles' code means.
// Some cycles die at once, some are kept in a global array (and dropped again half way).
// No dependencies; the same seed always gives the same files.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mulberry32 as rng } from "./rng.cjs";

// Each shape: a function `name(k)` whose body builds a cycle and returns a number, and that number.
const SHAPES = [
  // A closure calling itself through the captured variable that holds it.
  (name, d) => ({
    src: `fn ${name}(k) {
    let rec = 0
    let rec = fn(n) {
        if n <= 0 {
            return 0
        }
        let self = rec
        return n + self(n - 1)
    }
    return rec(k % ${d})
}`,
    value: (k) => ((k % d) * ((k % d) + 1)) / 2,
  }),
  // Two closures, each holding the other's cell.
  (name, d) => ({
    src: `fn ${name}(k) {
    let even = 0
    let odd = 0
    let even = fn(n) {
        if n == 0 {
            return true
        }
        let o = odd
        return o(n - 1)
    }
    let odd = fn(n) {
        if n == 0 {
            return false
        }
        let e = even
        return e(n - 1)
    }
    if even(k % ${d}) {
        return 1
    }
    return 0
}`,
    value: (k) => ((k % d) % 2 === 0 ? 1 : 0),
  }),
  // A cell holding an array and a dict that hold the closure.
  (name, d) => ({
    src: `fn ${name}(k) {
    let box = []
    let peek = fn() { return box }
    let box = [peek, {"f": peek, "k": k % ${d}}]
    let got = peek()
    return got[1]["k"] + length(got)
}`,
    value: (k) => (k % d) + 2,
  }),
  // An inner closure made later reaches the cell through its parent's capture.
  (name, d) => ({
    src: `fn ${name}(k) {
    let acc = k
    let outer = fn() {
        let inner = fn() { return acc }
        return inner
    }
    let acc = [outer, k % ${d}]
    let inner = outer()
    return inner()[1] * 3
}`,
    value: (k) => (k % d) * 3,
  }),
  // Cycles made inside map and reduce callbacks.
  (name, d) => ({
    src: `fn ${name}(k) {
    let xs = map([1, 2, 3], fn(x) {
        let me = 0
        let me = fn() { return me }
        return x * (k % ${d})
    })
    return reduce(xs, fn(a, b) {
        let loop = [a]
        let back = fn() { return loop }
        let loop = push(loop, back)
        return a + b
    }, 0)
}`,
    value: (k) => 6 * (k % d),
  }),
];

// A kept cycle: a counter whose state cell and whose own array hold each other's closures.
const KEEP = (name) => `fn ${name}(k) {
    let n = k
    let self = 0
    let step = fn() {
        let n = n + 1
        return n + length(self) - 1
    }
    let self = [step]
    return step
}`;

function program(seed) {
  const r = rng(seed);
  const int = (n) => Math.floor(r() * n);
  const nshapes = 2 + int(4);
  const makers = [];
  const out = [`# gen-cycles seed ${seed}: reference cycles made in a loop, some kept, all checked`];
  for (let i = 0; i < nshapes; i++) {
    const shape = SHAPES[int(SHAPES.length)](`mk_${i}`, 3 + int(10));
    makers.push({ name: `mk_${i}`, value: shape.value });
    out.push(shape.src);
  }
  out.push(KEEP("keep_one"));
  const iterations = 300 + int(2200);
  const keepEvery = 5 + int(40);
  const dropAt = int(iterations);
  let total = 0;
  let kept = [];
  for (let i = 0; i < iterations; i++) {
    for (const m of makers) total += m.value(i);
    if (i === dropAt) kept = [];
    if (i % keepEvery === 0) kept.push(i);
  }
  // Each kept counter is called twice: k + 1, then k + 2.
  const check = kept.reduce((a, k) => a + (k + 1) + (k + 2), 0);
  out.push(`let keep = []
let total = 0
let i = 0
while i < ${iterations} {
    let total = total${makers.map((m) => ` + ${m.name}(i)`).join("")}
    if i == ${dropAt} {
        let keep = []
    }
    if i % ${keepEvery} == 0 {
        let keep = push(keep, keep_one(i))
    }
    let i = i + 1
}
assert(total == ${total}, "total")
let check = 0
for f in keep {
    let check = check + f()
}
for f in keep {
    let check = check + f()
}
assert(check == ${check}, "kept counters")
print total
print check
`);
  return out.join("\n");
}

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const seed = Number(opt("--seed", "1"));
const count = Number(opt("--count", "10"));
const dir = opt("--out", undefined);
if (!dir || !Number.isInteger(seed) || !Number.isInteger(count) || count < 0) {
  process.stderr.write("usage: gen-cycles.mjs --seed N --count N --out DIR\n");
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
for (let i = 0; i < count; i++) writeFileSync(join(dir, `cycles_${seed}_${i}.wsp`), program(seed * 1000 + i));
