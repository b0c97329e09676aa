// Reads what `wvm` writes to stderr when a program fails (runtime.md §8) and finds the source
// line it names: the error's own `[line L, col 0]`, or else the innermost `  at NAME (line L)`.

export interface RuntimeError {
  message: string;
  /** 1-based source line, or null when neither the error nor the trace names one. */
  line: number | null;
  /** The error's first line without the `FILE: ` prefix, e.g. `[line 3, col 0] Error: …`. */
  text: string;
}

const ERROR_LINE = /^(?:\[line (\d+), col (\d+)\] )?Error: (.*)$/;
const TRACE_LINE = /^\s+at .* \(line (\d+)\)\s*$/;

/**
 * Parses the stderr of a failed run of `wvm FILE`. Returns null when stderr does not start with
 * a runtime error for FILE (for instance `Cannot read 'FILE': …`, or output of another tool).
 */
export function parseRuntimeError(stderr: string, file: string): RuntimeError | null {
  const lines = stderr.split(/\r?\n/);
  const first = lines.findIndex((l) => l.length > 0);
  if (first < 0) return null;
  const prefix = `${file}: `;
  if (!lines[first].startsWith(prefix)) return null;
  const text = lines[first].slice(prefix.length);
  const m = ERROR_LINE.exec(text);
  if (!m) return null;
  let line = m[1] !== undefined ? Number(m[1]) : null;
  if (line === null) {
    for (const l of lines.slice(first + 1)) {
      const t = TRACE_LINE.exec(l);
      if (t) {
        line = Number(t[1]);
        break;
      }
    }
  }
  // Line 0 is what a chunk without line information would report; it names no source line.
  if (line !== null && line < 1) line = null;
  return { message: m[3], line, text };
}

/** Replaces the `.whbc` path the VM was given by the source path at the start of each line. */
export function renameFileInOutput(text: string, from: string, to: string): string {
  if (from === to) return text;
  const prefix = `${from}: `;
  return text
    .split("\n")
    .map((l) => (l.startsWith(prefix) ? `${to}: ${l.slice(prefix.length)}` : l))
    .join("\n");
}
