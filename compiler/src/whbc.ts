// The `.whbc` file (bytecode format 4, spec/bytecode.md §1): the in-memory model, the reader
// (which never throws: every problem is an `Invalid bytecode: …` result) and the writer.
import { verify } from "./verifier";

export const WHBC_VERSION = 4;
const MAGIC = [0x57, 0x48, 0x42, 0x43]; // "WHBC"

export type Constant =
  | { kind: "number"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "string"; value: string }
  | { kind: "none" };

export interface Chunk {
  name: string;
  paramCount: number;
  /** Written 0 by every compiler; the VM ignores it. Kept so that reading then writing is exact. */
  upvalueCount: number;
  constants: Constant[];
  code: Uint8Array;
  /** The source line of each code byte (the verifier insists on one per byte). */
  lines: Uint32Array;
}

export interface WhbcFile {
  /** Chunk 0 is `<main>`. */
  chunks: Chunk[];
}

export type ReadResult = { ok: true; file: WhbcFile } | { ok: false; error: string; offset?: number };

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** Strict UTF-8 decoding; null when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

export function encodeUtf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** UTF-8 length of `text` (a lone surrogate counts as U+FFFD, as TextEncoder writes it). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Writes `text` as UTF-8 at `at` (the writer's hot path: no allocation); returns the end. */
function writeUtf8(text: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[at++] = c;
      continue;
    }
    if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c < 0xe000) {
      const d = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c < 0xdc00 && (d & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out[at++] = 0xf0 | (c >> 18);
        out[at++] = 0x80 | ((c >> 12) & 0x3f);
        out[at++] = 0x80 | ((c >> 6) & 0x3f);
        out[at++] = 0x80 | (c & 0x3f);
        continue;
      }
      c = 0xfffd;
    }
    out[at++] = 0xe0 | (c >> 12);
    out[at++] = 0x80 | ((c >> 6) & 0x3f);
    out[at++] = 0x80 | (c & 0x3f);
  }
  return at;
}

/** A loader failure: the reason text of `Invalid bytecode: REASON` and the file offset. */
class LoadError {
  constructor(
    readonly reason: string,
    readonly offset?: number,
  ) {}
}

/** A cursor over the file that reports a short read the way the spec words it. */
class ByteReader {
  private pos = 0;
  private readonly view: DataView;
  private readonly bytes: Uint8Array;
  constructor(input: Uint8Array) {
    // A plain view even for a Node Buffer, whose slice() would not copy.
    this.bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  }
  get offset(): number {
    return this.pos;
  }
  private need(n: number): void {
    const have = this.bytes.length - this.pos;
    if (n > have) {
      throw new LoadError(`unexpected end of bytecode at offset ${this.pos} (need ${n} bytes, have ${have})`, this.pos);
    }
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }
  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }
  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** `count` big-endian u32 values. */
  u32s(count: number): Uint32Array {
    this.need(count * 4);
    const out = new Uint32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.view.getUint32(this.pos + i * 4);
    this.pos += count * 4;
    return out;
  }
}

function readConstant(r: ByteReader): Constant {
  const tag = r.u8();
  switch (tag) {
    case 0:
      return { kind: "number", value: r.f64() };
    case 1:
      return { kind: "bool", value: r.u8() !== 0 };
    case 2: {
      const at = r.offset;
      const text = decodeUtf8(r.take(r.u16()));
      if (text === null) throw new LoadError("string constant is not valid UTF-8", at);
      return { kind: "string", value: text };
    }
    case 3:
      return { kind: "none" };
    default:
      throw new LoadError(`unknown constant tag ${tag}`, r.offset - 1);
  }
}

function readChunk(r: ByteReader): Chunk {
  const nameAt = r.offset;
  const name = decodeUtf8(r.take(r.u16()));
  if (name === null) throw new LoadError("chunk name is not valid UTF-8", nameAt);
  const paramCount = r.u8();
  const upvalueCount = r.u8();
  const constCount = r.u8();
  const constants: Constant[] = [];
  for (let i = 0; i < constCount; i++) constants.push(readConstant(r));
  const code = r.take(r.u32()).slice();
  const lines = r.u32s(r.u32());
  return { name, paramCount, upvalueCount, constants, code, lines };
}

