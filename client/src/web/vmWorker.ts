// The VM worker (out/web/vmWorker.js): runs one program with the WebAssembly `wvm` under a WASI
// shim (@bjorn3/browser_wasi_shim). Standard output and error stream to the extension; standard
// input and file reads are synchronous requests answered through shared memory (vmProtocol.ts);
// files the program writes go to the extension when it closes them.
//
// Why @bjorn3/browser_wasi_shim: plain JavaScript with no dependencies (about 25 kB of this
// bundle), kept up to date (0.4.x), and its file descriptors are classes we extend, which is what
// a blocking stdin and files that live in the editor need. @vscode/wasm-wasi would make users
// install a second extension and is marked experimental; @wasmer/wasi brings a wasm runtime of
// its own and Node polyfills.
import { ConsoleStdout, Fd, File, OpenFile, WASI, WASIProcExit, wasi } from "@bjorn3/browser_wasi_shim";
import {
  DATA_BYTES,
  FromWorker,
  HEADER_BYTES,
  INPUT_NEEDS_ISOLATION,
  LENGTH,
  MORE,
  READ_NEEDS_ISOLATION,
  RUN_DIR,
  STATE,
  STATUS,
  STATUS_OK,
  STATUS_NONE,
  SyncRequest,
  ToWorker,
} from "./vmProtocol";

declare const self: DedicatedWorkerGlobalScope;

function post(message: FromWorker): void {
  self.postMessage(message);
}

/** Blocks until the extension answers; null where there is no shared memory. */
class SyncChannel {
  private readonly cells: Int32Array;
  private readonly data: Uint8Array;

  constructor(shared: SharedArrayBuffer) {
    this.cells = new Int32Array(shared, 0, HEADER_BYTES / 4);
    this.data = new Uint8Array(shared, HEADER_BYTES, DATA_BYTES);
  }

  /** The answer's status and bytes (all chunks). */
  ask(request: SyncRequest): { status: number; bytes: Uint8Array } {
    const chunks: Uint8Array[] = [];
    let next: SyncRequest | null = request;
    let status = STATUS_OK;
    while (next) {
      Atomics.store(this.cells, STATE, 1);
      post({ kind: "request", request: next });
      while (Atomics.load(this.cells, STATE) === 1) Atomics.wait(this.cells, STATE, 1);
      status = Atomics.load(this.cells, STATUS);
      chunks.push(this.data.slice(0, Atomics.load(this.cells, LENGTH)));
      next = Atomics.load(this.cells, MORE) === 1 ? { op: "more" } : null;
      Atomics.store(this.cells, STATE, 0);
    }
    const total = chunks.reduce((n, c) => n + c.length, 0);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return { status, bytes };
  }
}

/** Standard input: a line at a time, asked of the extension when the program reads. */
class Stdin extends Fd {
  private pending: Uint8Array = new Uint8Array(0);
  private ended = false;
  private warned = false;

  constructor(private readonly channel: SyncChannel | null) {
    super();
  }

  fd_fdstat_get() {
    return { ret: 0, fdstat: new wasi.Fdstat(wasi.FILETYPE_CHARACTER_DEVICE, 0) };
  }

  fd_read(size: number) {
    if (this.pending.length === 0 && !this.ended) {
      if (!this.channel) {
        if (!this.warned) post({ kind: "notice", text: INPUT_NEEDS_ISOLATION });
        this.warned = true;
        this.ended = true;
      } else {
        const answer = this.channel.ask({ op: "input" });
        if (answer.status === STATUS_OK) this.pending = answer.bytes;
        else this.ended = true;
      }
    }
    const data = this.pending.slice(0, size);
    this.pending = this.pending.slice(data.length);
    return { ret: 0, data };
  }
}

/** A file being written: its bytes go to the extension when the program closes it. */
class WrittenFile extends OpenFile {
  constructor(
    file: File,
    private readonly path: string,
  ) {
    super(file);
  }

  fd_close(): number {
    post({ kind: "write", path: this.path, data: this.file.data.slice() });
    return 0;
  }
}

/**
 * The program's folder, preopened as "/": relative paths (`read_file("data.txt")`) are relative
 * to the source file's folder, which the extension resolves. The bytecode sits in RUN_DIR.
 */
