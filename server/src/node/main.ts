// The language server's Node entry (out/server.js): stdio or Node IPC, chosen by
// vscode-languageserver from the command line; workspace files read from disk.
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { installHost } from "../host";
import { DiskFiles } from "./diskFiles";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** V8's `gc()`: the global one under --expose-gc, else one made by turning the flag on now. */
function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

installHost({
  connection: createConnection(ProposedFeatures.all),
  files: new DiskFiles(),
  memoryUsage: () => {
    // When node runs with --expose-gc, garbage is collected first so the figures count live objects.
    (globalThis as { gc?: () => void }).gc?.();
    // maxRss: the peak resident set so far, in bytes (resourceUsage gives kilobytes).
    return { ...process.memoryUsage(), maxRss: process.resourceUsage().maxRSS * 1024 };
  },
  collectGarbage: garbageCollector(),
  catchStrays: (log, describe) => {
    process.on("uncaughtException", (e) => log(`uncaught: ${describe(e)}`));
    process.on("unhandledRejection", (e) => log(`unhandled rejection: ${describe(e)}`));
  },
});
// Loaded after the host is installed (a require, so the order is kept).
require("../server");
