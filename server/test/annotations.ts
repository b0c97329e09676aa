// Reads the expectations written inside fixture programs (see test-fixtures/server/README.md).

export interface ExpectedDiagnostic {
  code: string;
  severity: string;
  unnecessary: boolean;
  /** 0-based LSP positions (UTF-16 characters). */
  start: { line: number; character: number };
  /** Null when the annotation gives only the start. */
  end: { line: number; character: number } | null;
  /** The annotation's own line, for messages. */
  annotationLine: number;
}

export interface ExpectedHover {
  position: { line: number; character: number };
  contains: string;
  annotationLine: number;
}

const diagnosticLine = /^\s*#(?:(\s*)(\^+)(\.\.\.)?|\s*\[(\d+)-(\d+)\])\s+(WSP\d{4})\s+(error|warning|information|hint)(\s+unnecessary)?\s*$/;
const hoverLine = /^(\s*#\s*)\^\s+hover:\s*(.+)$/;

export function readAnnotations(text: string): { diagnostics: ExpectedDiagnostic[]; hovers: ExpectedHover[] } {
  const lines = text.split("\n");
  const diagnostics: ExpectedDiagnostic[] = [];
  const hovers: ExpectedHover[] = [];
  let target = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const d = diagnosticLine.exec(line);
    const h = hoverLine.exec(line);
    if (!d && !h) {
      target = i;
      continue;
    }
    if (target < 0) throw new Error(`annotation on line ${i + 1} has no line above it`);
    if (d) {
      let startCol: number;
      let endCol: number | null;
      if (d[2]) {
        startCol = line.indexOf("^");
        endCol = d[3] ? null : startCol + d[2].length;
      } else {
        startCol = Number(d[4]);
        endCol = Number(d[5]);
      }
      diagnostics.push({
        code: d[6],
        severity: d[7],
        unnecessary: Boolean(d[8]),
        start: { line: target, character: startCol },
        end: endCol === null ? null : { line: target, character: endCol },
        annotationLine: i + 1,
      });
    } else if (h) {
      hovers.push({ position: { line: target, character: line.indexOf("^") }, contains: h[2], annotationLine: i + 1 });
    }
  }
  return { diagnostics, hovers };
}
