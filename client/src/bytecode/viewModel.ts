// What the bytecode views show, as plain data built from compiler/: the chunks, one flat list of
// rows (chunk headers, instructions, captured variables) and where each lies in the file. No vscode.
import {
  OPCODES,
  compile,
  constantText,
  decodeInstruction,
  decodeWhbc,
  quoteBytes,
  verifyChunk,
  whbcLayout,
  type ByteRange,
  type ChunkLayout,
  type Constant,
  type Diagnostic,
  type WhbcFile,
} from "../../../compiler/src/bytecode";
import { visibleText } from "./visibleText";

export type { ByteRange } from "../../../compiler/src/bytecode";

export interface ConstantView {
  index: number;
  kind: Constant["kind"];
  /** As the listing shows it: strings quoted and escaped, numbers in shortest form. */
  text: string;
  /** Where it lies in the file (tag byte included); absent for compiled source. */
  bytes?: ByteRange;
}

export interface ChunkView {
  index: number;
  name: string;
  paramCount: number;
  codeLength: number;
  constants: ConstantView[];
  /** The row of its header; its instructions follow. */
  firstRow: number;
  rowCount: number;
  instructionCount: number;
  /** The whole chunk in the file; absent for compiled source. */
  bytes?: ByteRange;
  /** File offset of code byte 0: instruction `o` of size `n` lies at [codeStart + o, codeStart + o + n). */
  codeStart?: number;
}

export type Operand =
  /** A constant operand: PUSH_CONST's value, a variable name. */
  | { kind: "constant"; index: number; text: string }
  /** A plain byte: slot, element count. */
  | { kind: "number"; value: number }
  /** `row` is the target's row, -1 when the target starts no instruction (unverified files). */
  | { kind: "jump"; target: number; row: number }
  | { kind: "call"; index: number; text: string; argc: number }
  /** `row` is the header row of the chunk it names (the last of that name, as the VM keeps), or -1. */
  | { kind: "closure"; index: number; text: string; captures: number; row: number }
  /** The rest of an unverified chunk's code, from an unknown opcode or a truncated instruction. */
  | { kind: "undecodable"; text: string };

export type Row =
  | { kind: "chunk"; chunk: number; text: string }
  | {
      kind: "instruction";
      chunk: number;
      offset: number;
      size: number;
      line: number;
      /** The line equals the previous instruction's in the chunk (the listing's `|`). */
      sameLine: boolean;
      op: string;
      opcode: number;
      operands: Operand[];
    }
  /** A variable MAKE_CLOSURE captures; `quoted` is its name as the listing shows it. */
  | { kind: "capture"; chunk: number; line: number; isLocal: boolean; name: string; quoted: string };

export interface BytecodeView {
  /** `Invalid bytecode: …` when the file fails loading or verification, else null. */
  error: string | null;
  /** The bytes the error is about (the failing field or instruction), when known. */
  errorBytes?: ByteRange;
  /** The row of the instruction that failed verification, when it is one. */
  errorRow?: number;
  /** File size in bytes (0 for compiled source that is not kept as a file). */
  size: number;
  chunks: ChunkView[];
  rows: Row[];
}

export interface CompileErrorView {
  code: string;
  message: string;
  /** 1-based line and column as the reference prints them. */
  line: number;
  column: number;
  /** UTF-16 offsets into the source. */
  start: number;
  end: number;
}

export type PreviewModel = { ok: true; view: BytecodeView } | { ok: false; errors: CompileErrorView[] };

/** Opcode name → one-line meaning, for hovers. */
export function opcodeMeanings(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of OPCODES) out[o.name] = `${o.name} (0x${o.byte.toString(16).padStart(2, "0")}): ${o.meaning}`;
  return out;
}

/**
 * Background colours by source line, the same in the source editor and the bytecode pane.
 * Translucent, so they sit on light and dark themes alike.
 */
export const LINE_PALETTE: readonly string[] = [
  "rgba(230, 97, 92, 0.22)",
  "rgba(92, 166, 230, 0.22)",
  "rgba(122, 201, 95, 0.22)",
  "rgba(230, 172, 70, 0.24)",
  "rgba(176, 112, 230, 0.22)",
  "rgba(70, 200, 190, 0.22)",
  "rgba(230, 110, 180, 0.22)",
  "rgba(160, 160, 90, 0.26)",
];

/** The palette entry of a source line; line 0 (HALT) has none. */
export function paletteIndex(line: number): number {
  return line <= 0 ? -1 : line % LINE_PALETTE.length;
}

const lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Rows of every chunk. Decodes with the disassembler's own `decodeInstruction` and formats each
 * constant once per chunk: the structured disassembly builds every instruction's listing text,
 * which took seconds on a 4 MB file here; the text of a row is made only when it is shown.
 */