/** Reads the file layout only (the loader errors of bytecode.md §1), without verifying the code. */
export function decodeWhbc(bytes: Uint8Array): ReadResult {
  try {
    if (bytes.length < 5) return { ok: false, error: "Invalid bytecode: file too short", offset: 0 };
    for (let i = 0; i < 4; i++) {
      if (bytes[i] !== MAGIC[i]) return { ok: false, error: "Invalid bytecode: bad magic bytes (not a .whbc file)", offset: 0 };
    }
    if (bytes[4] !== WHBC_VERSION) {
      return { ok: false, error: `Invalid bytecode: version mismatch: expected ${WHBC_VERSION}, got ${bytes[4]}`, offset: 4 };
    }
    const r = new ByteReader(bytes);
    r.take(5);
    const count = r.u16();
    if (count === 0) return { ok: false, error: "Invalid bytecode: bytecode contains no chunks", offset: 5 };
    const chunks: Chunk[] = [];
    for (let i = 0; i < count; i++) chunks.push(readChunk(r));
    // Bytes after the last chunk are ignored, as the reference does.
    return { ok: true, file: { chunks } };
  } catch (e) {
    if (e instanceof LoadError) return { ok: false, error: `Invalid bytecode: ${e.reason}`, offset: e.offset };
    // Only an engine failure (e.g. out of memory) can get here; still report it as a refusal.
    return { ok: false, error: `Invalid bytecode: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Reads and verifies a `.whbc` file: the one entry point for untrusted bytes. Never throws. */
export function readWhbc(bytes: Uint8Array): ReadResult {
  const decoded = decodeWhbc(bytes);
  if (!decoded.ok) return decoded;
  const problem = verify(decoded.file);
  if (problem !== null) return { ok: false, error: `Invalid bytecode: ${problem}` };
  return decoded;
}

/** Same as readWhbc (the name other parts use for "read and verify"). */
export const loadWhbc = readWhbc;

/**
 * Writes the file. The model must fit the format (at most 255 constants, names and strings
 * of at most 65 535 UTF-8 bytes, fewer than 65 536 chunks); the compiler guarantees this, and a
 * model that does not fit is a programming error (RangeError).
 */
export function writeWhbc(file: WhbcFile): Uint8Array {
  if (file.chunks.length === 0 || file.chunks.length > 0xffff) throw new RangeError(`cannot write ${file.chunks.length} chunks`);
  // First pass: size the file (and check it fits the format).
  let size = 7;
  for (const c of file.chunks) {
    const nameLength = utf8Length(c.name);
    if (nameLength > 0xffff) throw new RangeError("chunk name too long");
    if (c.constants.length > 255) throw new RangeError(`chunk '${c.name}' has ${c.constants.length} constants (max 255)`);
    size += 2 + nameLength + 3;
    for (const k of c.constants) {
      if (k.kind === "string") {
        const length = utf8Length(k.value);
        if (length > 0xffff) throw new RangeError("string constant too long");
        size += 3 + length;
      } else size += k.kind === "number" ? 9 : k.kind === "bool" ? 2 : 1;
    }
    size += 8 + c.code.length + c.lines.length * 4;
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const u16 = (at: number, v: number) => {
    out[at] = v >>> 8;
    out[at + 1] = v & 0xff;
  };
  const u32 = (at: number, v: number) => {
    out[at] = v >>> 24;
    out[at + 1] = (v >>> 16) & 0xff;
    out[at + 2] = (v >>> 8) & 0xff;
    out[at + 3] = v & 0xff;
  };
  out.set(MAGIC, 0);
  out[4] = WHBC_VERSION;
  u16(5, file.chunks.length);
  let p = 7;
  for (let i = 0; i < file.chunks.length; i++) {
    const c = file.chunks[i];
    const nameEnd = writeUtf8(c.name, out, p + 2);
    u16(p, nameEnd - p - 2);
    p = nameEnd;
    out[p++] = c.paramCount;
    out[p++] = c.upvalueCount;
    out[p++] = c.constants.length;
    for (const k of c.constants) {
      switch (k.kind) {
        case "number":
          out[p] = 0;
          view.setFloat64(p + 1, k.value);
          p += 9;
          break;
        case "bool":
          out[p] = 1;
          out[p + 1] = k.value ? 1 : 0;
          p += 2;
          break;
        case "string": {
          out[p] = 2;
          const end = writeUtf8(k.value, out, p + 3);
          u16(p + 1, end - p - 3);
          p = end;
          break;
        }
        case "none":
          out[p++] = 3;
          break;
      }
    }
    u32(p, c.code.length);
    out.set(c.code, p + 4);
    p += 4 + c.code.length;
    const lines = c.lines;
    u32(p, lines.length);
    p += 4;
    for (let j = 0; j < lines.length; j++, p += 4) u32(p, lines[j]);
  }
  return out;
}
