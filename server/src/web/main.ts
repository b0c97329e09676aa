// The language server's web-worker entry (out/web/server.js): LSP over the worker's postMessage,
// workspace files sent by the web client (no disk in a browser).
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from "vscode-languageserver/browser";
import { installHost } from "../host";
import { SentFiles } from "./sentFiles";

declare const self: DedicatedWorkerGlobalScope;
/** esbuild bundles the require below; it keeps the order of loading. */
declare const require: (id: string) => unknown;

const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
const files = new SentFiles();
// The server's `whispem/workspaceFiles` handler passes the texts the client sends to `files.apply`.

installHost({
  connection,
  files,
  memoryUsage: (): Record<string, number> => {
    const heap = (performance as { memory?: { usedJSHeapSize: number; totalJSHeapSize: number } }).memory;
    return heap ? { heapUsed: heap.usedJSHeapSize, heapTotal: heap.totalJSHeapSize } : {};
  },
  catchStrays: (log, describe) => {
    self.addEventListener("error", (e) => log(`uncaught: ${describe(e.error ?? e.message)}`));
    self.addEventListener("unhandledrejection", (e) => log(`unhandled rejection: ${describe(e.reason)}`));
  },
});
// Loaded after the host is installed (a require, so the order is kept).
require("../server");
