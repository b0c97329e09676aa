// The messages between the bytecode views' extension side and their webview script
// (client/src/bytecode/view/, type-checked against these shapes), and their making.
import { LINE_PALETTE, opcodeMeanings, type BytecodeView, type ByteRange, type ChunkView, type CompileErrorView, type Row } from "./viewModel";

/** Quiet time after the last keystroke before the preview recompiles. */
export const PREVIEW_DEBOUNCE_MS = 100;

/** Rows travel in pages the webview asks for, so a megabyte file never crosses in one message. */
export const ROW_PAGE = 256;

export interface DocumentMessage {
  type: "document";
  /** Grows with every new document; pages of an older version are dropped. */
  version: number;
  mode: "file" | "preview";
  title: string;
  size: number;
  error: string | null;
  errorBytes?: ByteRange;
  /** The instruction that failed verification: selected when the file opens. */
  errorRow?: number;
  /** Preview of source with compile errors: the errors, shown instead of the disassembly. */
  compileErrors?: CompileErrorView[];
  chunks: ChunkView[];
  rowCount: number;
  /** The file's bytes in base64 (file mode only), for the hex view. */
  bytes?: string;
  opcodes: Record<string, string>;
  palette: readonly string[];
  lineColors: boolean;
}

export interface RowsMessage {
  type: "rows";
  version: number;
  start: number;
  rows: Row[];
}

/** The source cursor moved: highlight this line's rows and scroll the first into view. */
export interface SelectLineMessage {
  type: "selectLine";
  version: number;
  line: number;
  rows: number[];
}

export interface SettingsMessage {
  type: "settings";
  lineColors: boolean;
}

/** The row of the instruction holding a byte the user clicked in the hex view. */
export interface SelectRowMessage {
  type: "selectRow";
  version: number;
  row: number;
}

export type ToWebview = DocumentMessage | RowsMessage | SelectLineMessage | SelectRowMessage | SettingsMessage;

/** What the webview has on screen after a render: how tests observe it. */
export interface RenderedReport {
  type: "rendered";
  version: number;
  rowCount: number;
  chunkCount: number;
  error: string | null;
  compileErrors: number;
  selectedLine: number | null;
  /** Rows on screen drawn as belonging to the selected source line. */
  highlightedRows: number[];
  /** The row the keyboard or a click selected, if any. */
  selectedRow: number | null;
  firstVisibleRow: number;
  lastVisibleRow: number;
  /** Whether rows are drawn in their source line's colour (setting `whispem.bytecode.lineColors`). */
  lineColors: boolean;
  /** Row elements in the DOM: the listing draws only what is on screen, however long the file. */
  drawnRows: number;
  /** Hex view rows on screen (file mode), first and last. */
  hexRows: [number, number] | null;
}

export type FromWebview =
  | { type: "ready" }
  | { type: "rows"; version: number; start: number; count: number }
  /** A byte was clicked in the hex view: which instruction holds it? */
  | { type: "rowAtByte"; offset: number }
  /** Pointer over a row of this source line (null: left the listing). */
  | { type: "hoverLine"; line: number | null }
  /** A row (or a compile error) was clicked or chosen with the keyboard: show its source line. */
  | { type: "revealLine"; line: number; column?: number }
  | RenderedReport;

/** What a view shows: the model (null for source with errors) and, for a file, its bytes. */
export interface ShownDocument {
  title: string;
  view: BytecodeView | null;
  compileErrors?: CompileErrorView[];
  /** The file's bytes, for the hex view (file mode). */
  bytes?: Uint8Array;
}

const meanings = opcodeMeanings();

export function documentMessage(shown: ShownDocument, version: number, mode: "file" | "preview", lineColors: boolean): DocumentMessage {
  const view = shown.view;
  const bytes = shown.bytes;
  return {
    type: "document",
    version,
    mode,
    title: shown.title,
    size: view?.size ?? bytes?.length ?? 0,
    error: view?.error ?? null,
    errorBytes: view?.errorBytes,
    errorRow: view?.errorRow,
    compileErrors: shown.compileErrors,
    chunks: view?.chunks ?? [],
    rowCount: view?.rows.length ?? 0,
    bytes: bytes ? base64(bytes) : undefined,
    opcodes: meanings,
    palette: LINE_PALETTE,
    lineColors,
  };
}

/** The page of rows starting at `start` (at most four pages, whatever was asked). */
export function rowsMessage(view: BytecodeView | null, version: number, start: number, count: number): RowsMessage | null {
  const rows = view?.rows ?? [];
  if (start >= rows.length) return null;
  return { type: "rows", version, start, rows: rows.slice(start, Math.min(rows.length, start + Math.min(count, 4 * ROW_PAGE))) };
}

/** Base64 without Node's Buffer, so the web build can send bytes too. */
function base64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
