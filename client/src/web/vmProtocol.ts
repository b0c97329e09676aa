// What the extension and the VM worker (vmWorker.ts) say to each other, and the shared memory
// through which the worker waits for an answer (a line for input(), a file for read_file).
//
// A synchronous read from a worker: the worker posts a request, then blocks in Atomics.wait on
// the first cell of the shared buffer; the extension answers by copying the bytes into the
// buffer, setting the cell and notifying. Answers larger than the buffer come in chunks, each
// asked for with a `more` request. SharedArrayBuffer exists only where the page is cross-origin
// isolated; elsewhere `shared` is null and such reads fail with a notice.

/** Where the bytecode being run lives in the worker's file system (never a workspace file). */
export const RUN_DIR = ".whispem-run";

export type SyncRequest = { op: "input" } | { op: "read"; path: string } | { op: "more" };

export type ToWorker = {
  kind: "start";
  module: WebAssembly.Module;
  /** argv[1..]: the bytecode path (RUN_DIR/NAME.whbc) and the program's arguments. */
  args: string[];
  bytecode: Uint8Array;
  shared: SharedArrayBuffer | null;
};

export type FromWorker =
  | { kind: "output"; stream: 1 | 2; data: Uint8Array }
  | { kind: "request"; request: SyncRequest }
  /** A file the program wrote, sent when it closes the file. */
  | { kind: "write"; path: string; data: Uint8Array }
  /** Something the user should know that is not the program's output (e.g. why input() read nothing). */
  | { kind: "notice"; text: string }
  | { kind: "exit"; code: number }
  | { kind: "crash"; message: string };

// Layout of the shared buffer: four Int32 cells, then the data area.
export const STATE = 0; // 0: idle, 1: waiting for the answer, 2: answered
export const STATUS = 1; // 0: ok, 1: end of input / no such file, 2: the file could not be read
export const LENGTH = 2; // bytes in the data area
export const MORE = 3; // 1: another chunk follows
export const HEADER_BYTES = 16;
export const DATA_BYTES = 1 << 16;

export const STATUS_OK = 0;
export const STATUS_NONE = 1;
export const STATUS_ERROR = 2;

export function newSharedBuffer(): SharedArrayBuffer | null {
  return typeof SharedArrayBuffer === "function" && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true
    ? new SharedArrayBuffer(HEADER_BYTES + DATA_BYTES)
    : null;
}

const ISOLATION =
  "a cross-origin isolated page (served with the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers, " +
  "so that SharedArrayBuffer exists), which this editor is not. Run the program in desktop VS Code, or open the editor from a server that sends those headers.";
export const INPUT_NEEDS_ISOLATION = `input() read nothing: reading what you type in the browser needs ${ISOLATION}`;
export const READ_NEEDS_ISOLATION = `read_file() failed: reading a workspace file while the program runs in the browser needs ${ISOLATION}`;
