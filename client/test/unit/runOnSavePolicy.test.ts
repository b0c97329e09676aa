// Run on save: which saves run the file, when its output is shown, which programs read input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runsOnSave, showsOutput, usesInput } from "../../src/runOnSavePolicy";

test("only a save the user made runs the file, never an auto-save", () => {
  assert.equal(runsOnSave(1), true); // Manual
  assert.equal(runsOnSave(2), false); // AfterDelay
  assert.equal(runsOnSave(3), false); // FocusOut
  assert.equal(runsOnSave(undefined), false); // saved by another extension without a will-save event
});

test("the output is brought forward on failure by default, or as the setting says", () => {
  assert.equal(showsOutput(undefined, false), false);
  assert.equal(showsOutput("onFailure", false), false);
  assert.equal(showsOutput("onFailure", true), true);
  assert.equal(showsOutput("always", false), true);
  assert.equal(showsOutput("never", true), false);
});

test("a call of input() is found in code, not in comments or strings", () => {
  assert.equal(usesInput('let n = input("n? ")\nprint n\n'), true);
  assert.equal(usesInput("fn ask() {\n  return input()\n}\n"), true);
  assert.equal(usesInput('# input() would block\nprint "input() here"\n'), false);
  assert.equal(usesInput("print 1\n"), false);
});
