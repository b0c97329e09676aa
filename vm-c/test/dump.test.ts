// `wvm --dump` and the verifier against the TypeScript tools (docs/bytecode-tools.md): the same
// listing for every corpus file and for freshly compiled generated programs, and the same
// refusal message for seeded mutations of corpus files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { readWhbc } from "../../compiler/src/whbc";
import { disassemble } from "../../compiler/src/disasm";
import { ROOT, RUN_CORPUS, WVM, compileToFile, mutate, rng, runSync, scratchDir } from "./wvm-run";

const corpus = readdirSync(RUN_CORPUS)
  .filter((f) => f.endsWith(".whbc"))
  .sort()
  .map((f) => join(RUN_CORPUS, f));

function tsListing(path: string): string {
  const r = readWhbc(new Uint8Array(readFileSync(path)));
  assert.ok(r.ok, `${path}: ${!r.ok && r.error}`);
  return disassemble(r.file);
}

test("--dump prints the TypeScript disassembler's listing for every corpus file", () => {
  assert.ok(corpus.length >= 200);
  for (const path of corpus) {
    const r = runSync(WVM, ["--dump", path]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, tsListing(path), path);
  }
});

test("--dump agrees on generated programs compiled by our compiler", () => {
  const dir = join(scratchDir(), "generated");
  mkdirSync(dir, { recursive: true });
  const gen = spawnSync(process.execPath, [join(ROOT, "test-fixtures/tools/gen-wsp.mjs"), "--seed", "4242", "--count", "40", "--mode", "ok", "--out", dir], {
    encoding: "utf8",
  });
  assert.equal(gen.status, 0, gen.stderr);
  const sources = readdirSync(dir).filter((f) => f.endsWith(".wsp"));
  assert.ok(sources.length >= 40);
  for (const f of sources) {
    const path = compileToFile(readFileSync(join(dir, f), "utf8"), f);
    const r = runSync(WVM, ["--dump", path]);
    assert.equal(r.stdout, tsListing(path), f);
  }
});

test("an invalid file: the verifier's message on stderr, status 1, nothing on stdout", () => {
  const path = join(scratchDir(), "short.whbc");
  writeFileSync(path, Buffer.from("WHB"));
  for (const args of [["--dump", path], [path]]) {
    const r = runSync(WVM, args);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, `${path}: Error: Invalid bytecode: file too short\n`);
  }
});

test("seeded mutations: wvm refuses exactly the files the TypeScript verifier refuses, with its message", () => {
  const dir = join(scratchDir(), "mutants-verify");
  mkdirSync(dir, { recursive: true });
  const next = rng(20260101);
  const files: string[] = [];
  const expected = new Map<string, string>();
  for (let i = 0; i < 3000; i++) {
    const src = new Uint8Array(readFileSync(corpus[next() % corpus.length]));
    const bytes = mutate(src, next);
    const path = join(dir, `m${i}.whbc`);
    writeFileSync(path, bytes);
    files.push(path);
    const r = readWhbc(bytes);
    expected.set(path, r.ok ? `${path}: ok` : `${path}: Error: ${r.error}`);
  }
  let refused = 0;
  for (let i = 0; i < files.length; i += 500) {
    const batch = files.slice(i, i + 500);
    const r = runSync(WVM, ["--verify-only", ...batch]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines.length, batch.length);
    batch.forEach((path, j) => {
      assert.equal(lines[j], expected.get(path));
      if (!lines[j].endsWith(": ok")) refused++;
    });
  }
  // The mutations must exercise both sides.
  assert.ok(refused > 1000 && refused < files.length - 300, `refused ${refused}`);
});
