// The control channel of the WebAssembly VM (docs/vm-protocol.md, "WebAssembly"): the module runs
// synchronously on the main thread and calls whispem_host.ctl_send/ctl_recv; Node has no
// synchronous socket, so a worker thread owns the TCP connection to the controller and the two
// threads meet in a SharedArrayBuffer. ctl_recv blocks in Atomics.wait until the worker has put
// received bytes there (or the timeout passes, or the connection is gone); ctl_send posts the
// message to the worker, which writes it in order. The worker only moves bytes: the framing,
// the hello and the token are wctl.c's, exactly as over a native socket.
import { Worker, parentPort } from "node:worker_threads";
import { connect } from "node:net";

/** The shared header's Int32 slots. */
const STATE = 0; // EMPTY | FULL | CLOSED: who may touch the data area
const LEN = 1; // bytes in the data area (FULL)
const OFF = 2; // how many of them the module has taken already
const CONN = 3; // 0 connecting, 1 connected, -1 could not connect
const SENDS_CLOSED = 4; // 1 once the connection cannot carry more messages
const ENDED = 5; // 1 once the worker has written everything and closed the connection
const HEADER = 8;
const EMPTY = 0;
const FULL = 1;
const CLOSED = 2;
/** Received bytes handed over at a time (what the module's 64 KB read buffer takes). */
const DATA = 64 * 1024;

/** How long the host waits for the connection, and for its last messages to be written. */
const CONNECT_TIMEOUT_MS = 10_000;
const END_TIMEOUT_MS = 5_000;

export interface BridgeWorkerData {
  port: number;
  shared: SharedArrayBuffer;
}

/** The port of the first `--control PORT:TOKEN` of the VM's command line, or null. */
export function controlPort(args: string[]): number | null {
  const i = args.indexOf("--control");
  if (i < 0 || i + 1 >= args.length) return null;
  const m = /^(\d+):./.exec(args[i + 1]);
  const port = m ? Number(m[1]) : 0;
  return port > 0 && port <= 65535 ? port : null;
}

/**
 * The host's end, on the module's thread. Nothing happens until the module connects (its first
 * `ctl_send`, of no bytes): only then is the worker started, so a run without `--control` pays nothing.
 */
export class ControlBridge {
  private worker: Worker | null = null;
  private readonly shared = new SharedArrayBuffer(HEADER * 4 + DATA);
  private readonly header = new Int32Array(this.shared, 0, HEADER);
  private readonly data = new Uint8Array(this.shared, HEADER * 4, DATA);
  private failed = false;

  /**
   * @param port where the controller listens (null: there is no valid `--control`: connecting fails)
   * @param workerScript the script the worker runs (this bundle: it calls runBridgeWorker for a worker)
   * @param memory the module's memory, read at each call (it may grow)
   */
  constructor(
    private readonly port: number | null,
    private readonly workerScript: string,
    private readonly memory: () => WebAssembly.Memory,
  ) {}

  /** Connects (once); false when it cannot. */
  private connect(): boolean {
    if (this.worker) return Atomics.load(this.header, CONN) === 1;
    if (this.failed || this.port === null) return false;
    const workerData: BridgeWorkerData = { port: this.port, shared: this.shared };
    try {
      this.worker = new Worker(this.workerScript, { workerData: { whispemControl: workerData }, stdout: false, stderr: false });
    } catch {
      this.failed = true;
      return false;
    }
    this.worker.unref(); // the run's end decides when the process ends, not the worker
    Atomics.wait(this.header, CONN, 0, CONNECT_TIMEOUT_MS);
    if (Atomics.load(this.header, CONN) !== 1) {
      this.failed = true;
      void this.worker.terminate();
      return false;
    }
    return true;
  }

  /** whispem_host.ctl_send(ptr, len) → 0 | -1: one whole message; no bytes = connect. */
  send = (ptr: number, len: number): number => {
    if (!this.connect()) return -1;
    if (len === 0) return 0;
    if (Atomics.load(this.header, SENDS_CLOSED) === 1) return -1;
    // A copy: the module's memory changes as soon as this returns.
    const bytes = new Uint8Array(len);
    bytes.set(new Uint8Array(this.memory().buffer, ptr >>> 0, len));
    this.worker!.postMessage({ send: bytes }, [bytes.buffer]);
    return 0;
  };

