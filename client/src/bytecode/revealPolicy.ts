// Clicking an instruction selects its source line; the editor scrolls only when that line is off
// screen (a line already in view stays where it is, code lens above it included).

/** 0-based line ranges an editor shows (`TextEditor.visibleRanges`, lines only). */
export interface LineSpan {
  start: number;
  end: number;
}

/** Whether a 0-based `line` is outside every visible span, so the editor must scroll to it. */
export function needsScroll(line: number, visible: readonly LineSpan[]): boolean {
  return !visible.some((v) => line >= v.start && line <= v.end);
}
