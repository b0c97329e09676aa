// The bytecode views' data (client/src/bytecode/viewModel.ts) on fixture files, broken ones
// included: golden views, the listing against the disassembler, byte ranges against the file,
// links (jumps, closures, lines), and agreement with the reader on every mutant of a file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../../../compiler/src/compiler";
import { disassemble } from "../../../compiler/src/disasm";
import { readWhbc } from "../../../compiler/src/whbc";
import { whbcLayout } from "../../../compiler/src/whbcLayout";
import { instructionBytes, lineIndex, listingOf, paletteIndex, rowAtByte, rowText, viewOfFile, viewOfSource, type BytecodeView, type Row } from "../../src/bytecode/viewModel";

const root = join(__dirname, "..", "..", "..");
const fixtures = join(root, "test-fixtures", "bytecode");
const update = process.env.UPDATE_GOLDEN === "1";

function read(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(fixtures, name)));
}

function range(r: { start: number; end: number } | undefined): string {
  return r ? `[${r.start},${r.end})` : "-";
}

/** The whole view as text: what each golden `*.view.txt` holds. */
function describe(view: BytecodeView): string {
  const out = [`error: ${view.error ?? "none"}`, `error bytes: ${range(view.errorBytes)}`, `error row: ${view.errorRow ?? "-"}`, `size: ${view.size}`];
  for (const c of view.chunks) {
    out.push(`chunk ${c.index} ${JSON.stringify(c.name)} params=${c.paramCount} code=${c.codeLength} instructions=${c.instructionCount} rows=${c.firstRow}+${c.rowCount} bytes=${range(c.bytes)}`);
    for (const k of c.constants) out.push(`  constant ${k.index} ${k.kind} ${k.text} ${range(k.bytes)}`);
  }
  view.rows.forEach((row, i) => {
    let links = "";
    if (row.kind === "instruction") {
      for (const o of row.operands) if (o.kind === "jump" || o.kind === "closure") links += ` => #${o.row}`;
      links = ` ${range(instructionBytes(view, row))}${links}`;
    }
    out.push(`#${i} ${rowText(row)}${links}`);
  });
  return out.join("\n") + "\n";
}

function instructionRows(view: BytecodeView): Extract<Row, { kind: "instruction" }>[] {
  return view.rows.filter((r): r is Extract<Row, { kind: "instruction" }> => r.kind === "instruction");
}

/** Links and ranges every view must satisfy, checked against the file's bytes. */
function checkView(view: BytecodeView, bytes: Uint8Array | null): void {
  const loaded = bytes ? readWhbc(bytes) : null;
  view.rows.forEach((row, i) => {
    const chunk = view.chunks[row.chunk];
    assert.ok(i >= chunk.firstRow && i < chunk.firstRow + chunk.rowCount, `row ${i} lies in its chunk's rows`);
    if (row.kind === "chunk") assert.equal(i, chunk.firstRow);
    if (row.kind === "instruction" || row.kind === "capture") assert.ok(lineIndex(view).get(row.line)?.includes(i), `row ${i} is listed under line ${row.line}`);
    if (row.kind !== "instruction") return;
    for (const o of row.operands) {
      if (o.kind === "jump" && o.row >= 0) {
        const target = view.rows[o.row];
        assert.ok(target.kind === "instruction" && target.chunk === row.chunk && target.offset === o.target, `jump at row ${i} links to its target`);
      }
      if (o.kind === "closure" && o.row >= 0) assert.equal(view.rows[o.row].kind, "chunk");
    }
    const where = instructionBytes(view, row);
    if (where) for (let at = where.start; at < where.end; at++) assert.equal(rowAtByte(view, at), i, `byte ${at} is in row ${i}`);
    if (bytes && where) {
      assert.equal(bytes[where.start], row.opcode, `row ${i}: the opcode byte is at the start of its range`);
      if (loaded?.ok) {
        const code = loaded.file.chunks[row.chunk].code;
        assert.deepEqual(bytes.subarray(where.start, where.end), code.subarray(row.offset, row.offset + row.size));
      }
    }
  });
  const listed = [...lineIndex(view).values()].reduce((n, rows) => n + rows.length, 0);
  assert.equal(listed, view.rows.filter((r) => r.kind !== "chunk").length, "each instruction and capture row is under exactly one line");
  if (bytes) {
    for (const c of view.chunks) {
      for (const k of c.constants) {
        assert.ok(k.bytes, "a file's constants have byte ranges");
        assert.equal(rowAtByte(view, k.bytes.start), -1, "a constant's bytes are no instruction's");
        assert.equal(bytes[k.bytes.start], { number: 0, bool: 1, string: 2, none: 3 }[k.kind], `constant ${k.index} of ${c.name} starts with its tag`);
      }
    }
  }
}