function buildView(file: WhbcFile, layout: ChunkLayout[] | null): BytecodeView {
  const rows: Row[] = [];
  const chunks: ChunkView[] = [];
  const headerRowByName = new Map<string, number>();
  const closures: { operand: { row: number }; name: string }[] = [];
  file.chunks.forEach((chunk, index) => {
    const where = layout?.[index];
    const constants: ConstantView[] = chunk.constants.map((c, i) => ({ index: i, kind: c.kind, text: visibleText(constantText(c)), bytes: where?.constants[i] }));
    const constantAt = (i: number) => constants[i]?.text ?? constantText(undefined);
    const shownName = visibleText(chunk.name);
    const firstRow = rows.length;
    headerRowByName.set(chunk.name, firstRow);
    rows.push({ kind: "chunk", chunk: index, text: `== ${shownName} == params=${chunk.paramCount} constants=${chunk.constants.length} code=${chunk.code.length}` });
    // Jump targets are chunk offsets; this finds the row of the instruction starting there.
    const rowAt = new Int32Array(chunk.code.length).fill(-1);
    const jumps: { target: number; row: number }[] = [];
    const code = chunk.code;
    let previousLine = -1;
    let instructionCount = 0;
    for (let offset = 0; offset < code.length; ) {
      const line = chunk.lines[offset] ?? 0;
      const row = rows.length;
      const sameLine = line === previousLine;
      previousLine = line;
      rowAt[offset] = row;
      instructionCount++;
      const d = decodeInstruction(code, offset);
      if (!d.ok) {
        // Only an unverified chunk gets here: the rest of its code is shown as one undecodable row.
        const op = d.problem === "unknown opcode" ? "UNKNOWN" : d.info.name;
        const detail = d.problem === "unknown opcode" ? `0x${code[offset].toString(16).padStart(2, "0")}` : "(truncated)";
        const size = code.length - offset;
        rows.push({ kind: "instruction", chunk: index, offset, size, line, sameLine, op, opcode: code[offset], operands: [{ kind: "undecodable", text: detail }] });
        break;
      }
      const ins = d.instruction;
      const operands: Operand[] = [];
      switch (ins.info.operands) {
        case "none":
          break;
        case "const":
        case "name":
          operands.push({ kind: "constant", index: ins.operand, text: constantAt(ins.operand) });
          break;
        case "byte":
          operands.push({ kind: "number", value: ins.operand });
          break;
        case "jump": {
          const o = { kind: "jump" as const, target: ins.operand, row: -1 };
          jumps.push(o);
          operands.push(o);
          break;
        }
        case "call":
          operands.push({ kind: "call", index: ins.operand, text: constantAt(ins.operand), argc: ins.argc });
          break;
        case "closure": {
          const o = { kind: "closure" as const, index: ins.operand, text: constantAt(ins.operand), captures: ins.captures.length, row: -1 };
          const named = chunk.constants[ins.operand];
          closures.push({ operand: o, name: named?.kind === "string" ? named.value : "" });
          operands.push(o);
          break;
        }
      }
      rows.push({ kind: "instruction", chunk: index, offset, size: ins.size, line, sameLine, op: ins.info.name, opcode: ins.info.byte, operands });
      for (const c of ins.captures) {
        rows.push({ kind: "capture", chunk: index, line, isLocal: c.isLocal, name: visibleText(lenientUtf8.decode(c.bytes)), quoted: visibleText(quoteBytes(c.bytes)) });
      }
      offset += ins.size;
    }
    for (const j of jumps) j.row = j.target < rowAt.length ? rowAt[j.target] : -1;
    chunks.push({
      index,
      name: shownName,
      paramCount: chunk.paramCount,
      codeLength: code.length,
      constants,
      firstRow,
      rowCount: rows.length - firstRow,
      instructionCount,
      bytes: where?.range,
      codeStart: where?.code.start,
    });
  });
  // Closure operands may name chunks that come later in the file.
  for (const c of closures) c.operand.row = headerRowByName.get(c.name) ?? -1;
  return { error: null, size: 0, chunks, rows };
}

/** An instruction's bytes in the file; undefined for compiled source, which is not a file. */
export function instructionBytes(view: BytecodeView, row: Extract<Row, { kind: "instruction" }>): ByteRange | undefined {
  const start = view.chunks[row.chunk].codeStart;
  return start === undefined ? undefined : { start: start + row.offset, end: start + row.offset + row.size };
}

/** The row of the instruction whose bytes hold file offset `at`, or -1. */
export function rowAtByte(view: BytecodeView, at: number): number {
  const chunk = view.chunks.find((c) => c.codeStart !== undefined && at >= c.codeStart && at < c.codeStart + c.codeLength);
  if (!chunk) return -1;
  const offset = at - chunk.codeStart!;
  // Instruction rows are in offset order within the chunk: a binary search.
  let lo = chunk.firstRow + 1;
  let hi = chunk.firstRow + chunk.rowCount - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    // Capture rows follow their MAKE_CLOSURE, so an instruction is always found going back.
    let i = mid;
    while (view.rows[i].kind !== "instruction") i--;
    const row = view.rows[i] as Extract<Row, { kind: "instruction" }>;
    if (offset < row.offset) hi = i - 1;
    else if (offset >= row.offset + row.size) lo = mid + 1;
    else return i;
  }
  return -1;
}

