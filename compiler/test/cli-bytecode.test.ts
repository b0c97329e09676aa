// The `compile`, `dump` and `run` subcommands: outputs, files written, messages and exit statuses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileCommand, dumpCommand, findWvm, CliOutput } from "../src/cli-bytecode";
import { compile } from "../src/compiler";
import { disassemble } from "../src/disasm";
import { checkText } from "../src/cli-check";

const RUN = join(__dirname, "../../test-fixtures/conformance/run");

function capture(): CliOutput & { out: string; err: string } {
  const c = {
    out: "",
    err: "",
    stdout(t: string) {
      c.out += t;
    },
    stderr(t: string) {
      c.err += t;
    },
  };
  return c;
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), "whispem-cli-"));
}

test("compile writes the bytecode beside the source, or to -o", () => {
  const dir = scratch();
  try {
    const src = join(dir, "prog.wsp");
    const text = readFileSync(join(RUN, "closures.wsp"), "utf8");
    writeFileSync(src, text);
    const io = capture();
    assert.equal(compileCommand([src], io), 0);
    assert.equal(io.err, "");
    assert.deepEqual(new Uint8Array(readFileSync(join(dir, "prog.whbc"))), new Uint8Array(readFileSync(join(RUN, "closures.whbc"))));
    const other = join(dir, "other.whbc");
    assert.equal(compileCommand([src, "-o", other], capture()), 0);
    assert.deepEqual(readFileSync(other), readFileSync(join(dir, "prog.whbc")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("compile reports the first error as FILE: [line L, col C] Error: MESSAGE and writes nothing", () => {
  const dir = scratch();
  try {
    const src = join(dir, "bad.wsp");
    writeFileSync(src, "print 1\nbreak\n");
    const io = capture();
    assert.equal(compileCommand([src], io), 1);
    assert.equal(io.err.split("\n")[0], `${src}: [line 2, col 0] Error: 'break' used outside of a loop`);
    assert.ok(!existsSync(join(dir, "bad.whbc")));
    writeFileSync(src, "let x = (1\n");
    const io2 = capture();
    assert.equal(compileCommand([src], io2), 1);
    assert.equal(io2.err.split("\n")[0], `${src}: [line 1, col 11] Error: Expected ')', found newline`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("compile of a missing file and bad usage", () => {
  const io = capture();
  assert.equal(compileCommand(["/nonexistent/x.wsp"], io), 1);
  assert.equal(io.err, "Cannot read '/nonexistent/x.wsp': No such file or directory\n");
  assert.equal(compileCommand([], capture()), 2);
  assert.equal(compileCommand(["a.wsp", "-o"], capture()), 2);
});

test("dump lists a source file and a bytecode file the same way", () => {
  const io = capture();
  assert.equal(dumpCommand([join(RUN, "control.wsp")], io), 0);
  const expected = disassemble(compile(readFileSync(join(RUN, "control.wsp"), "utf8")).file!);
  assert.equal(io.out, expected);
  const io2 = capture();
  assert.equal(dumpCommand([join(RUN, "control.whbc")], io2), 0);
  assert.equal(io2.out, expected);
});

test("dump refuses a broken .whbc with the verifier's message", () => {
  const dir = scratch();
  try {
    const bad = join(dir, "bad.whbc");
    const bytes = readFileSync(join(RUN, "control.whbc"));
    writeFileSync(bad, bytes.subarray(0, 40));
    const io = capture();
    assert.equal(dumpCommand([bad], io), 1);
    assert.match(io.err, new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: Error: Invalid bytecode: unexpected end of bytecode at offset \\d+ \\(need \\d+ bytes, have \\d+\\)\n$`));
    assert.equal(io.out, "");
    writeFileSync(bad, "not bytecode at all");
    const io2 = capture();
    assert.equal(dumpCommand([bad], io2), 1);
    assert.equal(io2.err, `${bad}: Error: Invalid bytecode: bad magic bytes (not a .whbc file)\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs `whispem run` in a child process (stdin empty) through the subcommand's own entry. */
function run(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const entry = 'require("./compiler/src/cli-bytecode").runCommand(process.argv.slice(1)).then((s) => process.exit(s))';
  return spawnSync(process.execPath, ["--import", "tsx", "-e", entry, "--", ...args], {
    cwd: join(__dirname, "../.."),
    input: "",
    encoding: "utf8",
    env,
  });
}

test("run without a built VM says how to build it", () => {
  const r = run([join(RUN, "closures.wsp")], { ...process.env, WHISPEM_WVM: "/nonexistent/wvm" });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\$WHISPEM_WVM \(\/nonexistent\/wvm\) does not exist/);
  assert.equal(r.stdout, "");
});

const wvm = findWvm();

test("run passes stdout, stderr and the exit status through", { skip: wvm === null ? "bin/wvm not built (npm run build needs cc)" : false }, () => {
  for (const name of ["closures", "errors_div", "exit_code"]) {
    const src = join(RUN, `${name}.wsp`);
    const r = run([src, "a1", "b 2"]);
    assert.equal(r.stdout, readFileSync(join(RUN, `${name}.stdout`), "utf8"), name);
    assert.equal(r.status, Number(readFileSync(join(RUN, `${name}.status`), "utf8").trim()), name);
    const expectedErr = readFileSync(join(RUN, `${name}.stderr`), "utf8").trim();
    // The VM's first stderr line names the source file, not the temporary bytecode file.
    if (expectedErr) assert.equal(r.stderr.split("\n")[0], `${src}: ${expectedErr}`, name);
    else assert.equal(r.stderr, "", name);
  }
});

test("run --vm wasm: the WebAssembly VM gives the same stdout, stderr and status; a .whbc runs as it is", () => {
  for (const name of ["closures", "errors_div", "exit_code"]) {
    for (const file of [join(RUN, `${name}.wsp`), join(RUN, `${name}.whbc`)]) {
      const r = run(["--vm", "wasm", file, "a1", "b 2"]);
      assert.equal(r.stdout, readFileSync(join(RUN, `${name}.stdout`), "utf8"), file);
      assert.equal(r.status, Number(readFileSync(join(RUN, `${name}.status`), "utf8").trim()), file);
      const expectedErr = readFileSync(join(RUN, `${name}.stderr`), "utf8").trim();
      if (expectedErr) assert.equal(r.stderr.split("\n")[0], `${file}: ${expectedErr}`, file);
      else assert.equal(r.stderr, "", file);
    }
  }
});

test("run --vm takes only native or wasm", () => {
  const r = run(["--vm", "java", join(RUN, "closures.wsp")]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--vm takes native or wasm, not 'java'/);
});

test("run of a program that does not compile reports it and does not start the VM", () => {
  const dir = scratch();
  try {
    const src = join(dir, "bad.wsp");
    writeFileSync(src, "continue\n");
    const r = run([src]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr.split("\n")[0], `${src}: [line 1, col 0] Error: 'continue' used outside of a loop`);
    assert.equal(r.stdout, "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("check reports compile errors once the syntax is sound", () => {
  assert.deepEqual(checkText("print 1\nbreak\n"), [
    { line: 2, column: 0, endLine: 2, endColumn: 6, severity: "error", code: "WSP2001", message: "'break' used outside of a loop" },
  ]);
  assert.deepEqual(checkText("while true {\n  break\n}\n"), []);
  // With a syntax error, only the syntax diagnostics are reported.
  assert.ok(checkText("break\nlet = 1\n").every((d) => d.code.startsWith("WSP1")));
});

const BUNDLE = join(__dirname, "../../out/whispem.js");

test("the bundled CLI dispatches compile, dump and run", { skip: existsSync(BUNDLE) ? false : "out/whispem.js not built" }, () => {
  const dir = scratch();
  try {
    const src = join(dir, "hello.wsp");
    writeFileSync(src, 'print f"hello {args()[0]}"\nexit(4)\n');
    const cli = (...args: string[]) => spawnSync(process.execPath, [BUNDLE, ...args], { input: "", encoding: "utf8" });
    assert.equal(cli("compile", src).status, 0);
    assert.ok(existsSync(join(dir, "hello.whbc")));
    const dump = cli("dump", join(dir, "hello.whbc"));
    assert.equal(dump.status, 0);
    assert.ok(dump.stdout.startsWith("== <main> == params=0"), dump.stdout);
    if (findWvm() !== null) {
      // From out/, the bundle finds bin/wvm one level up.
      const r = cli("run", src, "you");
      assert.equal(r.stdout, "hello you\n");
      assert.equal(r.status, 4);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
