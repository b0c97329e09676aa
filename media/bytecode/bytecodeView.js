// The bytecode views' webview script (the `.whbc` editor and the live preview): draws the chunks,
// the disassembly and the hex view from the extension's messages (client/src/bytecode/protocol.ts).
// Everything from the file is put in the DOM with textContent: constant strings are untrusted.
(function () {
  "use strict";
  const vscode = acquireVsCodeApi();
  const mode = document.body.dataset.mode === "file" ? "file" : "preview";
  const ROW_HEIGHT = 20;
  const HEX_HEIGHT = 18;
  const PAGE = 256;
  const OVERSCAN = 10;

  /** An element with a class and text (never markup). */
  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  const pad4 = (n) => String(n).padStart(4, "0");
  const hex = (n, width) => n.toString(16).padStart(width, "0");
  /** A number's hover: decimal and hexadecimal (integers), as the operand bytes hold it. */
  function numberTitle(value) {
    if (Number.isInteger(value)) return `${value} = 0x${(value < 0 ? "-" : "") + Math.abs(value).toString(16)}`;
    return String(value);
  }

  /** A list that draws only the rows on screen, so a 300 000-row listing scrolls like a short one. */
  class VirtualList {
    constructor(scroller, rowHeight, drawRow) {
      this.scroller = scroller;
      this.rowHeight = rowHeight;
      this.drawRow = drawRow;
      this.count = 0;
      this.first = 0;
      this.last = -1;
      this.spacer = el("div", "spacer");
      scroller.append(this.spacer);
      this.pending = false;
      scroller.addEventListener("scroll", () => this.schedule());
      new ResizeObserver(() => this.schedule()).observe(scroller);
    }
    setCount(n) {
      this.count = n;
      this.spacer.style.height = `${n * this.rowHeight}px`;
      this.schedule();
    }
    schedule() {
      if (this.pending) return;
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        this.draw();
      });
    }
    draw() {
      const top = this.scroller.scrollTop;
      const height = this.scroller.clientHeight || 600;
      this.first = Math.max(0, Math.floor(top / this.rowHeight));
      this.last = Math.min(this.count - 1, Math.floor((top + height - 1) / this.rowHeight));
      const from = Math.max(0, this.first - OVERSCAN);
      const to = Math.min(this.count - 1, this.last + OVERSCAN);
      const rows = [];
      for (let i = from; i <= to; i++) {
        const row = this.drawRow(i);
        row.style.top = `${i * this.rowHeight}px`;
        rows.push(row);
      }
      this.spacer.replaceChildren(...rows);
      onDrawn();
    }
    /** Scrolls so row `i` is on screen: centred when it was off screen, untouched when visible. */
    reveal(i, atTop) {
      const h = this.rowHeight;
      const top = this.scroller.scrollTop;
      const height = this.scroller.clientHeight || 600;
      if (atTop) this.scroller.scrollTop = i * h;
      else if (i * h < top || (i + 1) * h > top + height) this.scroller.scrollTop = Math.max(0, i * h - height / 2 + h / 2);
      this.schedule();
    }
    rowsPerPage() {
      return Math.max(1, Math.floor((this.scroller.clientHeight || 600) / this.rowHeight) - 1);
    }
  }

  // ---------------------------------------------------------------- state

  let doc = null;
  /** Where the user was before VS Code hid and reloaded this webview (it keeps no hidden webviews alive). */
  const saved = vscode.getState() || null;
  let pages = new Map();
  let requested = new Set();
  let bytes = new Uint8Array();
  let lineColors = true;
  let selectedLine = null;
  let selectedRow = null;
  let currentChunk = 0;
  /** File bytes shown as selected in the hex view: an instruction's, a constant's or a chunk's. */
  let selectedBytes = null;
  let hoveredLine = null;
  /** The selected row was not loaded yet: finish selecting it when its page arrives. */
  let selectionPending = false;

  function rowAt(i) {
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

  const app = document.getElementById("app");
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
  const listing = new VirtualList(listingBox, ROW_HEIGHT, drawListingRow);

  let chunkBox, chunkList, constantsBox, hexBox, hexList, hexLegend;
  if (mode === "file") {
    chunkBox = el("nav", "chunks");
    chunkBox.tabIndex = 0;
    chunkBox.setAttribute("role", "listbox");
    chunkBox.setAttribute("aria-label", "Chunks");
    chunkList = new VirtualList(chunkBox, 38, drawChunkRow);
    constantsBox = el("section", "constants");
    constantsBox.setAttribute("aria-label", "Constant pool");
    hexBox = el("div", "hex");
    hexBox.tabIndex = 0;
    hexBox.setAttribute("aria-label", "Raw bytes");
    hexList = new VirtualList(hexBox, HEX_HEIGHT, drawHexRow);
    hexLegend = el("div", "pane-title");
    const left = el("div", "side");
    left.append(el("div", "pane-title", "Chunks"), chunkBox, constantsBox);
    const right = el("div", "main");
    const code = el("div", "code-pane");
    code.append(el("div", "pane-title", "Disassembly"), empty, listingBox);
    const raw = el("div", "hex-pane");
    raw.append(hexLegend, hexBox);
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

  function constantKind(chunk, index) {
    const c = doc && doc.chunks[chunk] && doc.chunks[chunk].constants[index];
    return c ? c.kind : "missing";
  }

  function numberSpan(value, className) {
    const s = el("span", `num ${className || ""}`, String(value));
    s.title = numberTitle(value);
    return s;
  }

  function constantSpan(chunk, index, text) {
    const kind = constantKind(chunk, index);
    const s = el("span", `k-${kind}`, text);
    if (kind === "number") {
      const value = Number(text.slice(1, -1));
      s.title = Number.isFinite(value) ? numberTitle(value) : text;
    }
    return s;
  }

  function link(text, title, onFollow) {
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

  function operandNodes(row, o) {
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

  function drawListingRow(i) {
    const r = rowAt(i);
    const div = el("div", "row");
    div.id = `row-${i}`;
    div.setAttribute("role", "option");
    div.dataset.row = String(i);
    if (!r) {
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
      op.title = (doc.opcodes && doc.opcodes[r.op]) || `unknown opcode 0x${hex(r.opcode, 2)}`;
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
      const colour = lineColors && r.line > 0 ? doc.palette[r.line % doc.palette.length] : "";
      if (colour) div.style.backgroundColor = colour;
      if (selectedLine !== null && r.line === selectedLine) div.classList.add("hl");
    }
    if (i === selectedRow) {
      div.classList.add("sel");
      div.setAttribute("aria-selected", "true");
    }
    return div;
  }

  /** Selects a row: the hex view shows its bytes; in the preview its source line is shown. */
  function selectRow(i, { reveal = true, atTop = false, fromKeyboard = false } = {}) {
    if (!doc || doc.rowCount === 0) return;
    selectedRow = Math.max(0, Math.min(doc.rowCount - 1, i));
    const r = rowAt(selectedRow);
    selectionPending = !r;
    if (reveal) listing.reveal(selectedRow, atTop);
    listingBox.setAttribute("aria-activedescendant", `row-${selectedRow}`);
    if (r && mode === "file") {
      if (r.chunk !== currentChunk) setChunk(r.chunk, false);
      const c = doc.chunks[r.chunk];
      selectedBytes = r.kind === "instruction" && c.codeStart !== undefined ? { start: c.codeStart + r.offset, end: c.codeStart + r.offset + r.size } : c.bytes || null;
      if (selectedBytes) hexList.reveal(Math.floor(selectedBytes.start / 16));
      drawHexLegend();
      hexList.schedule();
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

  listingBox.addEventListener("click", (e) => {
    const row = e.target.closest(".row");
    if (row) selectRow(Number(row.dataset.row), { reveal: false });
    listingBox.focus();
  });
  listingBox.addEventListener("mousemove", (e) => {
    if (mode !== "preview") return;
    const row = e.target.closest(".row");
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
    const at = selectedRow === null ? listing.first : selectedRow;
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: listing.rowsPerPage(), PageUp: -listing.rowsPerPage() };
    if (e.key in moves) selectRow(selectedRow === null ? at : at + moves[e.key], { fromKeyboard: true });
    else if (e.key === "Home") selectRow(0, { fromKeyboard: true });
    else if (e.key === "End") selectRow(doc.rowCount - 1, { fromKeyboard: true });
    else if (e.key === "Enter" && selectedRow !== null) followRow(selectedRow);
    else return;
    e.preventDefault();
  });

  /** Enter on a row: a jump or closure goes to its target, anything else (preview) to its source line. */
  function followRow(i) {
    const r = rowAt(i);
    if (!r) return;
    const target = r.kind === "instruction" && r.operands.find((o) => (o.kind === "jump" || o.kind === "closure") && o.row >= 0);
    if (target) selectRow(target.row, { atTop: target.kind === "closure" });
    else if (mode === "preview" && r.kind !== "chunk") vscode.postMessage({ type: "revealLine", line: r.line });
  }

  // ---------------------------------------------------------------- chunks and constants (file mode)

  function drawChunkRow(i) {
    const c = doc.chunks[i];
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

  function setChunk(i, jump) {
    if (!doc || doc.chunks.length === 0) return;
    currentChunk = Math.max(0, Math.min(doc.chunks.length - 1, i));
    chunkBox.setAttribute("aria-activedescendant", `chunk-${currentChunk}`);
    chunkList.reveal(currentChunk);
    chunkList.schedule();
    drawConstants();
    if (jump) selectRow(doc.chunks[currentChunk].firstRow, { atTop: true });
  }

  if (mode === "file") {
    chunkBox.addEventListener("click", (e) => {
      const row = e.target.closest(".chunk-row");
      if (row) setChunk(Number(row.dataset.chunk), true);
    });
    chunkBox.addEventListener("keydown", (e) => {
      if (!doc || doc.chunks.length === 0) return;
      const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: chunkList.rowsPerPage(), PageUp: -chunkList.rowsPerPage() };
      if (e.key in moves) setChunk(currentChunk + moves[e.key], true);
      else if (e.key === "Home") setChunk(0, true);
      else if (e.key === "End") setChunk(doc.chunks.length - 1, true);
      else if (e.key === "Enter") listingBox.focus();
      else return;
      e.preventDefault();
    });
    hexBox.addEventListener("click", (e) => {
      const cell = e.target.closest("[data-offset]");
      if (!cell || !doc) return;
      const at = Number(cell.dataset.offset);
      // A constant's bytes are known here; an instruction's row is found by the extension.
      for (const c of doc.chunks) {
        const k = c.constants.find((x) => inRange(x.bytes, at));
        if (k) {
          setChunk(c.index, false);
          selectedBytes = k.bytes;
          drawHexLegend();
          hexList.schedule();
          return;
        }
      }
      vscode.postMessage({ type: "rowAtByte", offset: at });
    });
    hexBox.addEventListener("keydown", (e) => {
      const rows = { ArrowDown: 1, ArrowUp: -1, PageDown: hexList.rowsPerPage(), PageUp: -hexList.rowsPerPage() };
      if (e.key in rows) hexBox.scrollTop += rows[e.key] * HEX_HEIGHT;
      else if (e.key === "Home") hexBox.scrollTop = 0;
      else if (e.key === "End") hexBox.scrollTop = hexBox.scrollHeight;
      else return;
      e.preventDefault();
    });
  }

  function drawConstants() {
    const c = doc && doc.chunks[currentChunk];
    const title = el("div", "pane-title");
    if (!c) {
      constantsBox.replaceChildren();
      return;
    }
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
      const choose = () => {
        selectedBytes = k.bytes || null;
        if (selectedBytes) hexList.reveal(Math.floor(selectedBytes.start / 16));
        drawHexLegend();
        hexList.schedule();
      };
      tr.addEventListener("click", choose);
      tr.addEventListener("keydown", (e) => {
        if (e.key === "Enter") choose();
      });
      table.append(tr);
    }
    constantsBox.replaceChildren(title, table);
  }

  function numberCell(value) {
    const td = el("td", "num", String(value));
    td.title = numberTitle(value);
    return td;
  }

  // ---------------------------------------------------------------- hex view (file mode)

  function inRange(range, offset) {
    return range && offset >= range.start && offset < range.end;
  }

  function drawHexRow(i) {
    const div = el("div", "hex-row");
    const start = i * 16;
    const chunkRange = doc && doc.chunks[currentChunk] && doc.chunks[currentChunk].bytes;
    div.append(el("span", "off", hex(start, 8)), "  ");
    const text = el("span", "ascii");
    for (let k = 0; k < 16; k++) {
      const at = start + k;
      if (at >= bytes.length) break;
      const b = bytes[at];
      const cell = el("span", "byte", hex(b, 2));
      const ch = el("span", "", b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".");
      cell.dataset.offset = ch.dataset.offset = String(at);
      const classes = [];
      if (inRange(chunkRange, at)) classes.push("in-chunk");
      if (inRange(selectedBytes, at)) classes.push("sel");
      if (doc && inRange(doc.errorBytes, at)) classes.push("err");
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

  function drawHexLegend() {
    if (!hexLegend) return;
    const parts = [`Bytes (${bytes.length})`];
    if (selectedBytes) parts.push(`selected 0x${hex(selectedBytes.start, 6)}–0x${hex(selectedBytes.end, 6)} (${selectedBytes.end - selectedBytes.start} bytes)`);
    if (doc && doc.errorBytes) parts.push(`problem at 0x${hex(doc.errorBytes.start, 6)}`);
    hexLegend.textContent = parts.join(" · ");
  }

  function decodeBase64(text) {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  }

  // ---------------------------------------------------------------- documents

  function showDocument(m) {
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
    banner.textContent = m.error ? m.error : "";
    if (m.error && m.mode === "file") banner.append(el("div", "hint", m.chunks.length ? "The chunks below are shown unverified; the problem's bytes are marked in the hex view." : "The hex view shows the file; the problem's bytes are marked."));

    const errors = m.compileErrors || [];
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
    if (m.mode === "file") {
      bytes = m.bytes ? decodeBase64(m.bytes) : new Uint8Array();
      if ((!previous && !restore) || currentChunk >= m.chunks.length) currentChunk = 0;
      selectedBytes = m.errorBytes || null;
      chunkList.setCount(m.chunks.length);
      hexList.setCount(Math.ceil(bytes.length / 16));
      drawConstants();
      drawHexLegend();
      if (restore) {
        hexBox.scrollTop = restore.hexTop;
        if (selectedRow !== null) selectRow(selectedRow, { reveal: false, fromKeyboard: true });
      } else if (m.errorRow !== undefined) selectRow(m.errorRow, { fromKeyboard: true });
      else if (m.errorBytes) hexList.reveal(Math.floor(m.errorBytes.start / 16));
    }
  }

  function receiveRows(m) {
    if (!doc || m.version !== doc.version) return;
    for (let k = 0; k < m.rows.length; k += PAGE) {
      const page = Math.floor((m.start + k) / PAGE);
      pages.set(page, m.rows.slice(k, k + PAGE));
      requested.add(page);
    }
    listing.schedule();
    if (selectionPending && selectedRow !== null && rowAt(selectedRow)) selectRow(selectedRow, { reveal: false, fromKeyboard: true });
  }

  window.addEventListener("message", (event) => {
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
  function onDrawn() {
    if (reportScheduled) return;
    reportScheduled = true;
    setTimeout(() => {
      reportScheduled = false;
      if (!doc) return;
      const highlighted = [];
      for (const row of listingBox.querySelectorAll(".row.hl")) {
        const i = Number(row.dataset.row);
        if (i >= listing.first && i <= listing.last) highlighted.push(i);
      }
      const report = {
        type: "rendered",
        version: doc.version,
        rowCount: doc.rowCount,
        chunkCount: doc.chunks.length,
        error: doc.error,
        compileErrors: (doc.compileErrors || []).length,
        selectedLine,
        highlightedRows: highlighted,
        selectedRow,
        firstVisibleRow: listing.first,
        lastVisibleRow: listing.last,
        lineColors,
        drawnRows: listingBox.querySelectorAll(".row").length,
        hexRows: hexList ? [hexList.first, hexList.last] : null,
      };
      vscode.setState({ rowCount: doc.rowCount, size: doc.size, selectedRow, currentChunk, listingTop: listingBox.scrollTop, hexTop: hexBox ? hexBox.scrollTop : 0 });
      const text = JSON.stringify(report);
      if (text === lastReport) return;
      lastReport = text;
      vscode.postMessage(report);
    }, 30);
  }

  vscode.postMessage({ type: "ready" });
})();