const lineIndexes = new WeakMap<BytecodeView, Map<number, number[]>>();

/** Rows (instructions and their captures) by source line, made on first use: only the preview links lines. */
export function lineIndex(view: BytecodeView): Map<number, number[]> {
  let index = lineIndexes.get(view);
  if (index) return index;
  index = new Map();
  view.rows.forEach((row, i) => {
    if (row.kind === "chunk") return;
    const list = index!.get(row.line);
    if (list) list.push(i);
    else index!.set(row.line, [i]);
  });
  lineIndexes.set(view, index);
  return index;
}

function pad4(n: number): string {
  return String(n).padStart(4, "0");
}

function operandText(o: Operand): string {
  switch (o.kind) {
    case "constant":
      return `${o.index} ${o.text}`;
    case "number":
      return String(o.value);
    case "jump":
      return `-> ${pad4(o.target)}`;
    case "call":
      return `${o.index} ${o.text} argc=${o.argc}`;
    case "closure":
      return `${o.index} ${o.text} captures=${o.captures}`;
    case "undecodable":
      return o.text;
  }
}

/** A row as the disassembly listing prints it (docs/bytecode-tools.md). */
export function rowText(row: Row): string {
  switch (row.kind) {
    case "chunk":
      return row.text;
    case "capture":
      return `${" ".repeat(13)}|   ${row.isLocal ? "local" : "upvalue"} ${row.quoted}`;
    case "instruction": {
      const prefix = `${pad4(row.offset)} ${row.sameLine ? "   |" : String(row.line).padStart(4, " ")} `;
      if (row.operands.length === 0) return prefix + row.op;
      return `${prefix}${row.op.padEnd(18)} ${row.operands.map(operandText).join(" ")}`;
    }
  }
}

/** The first verification problem as the reader words it, with the bytes it is about. */
function firstProblem(file: WhbcFile, layout: ChunkLayout[]): { error: string; bytes?: ByteRange } | null {
  const names = new Set(file.chunks.map((c) => c.name));
  for (let i = 0; i < file.chunks.length; i++) {
    const chunk = file.chunks[i];
    const problem = verifyChunk(chunk, names);
    if (problem === null) continue;
    const where = layout[i];
    // verifyChunk words an instruction's problem `in chunk 'NAME' at offset O: …`.
    const prefix = `in chunk '${chunk.name}' at offset `;
    const offset = problem.startsWith(prefix) ? parseInt(problem.slice(prefix.length), 10) : NaN;
    const bytes = !where ? undefined : Number.isFinite(offset) ? { start: where.code.start + offset, end: where.code.start + offset + 1 } : where.range;
    return { error: visibleText(`Invalid bytecode: ${problem}`), bytes };
  }
  return null;
}

/**
 * The view of a `.whbc` file's bytes. A file that fails to load has no chunks; one that loads but
 * fails verification keeps its (unverified) chunks so the user can see what is wrong with them.
 */
export function viewOfFile(bytes: Uint8Array): BytecodeView {
  const decoded = decodeWhbc(bytes);
  if (!decoded.ok) {
    const at = decoded.offset;
    return {
      error: visibleText(decoded.error),
      errorBytes: at === undefined ? undefined : { start: at, end: Math.min(bytes.length, at + 1) },
      size: bytes.length,
      chunks: [],
      rows: [],
    };
  }
  const layout = whbcLayout(bytes).chunks;
  const view = buildView(decoded.file, layout);
  view.size = bytes.length;
  const problem = firstProblem(decoded.file, layout);
  if (problem) {
    view.error = problem.error;
    view.errorBytes = problem.bytes;
    const row = problem.bytes ? rowAtByte(view, problem.bytes.start) : -1;
    if (row >= 0) view.errorRow = row;
  }
  return view;
}

/** The live preview of source text: its compiled chunks, or its errors. */
export function viewOfSource(text: string): PreviewModel {
  const result = compile(text);
  if (!result.file) {
    const errors = result.diagnostics.filter((d) => d.severity === "error").map(errorView);
    return { ok: false, errors };
  }
  return { ok: true, view: buildView(result.file, null) };
}

function errorView(d: Diagnostic): CompileErrorView {
  return { code: d.code, message: d.message, line: d.line, column: d.column, start: d.start, end: d.end };
}

/** The listing text of rows (what `disassemble` prints for those chunks), for tests and copying. */
export function listingOf(view: BytecodeView): string {
  const out: string[] = [];
  for (const row of view.rows) {
    if (row.kind === "chunk" && out.length > 0) out.push("");
    out.push(rowText(row));
  }
  return out.join("\n") + "\n";
}
