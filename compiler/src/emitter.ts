// One chunk under construction (compiler.md §1): code bytes with a line per byte, the constant
// pool with the reference's reuse rules, jump placeholders and patching, and the format's limits.
import type { Chunk, Constant } from "./whbc";
import { encodeUtf8 } from "./whbc";

/** The compile errors a chunk can raise; the compiler turns them into diagnostics. */
export type LimitKind = "TooManyConstants" | "FunctionTooLarge" | "StringTooLong";

/**
 * Where a chunk reports a limit. `full` is the reference's own error (a name constant, or our
 * refusal where the reference crashes on a 257th literal): compilation stops there. `defer` is a
 * limit the reference ignores (it writes a corrupt file): reported only if compilation finishes
 * without one of the reference's errors.
 */
export interface LimitSink {
  full(line: number): never;
  defer(kind: LimitKind, line: number): void;
  /** The pool just reached 256 constants: the chunk cannot be written (reported at the end). */
  filled(chunk: ChunkEmitter, line: number): void;
}

const MAX_CODE = 0xffff;
/** Pools up to this long are searched; longer ones get maps. */
const INDEX_FROM = 16;
const MAX_STRING = 0xffff;

/**
 * The code and line buffers shared by all chunks of one compilation. Chunks nest strictly (a
 * lambda's chunk is finished before the enclosing chunk emits again), so the chunk being built
 * always owns the top of the arena. A finished chunk's bytes move to a packed store and its
 * `Chunk` gets views of them: a few allocations for thousands of chunks instead of a pair of
 * growing buffers each (the garbage collector's share of a large compile).
 */
export class CodeArena {
  code = new Uint8Array(1 << 12);
  lines = new Uint32Array(1 << 12);
  top = 0;
  private packedCode = new Uint8Array(1 << 14);
  private packedLines = new Uint32Array(1 << 14);
  private packedTop = 0;

  grow(): void {
    const code = new Uint8Array(this.code.length * 2);
    code.set(this.code);
    this.code = code;
    const lines = new Uint32Array(this.lines.length * 2);
    lines.set(this.lines);
    this.lines = lines;
  }

  /** Moves the bytes from `start` to the top into the packed store; the top drops to `start`. */
  pack(start: number): { code: Uint8Array; lines: Uint32Array } {
    const n = this.top - start;
    if (this.packedTop + n > this.packedCode.length) {
      // A fresh store; views of the old one stay valid, so nothing is copied.
      const size = Math.max(this.packedCode.length * 2, n);
      this.packedCode = new Uint8Array(size);
      this.packedLines = new Uint32Array(size);
      this.packedTop = 0;
    }
    const at = this.packedTop;
    this.packedCode.set(this.code.subarray(start, this.top), at);
    this.packedLines.set(this.lines.subarray(start, this.top), at);
    this.packedTop += n;
    this.top = start;
    return { code: this.packedCode.subarray(at, at + n), lines: this.packedLines.subarray(at, at + n) };
  }
}

export class ChunkEmitter {
  readonly constants: Constant[] = [];
  /** Constant → index, made once the pool is too long to search (most chunks never need them). */
  private strings: Map<string, number> | null = null;
  private numbers: Map<number, number> | null = null;
  private negativeZero = -1;
  /** Where this chunk's code starts in the arena. */
  private readonly start: number;
  private packed: { code: Uint8Array; lines: Uint32Array } | null = null;

  constructor(
    readonly name: string,
    readonly paramCount: number,
    private readonly limits: LimitSink,
    private readonly arena: CodeArena,
  ) {
    this.start = arena.top;
  }

  get here(): number {
    return this.arena.top - this.start;
  }

  private defer(kind: LimitKind, line: number): void {
    this.limits.defer(kind, line);
  }

  byte(b: number, line: number): void {
    const a = this.arena;
    if (a.top === a.code.length) a.grow();
    a.code[a.top] = b;
    a.lines[a.top] = line;
    a.top++;
    if (a.top - this.start === MAX_CODE + 1) this.defer("FunctionTooLarge", line);
  }

  op(op: number, line: number): void {
    this.byte(op, line);
  }

  opU8(op: number, operand: number, line: number): void {
    this.byte(op, line);
    this.byte(operand & 0xff, line);
  }