class ProgramFolder extends Fd {
  private warned = false;

  constructor(
    private readonly channel: SyncChannel | null,
    private readonly internal: Map<string, File>,
  ) {
    super();
  }

  fd_prestat_get() {
    return { ret: 0, prestat: wasi.Prestat.dir("/") };
  }

  fd_fdstat_get() {
    return { ret: 0, fdstat: new wasi.Fdstat(wasi.FILETYPE_DIRECTORY, 0) };
  }

  path_open(_dirflags: number, path: string, oflags: number, rightsBase: bigint, _rightsInheriting: bigint, fdFlags: number) {
    const normal = normalise(path);
    if (normal === null) return { ret: wasi.ERRNO_NOTCAPABLE, fd_obj: null };
    const own = this.internal.get(normal);
    if (own) return { ret: 0, fd_obj: new OpenFile(own) };
    const writing = (oflags & (wasi.OFLAGS_CREAT | wasi.OFLAGS_TRUNC)) !== 0 || (rightsBase & BigInt(wasi.RIGHTS_FD_WRITE)) !== 0n;
    if (writing) {
      // write_file replaces the whole file; appending would need the old text first.
      const appending = (fdFlags & wasi.FDFLAGS_APPEND) !== 0 && (oflags & wasi.OFLAGS_TRUNC) === 0;
      const old = appending ? this.fetch(normal) : { ret: 0, data: new Uint8Array(0) };
      const file = new File(old.ret === 0 ? old.data : new Uint8Array(0));
      const fd = new WrittenFile(file, normal);
      if (appending) fd.fd_seek(0n, wasi.WHENCE_END);
      return { ret: 0, fd_obj: fd };
    }
    const read = this.fetch(normal);
    if (read.ret !== 0) return { ret: read.ret, fd_obj: null };
    return { ret: 0, fd_obj: new OpenFile(new File(read.data, { readonly: true })) };
  }

  private fetch(path: string): { ret: number; data: Uint8Array } {
    if (!this.channel) {
      if (!this.warned) post({ kind: "notice", text: READ_NEEDS_ISOLATION });
      this.warned = true;
      return { ret: wasi.ERRNO_NOTSUP, data: new Uint8Array(0) };
    }
    const answer = this.channel.ask({ op: "read", path });
    if (answer.status === STATUS_OK) return { ret: 0, data: answer.bytes };
    return { ret: answer.status === STATUS_NONE ? wasi.ERRNO_NOENT : wasi.ERRNO_IO, data: new Uint8Array(0) };
  }
}

/** "a/./b/../c" → "a/c"; null for a path that leaves the folder. */
function normalise(path: string): string | null {
  const parts: string[] = [];
  for (const p of path.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") {
      if (parts.pop() === undefined) return null;
    } else parts.push(p);
  }
  return parts.join("/");
}

function run(message: ToWorker): void {
  const channel = message.shared ? new SyncChannel(message.shared) : null;
  const internal = new Map([[`${RUN_DIR}/${message.args[0].split("/").pop()}`, new File(message.bytecode, { readonly: true })]]);
  const stream = (n: 1 | 2) => new ConsoleStdout((data) => post({ kind: "output", stream: n, data: data.slice() }));
  const shim = new WASI(["wvm", ...message.args], [], [new Stdin(channel), stream(1), stream(2), new ProgramFolder(channel, internal)]);
  // bin/wvm-web.wasm imports WASI only: it is built without the control channel (REPL, debugger:
  // docs/vm-protocol.md), which a run never asks for; --control is refused.
  const instance = new WebAssembly.Instance(message.module, { wasi_snapshot_preview1: shim.wasiImport });
  let code: number;
  try {
    code = shim.start(instance as { exports: { memory: WebAssembly.Memory; _start: () => unknown } });
  } catch (e) {
    if (e instanceof WASIProcExit) code = e.code;
    else throw e;
  }
  post({ kind: "exit", code });
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  try {
    run(event.data);
  } catch (e) {
    post({ kind: "crash", message: e instanceof Error ? e.message : String(e) });
  }
};
