// wvm under AddressSanitizer + UndefinedBehaviorSanitizer (`make -C vm-c sanitize`): the corpus and
// generated programs with leak checks, then seeded mutated .whbc files (three quarters byte-level:
// flips, truncations, insertions, copies; a quarter well-formed: operands, opcodes, constants), all
// verified in a few processes; some of those that verify (and cannot write files) actually run,
// with a step limit and a timeout. Zero sanitizer reports and no signals; a run stopped by the
// limit or the timeout is not a failure. Sizes: `npm test` generates 15 programs per mode and
// 2 000 mutants and runs 400 of them; `npm run soak` (WHISPEM_SOAK=1) 60, 16 000 and 3 000.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { allWithoutReset, conformanceInOneSession, golden, runRepl, transcript, transcriptNames } from "../../compiler/test/replRun";
import { ROOT, RUN_CORPUS, WVM_ASAN, checkCase, compileToFile, mutate, mutateStructured, rng, runAsync, runSync, scratchDir } from "./wvm-run";

const SOAK = process.env.WHISPEM_SOAK === "1";
const GENERATED = SOAK ? 60 : 15;
const MUTANTS = SOAK ? 16_000 : 2_000;
const RUNS = SOAK ? 3_000 : 400;

const SANITIZER_REPORT = /AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:/;
// Big allocations fail cleanly (wvm then reports "out of memory") instead of exhausting the machine.
const FUZZ_ENV = {
  ...process.env,
  ASAN_OPTIONS: "detect_leaks=0:allocator_may_return_null=1:max_allocation_size_mb=256:abort_on_error=0",
  UBSAN_OPTIONS: "print_stacktrace=1:halt_on_error=1",
};

const corpus = readdirSync(RUN_CORPUS)
  .filter((f) => f.endsWith(".whbc"))
  .sort();

