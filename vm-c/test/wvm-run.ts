// Shared by the vm-c suites: where the binaries and fixtures are, running wvm, compiling
// Whispem source to a temporary .whbc, and the seeded mutations used by the fuzz tests.
import { spawn, spawnSync, SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../../compiler/src/compiler";
import { decodeWhbc, writeWhbc } from "../../compiler/src/whbc";
import { decodeInstruction } from "../../compiler/src/instruction";

export const ROOT = join(__dirname, "../..");
export const WVM = join(ROOT, "bin/wvm");
export const WVM_ASAN = join(ROOT, "vm-c/build/wvm-asan");
export const WVM_SWITCH = join(ROOT, "vm-c/build/wvm-switch");
export const RUN_CORPUS = join(ROOT, "test-fixtures/conformance/run");

export function runSync(bin: string, args: string[], input = "", env?: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync(bin, args, { input, encoding: "utf8", maxBuffer: 256 << 20, env: env ?? process.env });
}

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs without blocking the event loop, killing the process after timeoutMs. */
export function runAsync(bin: string, args: string[], opts: { timeoutMs: number; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d) => {
      if (stdout.length < 1 << 20) stdout += d;
    });
    child.stderr.on("data", (d) => {
      if (stderr.length < 1 << 20) stderr += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, opts.timeoutMs);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, timedOut });
    });
  });
}

let scratch: string | undefined;
/** A temporary directory for this test process, removed when the process exits. */
export function scratchDir(): string {
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), "wvm-test-"));
    scratch = dir;
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return scratch;
}

let counter = 0;
/** Compiles Whispem source with our compiler and writes it to a temporary .whbc file. */
export function compileToFile(source: string, name = "prog"): string {
  const result = compile(source);
  if (!result.bytes) throw new Error(`does not compile: ${JSON.stringify(result.diagnostics)}`);
  const path = join(scratchDir(), `${name}-${counter++}.whbc`);
  writeFileSync(path, result.bytes);
  return path;
}

/** A small seeded generator (xorshift32), so every fuzz run sees the same files. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

const INTERESTING = [0x00, 0x01, 0x02, 0x03, 0x10, 0x11, 0x13, 0x14, 0x40, 0x41, 0x43, 0x50, 0x51, 0x52, 0x53, 0x60, 0x61, 0x63, 0x71, 0x7f, 0x80, 0xfe, 0xff];

/** One seeded mutation of a .whbc file: truncation, byte flips, interesting bytes, insertions, deletions, copies. */
export function mutate(src: Uint8Array, next: () => number): Uint8Array {
  let b = Uint8Array.from(src);
  const edits = 1 + (next() % 4);
  for (let e = 0; e < edits && b.length > 0; e++) {
    const at = next() % b.length;
    switch (next() % 7) {
      case 0: // truncate
        return b.subarray(0, at);
      case 1:
        b[at] ^= 1 << (next() % 8);
        break;
      case 2:
        b[at] = INTERESTING[next() % INTERESTING.length];
        break;
      case 3:
        b[at] = next() & 0xff;
        break;
      case 4: {
        const n = 1 + (next() % 4);
        const ins = Uint8Array.from({ length: n }, () => (next() % 2 ? INTERESTING[next() % INTERESTING.length] : next() & 0xff));
        b = Uint8Array.from([...b.subarray(0, at), ...ins, ...b.subarray(at)]);
        break;
      }
      case 5: {
        const n = 1 + (next() % 8);
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(Math.min(b.length, at + n))]);
        break;
      }
      default: {
        const from = next() % b.length;
        const n = 1 + (next() % 16);
        const piece = b.slice(from, from + n);
        b.set(piece.subarray(0, Math.max(0, Math.min(piece.length, b.length - at))), at);
        break;
      }
    }
  }
  return b;
}

