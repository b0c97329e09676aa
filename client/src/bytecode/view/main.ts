// The bytecode views' webview script (the `.whbc` editor and the live preview): draws the chunks,
// the disassembly and the hex view from the extension's messages, whose shapes are ../protocol.ts
// (type-checked here). Bundled by esbuild (scripts/build.mjs) into out/media/bytecodeView.js and
// inlined in the page. Everything from the file is put in the DOM with textContent: constant
// strings are untrusted.
import type { DocumentMessage, FromWebview, RenderedReport, RowsMessage, ToWebview } from "../protocol";
import type { ByteRange, ChunkView, Operand, Row } from "../viewModel";
import { el, hex, numberTitle, pad4 } from "./dom";
import { VirtualList } from "./virtualList";

/** Where the user was, kept by VS Code across the reloads of a hidden webview. */
interface SavedState {
  rowCount: number;
  size: number;
  selectedRow: number | null;
  currentChunk: number;
  listingTop: number;
  hexTop: number;
}

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

type InstructionRow = Extract<Row, { kind: "instruction" }>;

const vscode = acquireVsCodeApi();
const mode: "file" | "preview" = document.body.dataset.mode === "file" ? "file" : "preview";
const ROW_HEIGHT = 20;
const HEX_HEIGHT = 18;
const CHUNK_HEIGHT = 38;
const PAGE = 256;

// ---------------------------------------------------------------- state

let doc: DocumentMessage | null = null;
/** Where the user was before VS Code hid and reloaded this webview (it keeps no hidden webviews alive). */
const saved = vscode.getState() ?? null;
let pages = new Map<number, Row[]>();
let requested = new Set<number>();
let bytes: Uint8Array = new Uint8Array();
let lineColors = true;
let selectedLine: number | null = null;
let selectedRow: number | null = null;
let currentChunk = 0;
/** File bytes shown as selected in the hex view: an instruction's, a constant's or a chunk's. */
let selectedBytes: ByteRange | null = null;
let hoveredLine: number | null = null;
/** The selected row was not loaded yet: finish selecting it when its page arrives. */
let selectionPending = false;

function rowAt(i: number): Row | undefined {
  const page = Math.floor(i / PAGE);
  const rows = pages.get(page);
  if (rows) return rows[i - page * PAGE];
  if (doc && !requested.has(page)) {
    requested.add(page);
    vscode.postMessage({ type: "rows", version: doc.version, start: page * PAGE, count: PAGE });
  }
  return undefined;
}

// ---------------------------------------------------------------- layout

const app = document.getElementById("app")!;
const summary = el("header", "summary");
summary.setAttribute("aria-live", "polite");
const banner = el("div", "banner");
banner.setAttribute("role", "alert");
banner.hidden = true;
const listingBox = el("div", "listing");
listingBox.tabIndex = 0;
listingBox.setAttribute("role", "listbox");
listingBox.setAttribute("aria-label", "Disassembly");
const empty = el("div", "empty");
empty.hidden = true;
const errorList = el("ul", "compile-errors");
errorList.hidden = true;
errorList.setAttribute("aria-label", "Compile errors");
const listing = new VirtualList(listingBox, ROW_HEIGHT, drawListingRow, onDrawn);

/** The file viewer's panes (file mode only). */
interface FilePanes {
  chunkBox: HTMLElement;
  chunkList: VirtualList;
  constantsBox: HTMLElement;
  hexBox: HTMLElement;
  hexList: VirtualList;
  hexLegend: HTMLElement;
}
let file: FilePanes | null = null;

