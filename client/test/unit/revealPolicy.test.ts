// An instruction's source line is scrolled to only when it is off screen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { needsScroll } from "../../src/bytecode/revealPolicy";

test("a line on screen is not scrolled to; one above, below or in a folded gap is", () => {
  const visible = [{ start: 10, end: 20 }, { start: 30, end: 40 }];
  assert.equal(needsScroll(10, visible), false);
  assert.equal(needsScroll(15, visible), false);
  assert.equal(needsScroll(40, visible), false);
  assert.equal(needsScroll(9, visible), true);
  assert.equal(needsScroll(25, visible), true);
  assert.equal(needsScroll(41, visible), true);
  assert.equal(needsScroll(0, []), true);
});
