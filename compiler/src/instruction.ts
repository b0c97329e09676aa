// Decoding one instruction from a chunk's code bytes: the shared first step of the verifier
// and the disassembler, so both agree on where instructions start and what their operands are.
import { OpcodeInfo, opcodeInfo } from "./opcodes";

export interface Capture {
  isLocal: boolean;
  /** The descriptor's raw bytes (a variable name, or a parent slot in decimal). */
  bytes: Uint8Array;
}

export interface DecodedInstruction {
  offset: number;
  /** Length in bytes, opcode included. */
  size: number;
  info: OpcodeInfo;
  /** `const`, `name`, `call`, `closure`: the constant index. `byte`: the byte. `jump`: the target. */
  operand: number;
  /** CALL: the argument count. */
  argc: number;
  /** MAKE_CLOSURE: the capture descriptors. */
  captures: Capture[];
}

export type DecodeResult =
  | { ok: true; instruction: DecodedInstruction }
  | { ok: false; problem: "unknown opcode"; byte: number }
  | { ok: false; problem: "truncated"; info: OpcodeInfo };

/** Decodes the instruction at `offset` (which must be inside `code`). */
export function decodeInstruction(code: Uint8Array, offset: number): DecodeResult {
  const byte = code[offset];
  const info = opcodeInfo(byte);
  if (!info) return { ok: false, problem: "unknown opcode", byte };
  const end = code.length;
  const truncated: DecodeResult = { ok: false, problem: "truncated", info };
  let size = 1;
  let operand = 0;
  let argc = 0;
  const captures: Capture[] = [];
  switch (info.operands) {
    case "none":
      break;
    case "const":
    case "name":
    case "byte":
      if (offset + 2 > end) return truncated;
      operand = code[offset + 1];
      size = 2;
      break;
    case "jump":
      if (offset + 3 > end) return truncated;
      operand = (code[offset + 1] << 8) | code[offset + 2];
      size = 3;
      break;
    case "call":
      if (offset + 3 > end) return truncated;
      operand = code[offset + 1];
      argc = code[offset + 2];
      size = 3;
      break;
    case "closure": {
      if (offset + 3 > end) return truncated;
      operand = code[offset + 1];
      const n = code[offset + 2];
      let p = offset + 3;
      for (let i = 0; i < n; i++) {
        if (p + 2 > end) return truncated;
        const isLocal = code[p] !== 0;
        const len = code[p + 1];
        if (p + 2 + len > end) return truncated;
        captures.push({ isLocal, bytes: code.subarray(p + 2, p + 2 + len) });
        p += 2 + len;
      }
      size = p - offset;
      break;
    }
  }
  return { ok: true, instruction: { offset, size, info, operand, argc, captures } };
}
