// The bytecode part of the compiler's public face (index.ts re-exports it): compiling, reading,
// checking and showing `.whbc` files. The bytecode views import it alone, so the extension's
// bundles carry none of the analysis.

export { compile, type CompileResult } from "./compiler";
export type { Diagnostic } from "./diagnostics";
export { constantText, quoteBytes } from "./disasm";
export { decodeInstruction } from "./instruction";
export { OPCODES } from "./opcodes";
export { verifyChunk } from "./verifier";
export { decodeWhbc, type Constant, type WhbcFile } from "./whbc";
export { whbcLayout, type ByteRange, type ChunkLayout } from "./whbcLayout";
