// The controller's end of the VM control channel (docs/vm-protocol.md): listen on loopback, start
// the VM with `--control PORT:TOKEN …`, accept the connection whose hello carries the token, then
// requests (`request(command, args) → body`) and events (`on(event, …)`), one JSON object a line.
// Node-only, no vscode imports: used by the debug adapter and the REPL front-end (`repl.ts`).
import { ChildProcess, SpawnOptions, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { AddressInfo, Server, Socket, createServer } from "node:net";

export interface VmControlOptions {
  /** The VM executable (`wvm`), or `node` with `out/wvm-wasm.js` as the first argument. */
  command: string;
  /** Arguments after `--control PORT:TOKEN` (e.g. `["--debug", "prog.whbc", …args]`). */
  args: string[];
  /** Arguments before `--control` (e.g. the wasm host script). */
  prefixArgs?: string[];
  spawn?: SpawnOptions;
  /** Starts the VM some other way (a debugger's terminal) instead of spawning it here. */
  launch?: (command: string, args: string[]) => Promise<void>;
  /** How long to wait for the VM to connect (ms). */
  connectTimeoutMs?: number;
  /**
   * Keeps listening after the VM connected: each later connection that presents the token (a
   * debug session's checkpoints and the processes resumed from them, docs/vm-protocol.md
   * "Checkpoints") is handed to this as a control of its own, before any of its events. The
   * server then closes with `dispose()` of the first control.
   */
  onConnection?: (control: VmControl) => void;
}

type Listener = (body: Record<string, unknown>) => void;

export class VmControlError extends Error {}

export class VmControl {
  /** The VM's process when this controller spawned it. */
  readonly process: ChildProcess | null;
  private socket: Socket | null = null;
  private seq = 1;
  private pending = new Map<number, { resolve: (b: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private listeners = new Map<string, Listener[]>();
  private closed = false;
  private readonly exitCode: Promise<number | null>;
  /** The VM process's id, from its hello. */
  pid = 0;
  /** The VM's hello body (`token`, `protocol`, `pid`). */
  hello: Record<string, unknown> = {};

  private constructor(
    private readonly server: Server,
    child: ChildProcess | null,
    private readonly ownsServer = true,
  ) {
    this.process = child;
    this.exitCode = child ? new Promise((resolve) => child.on("exit", (code) => resolve(code))) : Promise.resolve(null);
  }

  /** Starts the VM and resolves once it has connected with the right token. */
  static start(options: VmControlOptions): Promise<VmControl> {
    const token = randomBytes(16).toString("hex");
    const server = createServer();
    return new Promise((resolve, reject) => {
      server.on("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const port = (server.address() as AddressInfo).port;
        const argv = [...(options.prefixArgs ?? []), "--control", `${port}:${token}`, ...options.args];
        const child = options.launch ? null : spawn(options.command, argv, options.spawn ?? {});
        const control = new VmControl(server, child);
        let settled = false;
        const fail = (e: Error) => {
          if (settled) return;
          settled = true;
          server.close();
          reject(e);
        };
        const timer = setTimeout(() => fail(new VmControlError("the VM did not connect to the control channel")), options.connectTimeoutMs ?? 10000);
        if (child) {
          child.on("error", (e) => {
            clearTimeout(timer);
            fail(new VmControlError(`cannot start ${options.command}: ${e.message}`));
          });
          child.on("exit", (code) => {
            clearTimeout(timer);
            fail(new VmControlError(`the VM exited (status ${code}) before it connected`));
          });
        } else {
          options.launch!(options.command, argv).catch((e: Error) => {
            clearTimeout(timer);
            fail(new VmControlError(`cannot start ${options.command}: ${e.message}`));
          });
        }
        server.on("connection", (socket) => {
          let buf = "";
          const onHello = (chunk: Buffer) => {
            buf += chunk.toString("utf8");
            const nl = buf.indexOf("\n");
            if (nl < 0) return;
            socket.off("data", onHello);
            let hello: { event?: string; body?: { token?: string; pid?: number } & Record<string, unknown> } = {};
            try {
              hello = JSON.parse(buf.slice(0, nl));
            } catch {
              /* not a hello */
            }
            if (hello.event !== "hello" || hello.body?.token !== token || (settled && !(options.onConnection && control.socket))) {
              socket.destroy(); // another local process cannot take over
              return;
            }
            if (settled) {
              // A later process of the same session (a checkpoint, or one resumed from it).
              const more = new VmControl(server, null, false);
              more.pid = Number(hello.body.pid ?? 0);
              more.hello = hello.body ?? {};
              more.attach(socket, "");
              options.onConnection!(more);
              more.take(buf.slice(nl + 1));
              return;
            }
            settled = true;
            clearTimeout(timer);
            if (!options.onConnection) server.close(); // one VM, one connection
            control.pid = Number(hello.body.pid ?? 0);
            control.hello = hello.body ?? {};
            control.attach(socket, buf.slice(nl + 1));
            resolve(control);
          };
          socket.on("data", onHello);
        });
      });
    });
  }

  private received = "";

  private take(text: string): void {
    this.received += text;
    let nl: number;
    while ((nl = this.received.indexOf("\n")) >= 0) {
      const line = this.received.slice(0, nl);
      this.received = this.received.slice(nl + 1);
      if (line.trim()) this.dispatch(line);
    }
  }

  private attach(socket: Socket, rest: string): void {
    this.socket = socket;
    socket.on("data", (chunk) => this.take(chunk.toString("utf8")));
    socket.on("close", () => this.onClose());
    socket.on("error", () => this.onClose());
    this.take(rest);
  }

  private dispatch(line: string): void {
    let m: { event?: string; body?: Record<string, unknown>; request_seq?: number; success?: boolean; message?: string };
    try {
      m = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof m.request_seq === "number") {
      const p = this.pending.get(m.request_seq);
      if (!p) return;
      this.pending.delete(m.request_seq);
      if (m.success) p.resolve(m.body ?? {});
      else p.reject(new VmControlError(m.message ?? "request failed"));
    } else if (typeof m.event === "string") {
      for (const l of this.listeners.get(m.event) ?? []) l(m.body ?? {});
    }
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new VmControlError("the VM closed the control channel"));
    this.pending.clear();
    for (const l of this.listeners.get("close") ?? []) l({});
  }

  request<T = Record<string, unknown>>(command: string, args: Record<string, unknown> = {}): Promise<T> {
    if (this.closed || !this.socket) return Promise.reject(new VmControlError("the VM is not connected"));
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve: resolve as (b: Record<string, unknown>) => void, reject });
      this.socket!.write(JSON.stringify({ seq, command, arguments: args }) + "\n");
    });
  }

  /** Events from the VM by name; `close` when the channel closes. */
  on(event: string, listener: Listener): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The VM's exit status (null when killed by a signal). */
  exited(): Promise<number | null> {
    return this.exitCode;
  }

  /** Closes the channel only (the VM ends on its own: it waits for this after its last event). */
  hangUp(): void {
    this.socket?.end();
  }

  /** Closes this channel only: the VM process ends on its own (a debug VM when its channel closes). */
  detach(): void {
    this.socket?.destroy();
  }

  /** Closes the channel and ends the VM (and, for the first control, the server). */
  dispose(): void {
    this.socket?.destroy();
    if (this.ownsServer) this.server.close();
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) this.process.kill();
  }
}
