// The disassembler (spec/bytecode.md §4, exact format in docs/bytecode-tools.md): the text listing
// that is the compiler's test oracle, and the structured form the editor's bytecode views show.
import type { Chunk, Constant, WhbcFile } from "./whbc";
import { decodeInstruction } from "./instruction";
import { shortest } from "./numfmt";

export interface DisasmInstruction {
  offset: number;
  /** Bytes taken, opcode included. */
  size: number;
  /** Source line recorded for the opcode byte. */
  line: number;
  opcode: number;
  /** Opcode name, or `UNKNOWN` / the name of a truncated instruction in an unverified chunk. */
  name: string;
  /** The operand bytes as numbers: a constant index, a count, a slot, a jump target; CALL: [name, argc]; MAKE_CLOSURE: [name, n]. */
  operands: number[];
  /** The constant a PUSH_CONST/LOAD/STORE/LOAD_GLOBAL/CALL/MAKE_CLOSURE operand refers to. */
  constant?: { index: number; value: Constant | undefined; text: string };
  /** Jumps: the absolute target offset. */
  target?: number;
  call?: { name: string; argc: number };
  closure?: { chunk: string; captures: { isLocal: boolean; name: string }[] };
  /** This instruction's lines of the listing (more than one for MAKE_CLOSURE with captures). */
  text: string;
}

export interface DisasmChunk {
  name: string;
  paramCount: number;
  constants: Constant[];
  codeLength: number;
  header: string;
  instructions: DisasmInstruction[];
}

const encoder = new TextEncoder();
const lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** Quotes text bytes as the listing shows string constants: `'…'` with C-like escapes. */
export function quoteBytes(bytes: Uint8Array): string {
  const out: number[] = [0x27];
  const push = (s: string) => {
    for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
  };
  for (const b of bytes) {
    if (b === 0x5c) push("\\\\");
    else if (b === 0x27) push("\\'");
    else if (b === 0x0a) push("\\n");
    else if (b === 0x0d) push("\\r");
    else if (b === 0x09) push("\\t");
    else if (b < 0x20 || b === 0x7f) push("\\x" + b.toString(16).padStart(2, "0"));
    else out.push(b);
  }
  out.push(0x27);
  return lenientUtf8.decode(new Uint8Array(out));
}

/** A constant as the listing shows it. */
export function constantText(c: Constant | undefined): string {
  if (c === undefined) return "<out of range>";
  switch (c.kind) {
    case "string":
      return quoteBytes(encoder.encode(c.value));
    case "number":
      return `'${shortest(c.value)}'`;
    case "bool":
      return c.value ? "true" : "false";
    case "none":
      return "none";
  }
}

function pad4(n: number): string {
  return String(n).padStart(4, "0");
}

function stringOf(c: Constant | undefined): string {
  return c && c.kind === "string" ? c.value : "";
}

export function disassembleChunk(chunk: Chunk): DisasmChunk {
  const instructions: DisasmInstruction[] = [];
  let previousLine: number | undefined;
  for (let offset = 0; offset < chunk.code.length; ) {
    const line = chunk.lines[offset] ?? 0;
    const lineText = line === previousLine ? "   |" : String(line).padStart(4, " ");
    previousLine = line;
    const prefix = `${pad4(offset)} ${lineText} `;
    const d = decodeInstruction(chunk.code, offset);
    if (!d.ok) {
      // Only an unverified chunk gets here; show the rest as undecodable and stop.
      const name = d.problem === "unknown opcode" ? "UNKNOWN" : d.info.name;
      const opcode = chunk.code[offset];
      const detail = d.problem === "unknown opcode" ? `0x${opcode.toString(16).padStart(2, "0")}` : "(truncated)";
      const size = chunk.code.length - offset;
      instructions.push({ offset, size, line, opcode, name, operands: [], text: `${prefix}${name.padEnd(18)} ${detail}` });
      break;
    }
    const ins = d.instruction;
    const name = ins.info.name;
    const result: DisasmInstruction = { offset, size: ins.size, line, opcode: ins.info.byte, name, operands: [], text: "" };
    let operandText = "";
    const extra: string[] = [];
    switch (ins.info.operands) {
      case "none":
        break;
      case "const":
      case "name": {
        const value = chunk.constants[ins.operand];
        result.operands = [ins.operand];
        result.constant = { index: ins.operand, value, text: constantText(value) };
        operandText = `${ins.operand} ${result.constant.text}`;
        break;
      }
      case "byte":
        result.operands = [ins.operand];
        operandText = String(ins.operand);
        break;
      case "jump":
        result.operands = [ins.operand];
        result.target = ins.operand;
        operandText = `-> ${pad4(ins.operand)}`;
        break;
      case "call": {
        const value = chunk.constants[ins.operand];
        result.operands = [ins.operand, ins.argc];
        result.constant = { index: ins.operand, value, text: constantText(value) };
        result.call = { name: stringOf(value), argc: ins.argc };
        operandText = `${ins.operand} ${result.constant.text} argc=${ins.argc}`;
        break;
      }
      case "closure": {
        const value = chunk.constants[ins.operand];
        result.operands = [ins.operand, ins.captures.length];
        result.constant = { index: ins.operand, value, text: constantText(value) };
        result.closure = {
          chunk: stringOf(value),
          captures: ins.captures.map((c) => ({ isLocal: c.isLocal, name: lenientUtf8.decode(c.bytes) })),
        };
        operandText = `${ins.operand} ${result.constant.text} captures=${ins.captures.length}`;
        for (const c of ins.captures) extra.push(`${" ".repeat(13)}|   ${c.isLocal ? "local" : "upvalue"} ${quoteBytes(c.bytes)}`);
        break;
      }
    }
    result.text = [operandText ? `${prefix}${name.padEnd(18)} ${operandText}` : `${prefix}${name}`, ...extra].join("\n");
    instructions.push(result);
    offset += ins.size;
  }
  const header = `== ${chunk.name} == params=${chunk.paramCount} constants=${chunk.constants.length} code=${chunk.code.length}`;
  return {
    name: chunk.name,
    paramCount: chunk.paramCount,
    constants: chunk.constants,
    codeLength: chunk.code.length,
    header,
    instructions,
  };
}

/** The structured form: one entry per chunk, in file order. */
export function disassembleStructured(file: WhbcFile): DisasmChunk[] {
  return file.chunks.map(disassembleChunk);
}

/** The text listing: chunks in file order, separated by an empty line, ending with a newline. */
export function disassemble(file: WhbcFile): string {
  return (
    disassembleStructured(file)
      .map((c) => [c.header, ...c.instructions.map((i) => i.text)].join("\n"))
      .join("\n\n") + "\n"
  );
}