test("golden views of the fixture files, valid and broken", () => {
  const files = readdirSync(fixtures).filter((f) => f.endsWith(".whbc")).sort();
  assert.ok(files.length >= 8);
  for (const f of files) {
    const bytes = read(f);
    const view = viewOfFile(bytes);
    checkView(view, bytes);
    const golden = join(fixtures, f.replace(/\.whbc$/, ".view.txt"));
    const text = describe(view);
    if (update || !existsSync(golden)) writeFileSync(golden, text);
    assert.equal(text, readFileSync(golden, "utf8"), `${f}: the view differs from ${golden} (UPDATE_GOLDEN=1 to accept)`);
  }
});

test("a broken file's error is the reader's, with the bytes it is about inside the file", () => {
  for (const f of readdirSync(fixtures).filter((n) => n.endsWith(".whbc"))) {
    const bytes = read(f);
    const view = viewOfFile(bytes);
    const loaded = readWhbc(bytes);
    assert.equal(view.error, loaded.ok ? null : loaded.error, f);
    if (view.errorBytes) assert.ok(view.errorBytes.start <= bytes.length && view.errorBytes.end <= bytes.length, f);
  }
  // Verification failures keep the chunks (shown unverified) and point at the failing instruction.
  const badJump = viewOfFile(read("bad-jump.whbc"));
  assert.match(badJump.error!, /in chunk 'count_to' at offset \d+: jump target \d+ is not the start of an instruction/);
  const failing = instructionRows(badJump).find((r) => instructionBytes(badJump, r)!.start === badJump.errorBytes!.start);
  assert.ok(failing, "the error bytes are those of an instruction");
  assert.equal(failing.op, "JUMP_IF_FALSE");
  assert.equal(badJump.rows[badJump.errorRow!], failing, "the failing instruction is the error row");
  assert.equal((failing.operands[0] as { row: number }).row, -1, "its target starts no instruction, so it has no link");

  const unknown = viewOfFile(read("unknown-opcode.whbc"));
  const first = instructionRows(unknown)[0];
  assert.equal(first.op, "UNKNOWN");
  assert.deepEqual(first.operands, [{ kind: "undecodable", text: "0x99" }]);
  assert.equal(unknown.errorBytes!.start, instructionBytes(unknown, first)!.start);

  // Load failures have no chunks, only the message and where in the file it happened.
  for (const [f, at] of [["bad-magic.whbc", 0], ["wrong-version.whbc", 4], ["empty.whbc", 0]] as const) {
    const v = viewOfFile(read(f));
    assert.equal(v.chunks.length, 0);
    assert.equal(v.errorBytes?.start, at, f);
  }
});

