// The conformance corpus on bin/wvm: exact stdout, exit status and first stderr line (without
// the `FILE: ` prefix) for every run/NAME.whbc run with the arguments `a1` and `b 2`; the
// portable switch-dispatch build must agree with the computed-goto one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, RUN_CORPUS, WVM, WVM_SWITCH, checkCase } from "./wvm-run";

const names = readdirSync(RUN_CORPUS)
  .filter((f) => f.endsWith(".whbc"))
  .map((f) => f.slice(0, -5))
  .sort();


test("the corpus is there", () => {
  assert.ok(names.length >= 200, `only ${names.length} programs`);
});

for (const name of names) {
  test(`run/${name}`, () => {
    checkCase(WVM, name);
  });
}

test("the switch-dispatch build passes the corpus too", () => {
  const made = spawnSync("make", ["-s", "-C", join(ROOT, "vm-c"), "switch"], { encoding: "utf8" });
  assert.equal(made.status, 0, made.stderr);
  for (const name of names) checkCase(WVM_SWITCH, name);
});
