// Which `wvm` runs programs, and what the user is told when there is none.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { locateVm } from "../../src/vmLocator";

function extensionWith(vm: "executable" | "plain" | "none"): string {
  const dir = mkdtempSync(join(tmpdir(), "whispem-ext-"));
  if (vm !== "none") {
    mkdirSync(join(dir, "bin"));
    writeFileSync(join(dir, "bin", "wvm"), "#!/bin/sh\n");
    chmodSync(join(dir, "bin", "wvm"), vm === "executable" ? 0o755 : 0o644);
  }
  return dir;
}

test("the VM shipped in the extension is used by default", () => {
  const ext = extensionWith("executable");
  assert.deepEqual(locateVm("", ext), { path: join(ext, "bin", "wvm") });
  assert.deepEqual(locateVm(undefined, ext), { path: join(ext, "bin", "wvm") });
});

test("a missing shipped VM is explained with how to build it", () => {
  const r = locateVm("", extensionWith("none"));
  assert.ok("problem" in r);
  assert.match(r.problem, /does not exist/);
  assert.match(r.problem, /make -C vm-c/);
  assert.match(r.problem, /whispem\.vmPath/);
});

test("the setting wins and must name an absolute, executable file", () => {
  const ext = extensionWith("none");
  const other = extensionWith("executable");
  assert.deepEqual(locateVm(join(other, "bin", "wvm"), ext), { path: join(other, "bin", "wvm") });
  const relative = locateVm("bin/wvm", ext);
  assert.ok("problem" in relative && /absolute/.test(relative.problem));
  const plain = locateVm(join(extensionWith("plain"), "bin", "wvm"), ext);
  assert.ok("problem" in plain && /not executable/.test(plain.problem));
  const dir = locateVm(other, ext);
  assert.ok("problem" in dir && /not a file/.test(dir.problem));
});