  /** whispem_host.ctl_recv(ptr, cap, timeout_ms) → n > 0 bytes | 0 timeout | -1 closed. */
  recv = (ptr: number, cap: number, timeoutMs: number): number => {
    if (!this.worker || Atomics.load(this.header, CONN) !== 1) return -1;
    let state = Atomics.load(this.header, STATE);
    if (state === EMPTY && timeoutMs !== 0) {
      Atomics.wait(this.header, STATE, EMPTY, timeoutMs < 0 ? Infinity : timeoutMs);
      state = Atomics.load(this.header, STATE);
    }
    if (state === EMPTY) return 0;
    if (state === CLOSED) return -1;
    const off = this.header[OFF];
    const n = Math.min(cap >>> 0, this.header[LEN] - off);
    if (n <= 0) return 0;
    new Uint8Array(this.memory().buffer, ptr >>> 0, n).set(this.data.subarray(off, off + n));
    if (off + n < this.header[LEN]) this.header[OFF] = off + n;
    else {
      Atomics.store(this.header, STATE, EMPTY);
      this.worker.postMessage({ drained: true }); // the worker hands over what came next
    }
    return n;
  };

  /**
   * The run is over: the worker writes what is still queued, closes the connection (so the
   * controller sees the end) and stops. Waits for that, within a bound.
   */
  close(): void {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    if (Atomics.load(this.header, CONN) === 1) {
      worker.postMessage({ end: true });
      Atomics.wait(this.header, ENDED, 0, END_TIMEOUT_MS);
    }
    void worker.terminate();
  }
}

/** The worker's side: the connection, and the hand-over of received bytes. */
export function runBridgeWorker(data: BridgeWorkerData): void {
  const header = new Int32Array(data.shared, 0, HEADER);
  const area = new Uint8Array(data.shared, HEADER * 4, DATA);
  const queue: Buffer[] = [];
  let ending = false;

  /** Fills the data area when the module has taken everything in it; says CLOSED after the last byte. */
  const pump = () => {
    if (Atomics.load(header, STATE) !== EMPTY) return;
    if (queue.length > 0) {
      let n = 0;
      while (queue.length > 0 && n < DATA) {
        const b = queue[0];
        const k = Math.min(b.length, DATA - n);
        area.set(b.subarray(0, k), n);
        n += k;
        if (k === b.length) queue.shift();
        else queue[0] = b.subarray(k);
      }
      header[LEN] = n;
      header[OFF] = 0;
      Atomics.store(header, STATE, FULL);
      Atomics.notify(header, STATE);
    } else if (ending) {
      Atomics.store(header, STATE, CLOSED);
      Atomics.notify(header, STATE);
    }
  };

  const socket = connect({ host: "127.0.0.1", port: data.port });
  socket.setNoDelay(true);
  const gone = () => {
    Atomics.store(header, SENDS_CLOSED, 1);
    if (Atomics.load(header, CONN) === 0) {
      Atomics.store(header, CONN, -1);
      Atomics.notify(header, CONN);
    }
    ending = true;
    pump();
  };
  socket.on("connect", () => {
    Atomics.store(header, CONN, 1);
    Atomics.notify(header, CONN);
  });
  socket.on("data", (b: Buffer) => {
    queue.push(b);
    pump();
  });
  socket.on("end", gone);
  socket.on("error", gone);
  socket.on("close", () => {
    gone();
    Atomics.store(header, ENDED, 1);
    Atomics.notify(header, ENDED);
  });
  parentPort!.on("message", (m: { send?: Uint8Array; drained?: boolean; end?: boolean }) => {
    if (m.send) {
      if (!socket.destroyed && socket.writable) socket.write(m.send);
    } else if (m.drained) pump();
    else if (m.end) {
      if (socket.destroyed) {
        Atomics.store(header, ENDED, 1);
        Atomics.notify(header, ENDED);
      } else socket.end(); // after the queued writes; "close" says ENDED
    }
  });
}
