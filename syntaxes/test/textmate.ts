// Loads the Whispem TextMate grammar the way VS Code does (vscode-textmate over the oniguruma wasm)
// and tokenizes whole documents line by line for the grammar tests.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";

export const repoRoot = join(__dirname, "..", "..");
export const grammarPath = join(repoRoot, "syntaxes", "whispem.tmLanguage.json");

export interface LineTokens {
  text: string;
  tokens: textmate.IToken[];
}

export interface TokenizedDocument {
  lines: LineTokens[];
  /** The rule stack after the last line. */
  endState: textmate.StateStack;
  /** True when some line hit the time limit and was left partly tokenized. */
  stoppedEarly: boolean;
}

let grammarPromise: Promise<textmate.IGrammar> | undefined;
let wasmLoaded: Promise<void> | undefined;

/** The grammar, loaded once per test process. */
export function loadWhispemGrammar(): Promise<textmate.IGrammar> {
  grammarPromise ??= load(grammarPath, "source.whispem");
  return grammarPromise;
}

/** The bytecode preview's grammar (syntaxes/whispem-bytecode.tmLanguage.json). */
export function loadBytecodeGrammar(): Promise<textmate.IGrammar> {
  return load(join(repoRoot, "syntaxes", "whispem-bytecode.tmLanguage.json"), "source.whispem-bytecode");
}

async function load(grammarPath: string, scope: string): Promise<textmate.IGrammar> {
  const wasm = readFileSync(join(repoRoot, "node_modules", "vscode-oniguruma", "release", "onig.wasm"));
  wasmLoaded ??= oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  await wasmLoaded;
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => {
      if (scopeName !== scope) return null;
      return textmate.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath);
    },
  });
  const grammar = await registry.loadGrammar(scope);
  if (!grammar) throw new Error(`${scope} did not load`);
  return grammar;
}

/** Splits like the editor does: on \n, with a \r before it belonging to the line break. */
export function documentLines(text: string): string[] {
  return text.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

export function tokenizeLines(grammar: textmate.IGrammar, lines: readonly string[]): TokenizedDocument {
  let state = textmate.INITIAL;
  let stoppedEarly = false;
  const out: LineTokens[] = [];
  for (const text of lines) {
    const r = grammar.tokenizeLine(text, state);
    stoppedEarly ||= r.stoppedEarly;
    out.push({ text, tokens: r.tokens });
    state = r.ruleStack;
  }
  return { lines: out, endState: state, stoppedEarly };
}

/** The state a document returns to between top-level statements: the one after an empty line. */
export function topLevelState(grammar: textmate.IGrammar): textmate.StateStack {
  return grammar.tokenizeLine("", textmate.INITIAL).ruleStack;
}