if (mode === "file") {
  const chunkBox = el("nav", "chunks");
  chunkBox.tabIndex = 0;
  chunkBox.setAttribute("role", "listbox");
  chunkBox.setAttribute("aria-label", "Chunks");
  const constantsBox = el("section", "constants");
  constantsBox.setAttribute("aria-label", "Constant pool");
  const hexBox = el("div", "hex");
  hexBox.tabIndex = 0;
  hexBox.setAttribute("aria-label", "Raw bytes");
  file = {
    chunkBox,
    chunkList: new VirtualList(chunkBox, CHUNK_HEIGHT, drawChunkRow, onDrawn),
    constantsBox,
    hexBox,
    hexList: new VirtualList(hexBox, HEX_HEIGHT, drawHexRow, onDrawn),
    hexLegend: el("div", "pane-title"),
  };
  const left = el("div", "side");
  left.append(el("div", "pane-title", "Chunks"), chunkBox, constantsBox);
  const right = el("div", "main");
  const code = el("div", "code-pane");
  code.append(el("div", "pane-title", "Disassembly"), empty, listingBox);
  const raw = el("div", "hex-pane");
  raw.append(file.hexLegend, hexBox);
  right.append(code, raw);
  const layout = el("div", "file-layout");
  layout.append(left, right);
  app.append(summary, banner, layout);
} else {
  const layout = el("div", "preview-layout");
  layout.append(errorList, empty, listingBox);
  app.append(summary, banner, layout);
}

// ---------------------------------------------------------------- the disassembly

function constantKind(chunk: number, index: number): string {
  const c = doc?.chunks[chunk]?.constants[index];
  return c ? c.kind : "missing";
}

function numberSpan(value: number, className = ""): HTMLElement {
  const s = el("span", `num ${className}`, String(value));
  s.title = numberTitle(value);
  return s;
}

function constantSpan(chunk: number, index: number, text: string): HTMLElement {
  const kind = constantKind(chunk, index);
  const s = el("span", `k-${kind}`, text);
  if (kind === "number") {
    const value = Number(text.slice(1, -1));
    s.title = Number.isFinite(value) ? numberTitle(value) : text;
  }
  return s;
}

function link(text: string, title: string, onFollow: () => void): HTMLElement {
  const a = el("a", "link", text);
  a.href = "#";
  a.tabIndex = -1;
  a.title = title;
  a.addEventListener("click", (e) => {
    e.preventDefault();
    e.stopPropagation();
    onFollow();
  });
  return a;
}

function operandNodes(row: InstructionRow, o: Operand): (Node | string)[] {
  switch (o.kind) {
    case "constant":
      return [numberSpan(o.index, "idx"), " ", constantSpan(row.chunk, o.index, o.text)];
    case "number":
      return [numberSpan(o.value)];
    case "jump": {
      const label = `-> ${pad4(o.target)}`;
      if (o.row < 0) return [el("span", "bad", label)];
      return [link(label, `Go to offset ${numberTitle(o.target)}`, () => selectRow(o.row, { reveal: true }))];
    }
    case "call":
      return [numberSpan(o.index, "idx"), " ", el("span", "call", o.text), " argc=", numberSpan(o.argc)];
    case "closure": {
      const name = o.row < 0 ? el("span", "bad", o.text) : link(o.text, "Go to this chunk", () => selectRow(o.row, { reveal: true, atTop: true }));
      return [numberSpan(o.index, "idx"), " ", name, " captures=", numberSpan(o.captures)];
    }
    default:
      return [el("span", "bad", o.text)];
  }
}

function drawListingRow(i: number): HTMLElement {
  const r = rowAt(i);
  const div = el("div", "row");
  div.id = `row-${i}`;
  div.setAttribute("role", "option");
  div.dataset.row = String(i);
  if (!r || !doc) {
    div.classList.add("loading");
    div.textContent = "…";
    return div;
  }
  if (r.kind === "chunk") {
    const c = doc.chunks[r.chunk];
    div.classList.add("chunk-header");
    div.append("== ", el("span", "chunk-name", c.name), ` ==  params=${c.paramCount}  constants=${c.constants.length}  code=${c.codeLength}`);
  } else if (r.kind === "capture") {
    div.append(el("span", "gutter", "             |   "), el("span", "capture", r.isLocal ? "local " : "upvalue "), el("span", "k-string", r.quoted));
  } else {
    const op = el("span", "op", r.op);
    op.title = doc.opcodes[r.op] ?? `unknown opcode 0x${hex(r.opcode, 2)}`;
    const line = el("span", "ln", r.sameLine ? "   |" : String(r.line).padStart(4, " "));
    line.title = `source line ${r.line}`;
    div.append(el("span", "off", pad4(r.offset)), " ", line, " ", op);
    if (r.operands.length > 0) {
      div.append(" ".repeat(Math.max(1, 19 - r.op.length)));
      r.operands.forEach((o, k) => {
        if (k > 0) div.append(" ");
        div.append(...operandNodes(r, o));
      });
    }
  }
  if (r.kind !== "chunk") {
    div.dataset.line = String(r.line);
    // The source line's colour is a stripe at the row's left edge, not its background: text on a
    // tinted background fell below WCAG AA contrast in the default themes.
    const colour = lineColors && r.line > 0 ? doc.palette[r.line % doc.palette.length] : "";
    if (colour) div.style.borderLeftColor = stripe(colour);
    if (selectedLine !== null && r.line === selectedLine) div.classList.add("hl");
  }
  if (i === selectedRow) {
    div.classList.add("sel");
    div.setAttribute("aria-selected", "true");
  }
  return div;
}

