// A real LSP client for the protocol tests: starts out/server.js over stdio and speaks JSON-RPC
// to it through vscode-languageserver-protocol, the library VS Code's own client is built on.

import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  ShutdownRequest,
  ExitNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  PublishDiagnosticsNotification,
  ConfigurationRequest,
  LogMessageNotification,
  type Message,
  type MessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from "vscode-languageserver-protocol/node";
import { SERVER_ENV, SERVER_NODE_FLAGS } from "../src/node/flags";

export const root = join(__dirname, "..", "..");
export const serverPath = join(root, "out", "server.js");

export function fixtureUri(path: string): string {
  return pathToFileURL(join(root, path)).href;
}

export interface ClientOptions {
  /** What the client answers to workspace/configuration for the section `whispem`. */
  settings?: unknown;
  workspaceFolders?: string[];
  /** Extra arguments for node before the server's path. */
  nodeArgs?: string[];
  /** The initialize request's initializationOptions. */
  initializationOptions?: unknown;
  /** The server bundle to start (default out/server.js; the benches start out/shipped/server.js). */
  serverPath?: string;
  /**
   * Keep every publication received (`history`, `first`; default true). The benches turn it off:
   * 40 publications of 961 diagnostics kept the client's heap growing, and its own garbage
   * collections were timed as the server's latency.
   */
  keepHistory?: boolean;
}

/** The stream writer, except that while `held` the messages are kept and then written to the
 * server's stdin in a single write, so that they arrive together (the scheduling tests'
 * "several messages before the server's next turn" does not depend on the machine's load). */
class HoldingWriter implements MessageWriter {
  private held: { message: Message; resolve: () => void }[] | null = null;
  constructor(
    private readonly inner: StreamMessageWriter,
    private readonly stdin: NodeJS.WritableStream,
  ) {}
  get onError() {
    return this.inner.onError;
  }
  get onClose() {
    return this.inner.onClose;
  }
  write(message: Message): Promise<void> {
    if (!this.held) return this.inner.write(message);
    return new Promise((resolve) => this.held!.push({ message, resolve }));
  }
  hold(): void {
    this.held ??= [];
  }
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    if (!held.length) return;
    const parts = held.map(({ message }) => {
      const body = Buffer.from(JSON.stringify(message), "utf8");
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]);
    });
    this.stdin.write(Buffer.concat(parts), () => held.forEach((h) => h.resolve()));
  }
  end(): void {
    this.inner.end();
  }
  dispose(): void {
    this.inner.dispose();
  }
}

type Waiter = { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void };

export class TestClient {
  readonly latest = new Map<string, PublishDiagnosticsParams>();
  /** Every publication, per document, in arrival order. */
  readonly history = new Map<string, PublishDiagnosticsParams[]>();
  /** Every line the server logged (window/logMessage). */
  readonly logs: string[] = [];
  private waiters: Waiter[] = [];
  private exited = false;

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
    private readonly writer: HoldingWriter,
    private readonly keepHistory = true,
  ) {
    process.on("exit", () => (this.exited = true));
  }

  static async start(options: ClientOptions = {}): Promise<TestClient> {
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...(options.nodeArgs ?? []), options.serverPath ?? serverPath, "--stdio"], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...SERVER_ENV } });
    child.stderr!.on("data", () => {});
    const writer = new HoldingWriter(new StreamMessageWriter(child.stdin!), child.stdin!);
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), writer);
    const client = new TestClient(child, connection, writer, options.keepHistory ?? true);
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => client.received(p));
    connection.onNotification(LogMessageNotification.type, (p) => {
      client.logs.push(p.message);
    });
    connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((item) => (item.section === "whispem" ? options.settings ?? {} : null)));
    connection.listen();
    const folders = options.workspaceFolders ?? [];
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folders[0] ?? null,
      workspaceFolders: folders.map((uri, i) => ({ uri, name: `folder${i}` })),
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } } },
      initializationOptions: options.initializationOptions,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private received(p: PublishDiagnosticsParams): void {
    this.latest.set(p.uri, p);
    if (this.keepHistory) {
      if (!this.history.has(p.uri)) this.history.set(p.uri, []);
      this.history.get(p.uri)!.push(p);
    }
    const ready = this.waiters.filter((w) => w.uri === p.uri && w.accept(p));
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(p);
  }

  /** The next diagnostics published for `uri` at `version` or later (already received ones count). */
  diagnostics(uri: string, version?: number): Promise<PublishDiagnosticsParams> {
    const have = this.latest.get(uri);
    if (have && version !== undefined && have.version !== undefined && have.version >= version) return Promise.resolve(have);
    return this.waitFor(uri, (p) => version === undefined || (p.version !== undefined && p.version >= version));
  }

  /** The next publication for `uri` that satisfies `accept`. */
  waitFor(uri: string, accept: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve) => this.waiters.push({ uri, accept, resolve }));
  }

  /** The first publication for `uri` at exactly `version`. */
  first(uri: string, version: number): PublishDiagnosticsParams | undefined {
    return this.history.get(uri)?.find((p) => p.version === version);
  }

  async open(uri: string, text: string, version = 1): Promise<PublishDiagnosticsParams> {
    const published = this.diagnostics(uri, version);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "whispem", version, text } });
    return published;
  }

  async change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<PublishDiagnosticsParams> {
    const published = this.diagnostics(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return published;
  }

  async close(uri: string): Promise<void> {
    this.latest.delete(uri);
    this.history.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** A notification; requests sent after it are handled after it (one ordered connection). */
  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  /** Runs `send` (which sends messages without awaiting their writes), then writes every
   * message it sent to the server in one piece: they reach the server together. */
  together<T>(send: () => T): T {
    this.writer.hold();
    try {
      return send();
    } finally {
      this.writer.release();
    }
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** shutdown + exit, then wait for the process to end. */
  async stop(): Promise<number | null> {
    const ended = new Promise<number | null>((resolve) => {
      if (this.exited) resolve(this.process.exitCode);
      else this.process.on("exit", (code) => resolve(code));
    });
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      this.process.kill();
    }
    const code = await ended;
    this.connection.dispose();
    return code;
  }
}
