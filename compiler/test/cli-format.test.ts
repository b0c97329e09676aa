// `whispem fmt`: stdout, --check and --write, through the CLI's subcommand table.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli";

function streams() {
  const o = { out: "", err: "" };
  return { o, s: { stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t) } };
}

const messy = "let  x=[1 ,2]\nif x{print x   }\n";
const tidy = "let x = [1, 2]\nif x { print x }\n";

test("fmt prints, checks and writes", async () => {
  const dir = mkdtempSync(join(tmpdir(), "whispem-fmt-"));
  try {
    const file = join(dir, "a.wsp");
    writeFileSync(file, messy);
    let { o, s } = streams();
    assert.equal(await main(["fmt", file], s), 0);
    assert.equal(o.out, tidy);
    assert.equal(readFileSync(file, "utf8"), messy, "printing leaves the file alone");

    ({ o, s } = streams());
    assert.equal(await main(["fmt", file, "--check"], s), 1);
    assert.match(o.err, /a\.wsp: not formatted/);
    assert.equal(o.out, "");

    ({ o, s } = streams());
    assert.equal(await main(["fmt", file, "--write"], s), 0);
    assert.equal(readFileSync(file, "utf8"), tidy);

    ({ o, s } = streams());
    assert.equal(await main(["fmt", "--check", file], s), 0);
    assert.equal(o.err, "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("fmt reports usage and unreadable files", async () => {
  let { o, s } = streams();
  assert.equal(await main(["fmt"], s), 2);
  assert.match(o.err, /usage: whispem fmt/);
  ({ o, s } = streams());
  assert.equal(await main(["fmt", "x.wsp", "--check", "--write"], s), 2);
  ({ o, s } = streams());
  assert.equal(await main(["fmt", "/nonexistent/x.wsp"], s), 1);
  assert.match(o.err, /^Cannot read '\/nonexistent\/x\.wsp': No such file or directory/);
});