/** A palette colour (translucent, made for backgrounds) as a stripe: the same hue, nearly opaque. */
function stripe(colour: string): string {
  return colour.replace(/,\s*[\d.]+\)$/, ", 0.9)");
}

/** Selects a row: the hex view shows its bytes; in the preview its source line is shown. */
function selectRow(i: number, { reveal = true, atTop = false, fromKeyboard = false } = {}): void {
  if (!doc || doc.rowCount === 0) return;
  const at = Math.max(0, Math.min(doc.rowCount - 1, i));
  selectedRow = at;
  const r = rowAt(at);
  selectionPending = !r;
  if (reveal) listing.reveal(at, atTop);
  listingBox.setAttribute("aria-activedescendant", `row-${at}`);
  if (r && file) {
    if (r.chunk !== currentChunk) setChunk(r.chunk, false);
    const c = doc.chunks[r.chunk];
    selectedBytes = r.kind === "instruction" && c.codeStart !== undefined ? { start: c.codeStart + r.offset, end: c.codeStart + r.offset + r.size } : (c.bytes ?? null);
    if (selectedBytes) file.hexList.reveal(Math.floor(selectedBytes.start / 16));
    drawHexLegend();
    file.hexList.schedule();
  }
  if (r && mode === "preview" && r.kind !== "chunk") {
    // A click moves the source cursor there; the keyboard only marks the line, Enter moves there.
    if (fromKeyboard) {
      hoveredLine = r.line;
      vscode.postMessage({ type: "hoverLine", line: r.line });
    } else vscode.postMessage({ type: "revealLine", line: r.line });
  }
  listing.schedule();
}

/** The element under an event's target with `selector`, if any. */
function closest(e: Event, selector: string): HTMLElement | null {
  return e.target instanceof Element ? (e.target.closest(selector) as HTMLElement | null) : null;
}

listingBox.addEventListener("click", (e) => {
  const row = closest(e, ".row");
  if (row) selectRow(Number(row.dataset.row), { reveal: false });
  listingBox.focus();
});
listingBox.addEventListener("mousemove", (e) => {
  if (mode !== "preview") return;
  const row = closest(e, ".row");
  const line = row && row.dataset.line !== undefined ? Number(row.dataset.line) : null;
  if (line !== hoveredLine) {
    hoveredLine = line;
    vscode.postMessage({ type: "hoverLine", line });
  }
});
listingBox.addEventListener("mouseleave", () => {
  if (mode !== "preview" || hoveredLine === null) return;
  hoveredLine = null;
  vscode.postMessage({ type: "hoverLine", line: null });
});
listingBox.addEventListener("keydown", (e) => {
  if (!doc || doc.rowCount === 0) return;
  const at = selectedRow ?? listing.first;
  const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: listing.rowsPerPage(), PageUp: -listing.rowsPerPage() };
  if (e.key in moves) selectRow(selectedRow === null ? at : at + moves[e.key], { fromKeyboard: true });
  else if (e.key === "Home") selectRow(0, { fromKeyboard: true });
  else if (e.key === "End") selectRow(doc.rowCount - 1, { fromKeyboard: true });
  else if (e.key === "Enter" && selectedRow !== null) followRow(selectedRow);
  else return;
  e.preventDefault();
});

