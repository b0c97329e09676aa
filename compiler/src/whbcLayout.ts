// Where each part of a `.whbc` file lies (byte ranges of chunks, constants, code and lines), for
// views that show the raw bytes beside the decoded file. Walks the layout only; never throws.

export interface ByteRange {
  start: number;
  /** Exclusive. */
  end: number;
}

export interface ChunkLayout {
  /** The whole chunk, from its name length to the end of its line table. */
  range: ByteRange;
  /** The name bytes (without the u16 length). */
  name: ByteRange;
  /** Each constant, tag byte included. */
  constants: ByteRange[];
  /** The code bytes (without the u32 length): instruction offset `o` is at file offset `code.start + o`. */
  code: ByteRange;
  /** The line table (without the u32 length). */
  lines: ByteRange;
}

export interface WhbcLayout {
  /** Magic, version and chunk count, when the file is long enough to hold them. */
  header: ByteRange;
  /** The chunks that lie completely inside the file, in file order. */
  chunks: ChunkLayout[];
  /** False when the walk stopped early: a short file, bad magic or version, an unknown constant tag. */
  complete: boolean;
}

const MAGIC = [0x57, 0x48, 0x42, 0x43];
const CONSTANT_SIZE: Record<number, number> = { 0: 9, 1: 2, 3: 1 };

/**
 * The byte layout of a `.whbc` file. Follows the same format as `decodeWhbc` but checks only what
 * it needs to find the next field, so a file that fails verification still has a layout.
 */
export function whbcLayout(bytes: Uint8Array): WhbcLayout {
  const n = bytes.length;
  const header = { start: 0, end: Math.min(n, 7) };
  const chunks: ChunkLayout[] = [];
  if (n < 7 || MAGIC.some((b, i) => bytes[i] !== b) || bytes[4] !== 4) return { header, chunks, complete: false };
  const u16 = (at: number) => (bytes[at] << 8) | bytes[at + 1];
  const u32 = (at: number) => ((bytes[at] << 24) >>> 0) + ((bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]);
  const count = u16(5);
  let p = 7;
  for (let c = 0; c < count; c++) {
    const start = p;
    if (p + 2 > n) return { header, chunks, complete: false };
    const name = { start: p + 2, end: p + 2 + u16(p) };
    p = name.end + 3;
    if (p > n) return { header, chunks, complete: false };
    const constCount = bytes[p - 1];
    const constants: ByteRange[] = [];
    for (let k = 0; k < constCount; k++) {
      if (p >= n) return { header, chunks, complete: false };
      const tag = bytes[p];
      let size = CONSTANT_SIZE[tag];
      if (tag === 2) size = p + 3 <= n ? 3 + u16(p + 1) : Infinity;
      if (size === undefined || p + size > n) return { header, chunks, complete: false };
      constants.push({ start: p, end: p + size });
      p += size;
    }
    if (p + 4 > n) return { header, chunks, complete: false };
    const code = { start: p + 4, end: p + 4 + u32(p) };
    p = code.end;
    if (p + 4 > n) return { header, chunks, complete: false };
    const lines = { start: p + 4, end: p + 4 + u32(p) * 4 };
    p = lines.end;
    if (p > n) return { header, chunks, complete: false };
    chunks.push({ range: { start, end: p }, name, constants, code, lines });
  }
  return { header, chunks, complete: true };
}