/** Runs corpus program NAME with `a1` and `b 2`: exact stdout and status, first stderr line minus `FILE: `; returns stderr. */
export function checkCase(bin: string, name: string): string {
  const file = join(RUN_CORPUS, `${name}.whbc`);
  const r = runSync(bin, [file, "a1", "b 2"]);
  const expected = (ext: string) => readFileSync(join(RUN_CORPUS, `${name}.${ext}`), "utf8");
  assert.equal(r.stdout, expected("stdout"), `${name}: stdout`);
  assert.equal(r.status, Number(expected("status").trim()), `${name}: status (stderr: ${r.stderr})`);
  const wantFirst = expected("stderr").split("\n")[0];
  const gotFirst = r.stderr.split("\n")[0];
  if (wantFirst === "") assert.equal(r.stderr, "", `${name}: stderr`);
  else assert.equal(gotFirst, `${file}: ${wantFirst}`, `${name}: first stderr line`);
  return r.stderr;
}

const SAME_LAYOUT: number[][] = [
  [0x01, 0x02, 0x03, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x51, 0x52, 0x62, 0x63, 0x70, 0x71],
  [0x10, 0x11, 0x12],
  [0x13, 0x14, 0x15, 0x60, 0x61],
  [0x40, 0x41, 0x42, 0x43, 0x44],
];
const ODD_NUMBERS = [0, -0, 1, -1, 0.5, 2 ** 53, 1e300, -1e300, NaN, Infinity, -Infinity, 255, 256, 1e8, 5e-324];
const ODD_STRINGS = ["", "__callee__", "push", "map", "reduce", "length", "x", "é", "__lambda_1_0", "<main>", "0", "7", "nope"];

/**
 * A seeded mutation that keeps the file well-formed, so that most results pass the verifier and
 * reach the interpreter: opcodes swapped within a layout, operands, jump targets, constants and
 * parameter counts changed. Returns null when the file does not load.
 */
export function mutateStructured(src: Uint8Array, next: () => number): Uint8Array | null {
  const r = decodeWhbc(src);
  if (!r.ok) return null;
  const chunks = r.file.chunks;
  const edits = 1 + (next() % 3);
  for (let e = 0; e < edits; e++) {
    const c = chunks[next() % chunks.length];
    const starts: number[] = [];
    for (let off = 0; off < c.code.length; ) {
      const d = decodeInstruction(c.code, off);
      if (!d.ok) break;
      starts.push(off);
      off += d.instruction.size;
    }
    if (starts.length === 0) continue;
    const at = starts[next() % starts.length];
    const op = c.code[at];
    switch (next() % 6) {
      case 0: {
        const group = SAME_LAYOUT.find((g) => g.includes(op));
        if (group) c.code[at] = group[next() % group.length];
        break;
      }
      case 1: {
        const group = SAME_LAYOUT.find((g) => g.includes(op));
        if ((group === SAME_LAYOUT[1] || op === 0x00 || op === 0x50) && c.constants.length) c.code[at + 1] = next() % c.constants.length;
        else if (group === SAME_LAYOUT[2]) c.code[at + 1] = next() % 4;
        if (op === 0x50) c.code[at + 2] = next() % 4;
        break;
      }
      case 2:
        if (SAME_LAYOUT[3].includes(op)) {
          const t = starts[next() % starts.length];
          c.code[at + 1] = t >> 8;
          c.code[at + 2] = t & 0xff;
        }
        break;
      case 3:
        if (c.constants.length) {
          const k = next() % c.constants.length;
          c.constants[k] =
            next() % 2 ? { kind: "number", value: ODD_NUMBERS[next() % ODD_NUMBERS.length] } : { kind: "string", value: ODD_STRINGS[next() % ODD_STRINGS.length] };
        }
        break;
      case 4:
        c.paramCount = next() % 4;
        break;
      default: {
        // drop or duplicate one instruction's opcode-only neighbour: shifts stack depth, not layout
        if (SAME_LAYOUT[0].includes(op)) c.code[at] = [0x71, 0x01, 0x03][next() % 3];
        break;
      }
    }
  }
  try {
    return writeWhbc(r.file);
  } catch {
    return null;
  }
}