/** Enter on a row: a jump or closure goes to its target, anything else (preview) to its source line. */
function followRow(i: number): void {
  const r = rowAt(i);
  if (!r) return;
  const target = r.kind === "instruction" ? r.operands.find((o) => (o.kind === "jump" || o.kind === "closure") && o.row >= 0) : undefined;
  if (target && (target.kind === "jump" || target.kind === "closure")) selectRow(target.row, { atTop: target.kind === "closure" });
  else if (mode === "preview" && r.kind !== "chunk") vscode.postMessage({ type: "revealLine", line: r.line });
}

// ---------------------------------------------------------------- chunks and constants (file mode)

function drawChunkRow(i: number): HTMLElement {
  const c = doc!.chunks[i];
  const div = el("div", "chunk-row");
  div.id = `chunk-${i}`;
  div.setAttribute("role", "option");
  div.dataset.chunk = String(i);
  div.append(el("div", "chunk-name", c.name), el("div", "chunk-facts", `${c.paramCount} params · ${c.constants.length} constants · ${c.codeLength} bytes`));
  if (i === currentChunk) {
    div.classList.add("sel");
    div.setAttribute("aria-selected", "true");
  }
  return div;
}

function setChunk(i: number, jump: boolean): void {
  if (!doc || !file || doc.chunks.length === 0) return;
  currentChunk = Math.max(0, Math.min(doc.chunks.length - 1, i));
  file.chunkBox.setAttribute("aria-activedescendant", `chunk-${currentChunk}`);
  file.chunkList.reveal(currentChunk);
  file.chunkList.schedule();
  drawConstants();
  if (jump) selectRow(doc.chunks[currentChunk].firstRow, { atTop: true });
}

/** Marks bytes in the hex view (a constant's, a chunk's) and scrolls them into view. */
function showBytes(range: ByteRange | null): void {
  if (!file) return;
  selectedBytes = range;
  if (range) file.hexList.reveal(Math.floor(range.start / 16));
  drawHexLegend();
  file.hexList.schedule();
}

if (file) {
  const { chunkBox, chunkList, hexBox, hexList } = file;
  chunkBox.addEventListener("click", (e) => {
    const row = closest(e, ".chunk-row");
    if (row) setChunk(Number(row.dataset.chunk), true);
  });
  chunkBox.addEventListener("keydown", (e) => {
    if (!doc || doc.chunks.length === 0) return;
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: chunkList.rowsPerPage(), PageUp: -chunkList.rowsPerPage() };
    if (e.key in moves) setChunk(currentChunk + moves[e.key], true);
    else if (e.key === "Home") setChunk(0, true);
    else if (e.key === "End") setChunk(doc.chunks.length - 1, true);
    else if (e.key === "Enter") listingBox.focus();
    else return;
    e.preventDefault();
  });
  hexBox.addEventListener("click", (e) => {
    const cell = closest(e, "[data-offset]");
    if (!cell || !doc) return;
    const at = Number(cell.dataset.offset);
    // A constant's bytes are known here; an instruction's row is found by the extension.
    for (const c of doc.chunks) {
      const k = c.constants.find((x) => inRange(x.bytes, at));
      if (k) {
        setChunk(c.index, false);
        showBytes(k.bytes ?? null);
        return;
      }
    }
    vscode.postMessage({ type: "rowAtByte", offset: at });
  });
  hexBox.addEventListener("keydown", (e) => {
    const rows: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: hexList.rowsPerPage(), PageUp: -hexList.rowsPerPage() };
    if (e.key in rows) hexBox.scrollTop += rows[e.key] * HEX_HEIGHT;
    else if (e.key === "Home") hexBox.scrollTop = 0;
    else if (e.key === "End") hexBox.scrollTop = hexBox.scrollHeight;
    else return;
    e.preventDefault();
  });
}

function drawConstants(): void {
  if (!file) return;
  const c: ChunkView | undefined = doc?.chunks[currentChunk];
  if (!c) {
    file.constantsBox.replaceChildren();
    return;
  }
  const title = el("div", "pane-title");
  title.append("Constants of ", el("span", "chunk-name", c.name), ` (${c.constants.length})`);
  const table = el("table", "constant-table");
  const head = el("tr");
  for (const h of ["#", "kind", "value", "bytes"]) head.append(el("th", "", h));
  table.append(head);
  for (const k of c.constants) {
    const tr = el("tr");
    tr.tabIndex = 0;
    const value = el("td", `k-${k.kind}`, k.text);
    if (k.kind === "number") value.title = numberTitle(Number(k.text.slice(1, -1)));
    tr.append(numberCell(k.index), el("td", "", k.kind), value, el("td", "off", k.bytes ? `0x${hex(k.bytes.start, 6)}` : ""));
    const choose = (): void => showBytes(k.bytes ?? null);
    tr.addEventListener("click", choose);
    tr.addEventListener("keydown", (e) => {
      if (e.key === "Enter") choose();
    });
    table.append(tr);
  }
  file.constantsBox.replaceChildren(title, table);
}

