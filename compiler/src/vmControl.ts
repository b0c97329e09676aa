// The controller's side of the VM control channel (docs/vm-protocol.md), Node-only: listen on
// 127.0.0.1, start the VM with `--control PORT:TOKEN MODE…`, accept the connection whose hello
// carries the token (any other is closed), then send requests and receive events, one JSON
// object per line. Used by the REPL front-end and the debug adapter.
import { createServer, type Server, type Socket } from "node:net";
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { randomBytes } from "node:crypto";

export interface VmResponse {
  request_seq: number;
  success: boolean;
  body?: Record<string, unknown>;
  message?: string;
}

export interface VmEvent {
  event: string;
  body: Record<string, unknown>;
}

export interface VmLaunch {
  /** The executable: the native `wvm`, or `process.execPath` for the wasm host. */
  command: string;
  /** Arguments before `--control` (e.g. the path of out/wvm-wasm.js). */
  prefixArgs?: string[];
  /** The mode and its arguments: `["--session"]` or `["--debug", FILE, …]`. */
  modeArgs: string[];
  stdio?: StdioOptions;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the VM's hello (ms); default 10 000. */
  connectTimeoutMs?: number;
}

/** The error of a request the VM answered with success: false. */
export class VmRequestError extends Error {}

export class VmControl {
  private seq = 0;
  private pending = new Map<number, { resolve(b: Record<string, unknown>): void; reject(e: Error): void }>();
  private listeners = new Map<string, Array<(body: Record<string, unknown>) => void>>();
  private closeListeners: Array<() => void> = [];
  private buffer = "";
  private closed = false;
  /** The VM's hello body (token, protocol, pid). */
  hello: Record<string, unknown> = {};

  private constructor(
    readonly child: ChildProcess,
    private readonly socket: Socket,
  ) {
    socket.setEncoding("utf8");
    socket.setNoDelay(true);
    socket.on("data", (chunk: string) => this.onData(chunk));
    socket.on("close", () => this.onClose());
    socket.on("error", () => this.onClose());
  }

  /** Starts the VM and resolves once it has connected with the right token. */
  static start(launch: VmLaunch): Promise<VmControl> {
    const token = randomBytes(16).toString("hex");
    return new Promise((resolve, reject) => {
      const server: Server = createServer();
      let child: ChildProcess | undefined;
      let done = false;
      const fail = (e: Error) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        server.close();
        child?.kill();
        reject(e);
      };
      const timer = setTimeout(() => fail(new Error("the VM did not connect to the control channel in time")), launch.connectTimeoutMs ?? 10000);
      server.on("connection", (socket) => {
        let text = "";
        const onData = (chunk: Buffer) => {
          text += chunk.toString("utf8");
          const nl = text.indexOf("\n");
          if (nl < 0) {
            if (text.length > 4096) socket.destroy();
            return;
          }
          socket.off("data", onData);
          let hello: VmEvent | undefined;
          try {
            hello = JSON.parse(text.slice(0, nl)) as VmEvent;
          } catch {
            hello = undefined;
          }
          if (done || !child || hello?.event !== "hello" || hello.body?.token !== token) {
            socket.destroy(); // a stranger, or a late second connection
            return;
          }
          done = true;
          clearTimeout(timer);
          server.close();
          const control = new VmControl(child, socket);
          control.hello = hello.body;
          const rest = text.slice(nl + 1);
          if (rest) control.onData(rest);
          resolve(control);
        };
        socket.on("data", onData);
        socket.on("error", () => socket.destroy());
      });
      server.on("error", (e) => fail(e));
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        if (address === null || typeof address === "string") return fail(new Error("cannot listen on 127.0.0.1"));
        const args = [...(launch.prefixArgs ?? []), "--control", `${address.port}:${token}`, ...launch.modeArgs];
        child = spawn(launch.command, args, { stdio: launch.stdio ?? ["pipe", "pipe", "pipe"], cwd: launch.cwd, env: launch.env });
        child.on("error", (e) => fail(e));
        child.on("exit", (code) => fail(new Error(`the VM exited (status ${code}) before connecting`)));
      });
    });
  }

  /** Sends a request; resolves with the response's body, rejects with its message. */
  request(command: string, args?: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new Error("the VM control channel is closed"));
    const seq = ++this.seq;
    const message = args === undefined ? { seq, command } : { seq, command, arguments: args };
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.socket.write(JSON.stringify(message) + "\n");
    });
  }

  /** Listens to an event of the VM. */
  on(event: string, listener: (body: Record<string, unknown>) => void): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
  }

  /** Called once when the connection closes (the VM ended or was killed). */
  onClosed(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Closes the connection and kills the VM if it still runs. */
  dispose(): void {
    this.socket.destroy();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    for (let nl = this.buffer.indexOf("\n"); nl >= 0; nl = this.buffer.indexOf("\n")) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (line.trim() === "") continue;
      let message: VmResponse & VmEvent;
      try {
        message = JSON.parse(line) as VmResponse & VmEvent;
      } catch {
        continue; // the VM never sends this; ignore rather than crash the controller
      }
      if (typeof message.request_seq === "number") {
        const p = this.pending.get(message.request_seq);
        if (!p) continue;
        this.pending.delete(message.request_seq);
        if (message.success) p.resolve(message.body ?? {});
        else p.reject(new VmRequestError(message.message ?? "the request failed"));
      } else if (typeof message.event === "string") {
        for (const l of this.listeners.get(message.event) ?? []) l(message.body ?? {});
      }
    }
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new Error("the VM control channel closed"));
    this.pending.clear();
    for (const l of this.closeListeners) l();
  }
}
