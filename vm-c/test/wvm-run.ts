// Shared by the vm-c suites: where the binaries and fixtures are, running wvm, compiling
// Whispem source to a temporary .whbc, and the seeded mutations used by the fuzz tests.
import { spawn, spawnSync, SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../../compiler/src/compiler";

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
/** A temporary directory for this test process. */
export function scratchDir(): string {
  scratch ??= mkdtempSync(join(tmpdir(), "wvm-test-"));
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
