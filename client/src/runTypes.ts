// What a run is and how it ends, for every runner (the native wvm in runs.ts, the WebAssembly VM
// of the web build in web/webRuns.ts) and the views that show runs (terminal, status bar).
import type { RuntimeError } from "./runtimeError";

export type RunOutcome = "exited" | "stopped" | "timedOut" | "refused" | "compileError" | "failedToStart";

export interface RunResult {
  /** The source file's path. */
  file: string;
  outcome: RunOutcome;
  exitCode: number | null;
  /** What the program wrote (stdout and stderr, in order), as shown to the user. */
  output: string;
  runtimeError?: RuntimeError;
  /** Run on save of a program that calls input(): it read end of input, so a failure is not the source's. */
  endOfInput?: boolean;
  /** Why the program did not run or did not finish normally, in words for the user. */
  reason?: string;
  /** Which VM ran it: the native `wvm` or the WebAssembly one. */
  vm?: "native" | "wasm";
}

export interface RunSink {
  write(text: string): void;
}

export interface RunOptions {
  interactive: boolean;
  timeLimitMs?: number;
  /** Runtime errors become diagnostics. */
  diagnostics: boolean;
  /** Nobody types and the program calls input(): it reads end of input. */
  endOfInput?: boolean;
}

export interface ActiveRun {
  readonly file: string;
  readonly result: Promise<RunResult>;
  write(input: string): void;
  endInput(): void;
  stop(): void;
}
