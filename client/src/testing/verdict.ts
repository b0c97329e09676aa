// Turns the end of a test program's run into the Testing view's verdict: passed, failed (with
// the output diff, or the failed assert / runtime error on its line) or errored (it could not
// run). Plain data, no VS Code, so that it can be unit-tested.
import type { RunResult } from "../runs";

export interface VerdictMessage {
  text: string;
  /** 1-based source line of the program, when the message belongs to one. */
  line?: number;
  /** For an output mismatch: the expected and the actual output. */
  expected?: string;
  actual?: string;
}

export interface Verdict {
  status: "passed" | "failed" | "errored" | "skipped";
  messages: VerdictMessage[];
  /** How long the run took (set by the controller). */
  durationMs?: number;
}

/** Line endings as `\n`: an expected file written on Windows still matches. */
function normalize(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/** The 1-based number of the first line where two texts differ. */
export function firstDifferentLine(expected: string, actual: string): number {
  const a = expected.split("\n");
  const b = actual.split("\n");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i + 1;
}

/**
 * `expected` is the expected output for an expected-output test, null for an assert test. The
 * program's output (stdout and stderr in order) must equal it exactly, after line endings are
 * normalized; an assert test passes when the program exits with status 0.
 */
export function verdict(result: Pick<RunResult, "outcome" | "exitCode" | "output" | "runtimeError" | "reason">, expected: string | null, expectedName = "the expected output"): Verdict {
  switch (result.outcome) {
    case "stopped":
      return { status: "skipped", messages: [{ text: "cancelled" }] };
    case "refused":
    case "failedToStart":
      return { status: "errored", messages: [{ text: result.reason ?? "the program could not be run" }] };
    case "timedOut":
      return { status: "failed", messages: [{ text: `the program did not finish: ${result.reason ?? "time limit"}` }] };
    case "compileError":
      return { status: "failed", messages: [{ text: `compile errors:\n${result.output.trim()}`, line: compileErrorLine(result.output) }] };
    default:
      break;
  }
  const messages: VerdictMessage[] = [];
  const err = result.runtimeError;
  if (result.exitCode !== 0) {
    const text = err ? err.message : `the program exited with status ${result.exitCode}`;
    messages.push({ text, line: err?.line ?? undefined });
  }
  if (expected !== null) {
    const want = normalize(expected);
    const got = normalize(result.output);
    if (want !== got) {
      messages.unshift({ text: `The output differs from ${expectedName} from line ${firstDifferentLine(want, got)}.`, expected: want, actual: got });
    }
  }
  return { status: messages.length ? "failed" : "passed", messages };
}

/** The line of the first compile error (`FILE: [line L, col C] Error: …`). */
function compileErrorLine(output: string): number | undefined {
  const m = /\[line (\d+), col \d+\] Error:/.exec(output);
  return m ? Number(m[1]) : undefined;
}