test("build the sanitizer binary", () => {
  const r = spawnSync("make", ["-s", "-C", join(ROOT, "vm-c"), "sanitize"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});

test("the corpus under ASan+UBSan (leak checking on): exact results, no reports", () => {
  for (const f of corpus) assert.doesNotMatch(checkCase(WVM_ASAN, f.slice(0, -5)), SANITIZER_REPORT, f);
});

test("generated programs under ASan+UBSan with leak checking: no reports", () => {
  for (const mode of ["ok", "fail"]) {
    const dir = join(scratchDir(), `asan-gen-${mode}`);
    mkdirSync(dir, { recursive: true });
    const gen = spawnSync(process.execPath, [join(ROOT, "test-fixtures/tools/gen-wsp.mjs"), "--seed", "777", "--count", String(GENERATED), "--mode", mode, "--out", dir], {
      encoding: "utf8",
    });
    assert.equal(gen.status, 0, gen.stderr);
    for (const f of readdirSync(dir).filter((f) => f.endsWith(".wsp"))) {
      const r = runSync(WVM_ASAN, [compileToFile(readFileSync(join(dir, f), "utf8"), f), "a1", "b 2"]);
      assert.doesNotMatch(r.stderr, SANITIZER_REPORT, f);
      assert.equal(r.signal, null, f);
    }
  }
});

// Programs that build reference cycles: before the cycle collector (wcycle.c), each of these
// leaked what its cycles held, and LeakSanitizer said so.
const CYCLES = join(ROOT, "test-fixtures/cycles");
const CYCLE_STATUS: Record<string, number> = { "error-exit": 1, "exit-status": 3 };

test("programs that build cycles (test-fixtures/cycles) under ASan+UBSan with leak checking: their output, no reports", () => {
  const names = readdirSync(CYCLES).filter((f) => f.endsWith(".wsp"));
  assert.ok(names.length >= 6);
  for (const f of names) {
    const name = f.slice(0, -4);
    const r = runSync(WVM_ASAN, [compileToFile(readFileSync(join(CYCLES, f), "utf8"), name)]);
    assert.doesNotMatch(r.stderr, SANITIZER_REPORT, f);
    assert.equal(r.signal, null, f);
    assert.equal(r.status, CYCLE_STATUS[name] ?? 0, `${f}: ${r.stderr}`);
    assert.equal(r.stdout, readFileSync(join(CYCLES, `${name}.out`), "utf8"), f);
  }
});

test("generated cycle-building programs (gen-cycles.mjs) under ASan+UBSan with leak checking: they check themselves, no reports", () => {
  const dir = join(scratchDir(), "asan-cycles");
  const gen = spawnSync(process.execPath, [join(ROOT, "test-fixtures/tools/gen-cycles.mjs"), "--seed", "777", "--count", "16", "--out", dir], { encoding: "utf8" });
  assert.equal(gen.status, 0, gen.stderr);
  const sources = readdirSync(dir).filter((f) => f.endsWith(".wsp"));
  assert.equal(sources.length, 16);
  for (const f of sources) {
    const r = runSync(WVM_ASAN, [compileToFile(readFileSync(join(dir, f), "utf8"), f)]);
    assert.doesNotMatch(r.stderr, SANITIZER_REPORT, f);
    assert.equal(r.stderr, "", f);
    assert.equal(r.status, 0, f);
  }
});

test("REPL sessions on the sanitizer binary: the transcripts, the corpus in one session with and without resets", async () => {
  for (const name of transcriptNames()) {
    const { input, golden: path } = transcript(name);
    const r = await runRepl(input, WVM_ASAN);
    assert.doesNotMatch(r.stderr, SANITIZER_REPORT, name);
    assert.equal(golden(r), readFileSync(path, "utf8"), name);
  }
  const { problems } = await conformanceInOneSession(WVM_ASAN);
  assert.deepEqual(problems, []);
  const all = await allWithoutReset(WVM_ASAN);
  assert.doesNotMatch(all.stderr, SANITIZER_REPORT);
  assert.doesNotMatch(all.stderr, /session ended|closed the control channel/);
  assert.match(all.stdout, /the end\n\nBye!\n$/);
  assert.equal(all.status, 0);
});

test(`${MUTANTS} mutated files: no crash, no sanitizer report`, async (t) => {
  const dir = join(scratchDir(), "fuzz");
  mkdirSync(dir, { recursive: true });
  const next = rng(0x5eed);
  const sources = corpus.map((f) => new Uint8Array(readFileSync(join(RUN_CORPUS, f))));
  const files: string[] = [];
  for (let i = 0; i < (MUTANTS * 3) / 4; i++) {
    const path = join(dir, `f${i}.whbc`);
    writeFileSync(path, mutate(sources[next() % sources.length], next));
    files.push(path);
  }
  // And well-formed mutants (operands, opcodes within a layout, constants), most of which run.
  for (let i = 0; files.length < MUTANTS; i++) {
    const bytes = mutateStructured(sources[next() % sources.length], next);
    if (!bytes) continue;
    const path = join(dir, `s${i}.whbc`);
    writeFileSync(path, bytes);
    files.push(path);
  }
  // Bulk: load + verify + link (which runs the stack analysis) in a few processes.
  const verified: string[] = [];
  for (let i = 0; i < files.length; i += 1000) {
    const batch = files.slice(i, i + 1000);
    const r = runSync(WVM_ASAN, ["--verify-only", ...batch], "", FUZZ_ENV);
    assert.doesNotMatch(r.stderr, SANITIZER_REPORT);
    assert.equal(r.status, 0, r.stderr.slice(0, 2000));
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines.length, batch.length);
    batch.forEach((f, j) => {
      assert.ok(lines[j].startsWith(`${f}: `), lines[j]);
      if (lines[j] === `${f}: ok`) verified.push(f);
    });
  }
  // Run those that verify, except programs that could write files (a mutated path could point anywhere).
  // Each run pays ASan's start-up: RUNS of them, spread over the candidates.
  const candidates = verified.filter((f) => !readFileSync(f).includes("write_"));
  assert.ok(candidates.length >= MUTANTS / 4, `only ${candidates.length} runnable mutants`);
  const step = candidates.length / RUNS;
  const runnable = Array.from({ length: Math.min(RUNS, candidates.length) }, (_, j) => candidates[Math.floor(j * step)]);
  const cwd = join(scratchDir(), "fuzz-cwd");
  mkdirSync(cwd, { recursive: true });
  let finished = 0;
  let stopped = 0;
  const failures: string[] = [];
  let cursor = 0;
  const worker = async () => {
    while (cursor < runnable.length) {
      const f = runnable[cursor++];
      const r = await runAsync(WVM_ASAN, ["--max-steps", "200000", f, "a1", "b 2"], { timeoutMs: 10000, env: FUZZ_ENV, cwd });
      if (r.timedOut || r.status === 124) stopped++;
      else finished++;
      if (SANITIZER_REPORT.test(r.stderr) || (r.signal && !r.timedOut)) failures.push(`${f}: ${r.signal ?? r.status}\n${r.stderr.slice(0, 3000)}`);
    }
  };
  await Promise.all([worker(), worker()]);
  t.diagnostic(`${files.length} files, ${verified.length} verified, ${runnable.length} run: ${finished} finished, ${stopped} stopped by the step limit or timeout`);
  assert.deepEqual(failures, []);
  assert.ok(finished > runnable.length / 2, `finished ${finished}, stopped ${stopped}`);
});
