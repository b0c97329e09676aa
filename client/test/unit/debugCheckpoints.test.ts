// The adapter's checkpoint bookkeeping (checkpoints.ts): which one resumes a step, which are
// thinned past the bound, which end after going back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Checkpoint, Checkpoints } from "../../src/debug/adapter/checkpoints";

function filled(max: number, steps: number[]): Checkpoints<string> {
  const set = new Checkpoints<string>(max);
  steps.forEach((s, i) => {
    const e = set.entry(100 + i, s)!;
    e.control = `c${s}`;
  });
  return set;
}

const any = () => true;

test("the checkpoint for a step is the latest connected one at or before it", () => {
  const set = filled(16, [1, 40, 80, 120]);
  assert.equal(set.before(100, any)?.steps, 80);
  assert.equal(set.before(80, any)?.steps, 80);
  assert.equal(set.before(1, any)?.steps, 1);
  assert.equal(set.before(0, any), null);
  // Not yet connected: known from the live VM's event only.
  set.entry(999, 110);
  assert.equal(set.before(115, any)?.steps, 80);
  // A filter (stale hit counts) skips some.
  assert.equal(set.before(100, (e: Checkpoint<string>) => e.steps !== 80)?.steps, 40);
});

test("past the bound every other one of the older half goes, never the first", () => {
  const steps = Array.from({ length: 17 }, (_, i) => 1 + i * 10);
  const set = filled(16, steps);
  const gone = set.thin().map((e) => e.steps);
  assert.deepEqual(gone, [11, 31, 51, 71]);
  assert.equal(set.list().length, 13);
  assert.equal(set.list()[0].steps, 1);
  // The newer half is untouched: dense near the present.
  assert.deepEqual(set.list().slice(-9).map((e) => e.steps), [81, 91, 101, 111, 121, 131, 141, 151, 161]);
  assert.deepEqual(set.thin(), [], "within the bound nothing goes");
});

test("a checkpoint being resumed is not thinned", () => {
  const set = filled(4, [1, 10, 20, 30, 40, 50]);
  set.get(101)!.busy = true; // steps 10
  assert.deepEqual(set.thin().map((e) => e.steps), []);
  set.get(101)!.busy = false;
  assert.deepEqual(set.thin().map((e) => e.steps), [10]);
});

test("going back ends those after the step; one removed never comes back", () => {
  const set = filled(16, [1, 40, 80, 120]);
  assert.deepEqual(set.after(80).map((e) => e.steps), [120]);
  assert.equal(set.entry(103, 120), null, "its connection arriving late is refused");
  assert.deepEqual(set.list().map((e) => e.steps), [1, 40, 80]);
  assert.equal(set.clear().length, 3);
  assert.equal(set.size, 0);
});
