// The Whispem instruction set (bytecode format 4, spec/bytecode.md §2) as one table: byte, name,
// operand layout and a one-line meaning. The compiler, verifier, disassembler and editor views read it.

/**
 * Operand layouts:
 * - `none`: no operand;
 * - `const`: u8 index of any constant (PUSH_CONST);
 * - `name`: u8 index of a string constant naming a variable (LOAD, STORE, LOAD_GLOBAL);
 * - `byte`: one u8 taken as a plain number (upvalue slots, element counts);
 * - `jump`: u16 big-endian absolute target in the same chunk;
 * - `call`: u8 name (string constant), u8 argument count;
 * - `closure`: u8 name (string constant naming a chunk), u8 n, then n × (u8 is_local, u8 len, len bytes).
 */
export type OperandLayout = "none" | "const" | "name" | "byte" | "jump" | "call" | "closure";

export interface OpcodeInfo {
  byte: number;
  name: string;
  operands: OperandLayout;
  /** One line for hovers and the disassembly legend. */
  meaning: string;
}

function op(byte: number, name: string, operands: OperandLayout, meaning: string): OpcodeInfo {
  return { byte, name, operands, meaning };
}

/** Every opcode, in byte order. */
export const OPCODES: readonly OpcodeInfo[] = [
  op(0x00, "PUSH_CONST", "const", "push constant"),
  op(0x01, "PUSH_TRUE", "none", "push true"),
  op(0x02, "PUSH_FALSE", "none", "push false"),
  op(0x03, "PUSH_NONE", "none", "push none"),
  op(0x10, "LOAD", "name", "push the frame's local of this name, else the global, else error"),
  op(0x11, "STORE", "name", "pop into the local (in a function) or the global (in <main>); writes an open cell first"),
  op(0x12, "LOAD_GLOBAL", "name", "push the global of this name, else error"),
  op(0x13, "LOAD_UPVALUE", "byte", "push the closure's captured cell at this slot"),
  op(0x14, "STORE_UPVALUE", "byte", "pop into the closure's captured cell at this slot"),
  op(0x15, "CLOSE_UPVALUE", "byte", "no effect (operand skipped)"),
  op(0x20, "ADD", "none", "a b → a+b: numbers, or string concatenation"),
  op(0x21, "SUB", "none", "a b → a−b"),
  op(0x22, "MUL", "none", "a b → a×b"),
  op(0x23, "DIV", "none", "a b → a÷b"),
  op(0x24, "MOD", "none", "a b → a mod b (C fmod: sign of the dividend)"),
  op(0x25, "NEG", "none", "a → −a"),
  op(0x30, "EQ", "none", "a b → a == b"),
  op(0x31, "NEQ", "none", "a b → a != b"),
  op(0x32, "LT", "none", "a b → a < b"),
  op(0x33, "LTE", "none", "a b → a <= b"),
  op(0x34, "GT", "none", "a b → a > b"),
  op(0x35, "GTE", "none", "a b → a >= b"),
  op(0x36, "NOT", "none", "a → not truthy(a)"),
  op(0x40, "JUMP", "jump", "continue at the target offset"),
  op(0x41, "JUMP_IF_FALSE", "jump", "pop; jump if falsy"),
  op(0x42, "JUMP_IF_TRUE", "jump", "pop; jump if truthy"),
  op(0x43, "PEEK_JUMP_IF_FALSE", "jump", "jump if the top is falsy, keeping it"),
  op(0x44, "PEEK_JUMP_IF_TRUE", "jump", "jump if the top is truthy, keeping it"),
  op(0x50, "CALL", "call", "pop argc arguments (and the callee for __callee__), call, push the result"),
  op(0x51, "RETURN", "none", "pop a value and return it to the caller"),
  op(0x52, "RETURN_NONE", "none", "return none to the caller"),
  op(0x53, "MAKE_CLOSURE", "closure", "push a function value of the named chunk with its captured cells"),
  op(0x60, "MAKE_ARRAY", "byte", "pop n values, push an array of them"),
  op(0x61, "MAKE_DICT", "byte", "pop n key/value pairs, push a dict of them"),
  op(0x62, "GET_INDEX", "none", "obj idx → obj[idx]"),
  op(0x63, "SET_INDEX", "none", "obj idx v → the updated collection"),
  op(0x70, "PRINT", "none", "pop a value and print it with a newline"),
  op(0x71, "POP", "none", "drop the top value"),
  op(0xff, "HALT", "none", "end of program"),
];

/** Opcode info by byte; undefined for a byte that is no opcode. */
const byByte: (OpcodeInfo | undefined)[] = new Array(256).fill(undefined);
for (const o of OPCODES) byByte[o.byte] = o;

export function opcodeInfo(byte: number): OpcodeInfo | undefined {
  return byByte[byte];
}

/** Opcode bytes by name, for the code generator. */
export const Op = {
  PUSH_CONST: 0x00,
  PUSH_TRUE: 0x01,
  PUSH_FALSE: 0x02,
  PUSH_NONE: 0x03,
  LOAD: 0x10,
  STORE: 0x11,
  LOAD_GLOBAL: 0x12,
  LOAD_UPVALUE: 0x13,
  STORE_UPVALUE: 0x14,
  CLOSE_UPVALUE: 0x15,
  ADD: 0x20,
  SUB: 0x21,
  MUL: 0x22,
  DIV: 0x23,
  MOD: 0x24,
  NEG: 0x25,
  EQ: 0x30,
  NEQ: 0x31,
  LT: 0x32,
  LTE: 0x33,
  GT: 0x34,
  GTE: 0x35,
  NOT: 0x36,
  JUMP: 0x40,
  JUMP_IF_FALSE: 0x41,
  JUMP_IF_TRUE: 0x42,
  PEEK_JUMP_IF_FALSE: 0x43,
  PEEK_JUMP_IF_TRUE: 0x44,
  CALL: 0x50,
  RETURN: 0x51,
  RETURN_NONE: 0x52,
  MAKE_CLOSURE: 0x53,
  MAKE_ARRAY: 0x60,
  MAKE_DICT: 0x61,
  GET_INDEX: 0x62,
  SET_INDEX: 0x63,
  PRINT: 0x70,
  POP: 0x71,
  HALT: 0xff,
} as const;

export type OpName = keyof typeof Op;

/** Instructions after which execution never continues with the next byte. */
export function endsFlow(byte: number): boolean {
  return byte === Op.HALT || byte === Op.RETURN || byte === Op.RETURN_NONE || byte === Op.JUMP;
}
