// The test page of the web build (run-web.mjs bundles it for the browser): hosts the language
// server worker (out/web/server.js) and speaks LSP to it over postMessage, runs programs with the
// WebAssembly VM through the same VmSession the web extension uses, and shows the bytecode
// preview's webview page in an iframe. run-web.mjs calls the functions on `window.whispem`.
import { VmSession, type ProgramFiles, type SessionEnd } from "../../src/web/vmSession";
import { compile } from "../../../compiler/src/compiler";
import { parseRuntimeError } from "../../src/runtimeError";
import { viewOfSource } from "../../src/bytecode/viewModel";
import { documentMessage, rowsMessage } from "../../src/bytecode/protocol";
import { pageHtml } from "../../src/bytecode/pageHtml";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

// ---------------------------------------------------------------- LSP over postMessage

const serverCreatedAt = performance.now();
const server = new Worker("out/web/server.js");
let nextId = 1;
const pending = new Map<number, { resolve(v: Json): void; reject(e: Error): void }>();
const notificationWaiters: { method: string; test(params: Json): boolean; resolve(params: Json): void }[] = [];
const serverLog: string[] = [];

server.onmessage = (e: MessageEvent) => {
  const m = e.data;
  if (m.id !== undefined && m.method === undefined) {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) p?.reject(new Error(m.error.message));
    else p?.resolve(m.result);
  } else if (m.id !== undefined) {
    // A request from the server (registerCapability, configuration…): an empty answer.
    server.postMessage({ jsonrpc: "2.0", id: m.id, result: m.method === "workspace/configuration" ? (m.params.items as unknown[]).map(() => null) : null });
  } else {
    if (m.method === "window/logMessage") serverLog.push(m.params.message);
    for (let i = notificationWaiters.length - 1; i >= 0; i--) {
      const w = notificationWaiters[i];
      if (w.method === m.method && w.test(m.params)) {
        notificationWaiters.splice(i, 1);
        w.resolve(m.params);
      }
    }
  }
};

function request(method: string, params: Json): Promise<Json> {
  const id = nextId++;
  server.postMessage({ jsonrpc: "2.0", id, method, params });
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

function notify(method: string, params: Json): void {
  server.postMessage({ jsonrpc: "2.0", method, params });
}

function nextNotification(method: string, test: (params: Json) => boolean): Promise<Json> {
  return new Promise((resolve) => notificationWaiters.push({ method, test, resolve }));
}

async function initialize(): Promise<Json> {
  const result = await request("initialize", { processId: null, rootUri: null, workspaceFolders: null, capabilities: { textDocument: { hover: { contentFormat: ["markdown", "plaintext"] } } } });
  notify("initialized", {});
  return result.capabilities;
}

/** Opens a document and resolves with the first diagnostics the server publishes for it. */
function open(uri: string, text: string): Promise<Json[]> {
  const diagnostics = nextNotification("textDocument/publishDiagnostics", (p) => p.uri === uri);
  notify("textDocument/didOpen", { textDocument: { uri, languageId: "whispem", version: 1, text } });
  return diagnostics.then((p) => p.diagnostics);
}

// ---------------------------------------------------------------- running programs

let vm: Promise<WebAssembly.Module> | undefined;

function loadVm(): Promise<WebAssembly.Module> {
  vm ??= fetch("wvm.wasm").then((r) => WebAssembly.compileStreaming(r));
  return vm;
}

interface RunHandle {
  output: string;
  session: VmSession;
  end?: SessionEnd;
  files: Map<string, string>;
  outputWaiters: { text: string; resolve(): void }[];
}
const runs: RunHandle[] = [];

function memoryFiles(files: Map<string, string>): ProgramFiles {
  return {
    read: async (path) => (files.has(path) ? new TextEncoder().encode(files.get(path)) : undefined),
    write: async (path, data) => void files.set(path, new TextDecoder().decode(data)),
  };
}

/** Starts a program; returns its handle's index. */
async function run(source: string, files: Record<string, string> = {}, args: string[] = []): Promise<number> {
  const { bytes } = compile(source);
  if (!bytes) throw new Error("the test program does not compile");
  const module = await loadVm();
  const handle = { output: "", files: new Map(Object.entries(files)), outputWaiters: [] } as unknown as RunHandle;
  handle.session = new VmSession({
    worker: new Worker("out/web/vmWorker.js"),
    module,
    bytecode: bytes,
    bytecodeName: "prog.whbc",
    args,
    files: memoryFiles(handle.files),
    onOutput: (text) => {
      handle.output += text;
      handle.outputWaiters = handle.outputWaiters.filter((w) => (handle.output.includes(w.text) ? (w.resolve(), false) : true));
    },
  });
  void handle.session.ended.then((end) => (handle.end = end));
  runs.push(handle);
  return runs.length - 1;
}

function outputContains(i: number, text: string): Promise<void> {
  const h = runs[i];
  if (h.output.includes(text)) return Promise.resolve();
  return new Promise((resolve) => h.outputWaiters.push({ text, resolve }));
}

async function ended(i: number): Promise<Json> {
  const h = runs[i];
  const end = await h.session.ended;
  const runtimeError = end.outcome === "exited" ? parseRuntimeError(end.stderr, h.session.bytecodePath) : null;
  return { end, output: h.output, files: Object.fromEntries(h.files), runtimeError, interactive: h.session.interactive };
}

// ---------------------------------------------------------------- the bytecode preview page

/** Shows the preview of `source` in an iframe and resolves with the view's first "rendered" report. */
async function preview(source: string): Promise<Json> {
  const model = viewOfSource(source);
  const view = model.ok ? model.view : null;
  const nonce = "testnonce";
  // The webview's script and style sheet as the extension inlines them.
  const [script, style] = await Promise.all(["out/media/bytecodeView.js", "media/bytecode/bytecodeView.css"].map(async (path) => (await fetch(new URL(path, location.href))).text()));
  const html = pageHtml({ script, style, nonce, mode: "preview" })
    // What VS Code's webview host provides: acquireVsCodeApi, here posting to this page.
    .replace("<div id=\"app\">", `<script nonce="${nonce}">window.acquireVsCodeApi = () => ({ postMessage: (m) => parent.postMessage({ fromView: m }, "*"), getState: () => undefined, setState: () => undefined });</script><div id="app">`);
  const frame = document.createElement("iframe");
  frame.style.width = "800px";
  frame.style.height = "600px";
  frame.srcdoc = html;
  return new Promise((resolve) => {
    addEventListener("message", (e) => {
      const m = e.data?.fromView;
      if (!m) return;
      if (m.type === "rows") frame.contentWindow!.postMessage(rowsMessage(view, 1, m.start, m.count), "*");
      if (m.type === "rendered") resolve({ report: m, text: frame.contentDocument?.body.innerText ?? "" });
    });
    frame.onload = () => frame.contentWindow!.postMessage(documentMessage({ title: "prog.wsp", view, compileErrors: model.ok ? [] : model.errors }, 1, "preview", true), "*");
    document.body.appendChild(frame);
  });
}

(window as unknown as { whispem: unknown }).whispem = {
  isolated: () => crossOriginIsolated,
  serverCreatedAt: () => serverCreatedAt,
  loadVm: async () => void (await loadVm()),
  initialize,
  open,
  request,
  notify,
  serverLog: () => serverLog,
  run,
  outputContains,
  write: (i: number, line: string) => runs[i].session.write(line),
  stop: (i: number) => runs[i].session.stop(),
  ended,
  preview,
};
document.title = "ready";