function numberCell(value: number): HTMLElement {
  const td = el("td", "num", String(value));
  td.title = numberTitle(value);
  return td;
}

// ---------------------------------------------------------------- hex view (file mode)

function inRange(range: ByteRange | null | undefined, offset: number): boolean {
  return !!range && offset >= range.start && offset < range.end;
}

function drawHexRow(i: number): HTMLElement {
  const div = el("div", "hex-row");
  const start = i * 16;
  const chunkRange = doc?.chunks[currentChunk]?.bytes;
  div.append(el("span", "off", hex(start, 8)), "  ");
  const text = el("span", "ascii");
  for (let k = 0; k < 16; k++) {
    const at = start + k;
    if (at >= bytes.length) break;
    const b = bytes[at];
    const cell = el("span", "byte", hex(b, 2));
    const ch = el("span", "", b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".");
    cell.dataset.offset = ch.dataset.offset = String(at);
    const classes: string[] = [];
    if (inRange(chunkRange, at)) classes.push("in-chunk");
    if (inRange(selectedBytes, at)) classes.push("sel");
    if (inRange(doc?.errorBytes, at)) classes.push("err");
    for (const c of classes) {
      cell.classList.add(c);
      ch.classList.add(c);
    }
    div.append(cell, k === 7 ? "  " : " ");
    text.append(ch);
  }
  div.append(" ", text);
  return div;
}

