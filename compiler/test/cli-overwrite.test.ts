// Issue 18: `whispem compile` never writes over a source and never through a symbolic link at the
// output path; `whispem fmt --check` fails on a file that does not parse.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileCommand } from "../src/cli-bytecode";
import { formatCommand } from "../src/cli-format";
import { compile } from "../src/compiler";

function capture() {
  const io = { out: "", err: "", stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

function folder(): string {
  return mkdtempSync(join(tmpdir(), "whispem-overwrite-"));
}

const SOURCE = "let a = 1\nprint a\n";

test("compile -o equal to the input is refused, the source kept", () => {
  const dir = folder();
  try {
    const src = join(dir, "p.wsp");
    writeFileSync(src, SOURCE);
    for (const target of [src, join(dir, ".", "p.wsp")]) {
      const io = capture();
      assert.notEqual(compileCommand([src, "-o", target], io), 0);
      assert.match(io.err, /refusing to write bytecode/);
      assert.equal(readFileSync(src, "utf8"), SOURCE);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("compile to any .wsp output, or to a link to the source, is refused", () => {
  const dir = folder();
  try {
    const src = join(dir, "p.wsp");
    const other = join(dir, "other.WSP");
    writeFileSync(src, SOURCE);
    writeFileSync(other, "print 2\n");
    const io = capture();
    assert.equal(compileCommand([src, "-o", other], io), 2);
    assert.match(io.err, /source file name/);
    assert.equal(readFileSync(other, "utf8"), "print 2\n");
    const link = join(dir, "p.whbc");
    symlinkSync(src, link);
    const io2 = capture();
    assert.equal(compileCommand([src], io2), 2);
    assert.match(io2.err, /its own source/);
    assert.equal(readFileSync(src, "utf8"), SOURCE);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("compile replaces a symbolic link at the output path, never writing its target", () => {
  const dir = folder();
  try {
    const src = join(dir, "p.wsp");
    writeFileSync(src, SOURCE);
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "precious");
    const out = join(dir, "p.whbc");
    symlinkSync(victim, out);
    assert.equal(readlinkSync(out), victim);
    const io = capture();
    assert.equal(compileCommand([src], io), 0, io.err);
    assert.equal(readFileSync(victim, "utf8"), "precious");
    assert.equal(lstatSync(out).isSymbolicLink(), false);
    assert.deepEqual(readFileSync(out), Buffer.from(compile(SOURCE).bytes!));
    // No temporary file left behind.
    assert.deepEqual(readdirSync(dir).sort(), ["p.whbc", "p.wsp", "victim.txt"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("fmt --check exits 1 with the syntax errors on a file that does not parse", () => {
  const dir = folder();
  try {
    const src = join(dir, "broken.wsp");
    writeFileSync(src, "let a = (1 +\nprint a\n");
    const io = capture();
    assert.equal(formatCommand([src, "--check"], io), 1);
    assert.match(io.err, /broken\.wsp:1:\d+: error WSP\d+: /);
    assert.match(io.err, /syntax errors/);
    const ok = join(dir, "ok.wsp");
    writeFileSync(ok, SOURCE);
    assert.equal(formatCommand([ok, "--check"], capture()), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
