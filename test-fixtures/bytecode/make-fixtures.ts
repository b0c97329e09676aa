// Regenerates this folder's .whbc fixtures: compiled programs and broken variants of them.
//   node --import tsx test-fixtures/bytecode/make-fixtures.ts
// (the expected views, *.view.txt, come from UPDATE_GOLDEN=1 npm test -- bytecodeViewModel)
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../../compiler/src/compiler";
import { decodeInstruction } from "../../compiler/src/instruction";
import { readWhbc } from "../../compiler/src/whbc";
import { whbcLayout } from "../../compiler/src/whbcLayout";

const here = __dirname;

function compiled(name: string): Uint8Array {
  const r = compile(readFileSync(join(here, `${name}.wsp`), "utf8"));
  if (!r.bytes) throw new Error(`${name}.wsp does not compile: ${JSON.stringify(r.diagnostics)}`);
  writeFileSync(join(here, `${name}.whbc`), r.bytes);
  return r.bytes;
}

function variant(name: string, bytes: Uint8Array): void {
  writeFileSync(join(here, `${name}.whbc`), bytes);
}

const program = compiled("program");
compiled("hostile");
const layout = whbcLayout(program);
const main = layout.chunks[0];

variant("empty", new Uint8Array());
variant("bad-magic", Uint8Array.from([...Buffer.from("WHBX"), ...program.subarray(4)]));
variant("wrong-version", Uint8Array.from([...program.subarray(0, 4), 3, ...program.subarray(5)]));
// Cut inside <main>'s constant pool.
variant("truncated", program.slice(0, main.constants[2].start + 3));
{
  const b = program.slice();
  b[main.constants[1].start] = 9;
  variant("unknown-tag", b);
}
{
  // The first instruction of <main> becomes an unknown opcode.
  const b = program.slice();
  b[main.code.start] = 0x99;
  variant("unknown-opcode", b);
}
{
  // A JUMP_IF_FALSE in count_to that lands inside an instruction.
  const file = readWhbc(program);
  if (!file.ok) throw new Error(file.error);
  const index = file.file.chunks.findIndex((c) => c.name === "count_to");
  const chunk = file.file.chunks[index];
  const b = program.slice();
  for (let offset = 0; offset < chunk.code.length; ) {
    const d = decodeInstruction(chunk.code, offset);
    if (!d.ok) throw new Error("count_to does not decode");
    if (d.instruction.info.name === "JUMP_IF_FALSE") {
      const at = layout.chunks[index].code.start + offset;
      const target = d.instruction.operand + 1;
      b[at + 1] = target >> 8;
      b[at + 2] = target & 0xff;
      break;
    }
    offset += d.instruction.size;
  }
  variant("bad-jump", b);
}