function drawHexLegend(): void {
  if (!file) return;
  const parts = [`Bytes (${bytes.length})`];
  if (selectedBytes) parts.push(`selected 0x${hex(selectedBytes.start, 6)}–0x${hex(selectedBytes.end, 6)} (${selectedBytes.end - selectedBytes.start} bytes)`);
  if (doc?.errorBytes) parts.push(`problem at 0x${hex(doc.errorBytes.start, 6)}`);
  file.hexLegend.textContent = parts.join(" · ");
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

// ---------------------------------------------------------------- documents

function showDocument(m: DocumentMessage): void {
  const previous = doc;
  doc = m;
  pages = new Map();
  requested = new Set();
  lineColors = m.lineColors;
  const instructions = m.chunks.reduce((n, c) => n + c.instructionCount, 0);
  const facts = [m.mode === "file" ? `${m.size} bytes` : "", `${m.chunks.length} chunk${m.chunks.length === 1 ? "" : "s"}`, `${instructions} instructions`].filter(Boolean);
  summary.replaceChildren(el("span", "title", m.title), " ", el("span", "facts", facts.join(" · ")));
  if (m.mode === "file") summary.append(" ", el("span", m.error ? "badge bad" : "badge ok", m.error ? "invalid" : "verified"));

  banner.hidden = !m.error;
  banner.textContent = m.error ?? "";
  if (m.error && m.mode === "file") banner.append(el("div", "hint", m.chunks.length ? "The chunks below are shown unverified; the problem's bytes are marked in the hex view." : "The hex view shows the file; the problem's bytes are marked."));

  const errors = m.compileErrors ?? [];
  errorList.hidden = errors.length === 0;
  errorList.replaceChildren(
    ...errors.map((e) => {
      const li = el("li");
      const button = el("button", "error-link", `line ${e.line}${e.column ? `, col ${e.column}` : ""}: ${e.message}`);
      button.title = e.code;
      button.addEventListener("click", () => vscode.postMessage({ type: "revealLine", line: e.line, column: e.column || 1 }));
      li.append(button, " ", el("span", "code", e.code));
      return li;
    }),
  );
  listingBox.hidden = errors.length > 0;
  empty.hidden = m.rowCount > 0 || errors.length > 0;
  empty.textContent = m.error ? "No chunk could be read." : "Nothing to show.";

  if (selectedRow !== null && selectedRow >= m.rowCount) selectedRow = null;
  listing.setCount(m.rowCount);
  const restore = !previous && saved && saved.rowCount === m.rowCount && saved.size === m.size ? saved : null;
  if (restore) {
    selectedRow = restore.selectedRow;
    if (m.mode === "file") currentChunk = Math.min(restore.currentChunk, Math.max(0, m.chunks.length - 1));
    listingBox.scrollTop = restore.listingTop;
  }
  if (file) {
    bytes = m.bytes ? decodeBase64(m.bytes) : new Uint8Array();
    if ((!previous && !restore) || currentChunk >= m.chunks.length) currentChunk = 0;
    selectedBytes = m.errorBytes ?? null;
    file.chunkList.setCount(m.chunks.length);
    file.hexList.setCount(Math.ceil(bytes.length / 16));
    drawConstants();
    drawHexLegend();
    if (restore) {
      file.hexBox.scrollTop = restore.hexTop;
      if (selectedRow !== null) selectRow(selectedRow, { reveal: false, fromKeyboard: true });
    } else if (m.errorRow !== undefined) selectRow(m.errorRow, { fromKeyboard: true });
    else if (m.errorBytes) file.hexList.reveal(Math.floor(m.errorBytes.start / 16));
  }
}

function receiveRows(m: RowsMessage): void {
  if (!doc || m.version !== doc.version) return;
  for (let k = 0; k < m.rows.length; k += PAGE) {
    const page = Math.floor((m.start + k) / PAGE);
    pages.set(page, m.rows.slice(k, k + PAGE));
    requested.add(page);
  }
  // The first rows of a document are drawn at once, not on the next animation frame.
  if (m.start === 0) listing.draw();
  else listing.schedule();
  if (selectionPending && selectedRow !== null && rowAt(selectedRow)) selectRow(selectedRow, { reveal: false, fromKeyboard: true });
}

window.addEventListener("message", (event: MessageEvent<ToWebview>) => {
  const m = event.data;
  if (!m || typeof m !== "object") return;
  switch (m.type) {
    case "document":
      // The page's placeholder (painted before this script even loaded) makes way for the content.
      document.getElementById("loading")?.remove();
      showDocument(m);
      break;
    case "rows":
      receiveRows(m);
      break;
    case "selectLine":
      selectedLine = m.line >= 0 ? m.line : null;
      if (m.rows.length > 0) listing.reveal(m.rows[0]);
      listing.schedule();
      break;
    case "selectRow":
      if (doc && m.version === doc.version && m.row >= 0) selectRow(m.row, { fromKeyboard: true });
      break;
    case "settings":
      lineColors = !!m.lineColors;
      listing.schedule();
      break;
  }
});

// ---------------------------------------------------------------- what is on screen, for tests

let reportScheduled = false;
let lastReport = "";
function onDrawn(): void {
  if (reportScheduled) return;
  reportScheduled = true;
  setTimeout(() => {
    reportScheduled = false;
    if (!doc) return;
    const highlighted: number[] = [];
    for (const row of listingBox.querySelectorAll<HTMLElement>(".row.hl")) {
      const i = Number(row.dataset.row);
      if (i >= listing.first && i <= listing.last) highlighted.push(i);
    }
    const report: RenderedReport = {
      type: "rendered",
      version: doc.version,
      rowCount: doc.rowCount,
      chunkCount: doc.chunks.length,
      error: doc.error,
      compileErrors: (doc.compileErrors ?? []).length,
      selectedLine,
      highlightedRows: highlighted,
      selectedRow,
      firstVisibleRow: listing.first,
      lastVisibleRow: listing.last,
      lineColors,
      drawnRows: listingBox.querySelectorAll(".row").length,
      hexRows: file ? [file.hexList.first, file.hexList.last] : null,
    };
    vscode.setState({ rowCount: doc.rowCount, size: doc.size, selectedRow, currentChunk, listingTop: listingBox.scrollTop, hexTop: file ? file.hexBox.scrollTop : 0 });
    const text = JSON.stringify(report);
    if (text === lastReport) return;
    lastReport = text;
    vscode.postMessage(report);
  }, 30);
}

vscode.postMessage({ type: "ready" });
