// Golden disassembly listings: each test-fixtures/disasm/NAME.wsp (compiled) or NAME.whbc (read)
// has its expected listing in NAME.dis. Regenerate with `UPDATE_GOLDEN=1 npm test -- disasm`,
// then review the diff like code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../src/compiler";
import { readWhbc, writeWhbc, WhbcFile } from "../src/whbc";
import { findWvm } from "../src/cli-bytecode";
import { disassemble, disassembleStructured } from "../src/disasm";
import { OPCODES } from "../src/opcodes";

const DIR = join(__dirname, "../../test-fixtures/disasm");
const update = process.env.UPDATE_GOLDEN === "1";

function load(file: string): WhbcFile {
  if (file.endsWith(".whbc")) {
    const r = readWhbc(new Uint8Array(readFileSync(join(DIR, file))));
    if (!r.ok) throw new Error(`${file}: ${r.error}`);
    return r.file;
  }
  const result = compile(readFileSync(join(DIR, file), "utf8"));
  if (!result.file) throw new Error(`${file}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return result.file;
}

const inputs = readdirSync(DIR)
  .filter((f) => f.endsWith(".wsp") || f.endsWith(".whbc"))
  .sort();

for (const input of inputs) {
  test(`golden listing: ${input}`, () => {
    const actual = disassemble(load(input));
    const golden = join(DIR, input.replace(/\.(wsp|whbc)$/, ".dis"));
    if (update || !existsSync(golden)) {
      writeFileSync(golden, actual);
      if (!update) assert.fail(`${golden} did not exist; written — review and commit it`);
      return;
    }
    assert.equal(actual, readFileSync(golden, "utf8"));
  });
}

test("the goldens together use every opcode", () => {
  const used = new Set<string>();
  for (const input of inputs) for (const c of disassembleStructured(load(input))) for (const i of c.instructions) used.add(i.name);
  const missing = OPCODES.map((o) => o.name).filter((n) => !used.has(n));
  assert.deepEqual(missing, []);
});

test("listing format: padding, repeated lines, no trailing spaces", () => {
  for (const input of inputs) {
    const text = disassemble(load(input));
    assert.ok(text.endsWith("\n") && !text.endsWith("\n\n"), input);
    for (const line of text.split("\n")) {
      assert.ok(!/ $/.test(line), `${input}: trailing space in ${JSON.stringify(line)}`);
      if (/^\d{4}/.test(line)) assert.match(line, /^\d{4,} (?:[ \d]{3}\d|\d{5,}|   \|) [A-Z_]+(?:$| +\S)/, line);
    }
  }
});

test("the structured form resolves constants, jump targets, calls and captures", () => {
  const result = compile("let k = 2\nlet f = fn(x) {\n    return x * k\n}\nif k > 1 {\n    print f(3)\n}\n");
  assert.ok(result.file);
  const [main, lambda] = disassembleStructured(result.file);
  assert.equal(main.name, "<main>");
  assert.equal(lambda.name, "__lambda_2_0");
  const jump = main.instructions.find((i) => i.name === "JUMP_IF_FALSE")!;
  assert.ok(main.instructions.some((i) => i.offset === jump.target), "a jump target starts an instruction");
  const call = main.instructions.find((i) => i.name === "CALL")!;
  assert.deepEqual(call.call, { name: "f", argc: 1 });
  assert.equal(call.line, 6);
  const push = main.instructions[0];
  assert.deepEqual(push.constant, { index: 0, value: { kind: "number", value: 2 }, text: "'2'" });
  const closure = main.instructions.find((i) => i.name === "MAKE_CLOSURE")!;
  assert.equal(closure.closure!.chunk, "__lambda_2_0");
  assert.deepEqual(closure.closure!.captures, []);
  // Instructions tile the code exactly.
  for (const c of [main, lambda]) {
    let offset = 0;
    for (const i of c.instructions) {
      assert.equal(i.offset, offset);
      offset += i.size;
    }
    assert.equal(offset, c.codeLength);
  }
});

// The C VM prints the same listing and refuses broken files with the same message
// (docs/bytecode-tools.md is the contract of both); checked when bin/wvm is built.
const wvm = findWvm();
const noVm = wvm === null ? "bin/wvm not built (npm run build needs cc)" : false;

function wvmDump(bytes: Uint8Array): { status: number | null; stdout: string; stderr: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "whispem-dump-"));
  const path = join(dir, "x.whbc");
  try {
    writeFileSync(path, bytes);
    const r = spawnSync(wvm!, ["--dump", path], { encoding: "utf8" });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, path };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("wvm --dump prints the same listings as the disassembler", { skip: noVm }, () => {
  for (const input of inputs) {
    const file = load(input);
    const r = wvmDump(writeWhbc(file));
    assert.equal(r.status, 0, `${input}: ${r.stderr}`);
    assert.equal(r.stdout, disassemble(file), input);
  }
});

test("wvm refuses mutated files with the reader's message", { skip: noVm }, () => {
  const corpus = join(__dirname, "../../test-fixtures/conformance/run");
  const files = readdirSync(corpus)
    .filter((f) => f.endsWith(".whbc"))
    .sort()
    .map((f) => new Uint8Array(readFileSync(join(corpus, f))));
  let seed = 99;
  const next = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 150; i++) {
    const bytes = files[i % files.length].slice();
    let input = bytes;
    if (i % 3 === 0) input = bytes.slice(0, next(bytes.length));
    else for (let j = 0; j <= next(3); j++) bytes[next(bytes.length)] = next(256);
    const ours = readWhbc(input);
    const theirs = wvmDump(input);
    if (ours.ok) assert.equal(theirs.status, 0, `case ${i}: wvm refused ${theirs.stderr}`);
    else assert.equal(theirs.stderr.split("\n")[0], `${theirs.path}: Error: ${ours.error}`, `case ${i}`);
  }
});
