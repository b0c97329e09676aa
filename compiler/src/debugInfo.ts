// Debug information: what a debugger needs to show a stopped program in source terms, made from
// the compiled chunks (the `.whbc` stays exactly the reference's; this goes beside it).
//
// Locals live in a frame by name (runtime.md §4: a STORE in a function frame makes a local), so
// the names are in the bytecode already; what the file lacks is which names are parameters,
// where each becomes live, which source lines a chunk spans, who made each lambda and the name
// of each captured slot (a MAKE_CLOSURE descriptor names a variable of the parent, or a slot of
// the parent's own captures). Documented in docs/debug-info.md.
import { decodeInstruction } from "./instruction";
import { Op } from "./opcodes";
import type { Chunk } from "./whbc";

export const DEBUG_INFO_VERSION = 1;

export interface DebugVariable {
  name: string;
  /** First source line with a store to it (a parameter: the function's first line). */
  fromLine: number;
  /** Last line of the chunk: a local lives until its function returns. */
  toLine: number;
  /** A name the compiler made (`__iter_N`, `__idx_N` of a for loop): hidden by debuggers. */
  hidden: boolean;
}

export interface DebugChunk {
  /** The chunk's name in the `.whbc` (`<main>`, a function, `__lambda_LINE_N`). */
  name: string;
  /** What to show in a call stack: the function name, `lambda (line N)`, `<main>`. */
  displayName: string;
  kind: "main" | "function" | "lambda";
  /** Lowest and highest source line of its code (0, 0 when it has none). */
  firstLine: number;
  lastLine: number;
  /** In declaration order. */
  params: string[];
  /** Parameters and every other name the chunk stores as a local, by first store. Empty for `<main>` (its names are globals). */
  locals: DebugVariable[];
  /** Captured variables by upvalue slot (`LOAD_UPVALUE n` reads `captured[n]`). */
  captured: string[];
  /** The chunk whose MAKE_CLOSURE makes this lambda; null for `<main>` and named functions. */
  parent: string | null;
}

export interface DebugInfo {
  version: number;
  chunks: DebugChunk[];
}

const HIDDEN = /^__(iter|idx)_\d+$/;
const LAMBDA = /^__lambda_(\d+)_\d+$/;

interface Closure {
  parent: string;
  captures: { isLocal: boolean; name: string }[];
}

/** The debug information of a compiled file's chunks (in file order, `<main>` first). */
export function debugInfo(chunks: readonly Chunk[]): DebugInfo {
  const closures = new Map<string, Closure>();
  const scans = chunks.map((chunk) => scan(chunk, closures));
  const out: DebugChunk[] = [];
  const byName = new Map<string, DebugChunk>();
  chunks.forEach((chunk, i) => {
    const isMain = i === 0;
    const lambda = LAMBDA.exec(chunk.name);
    const kind: DebugChunk["kind"] = isMain ? "main" : lambda ? "lambda" : "function";
    const { stores, firstLine, lastLine } = scans[i];
    // Parameters are stored first, last parameter first (compiler.md §4).
    const params = isMain ? [] : stores.slice(0, chunk.paramCount).map((s) => s.name).reverse();
    const locals: DebugVariable[] = [];
    if (!isMain) {
      const seen = new Set<string>();
      stores.forEach((s, k) => {
        if (seen.has(s.name)) return;
        seen.add(s.name);
        const fromLine = k < chunk.paramCount ? firstLine : s.line;
        locals.push({ name: s.name, fromLine, toLine: lastLine, hidden: HIDDEN.test(s.name) });
      });
    }
    const d: DebugChunk = {
      name: chunk.name,
      displayName: isMain ? "<main>" : lambda ? `lambda (line ${lambda[1]})` : chunk.name,
      kind,
      firstLine,
      lastLine,
      params,
      locals,
      captured: [],
      parent: closures.get(chunk.name)?.parent ?? null,
    };
    out.push(d);
    byName.set(d.name, d);
  });
  // Capture names: a descriptor names a local of the parent, or one of the parent's slots.
  const resolving = new Set<string>();
  const capturedOf = (name: string): string[] => {
    const d = byName.get(name);
    const closure = closures.get(name);
    if (!d || !closure) return [];
    if (d.captured.length > 0 || resolving.has(name)) return d.captured;
    resolving.add(name);
    const parentNames = capturedOf(closure.parent);
    d.captured = closure.captures.map((c) => (c.isLocal ? c.name : (parentNames[Number(c.name)] ?? `#${c.name}`)));
    resolving.delete(name);
    return d.captured;
  };
  for (const d of out) capturedOf(d.name);
  return { version: DEBUG_INFO_VERSION, chunks: out };
}

interface Scan {
  stores: { name: string; line: number }[];
  firstLine: number;
  lastLine: number;
}

function scan(chunk: Chunk, closures: Map<string, Closure>): Scan {
  const stores: Scan["stores"] = [];
  let firstLine = 0;
  let lastLine = 0;
  for (const line of chunk.lines) {
    if (line === 0) continue;
    if (firstLine === 0 || line < firstLine) firstLine = line;
    if (line > lastLine) lastLine = line;
  }
  const decoder = new TextDecoder();
  const constName = (k: number): string | null => {
    const c = chunk.constants[k];
    return c && c.kind === "string" ? c.value : null;
  };
  for (let at = 0; at < chunk.code.length; ) {
    const r = decodeInstruction(chunk.code, at);
    if (!r.ok) break;
    const ins = r.instruction;
    if (ins.info.byte === Op.STORE) {
      const name = constName(ins.operand);
      if (name !== null) stores.push({ name, line: chunk.lines[at] });
    } else if (ins.info.byte === Op.MAKE_CLOSURE) {
      const name = constName(ins.operand);
      if (name !== null) {
        closures.set(name, {
          parent: chunk.name,
          captures: ins.captures.map((c) => ({ isLocal: c.isLocal, name: decoder.decode(c.bytes) })),
        });
      }
    }
    at += ins.size;
  }
  return { stores, firstLine, lastLine };
}

/** The side file `FILE.whbc.dbg.json`. */
export function debugInfoJson(info: DebugInfo): string {
  return JSON.stringify(info, null, 1) + "\n";
}

/** Reads a side file; null when it is not one this version understands. */
export function parseDebugInfo(text: string): DebugInfo | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const o = v as Partial<DebugInfo>;
  if (o.version !== DEBUG_INFO_VERSION || !Array.isArray(o.chunks)) return null;
  return o as DebugInfo;
}

/** The live, visible locals of a chunk at a source line. */
export function liveLocals(chunk: DebugChunk, line: number): DebugVariable[] {
  return chunk.locals.filter((l) => !l.hidden && l.fromLine <= line && line <= l.toLine);
}
