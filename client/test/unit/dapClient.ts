// A small DAP client over stdio for the adapter tests: requests with awaited responses, and
// waiting for events by predicate (no sleeps).
import { ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

export interface DapMessage {
  type: string;
  seq: number;
  command?: string;
  event?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  body?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  arguments?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export const ADAPTER = join(__dirname, "../../../out/debugAdapter.js");

export class DapClient {
  private readonly child: ChildProcess;
  private seq = 1;
  private buf = Buffer.alloc(0);
  private readonly pending = new Map<number, (m: DapMessage) => void>();
  readonly events: DapMessage[] = [];
  private waiters: { pred: (m: DapMessage) => boolean; resolve: (m: DapMessage) => void; from: number }[] = [];
  /** Reverse requests (runInTerminal) answered by this handler. */
  onReverse: ((m: DapMessage) => Promise<unknown>) | null = null;

  /** Adapters not closed yet: a failed test's one is ended by closeAll (else its file would never end). */
  private static readonly open = new Set<DapClient>();
  static closeAll(): void {
    for (const c of [...DapClient.open]) c.close();
  }

  constructor() {
    DapClient.open.add(this);
    this.child = spawn(process.execPath, [ADAPTER], { stdio: ["pipe", "pipe", "inherit"] });
    this.child.stdout!.on("data", (d: Buffer) => this.take(d));
  }

  private take(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const head = this.buf.indexOf("\r\n\r\n");
      if (head < 0) return;
      const m = /Content-Length: (\d+)/i.exec(this.buf.subarray(0, head).toString());
      const len = Number(m![1]);
      if (this.buf.length < head + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(head + 4, head + 4 + len).toString("utf8")) as DapMessage;
      this.buf = this.buf.subarray(head + 4 + len);
      this.dispatch(msg);
    }
  }

  private dispatch(m: DapMessage): void {
    if (m.type === "response") {
      this.pending.get(m.request_seq!)?.(m);
      this.pending.delete(m.request_seq!);
    } else if (m.type === "event") {
      this.events.push(m);
      this.waiters = this.waiters.filter((w) => {
        if (this.events.length - 1 >= w.from && w.pred(m)) {
          w.resolve(m);
          return false;
        }
        return true;
      });
    } else if (m.type === "request" && this.onReverse) {
      void this.onReverse(m).then((body) => this.send({ type: "response", seq: this.seq++, request_seq: m.seq, command: m.command, success: true, body }));
    }
  }

  private send(m: object): void {
    const json = JSON.stringify(m);
    this.child.stdin!.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
  }

  request(command: string, args: object = {}): Promise<DapMessage> {
    const seq = this.seq++;
    // What VS Code sends with initialize.
    if (command === "initialize") args = { pathFormat: "path", linesStartAt1: true, columnsStartAt1: true, ...args };
    return new Promise((resolve) => {
      this.pending.set(seq, resolve);
      this.send({ type: "request", seq, command, arguments: args });
    });
  }

  /** Resolves with the first event (at or after index `from` of `events`) matching. */
  waitEvent(pred: (m: DapMessage) => boolean, from = 0): Promise<DapMessage> {
    for (let i = from; i < this.events.length; i++) if (pred(this.events[i])) return Promise.resolve(this.events[i]);
    return new Promise((resolve) => this.waiters.push({ pred, resolve, from }));
  }

  /** The next stopped event after the current ones. */
  nextStop(): Promise<DapMessage> {
    return this.waitEvent((m) => m.event === "stopped" || m.event === "terminated", this.events.length);
  }

  output(category = "stdout"): string {
    return this.events.filter((e) => e.event === "output" && e.body.category === category).map((e) => e.body.output).join("");
  }

  close(): void {
    DapClient.open.delete(this);
    this.child.kill();
  }
}

/** Where the program is and what the innermost frame sees: its frames, then each scope's variables. */
export async function snapshot(dap: DapClient): Promise<string> {
  const st = await dap.request("stackTrace", { threadId: 1 });
  const frames = st.body.stackFrames as { id: number; name: string; line: number }[];
  const scopes = await dap.request("scopes", { frameId: frames[0].id });
  const parts: string[] = [frames.map((f) => `${f.name}:${f.line}`).join(" < ")];
  for (const s of scopes.body.scopes as { name: string; variablesReference: number }[]) {
    const v = await dap.request("variables", { variablesReference: s.variablesReference });
    parts.push(`${s.name}: ${v.body.variables.map((x: { name: string; value: string }) => `${x.name}=${x.value}`).join(", ")}`);
  }
  return parts.join("\n");
}
