// The bytecode verifier (spec/bytecode.md §3, messages fixed by docs/bytecode-tools.md): checks a
// decoded file so that a VM can run it without reading outside its code, pool or chunk table.
import type { WhbcFile, Chunk } from "./whbc";
import { decodeInstruction } from "./instruction";
import { endsFlow } from "./opcodes";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function validUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function hex2(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}

/** The first problem of one chunk (the REASON without `Invalid bytecode: `), or null. */
export function verifyChunk(chunk: Chunk, chunkNames: ReadonlySet<string>): string | null {
  const whole = `in chunk '${chunk.name}'`;
  const at = (offset: number) => `in chunk '${chunk.name}' at offset ${offset}`;
  const code = chunk.code;
  if (code.length === 0) return `${whole}: code is empty`;
  if (chunk.lines.length !== code.length) return `${whole}: lines_len ${chunk.lines.length} differs from code_len ${code.length}`;

  const starts = new Uint8Array(code.length);
  const jumps: { offset: number; target: number }[] = [];
  let last = 0;
  for (let offset = 0; offset < code.length; ) {
    const d = decodeInstruction(code, offset);
    if (!d.ok) {
      if (d.problem === "unknown opcode") return `${at(offset)}: unknown opcode 0x${hex2(d.byte)}`;
      return `${at(offset)}: truncated instruction ${d.info.name}`;
    }
    const ins = d.instruction;
    const layout = ins.info.operands;
    if (layout === "const" || layout === "name" || layout === "call" || layout === "closure") {
      const k = ins.operand;
      if (k >= chunk.constants.length) {
        return `${at(offset)}: constant index ${k} out of range (pool has ${chunk.constants.length} constants)`;
      }
      const c = chunk.constants[k];
      if (layout !== "const" && c.kind !== "string") return `${at(offset)}: operand ${k} of ${ins.info.name} is not a string constant`;
      if (layout === "closure") {
        if (!chunkNames.has((c as { value: string }).value)) {
          return `${at(offset)}: MAKE_CLOSURE names unknown chunk '${(c as { value: string }).value}'`;
        }
        for (const cap of ins.captures) if (!validUtf8(cap.bytes)) return `${at(offset)}: capture name is not valid UTF-8`;
      }
    } else if (layout === "jump") {
      jumps.push({ offset, target: ins.operand });
    }
    starts[offset] = 1;
    last = offset;
    offset += ins.size;
  }
  for (const j of jumps) {
    if (j.target >= code.length || !starts[j.target]) return `${at(j.offset)}: jump target ${j.target} is not the start of an instruction`;
  }
  if (!endsFlow(code[last])) {
    const name = decodeInstruction(code, last);
    return `${at(last)}: last instruction ${name.ok ? name.instruction.info.name : "?"} can fall off the end`;
  }
  return null;
}

/** The first problem of the file (the REASON of `Invalid bytecode: REASON`), or null when it is sound. */
export function verify(file: WhbcFile): string | null {
  const names = new Set(file.chunks.map((c) => c.name));
  for (const chunk of file.chunks) {
    const problem = verifyChunk(chunk, names);
    if (problem !== null) return problem;
  }
  return null;
}
