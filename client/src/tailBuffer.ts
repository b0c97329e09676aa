// The last `limit` characters of a stream, kept in chunks: appending costs the chunk's length
// (never a copy of everything kept), memory stays near `limit`, and `text()` says how much was
// dropped. Run output (runs.ts, run on save) is kept this way. No vscode: unit-tested.

export const OUTPUT_LIMIT = 1024 * 1024;

export class TailBuffer {
  private chunks: string[] = [];
  private head = 0; // chunks before `head` are dropped
  private kept = 0;
  /** Characters appended and no longer kept. */
  dropped = 0;

  constructor(readonly limit = OUTPUT_LIMIT) {}

  append(t: string): void {
    if (t.length === 0) return;
    if (t.length >= this.limit) {
      this.dropped += this.kept + t.length - this.limit;
      this.chunks = [t.slice(t.length - this.limit)];
      this.head = 0;
      this.kept = this.limit;
      return;
    }
    this.chunks.push(t);
    this.kept += t.length;
    while (this.kept > this.limit) {
      const first = this.chunks[this.head];
      const excess = this.kept - this.limit;
      if (first.length <= excess) {
        this.head++;
        this.kept -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[this.head] = first.slice(excess);
        this.kept -= excess;
        this.dropped += excess;
      }
    }
    if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  /** Characters kept. */
  get length(): number {
    return this.kept;
  }

  /** What is kept, after a line saying how much was dropped (when anything was). */
  text(): string {
    const tail = this.chunks.slice(this.head).join("");
    return this.dropped > 0 ? `${droppedLine(this.dropped)}\n${tail}` : tail;
  }

  /** Only what is kept. */
  tail(): string {
    return this.chunks.slice(this.head).join("");
  }
}

export function droppedLine(n: number): string {
  return `[… ${n.toLocaleString("en-US")} characters of output dropped; the last ${(OUTPUT_LIMIT / 1024 / 1024).toString()} MB are kept …]`;
}
