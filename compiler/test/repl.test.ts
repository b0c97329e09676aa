// `whispem repl` with entries piped in: each test-fixtures/repl/NAME.in is fed to the REPL's
// stdin and what comes out is compared with NAME.golden (stdout, stderr, exit status).
// Regenerate with `UPDATE_GOLDEN=1 npm test -- repl.test`, then review the diff.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findWvm } from "../src/cli-bytecode";
import { judgeEntry } from "../src/repl";
import { CLI, conformanceInOneSession, golden, runRepl, transcript, transcriptNames } from "./replRun";

const update = process.env.UPDATE_GOLDEN === "1";
const ready = findWvm() !== null && existsSync(CLI);

for (const name of transcriptNames()) {
  test(`repl transcript ${name}`, { skip: !ready }, async () => {
    const { input, golden: path } = transcript(name);
    const got = golden(await runRepl(input));
    if (update || !existsSync(path)) writeFileSync(path, got);
    assert.equal(got, readFileSync(path, "utf8"));
  });
}

// The same transcripts on the WebAssembly VM: its session runs over the host's control channel
// (vm-wasm/ctlBridge.ts), with the same output, errors and exit status as the native VM's.
const wasmReady = existsSync(CLI) && existsSync(join(__dirname, "../../bin/wvm.wasm"));
for (const name of transcriptNames()) {
  test(`repl transcript ${name} on the WebAssembly VM`, { skip: !wasmReady }, async () => {
    const { input, golden: path } = transcript(name);
    const got = golden(await runRepl(input, undefined, { ...process.env, WHISPEM_VM: "wasm" }));
    assert.equal(got, readFileSync(path, "utf8"));
  });
}

test("every conformance program :load-ed into one session (reset between) prints what a standalone run prints", { skip: !ready }, async (t) => {
  const { problems, count } = await conformanceInOneSession();
  t.diagnostic(`${count} programs`);
  assert.ok(count > 150, `only ${count} programs`);
  assert.deepEqual(problems, []);
});

test("every conformance program :load-ed into one session on the WebAssembly VM prints what a standalone run prints", { skip: !wasmReady }, async (t) => {
  const { problems, count } = await conformanceInOneSession(undefined, { ...process.env, WHISPEM_VM: "wasm" });
  t.diagnostic(`${count} programs`);
  assert.ok(count > 150, `only ${count} programs`);
  assert.deepEqual(problems, []);
});

test("entries: open blocks and arrays continue, else continues, a hopeless line is an error at once", () => {
  assert.equal(judgeEntry("if x > 0 {").kind, "more");
  assert.equal(judgeEntry("if x > 0 {\n  print 1\n} else {").kind, "more");
  assert.equal(judgeEntry("fn f(x) {\nif x > 0 {\nreturn 1\n}").kind, "more");
  assert.equal(judgeEntry("let a = [1,").kind, "more");
  assert.equal(judgeEntry("let a = [1,\n2]").kind, "complete");
  const bad = judgeEntry("let = 3");
  assert.equal(bad.kind, "error");
  assert.equal(bad.kind === "error" && bad.diagnostic.message, "Expected identifier, found '='");
  assert.equal(judgeEntry("}").kind, "error");
  const expr = judgeEntry("x * 2");
  assert.equal(expr.kind === "complete" && expr.source, "print x * 2\n");
});

test("in a pseudo-terminal: editing with backspace, history recall, Tab completion, a block, Ctrl-D, the history file", { skip: !ready || spawnSync("python3", ["-c", "import pty"]).status !== 0 ? "needs python3 (pty)" : false }, async () => {
  const home = mkdtempSync(join(tmpdir(), "whispem-repl-home-"));
  try {
    // The driver waits for each text on the screen before it types on (no fixed sleeps).
    const r = await new Promise<{ out: string; status: number | null }>((resolve) => {
      const child = spawn("python3", [join(__dirname, "repl-pty.py"), process.execPath, CLI], {
        stdio: ["pipe", "pipe", "pipe"],
        env: { ...process.env, HOME: home },
        detached: true, // its own session: the pseudo-terminal becomes the REPL's controlling terminal
      });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (out += d));
      child.on("close", (status) => resolve({ out, status }));
    });
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /\[status 0\]\n$/);
    assert.match(r.out, /print xylophone/); // completed by Tab
    assert.equal(readFileSync(join(home, ".whispem_repl_history"), "utf8"), 'let x = 4\nprint x * 10\nprint x * 10\nlet xylophone = 7\nprint xylophone\nif x > 1 {\nprint "big"\n}\n');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