  opU16(op: number, operand: number, line: number): void {
    if (operand > MAX_CODE) this.defer("FunctionTooLarge", line);
    this.byte(op, line);
    this.byte((operand >> 8) & 0xff, line);
    this.byte(operand & 0xff, line);
  }

  /** Emits a jump with the placeholder target FF FF; returns where to patch. */
  jump(op: number, line: number): number {
    this.byte(op, line);
    this.byte(0xff, line);
    this.byte(0xff, line);
    return this.here - 2;
  }

  /** Points the jump whose placeholder is at `at` to the current end of the code. */
  patch(at: number): void {
    this.patchTo(at, this.here);
  }

  /** Points the jump whose placeholder is at `at` to `target`. */
  patchTo(at: number, target: number): void {
    const a = this.arena;
    if (target > MAX_CODE) this.defer("FunctionTooLarge", a.lines[this.start + at]);
    a.code[this.start + at] = (target >> 8) & 0xff;
    a.code[this.start + at + 1] = target & 0xff;
  }

  private push(c: Constant, line: number): number {
    this.constants.push(c);
    if (this.constants.length === 256) this.limits.filled(this, line);
    return this.constants.length - 1;
  }

  /**
   * A name constant (variable, function, chunk name): the reference refuses when the pool is
   * already full, even if the name is in it.
   */
  nameConst(text: string, line: number): number {
    if (this.constants.length >= 256) this.limits.full(line);
    return this.stringConst(text, line);
  }

  /** A string constant, reusing an equal one. */
  stringConst(text: string, line: number): number {
    const known = this.findString(text);
    if (known >= 0) return known;
    if (this.constants.length >= 256) this.limits.full(line);
    if (text.length > MAX_STRING / 3 && encodeUtf8(text).length > MAX_STRING) this.defer("StringTooLong", line);
    const index = this.push({ kind: "string", value: text }, line);
    this.strings?.set(text, index);
    return index;
  }

  /** A number constant, reusing one with the same bit pattern (so 0 and -0 differ). */
  numberConst(value: number, line: number): number {
    const isNegZero = value === 0 && 1 / value < 0;
    const known = isNegZero ? this.negativeZero : this.findNumber(value);
    if (known >= 0) return known;
    if (this.constants.length >= 256) this.limits.full(line);
    const index = this.push({ kind: "number", value }, line);
    if (isNegZero) this.negativeZero = index;
    else this.numbers?.set(value, index);
    return index;
  }

  private findString(text: string): number {
    if (this.strings === null) {
      const k = this.constants;
      if (k.length < INDEX_FROM) {
        for (let i = 0; i < k.length; i++) {
          const c = k[i];
          if (c.kind === "string" && c.value === text) return i;
        }
        return -1;
      }
      this.index();
    }
    return this.strings!.get(text) ?? -1;
  }

  /** Like the map's SameValueZero, with -0 kept apart by the caller. */
  private findNumber(value: number): number {
    if (this.numbers === null) {
      const k = this.constants;
      if (k.length < INDEX_FROM) {
        for (let i = 0; i < k.length; i++) {
          const c = k[i];
          if (c.kind === "number" && (c.value === value ? !Object.is(c.value, -0) : value !== value && c.value !== c.value)) return i;
        }
        return -1;
      }
      this.index();
    }
    return this.numbers!.get(value) ?? -1;
  }

  /** Builds the maps from the pool (each value is in it once: equal constants are reused). */
  private index(): void {
    const strings = new Map<string, number>();
    const numbers = new Map<number, number>();
    const k = this.constants;
    for (let i = 0; i < k.length; i++) {
      const c = k[i];
      if (c.kind === "string") strings.set(c.value, i);
      else if (c.kind === "number" && !Object.is(c.value, -0)) numbers.set(c.value, i);
    }
    this.strings = strings;
    this.numbers = numbers;
  }

  /** Ends the chunk: it must be the top of the arena (every chunk nested in it already closed). */
  close(): void {
    this.packed = this.arena.pack(this.start);
  }

  finish(): Chunk {
    if (this.packed === null) throw new Error(`chunk '${this.name}' was not closed`);
    return {
      name: this.name,
      paramCount: this.paramCount,
      upvalueCount: 0,
      constants: this.constants,
      code: this.packed.code,
      lines: this.packed.lines,
    };
  }
}
