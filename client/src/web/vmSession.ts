// One program running in a VM worker, seen from the extension (or any page hosting the worker):
// starts it, streams its output, answers its synchronous requests (typed lines for input(), file
// reads) through the shared buffer, saves the files it writes, and stops it by ending the worker.
// Nothing here depends on VS Code: the caller supplies the worker and the file access.
import {
  DATA_BYTES,
  FromWorker,
  HEADER_BYTES,
  LENGTH,
  MORE,
  RUN_DIR,
  STATE,
  STATUS,
  STATUS_ERROR,
  STATUS_NONE,
  STATUS_OK,
  SyncRequest,
  ToWorker,
  newSharedBuffer,
} from "./vmProtocol";

/** The program's files, relative to its folder. */
export interface ProgramFiles {
  /** The file's bytes; undefined when there is no such file. Throws when it exists but cannot be read. */
  read(path: string): Promise<Uint8Array | undefined>;
  write(path: string, data: Uint8Array): Promise<void>;
}

export interface SessionOptions {
  worker: Worker;
  module: WebAssembly.Module;
  bytecode: Uint8Array;
  /** The name the VM shows in its messages (NAME.whbc). */
  bytecodeName: string;
  args?: string[];
  files: ProgramFiles;
  /** Program output (stdout and stderr, in order) and notices, as text. */
  onOutput(text: string, stream: "stdout" | "stderr" | "notice"): void;
}

export type SessionEnd = { outcome: "exited"; exitCode: number; stderr: string } | { outcome: "stopped" } | { outcome: "crashed"; reason: string };

export class VmSession {
  /** The path the VM is given for the bytecode, as it appears at the start of its error lines. */
  readonly bytecodePath: string;
  readonly ended: Promise<SessionEnd>;
  /** Whether input() can read typed lines (the page is cross-origin isolated). */
  readonly interactive: boolean;
  private finish!: (end: SessionEnd) => void;
  private readonly shared: SharedArrayBuffer | null;
  private readonly lines: string[] = [];
  private inputEnded = false;
  private waitingForInput = false;
  /** The rest of an answer too large for one chunk. */
  private rest: Uint8Array = new Uint8Array(0);
  private stderr = "";
  private done = false;
  /** File operations, in the order the program made them. */
  private fileQueue: Promise<unknown> = Promise.resolve();
  private readonly decoders = { 1: new TextDecoder(), 2: new TextDecoder() };

  constructor(private readonly options: SessionOptions) {
    this.bytecodePath = `${RUN_DIR}/${options.bytecodeName}`;
    this.ended = new Promise((resolve) => (this.finish = resolve));
    this.shared = newSharedBuffer();
    this.interactive = this.shared !== null;
    options.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    options.worker.onerror = (e) => this.end({ outcome: "crashed", reason: e.message || "the VM worker failed" });
    const start: ToWorker = { kind: "start", module: options.module, args: [this.bytecodePath, ...(options.args ?? [])], bytecode: options.bytecode, shared: this.shared };
    options.worker.postMessage(start);
  }

  /** A line the user typed (ending in "\n"). */
  write(line: string): void {
    this.lines.push(line);
    if (this.waitingForInput) this.answerInput();
  }

  endInput(): void {
    this.inputEnded = true;
    if (this.waitingForInput) this.answerInput();
  }

  stop(): void {
    this.end({ outcome: "stopped" });
  }

  private end(end: SessionEnd): void {
    if (this.done) return;
    this.done = true;
    this.options.worker.terminate();
    // Files the program closed before it ended are still saved.
    void this.fileQueue.then(() => this.finish(end));
  }

  private receive(m: FromWorker): void {
    if (this.done) return;
    switch (m.kind) {
      case "output": {
        const text = this.decoders[m.stream].decode(m.data, { stream: true });
        if (m.stream === 2) this.stderr += text;
        this.options.onOutput(text, m.stream === 1 ? "stdout" : "stderr");
        break;
      }
      case "notice":
        this.options.onOutput(m.text + "\n", "notice");
        break;
      case "request":
        this.request(m.request);
        break;
      case "write": {
        const { path, data } = m;
        this.queue(() => this.options.files.write(path, data)).catch((e: unknown) => this.options.onOutput(`[Whispem] could not save ${path}: ${e instanceof Error ? e.message : String(e)}\n`, "notice"));
        break;
      }
      case "exit":
        this.end({ outcome: "exited", exitCode: m.code, stderr: this.stderr });
        break;
      case "crash":
        this.end({ outcome: "crashed", reason: m.message });
        break;
    }
  }

  private queue<T>(op: () => Promise<T>): Promise<T> {
    const next = this.fileQueue.then(op);
    this.fileQueue = next.catch(() => undefined);
    return next;
  }

  private request(r: SyncRequest): void {
    if (r.op === "more") {
      this.answer(STATUS_OK, this.rest);
    } else if (r.op === "input") {
      this.waitingForInput = true;
      this.answerInput();
    } else {
      this.queue(() => this.options.files.read(r.path)).then(
        (bytes) => (bytes ? this.answer(STATUS_OK, bytes) : this.answer(STATUS_NONE, new Uint8Array(0))),
        () => this.answer(STATUS_ERROR, new Uint8Array(0)),
      );
    }
  }

  private answerInput(): void {
    const line = this.lines.shift();
    if (line !== undefined) {
      this.waitingForInput = false;
      this.answer(STATUS_OK, new TextEncoder().encode(line));
    } else if (this.inputEnded) {
      this.waitingForInput = false;
      this.answer(STATUS_NONE, new Uint8Array(0));
    }
  }

  /** Copies (the first chunk of) an answer into the shared buffer and wakes the worker. */
  private answer(status: number, bytes: Uint8Array): void {
    if (!this.shared || this.done) return;
    const cells = new Int32Array(this.shared, 0, HEADER_BYTES / 4);
    const chunk = bytes.subarray(0, DATA_BYTES);
    this.rest = bytes.subarray(chunk.length);
    new Uint8Array(this.shared, HEADER_BYTES, DATA_BYTES).set(chunk);
    Atomics.store(cells, STATUS, status);
    Atomics.store(cells, LENGTH, chunk.length);
    Atomics.store(cells, MORE, this.rest.length > 0 ? 1 : 0);
    Atomics.store(cells, STATE, 2);
    Atomics.notify(cells, STATE);
  }
}