test("the listing of the rows is the disassembler's, for the golden programs and generated ones", () => {
  const sources: [string, string][] = [];
  const disasm = join(root, "test-fixtures", "disasm");
  for (const f of readdirSync(disasm).filter((n) => n.endsWith(".wsp"))) sources.push([f, readFileSync(join(disasm, f), "utf8")]);
  const generated = join(root, "test-fixtures", "tools", "gen-wsp.mjs");
  for (const seed of [11, 12, 13]) {
    const r = spawnSync(process.execPath, [generated, "--seed", String(seed), "--size", "400"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    sources.push([`generated seed ${seed}`, r.stdout]);
  }
  for (const [name, text] of sources) {
    const compiled = compile(text);
    assert.ok(compiled.bytes && compiled.file, `${name} compiles`);
    const view = viewOfFile(compiled.bytes);
    assert.equal(view.error, null, name);
    assert.equal(listingOf(view), disassemble(compiled.file), name);
    checkView(view, compiled.bytes);
    // The preview of the same text shows the same rows, without file positions.
    const preview = viewOfSource(text);
    assert.ok(preview.ok, name);
    assert.equal(listingOf(preview.view), listingOf(view), name);
    assert.ok(instructionRows(preview.view).every((r) => instructionBytes(preview.view, r) === undefined));
  }
});

test("the layout covers the file: header, then chunks end to end", () => {
  for (const f of ["program.whbc", "hostile.whbc"]) {
    const bytes = read(f);
    const layout = whbcLayout(bytes);
    assert.ok(layout.complete);
    let at = layout.header.end;
    assert.equal(at, 7);
    for (const c of layout.chunks) {
      assert.equal(c.range.start, at);
      assert.equal(c.name.start, at + 2);
      assert.equal(c.lines.end, c.range.end);
      assert.equal(c.lines.end - c.lines.start, (c.code.end - c.code.start) * 4);
      at = c.range.end;
    }
    assert.equal(at, bytes.length);
  }
  assert.equal(whbcLayout(read("truncated.whbc")).complete, false);
  assert.equal(whbcLayout(read("empty.whbc")).chunks.length, 0);
});

test("seeded mutants: the view never throws and agrees with the reader", () => {
  const original = read("program.whbc");
  let seed = 20261126;
  const random = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  let refused = 0;
  for (let i = 0; i < 600; i++) {
    let bytes = original.slice();
    const kind = random(3);
    if (kind === 0) bytes[random(bytes.length)] = random(256);
    else if (kind === 1) bytes = bytes.slice(0, random(bytes.length));
    else for (let k = 0; k < 4; k++) bytes[7 + random(bytes.length - 7)] ^= 1 << random(8);
    const view = viewOfFile(bytes);
    const loaded = readWhbc(bytes);
    assert.equal(view.error, loaded.ok ? null : loaded.error, `mutant ${i}`);
    if (loaded.ok) assert.equal(listingOf(view), disassemble(loaded.file), `mutant ${i}`);
    else refused++;
    checkView(view, bytes);
  }
  assert.ok(refused > 100, `${refused} of 600 mutants refused: the mutations reach the verifier`);
});

test("source lines link to their instructions; every line with code has a colour", () => {
  const text = readFileSync(join(fixtures, "program.wsp"), "utf8");
  const preview = viewOfSource(text);
  assert.ok(preview.ok);
  const view = preview.view;
  // `print count_to(limit)` is line 20: a LOAD_GLOBAL/LOAD of limit, the CALL, then PRINT.
  const line20 = lineIndex(view).get(20)!.map((i) => view.rows[i]);
  assert.deepEqual(
    line20.map((r) => (r.kind === "instruction" ? r.op : r.kind)),
    ["LOAD", "CALL", "PRINT"],
  );
  // The lambda on line 17 compiles into its own chunk and into adder's MAKE_CLOSURE: both link back.
  const chunksOf17 = new Set(lineIndex(view).get(17)!.map((i) => view.chunks[view.rows[i].chunk].name));
  assert.ok(chunksOf17.has("adder") && [...chunksOf17].some((n) => n.startsWith("__lambda_17_")), [...chunksOf17].join());
  // HALT carries line 0 and gets no colour; other lines cycle through the palette.
  assert.equal(paletteIndex(0), -1);
  assert.notEqual(paletteIndex(3), paletteIndex(4));
});

test("a preview of text with errors lists them instead of rows", () => {
  const syntax = viewOfSource("let x = (1 + 2\nprint x\n");
  assert.equal(syntax.ok, false);
  assert.ok(!syntax.ok && syntax.errors.length > 0 && syntax.errors[0].line >= 1);
  const compileError = viewOfSource("print 1\nbreak\n");
  assert.ok(!compileError.ok);
  assert.equal(compileError.errors.length, 1);
  assert.equal(compileError.errors[0].line, 2);
});

test("hostile strings stay data: the view carries them as text, the webview script never parses markup", () => {
  const view = viewOfFile(read("hostile.whbc"));
  const texts = view.chunks.flatMap((c) => c.constants.map((k) => k.text));
  assert.ok(texts.some((t) => t.includes("<script>")), "the string is kept as it is (escaping is the DOM's job)");
  assert.ok(texts.some((t) => t.includes("\\n")), "control characters are shown escaped, as the listing does");
  const viewDir = join(root, "client", "src", "bytecode", "view");
  const script = readdirSync(viewDir)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => readFileSync(join(viewDir, f), "utf8"))
    .join("\n");
  for (const sink of ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setAttribute(\"style\""]) {
    assert.ok(!script.includes(sink), `the webview script uses ${sink}`);
  }
  assert.ok(!/https?:\/\//.test(script) && !/https?:\/\//.test(readFileSync(join(root, "media", "bytecode", "bytecodeView.css"), "utf8")), "no remote resources");
});
