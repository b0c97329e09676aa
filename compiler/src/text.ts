// Positions in a document: UTF-16 offsets (the editor's and the tree's unit) and reference
// positions (1-based line and column in code points, language.md §1). Lines end at `\n` only,
// as in the language. (LSP positions are the server's: server/src/positions.ts.)

export interface ReferencePosition {
  line: number;
  column: number;
}

export class LineIndex {
  /** Offset of the first character of each line. */
  readonly lineStarts: number[];

  constructor(
    readonly text: string,
    lineStarts?: number[],
  ) {
    if (lineStarts) {
      this.lineStarts = lineStarts;
      return;
    }
    const starts = [0];
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
  }

  /** The index of the line containing offset (0-based). */
  lineOf(offset: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The reference position: 1-based line, 1-based column counted in code points. */
  position(offset: number): ReferencePosition {
    offset = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(offset);
    return { line: line + 1, column: 1 + codePoints(this.text, this.lineStarts[line], offset) };
  }

  /** The index of the text after replacing [start, end) with `inserted`, without rescanning it all. */
  edited(start: number, end: number, inserted: string, newText: string): LineIndex {
    const old = this.lineStarts;
    const delta = inserted.length - (end - start);
    // Line starts at or before `start` stay; those after `end` shift; those inside are recomputed.
    let a = this.lineOf(start) + 1; // first line start that may be affected (> start)
    while (a > 0 && old[a - 1] > start) a--;
    let b = a;
    while (b < old.length && old[b] <= end) b++;
    const mid: number[] = [];
    for (let i = inserted.indexOf("\n"); i >= 0; i = inserted.indexOf("\n", i + 1)) mid.push(start + i + 1);
    const starts = old.slice(0, a);
    for (const m of mid) starts.push(m);
    for (let i = b; i < old.length; i++) starts.push(old[i] + delta);
    return new LineIndex(newText, starts);
  }
}

/** The number of code points in text[from, to). */
export function codePoints(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > from) {
      const prev = text.charCodeAt(i - 1);
      if (prev >= 0xd800 && prev <= 0xdbff) continue;
    }
    n++;
  }
  return n;
}
