// The Whispem debug adapter (DAP): compiles the program with debug information, starts the VM in
// debug mode on the control channel (docs/vm-protocol.md), and maps DAP requests onto the VM's
// debug commands. Conditions, hit counts and logpoints are evaluated here (the VM stops, the
// adapter evaluates and continues); so are hover/watch/console expressions (evaluate.ts).
// No vscode imports: this runs as `node out/debugAdapter.js` or inline in the extension.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import {
  Breakpoint,
  ExitedEvent,
  InitializedEvent,
  LoggingDebugSession,
  OutputEvent,
  Scope,
  Source,
  StackFrame,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { compile } from "../../../../compiler/src/compiler";
import { DebugChunk, DebugInfo, debugInfo, liveLocals } from "../../../../compiler/src/debugInfo";
import { VmControl } from "../../../../compiler/src/vmControl";
import { wasmCommand } from "../../../../compiler/src/vmSelect";
import { Checkpoint, Checkpoints } from "./checkpoints";
import { EvalError, EvalValue, display, evaluate, parseExpression, truthy } from "./evaluate";

export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  program: string;
  args?: string[];
  stopOnEntry?: boolean;
  console?: "integratedTerminal" | "debugConsole";
  cwd?: string;
  /** The VM executable; default: bin/wvm of the extension (or WHISPEM_WVM), else the WebAssembly VM. */
  wvmPath?: string;
  /** Arguments before the VM's own (the WebAssembly VM: Node's flags and out/wvm-wasm.js). */
  wvmArgs?: string[];
  /** Environment added for the VM (the WebAssembly VM: ELECTRON_RUN_AS_NODE, WHISPEM_WVM_WASM). */
  wvmEnv?: Record<string, string>;
  /** Without wvmPath: "wasm" runs the WebAssembly VM beside the adapter, "native" only bin/wvm. */
  vm?: "native" | "wasm";
  /** Said in the debug console at launch (why the WebAssembly VM stands in for a native one). */
  vmNotice?: string;
  /** Running time between two checkpoints in ms (default 50; 0: none, going back re-runs from the start). */
  checkpointMs?: number;
  /** Also a checkpoint every this many line steps (deterministic: for tests). */
  checkpointSteps?: number;
}

interface VmVariable {
  name: string;
  value: string;
  type: string;
  ref: number;
  count?: number;
  number?: number | null;
  string?: string;
  bool?: boolean;
}

interface VmFrame {
  id: number;
  name: string;
  line: number;
  closure: boolean;
}

type Scoped = "locals" | "captured" | "globals";
/** An array or dict reached from a named variable of a frame's scope, by keys (a VM's refs last one stop). */
interface VarPath {
  frame: number;
  scope: Scoped;
  /** The variable's name as the VM knows it (a captured variable's slot). */
  name: string;
  keys: string[];
}
type Handle = { kind: "scope"; frame: number; scope: Scoped } | { kind: "vm"; ref: number; type: string; path: VarPath | null };
/**
 * A value the user set while stopped at `step`: a re-run that passes the step sets it again, so
 * going back shows the run the user made (see goBack). `at`: the frame's scope, and in it the
 * variable then the keys down to the element set; null when the container came from a watch
 * expression (not found again).
 */
interface Edit {
  step: number;
  at: { frame: number; scope: Scoped; path: string[] } | null;
  value: string | number | boolean | null;
}

interface LineBreakpoint {
  line: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  hits: number;
}

const THREAD = 1;
/** Checkpoints kept at most (processes; older ones are thinned). */
const MAX_CHECKPOINTS = 16;
const DEFAULT_CHECKPOINT_MS = 50;

/** How the VM is started: the executable, what goes before the VM's arguments, added environment. */
interface VmLaunch {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** The folders the adapter may sit in below the package root (out/, out/parts/, client/src/debug/adapter/). */
const ROOTS = [join(__dirname, ".."), join(__dirname, "..", ".."), join(__dirname, "..", "..", "..", "..")];

/**
 * The VM of a launch: the one the launch names (the extension resolves whispem.vmPath and
 * whispem.vm into wvmPath/wvmArgs/wvmEnv), else bin/wvm beside the bundle (out/ → ../bin) or
 * $WHISPEM_WVM, else the WebAssembly VM beside it (bin/wvm.wasm run by out/wvm-wasm.js).
 */
function chooseVm(args: LaunchArguments): VmLaunch | null {
  if (args.wvmPath) return { command: args.wvmPath, args: args.wvmArgs ?? [], env: args.wvmEnv };
  if (args.vm !== "wasm") {
    if (process.env.WHISPEM_WVM) return { command: process.env.WHISPEM_WVM, args: [] };
    const exe = process.platform === "win32" ? "wvm.exe" : "wvm";
    for (const root of ROOTS) {
      const candidate = join(root, "bin", exe);
      if (existsSync(candidate)) return { command: candidate, args: [] };
    }
  }
  if (args.vm !== "native") {
    for (const root of ROOTS) {
      const host = join(root, "out", "wvm-wasm.js");
      if (existsSync(join(root, "bin", "wvm.wasm")) && existsSync(host)) {
        const vm = wasmCommand({ node: process.execPath, wasmHost: host, binDir: join(root, "bin") });
        return { command: vm.command, args: vm.args, env: vm.env };
      }
    }
  }
  return null;
}

/** `N`, `>= N`, `> N`, `== N`, `% N`: whether the hit count n satisfies the condition. */
export function hitConditionMet(condition: string, n: number): boolean | null {
  const m = /^\s*(>=|>|==|=|%)?\s*(\d+)\s*$/.exec(condition);
  if (!m) return null;
  const k = Number(m[2]);
  switch (m[1]) {
    case ">=":
      return n >= k;
    case ">":
      return n > k;
    case "%":
      return k > 0 && n % k === 0;
    default:
      return n === k;
  }
}

/** The VM lists children a page at a time (docs/vm-protocol.md). */
const CHILDREN_PAGE = 4096;

/** A collection's element or entry by its key: an array's by index, a dict's looked for page by page. */
async function childOf(vm: VmControl, parent: VmVariable, key: string): Promise<VmVariable | undefined> {
  const page = (start: number, count: number) => vm.request<{ variables: VmVariable[] }>("variables", { ref: parent.ref, start, count });
  if (parent.type === "array") return /^\d+$/.test(key) ? (await page(Number(key), 1)).variables[0] : undefined;
  for (let start = 0; start < (parent.count ?? 0); start += CHILDREN_PAGE) {
    const found = (await page(start, CHILDREN_PAGE)).variables.find((v) => v.name === key);
    if (found) return found;
  }
  return undefined;
}

export class WhispemDebugSession extends LoggingDebugSession {
  private vm: VmControl | null = null;
  private program = "";
  private info: DebugInfo | null = null;
  private chunkNames: string[] = [];
  private tempDir: string | null = null;
  private breakpoints = new Map<number, LineBreakpoint[]>();
  private handles: Handle[] = [];
  private frames: VmFrame[] = [];
  private exceptionText: string | null = null;
  private exitSent = false;
  private outputDone: Promise<void> = Promise.resolve();
  /** What the program read (input(), read_file), in order: fed back when it is re-run. */
  private recorded: { kind: string; text: string }[] = [];
  /** The values the user set, in the order set (steps never decrease: see goBack). */
  private edits: Edit[] = [];
  /** The VM's line-step count and line at the current stop. */
  private currentStep = 0;
  private currentLine = 0;
  /** The breakpoint lines and function-breakpoint chunks last sent to the VM. */
  private bpLines: number[] = [];
  private fnChunks: number[] = [];
  /** While re-running to a step: where to stop, and the steps of breakpoint stops on the way. */
  private replay: { target: number; hits: number[]; done: (reached: boolean) => void } | null = null;
  /** Checkpoints (POSIX VMs): forked copies of the VM to resume instead of re-running from the start. */
  private checkpointMs = DEFAULT_CHECKPOINT_MS;
  private checkpointSteps = 0;
  private readonly checkpoints = new Checkpoints<VmControl>(MAX_CHECKPOINTS);
  /** Changes whenever the breakpoints are set again (a checkpoint's hit counts are then stale). */
  private bpVersion = 0;
  /** Waits for the process a checkpoint was just asked to resume. */
  private resumed: ((vm: VmControl, body: Record<string, unknown>) => void) | null = null;
  /** The VM started for the session (or its last re-run from the start): its processes share its output. */
  private first: VmControl | null = null;
  private family = 0;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsFunctionBreakpoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsExceptionInfoRequest: true,
      supportsTerminateRequest: true,
      supportsStepBack: true,
    };
    this.sendResponse(response);
  }

  protected async launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): Promise<void> {
    try {
      await this.launch(args);
      this.sendResponse(response);
      this.sendEvent(new InitializedEvent());
    } catch (e) {
      this.sendErrorResponse(response, { id: 1001, format: (e as Error).message, showUser: true });
      this.sendEvent(new TerminatedEvent());
    }
  }

  private async launch(args: LaunchArguments): Promise<void> {
    if (!args.program) throw new Error("launch: 'program' (a .wsp file) is required");
    this.program = args.program;
    let text: string;
    try {
      text = readFileSync(args.program, "utf8");
    } catch (e) {
      throw new Error(`Cannot read '${args.program}': ${(e as Error).message}`);
    }
    const result = compile(text);
    if (!result.bytes || !result.chunks) {
      const d = result.diagnostics.find((x) => x.severity === "error") ?? result.diagnostics[0];
      throw new Error(`${basename(args.program)}:${d?.line ?? 0}: ${d?.message ?? "does not compile"}`);
    }
    this.info = debugInfo(result.chunks);
    this.chunkNames = result.chunks.map((c) => c.name);
    const vm = chooseVm(args);
    if (!vm) throw new Error(`the Whispem VM (${args.vm === "wasm" ? "bin/wvm.wasm" : "bin/wvm"}) was not found; build it with \`npm run build\``);
    this.tempDir = mkdtempSync(join(tmpdir(), "whispem-debug-"));
    const whbc = join(this.tempDir, basename(args.program).replace(/\.wsp$/, "") + ".whbc");
    writeFileSync(whbc, result.bytes);
    this.run = { vm, whbc, cwd: args.cwd || dirname(args.program), args: args.args ?? [], terminal: args.console === "integratedTerminal" };
    if (typeof args.checkpointMs === "number" && args.checkpointMs >= 0) this.checkpointMs = Math.floor(args.checkpointMs);
    if (typeof args.checkpointSteps === "number" && args.checkpointSteps >= 1) this.checkpointSteps = Math.floor(args.checkpointSteps);
    this.vm = await this.startVm();
    if (args.vmNotice) this.sendEvent(new OutputEvent(args.vmNotice.endsWith("\n") ? args.vmNotice : args.vmNotice + "\n", "console"));
  }

  /** How the VM is started: again for each re-execution of reverse debugging. */
  private run: { vm: VmLaunch; whbc: string; cwd: string; args: string[]; terminal: boolean } | null = null;
  /** Events of replaced VMs are ignored. */
  private generation = 0;

  private async startVm(): Promise<VmControl> {
    const run = this.run!;
    const gen = ++this.generation;
    const family = ++this.family;
    const vmArgs = ["--debug", run.whbc, ...run.args];
    const onConnection = (c: VmControl) => this.onConnection(c, family);
    let vm: VmControl;
    if (run.terminal) {
      vm = await VmControl.start({
        command: run.vm.command,
        prefixArgs: run.vm.args,
        args: vmArgs,
        onConnection,
        launch: (command, argv) =>
          new Promise((resolve, reject) => {
            const request: DebugProtocol.RunInTerminalRequestArguments = { kind: "integrated", title: `Whispem: ${basename(this.program)}`, cwd: run.cwd, args: [command, ...argv] };
            if (run.vm.env) request.env = run.vm.env;
            this.runInTerminalRequest(request, 10000, (r) =>
              r.success ? resolve() : reject(new Error(r.message ?? "the terminal could not start the VM")),
            );
          }),
      });
      this.outputDone = Promise.resolve();
    } else {
      // The debug console has no input: input() there reads end of input (an empty string).
      const env = run.vm.env ? { ...process.env, ...run.vm.env } : process.env;
      vm = await VmControl.start({ command: run.vm.command, prefixArgs: run.vm.args, args: vmArgs, onConnection, spawn: { cwd: run.cwd, env, stdio: ["ignore", "pipe", "pipe"] } });
      const child = vm.process!;
      // Every process of the family (checkpoints, those resumed from them) writes to these pipes;
      // only a live one is not muted.
      const forward = (stream: NodeJS.ReadableStream, category: string) =>
        new Promise<void>((resolve) => {
          stream.setEncoding("utf8");
          stream.on("data", (chunk: string) => {
            if (family === this.family) this.sendEvent(new OutputEvent(category === "stderr" ? this.rewrite(chunk, run.whbc) : chunk, category));
          });
          stream.on("end", resolve);
        });
      this.outputDone = Promise.all([forward(child.stdout!, "stdout"), forward(child.stderr!, "stderr")]).then(() => undefined);
    }
    this.first = vm;
    this.attachLive(vm, gen);
    return vm;
  }

  /** The live VM's events (those of a replaced one are ignored). */
  private attachLive(vm: VmControl, gen: number): void {
    vm.on("stopped", (body) => {
      if (gen === this.generation) void this.onStopped(body);
    });
    vm.on("recorded", (body) => {
      if (gen === this.generation) this.recorded.push({ kind: String(body.kind), text: String(body.text) });
    });
    vm.on("exited", (body) => {
      if (gen === this.generation) void this.onExited(Number(body.exitCode ?? 0));
    });
    vm.on("close", () => {
      if (gen === this.generation) void this.onExited(null);
    });
    // A checkpoint it just forked, in order with its stops: the hit counts of this moment go with it.
    vm.on("checkpoint", (body) => {
      if (gen !== this.generation || Number(body.pid) === vm.pid) return;
      const e = this.checkpoints.entry(Number(body.pid), Number(body.steps));
      if (!e) return;
      e.hits = this.hitCounts();
      e.bpVersion = this.bpVersion;
    });
  }

  /** A later connection of the session: a checkpoint, or a process resumed from one. */
  private onConnection(c: VmControl, family: number): void {
    if (family !== this.family || this.exitSent) {
      c.detach();
      return;
    }
    c.on("checkpoint", (body) => {
      if (Number(body.pid) !== c.pid) return; // a resumed process telling of its own checkpoints (attachLive)
      const e = this.checkpoints.entry(c.pid, Number(body.steps));
      if (!e || this.exitSent) {
        c.detach();
        return;
      }
      e.control = c;
      for (const old of this.checkpoints.thin()) old.control?.detach();
    });
    c.on("resumed", (body) => {
      const waiter = this.resumed;
      this.resumed = null;
      if (waiter) waiter(c, body);
      else c.detach();
    });
    c.on("close", () => {
      if (this.checkpoints.get(c.pid)?.control === c) this.checkpoints.delete(c.pid);
    });
  }

  private checkpointArgs(): Record<string, number> {
    return { checkpointMs: this.checkpointMs, checkpointSteps: this.checkpointSteps };
  }

  private hitCounts(): number[] {
    return [...this.breakpoints.values()].flat().map((b) => b.hits);
  }

  private hasHitConditions(): boolean {
    return [...this.breakpoints.values()].some((list) => list.some((b) => b.hitCondition));
  }

  /** A checkpoint can be resumed when connected and, if hit counts matter, it knows them. */
  private usable = (e: Checkpoint<VmControl>): boolean =>
    e.control !== null && !e.control.isClosed && (!this.hasHitConditions() || (e.hits !== null && e.bpVersion === this.bpVersion));

  /** Ends every checkpoint (each one ends when its connection closes). */
  private endCheckpoints(): void {
    for (const e of this.checkpoints.clear()) e.control?.detach();
  }

  /** Ends the session's processes: checkpoints, the live VM, then the first one (which waits for its checkpoints). */
  private async endProcesses(): Promise<void> {
    this.endCheckpoints();
    const live = this.vm;
    const first = this.first;
    await live?.request("disconnect").catch(() => undefined);
    live?.detach();
    if (first) {
      await Promise.race([first.exited(), new Promise((resolve) => setTimeout(resolve, 2000))]);
      first.dispose();
    }
  }

  /** VM messages name the temporary bytecode file; the user knows the source. */
  private rewrite(text: string, whbc: string): string {
    return text.split(whbc).join(this.program);
  }

  private async onExited(code: number | null): Promise<void> {
    if (this.replay) {
      const replay = this.replay;
      this.replay = null;
      replay.done(false);
      return;
    }
    if (this.exitSent) return;
    this.exitSent = true;
    this.endCheckpoints(); // they share the program's output pipes: those close when all have ended
    this.vm?.hangUp();
    await this.outputDone;
    if (code !== null) this.sendEvent(new ExitedEvent(code));
    this.sendEvent(new TerminatedEvent());
    this.vm?.dispose();
    if (this.first) {
      const first = this.first;
      await Promise.race([first.exited(), new Promise((resolve) => setTimeout(resolve, 2000))]);
      first.dispose();
    }
  }

  private resetHandles(): void {
    this.handles = [];
    this.frames = [];
  }

  private async onStopped(body: Record<string, unknown>): Promise<void> {
    this.resetHandles();
    const reason = String(body.reason);
    const line = Number(body.line);
    this.currentStep = Number(body.steps ?? 0);
    this.currentLine = line;
    if (this.replay) {
      const replay = this.replay;
      if (reason === "breakpoint" || reason === "function breakpoint") {
        // On the way to the target: counts hits and conditions as a forward run would, silently.
        if (reason === "function breakpoint" || (await this.breakpointDecision(line, true))) replay.hits.push(this.currentStep);
        await this.vm!.request("runToStep", { step: replay.target, mute: true, breakpoints: true }).catch(() => replay.done(false));
        return;
      }
      this.replay = null;
      replay.done(true);
      return;
    }
    if (reason === "breakpoint") {
      const decision = await this.breakpointDecision(line);
      if (!decision) {
        await this.vm!.request("continue").catch(() => undefined);
        return;
      }
    }
    if (reason === "exception") {
      this.exceptionText = String(body.text ?? "");
      const e = new StoppedEvent("exception", THREAD, this.exceptionText) as DebugProtocol.StoppedEvent;
      e.body.description = "Runtime error";
      this.sendEvent(e);
      return;
    }
    this.exceptionText = null;
    // The VM's first stop with stopOnEntry is a line step; VS Code says "Paused on entry" for "entry".
    const entry = this.stopOnEntry && !this.stoppedBefore && reason === "step";
    this.stoppedBefore = true;
    const dapReason = entry ? "entry" : reason === "function breakpoint" ? "function breakpoint" : reason === "goto" ? "step" : reason;
    this.sendEvent(new StoppedEvent(dapReason, THREAD));
  }

  /** Whether to stop at a breakpoint line: its condition, hit count and logpoint, evaluated here. */
  private async breakpointDecision(line: number, silent = false): Promise<boolean> {
    const specs = this.breakpoints.get(line) ?? [];
    if (specs.length === 0) return true;
    let stop = false;
    for (const bp of specs) {
      if (bp.condition) {
        try {
          const v = await this.eval(bp.condition, 0);
          if (!truthy(v)) continue;
        } catch (e) {
          if (!silent) this.sendEvent(new OutputEvent(`Breakpoint condition '${bp.condition}' at line ${bp.line}: ${(e as Error).message}\n`, "console"));
          stop = true;
          continue;
        }
      }
      bp.hits++;
      if (bp.hitCondition) {
        const met = hitConditionMet(bp.hitCondition, bp.hits);
        if (met === false) continue;
      }
      if (bp.logMessage !== undefined) {
        if (!silent) this.sendEvent(new OutputEvent((await this.interpolate(bp.logMessage)) + "\n", "console"));
        continue;
      }
      stop = true;
    }
    this.resetHandles();
    return stop;
  }

  private async interpolate(message: string): Promise<string> {
    let out = "";
    const re = /\{([^{}]+)\}/g;
    let last = 0;
    for (let m = re.exec(message); m; m = re.exec(message)) {
      out += message.slice(last, m.index);
      try {
        const v = await this.eval(m[1], 0);
        out += v.kind === "string" ? v.value : display(v);
      } catch (e) {
        out += `<${(e as Error).message}>`;
      }
      last = m.index + m[0].length;
    }
    return out + message.slice(last);
  }

  protected async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    const wanted = args.breakpoints ?? [];
    try {
      if (!this.vm) throw new Error("not running");
      const lines = wanted.map((b) => this.convertClientLineToDebugger(b.line));
      const r = await this.vm.request<{ lines: number[] }>("setBreakpoints", { lines });
      this.bpLines = lines;
      this.breakpoints.clear();
      this.bpVersion++;
      response.body = {
        breakpoints: wanted.map((b, i) => {
          const at = r.lines[i] ?? 0;
          if (at > 0) {
            const list = this.breakpoints.get(at) ?? [];
            list.push({ line: at, condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage, hits: 0 });
            this.breakpoints.set(at, list);
          }
          const bp = new Breakpoint(at > 0, at > 0 ? this.convertDebuggerLineToClient(at) : b.line) as DebugProtocol.Breakpoint;
          if (at === 0) bp.message = "no code at or after this line";
          return bp;
        }),
      };
    } catch (e) {
      response.body = { breakpoints: wanted.map(() => ({ verified: false, message: (e as Error).message })) };
    }
    this.sendResponse(response);
  }

  protected async setFunctionBreakPointsRequest(
    response: DebugProtocol.SetFunctionBreakpointsResponse,
    args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): Promise<void> {
    const chunks: number[] = [];
    const result = args.breakpoints.map((b) => {
      const i = this.chunkNames.indexOf(b.name);
      if (i > 0) chunks.push(i);
      const bp: DebugProtocol.Breakpoint = { verified: i > 0 };
      if (i > 0) bp.line = this.convertDebuggerLineToClient(this.info!.chunks[i].firstLine);
      else bp.message = `no function named '${b.name}'`;
      return bp;
    });
    this.fnChunks = chunks;
    try {
      await this.vm?.request("setFunctionBreakpoints", { chunks });
    } catch {
      /* reported as unverified below */
    }
    response.body = { breakpoints: result };
    this.sendResponse(response);
  }

  protected async configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse, _args: unknown, request?: DebugProtocol.Request): Promise<void> {
    void request;
    await this.forward(response, "configurationDone", { stopOnEntry: this.stopOnEntry, ...this.checkpointArgs() });
  }

  private stopOnEntry = false;
  /** Whether the program has stopped once (so the first stop can be told apart). */
  private stoppedBefore = false;

  protected dispatchRequest(request: DebugProtocol.Request): void {
    if (request.command === "launch") this.stopOnEntry = Boolean((request.arguments as LaunchArguments)?.stopOnEntry);
    super.dispatchRequest(request);
  }

  private async forward(response: DebugProtocol.Response, command: string, args: Record<string, unknown> = {}): Promise<void> {
    try {
      if (!this.vm) throw new Error("the program is not running");
      await this.vm.request(command, args);
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: 1002, format: (e as Error).message });
    }
  }

  // ---------------------------------------------------------------- reverse execution
  // A program is deterministic apart from what it reads, so going back is going forward again,
  // to a line step, with the recorded input() lines and read_file() texts fed back, its output
  // muted and write_file/write_hex suppressed until there. Breakpoints on the way are counted
  // (hit counts and conditions stay right). On POSIX the VM forks checkpoints as it runs (the
  // first at the first line step): the re-run starts from the latest one at or before the target
  // step. Without them (Windows, WebAssembly, or fork failing) it starts from the program's start.

  /** Re-runs to `target`, from `from` (default: the best checkpoint); resolves with the steps of the breakpoint stops before it. */
  private async replayTo(target: number, from: Checkpoint<VmControl> | null = this.checkpoints.before(target, this.usable)): Promise<number[]> {
    if (!from?.control) return this.replayFromStart(target);
    from.busy = true; // not thinned while it is being resumed
    const old = this.vm;
    const gen = ++this.generation; // the old VM's events are ignored from now on
    if (old) {
      // It ends once its own checkpoints have (they stay, for the next time).
      await old.request("disconnect").catch(() => undefined);
      old.detach();
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const resumed = new Promise<{ vm: VmControl; body: Record<string, unknown> }>((resolve, reject) => {
      const waiter = (vm: VmControl, body: Record<string, unknown>) => {
        if (Number(body.steps) !== from.steps) {
          // Late, from a checkpoint given up on before (below): not the one asked for.
          vm.detach();
          this.resumed = waiter;
          return;
        }
        clearTimeout(timer);
        resolve({ vm, body });
      };
      timer = setTimeout(() => {
        if (this.resumed === waiter) this.resumed = null;
        reject(new Error("the checkpoint did not resume"));
      }, 10000);
      this.resumed = waiter;
    });
    resumed.catch(() => undefined); // awaited below, unless the resume request itself fails
    let vm: VmControl;
    let body: Record<string, unknown>;
    try {
      const asked = from.control!.request("resume").finally(() => (from.busy = false));
      asked.catch(() => undefined);
      // A checkpoint that does not even answer is given up on at the same time.
      await Promise.race([asked, resumed]);
      ({ vm, body } = await resumed);
    } catch {
      // A checkpoint that does not come back (seen a few times on a heavily loaded machine) costs
      // this going back its speed, not the session: it is dropped and the re-run starts from the
      // program's start instead.
      clearTimeout(timer);
      this.resumed = null;
      from.control?.detach();
      this.checkpoints.delete(from.pid);
      return this.replayFromStart(target);
    }
    this.vm = vm;
    this.attachLive(vm, gen);
    // The hit counts as they were at the checkpoint.
    const counts = from.hits !== null && from.bpVersion === this.bpVersion ? from.hits : null;
    let k = 0;
    for (const list of this.breakpoints.values()) for (const bp of list) bp.hits = counts?.[k++] ?? 0;
    await vm.request("setBreakpoints", { lines: this.bpLines });
    await vm.request("setFunctionBreakpoints", { chunks: this.fnChunks });
    // What it read before the checkpoint is in its memory; what came after is fed back.
    const reads = (body.reads ?? {}) as Record<string, number>;
    const skip: Record<string, number> = { input: Number(reads.input ?? 0), read_file: Number(reads.read_file ?? 0) };
    for (const r of this.recorded) {
      if (skip[r.kind] > 0) skip[r.kind]--;
      else await vm.request("feed", r);
    }
    return this.runReplay(vm, target, "runToStep", from.steps);
  }

  /** Re-runs to `target` in a new VM from the program's start (no checkpoint to resume). */
  private async replayFromStart(target: number): Promise<number[]> {
    this.generation++; // the old VM's events (its close) are ignored from now on
    await this.endProcesses();
    for (const list of this.breakpoints.values()) for (const bp of list) bp.hits = 0;
    const vm = await this.startVm();
    this.vm = vm;
    await vm.request("setBreakpoints", { lines: this.bpLines });
    await vm.request("setFunctionBreakpoints", { chunks: this.fnChunks });
    for (const r of this.recorded) await vm.request("feed", r);
    return this.runReplay(vm, target, "configurationDone", 0);
  }

  /**
   * Runs `vm` (started from step `from`) to `target`, stopping on the way at each value the user
   * set from `from` on (a checkpoint taken later has them in its memory) to set it again.
   */
  private async runReplay(vm: VmControl, target: number, command: string, from: number): Promise<number[]> {
    const hits: number[] = [];
    // The step the VM is stopped at (none yet: a checkpoint resumes before its step's stop).
    let stoppedAt: number | null = null;
    for (const edit of this.edits) {
      if (edit.step < from || edit.step > target) continue;
      if (stoppedAt !== edit.step) {
        hits.push(...(await this.runReplayTo(vm, edit.step, command)));
        command = "runToStep";
        stoppedAt = edit.step;
      }
      await this.setAgain(vm, edit);
    }
    if (stoppedAt !== target) hits.push(...(await this.runReplayTo(vm, target, command)));
    return hits;
  }

  private async runReplayTo(vm: VmControl, target: number, command: string): Promise<number[]> {
    const reached = new Promise<boolean>((resolve) => {
      this.replay = { target, hits: [], done: resolve };
    });
    const hits = this.replay!.hits;
    await vm.request(command, { step: target, mute: true, breakpoints: true, ...this.checkpointArgs() });
    if (!(await reached)) throw new Error("the program ended before the step it went back to");
    return hits;
  }

  /** Sets a value the user set again, in a re-run stopped at its step. */
  private async setAgain(vm: VmControl, edit: Edit): Promise<void> {
    const fail = (why: string) => this.sendEvent(new OutputEvent(`The value set at step ${edit.step} is not set again in the re-run: ${why}\n`, "console"));
    if (!edit.at) return fail("it was set in a watch expression's value");
    const { frame, scope, path } = edit.at;
    try {
      const [name, ...keys] = path;
      if (keys.length === 0) {
        await vm.request("setVariable", { frame, scope, name, value: edit.value });
        return;
      }
      const last = keys.pop()!;
      const vars = (await vm.request<{ variables: VmVariable[] }>("variables", { frame, scope })).variables;
      let at = vars.find((v) => v.name === name);
      for (const key of keys) if (at?.ref) at = await childOf(vm, at, key);
      if (!at?.ref) return fail("its array or dict is not there");
      await vm.request("setVariable", { ref: at.ref, name: last, value: edit.value });
    } catch (e) {
      fail((e as Error).message);
    }
  }

  /**
   * The step of the last breakpoint stop before `from`, or null. Searched backwards one stretch
   * between checkpoints at a time (the first stretch with a stop has the last one), so it costs
   * about two stretches, not a run from the start.
   */
  private async lastHitBefore(from: number): Promise<number | null> {
    const starts = this.checkpoints.list(this.usable).filter((e) => e.steps < from);
    if (starts.length === 0 || starts[0].steps > 1) {
      const hits = (await this.replayTo(from, null)).filter((s) => s < from);
      return hits.length > 0 ? hits[hits.length - 1] : null;
    }
    let end = from;
    for (let i = starts.length - 1; i >= 0; i--) {
      if (starts[i].control?.isClosed) continue;
      // A checkpoint is taken before its step's stop decision: its own step is in its stretch.
      const hits = (await this.replayTo(end, starts[i])).filter((s) => s < end);
      if (hits.length > 0) return hits[hits.length - 1];
      end = starts[i].steps;
    }
    return null;
  }

  private async goBack(response: DebugProtocol.Response, toBreakpoint: boolean): Promise<void> {
    try {
      if (!this.vm || !this.run) throw new Error("the program is not running");
      const from = this.currentStep;
      this.sendResponse(response);
      let target = Math.max(1, from - 1);
      let reason = "step";
      if (toBreakpoint) {
        const hit = await this.lastHitBefore(from);
        target = hit ?? 1;
        reason = hit !== null ? "breakpoint" : "entry";
      }
      await this.replayTo(target);
      // Values set after this step were set in the run that went on from here: going back undoes them.
      this.edits = this.edits.filter((e) => e.step <= target);
      // Stopped there going forward, the breakpoint counted this hit: so does going back to it.
      if (reason === "breakpoint") await this.breakpointDecision(this.currentLine, true);
      // Those after this step belong to the run that went on from here; it may go on differently now.
      for (const e of this.checkpoints.after(target)) e.control?.detach();
      this.resetHandles();
      this.sendEvent(new StoppedEvent(reason, THREAD));
    } catch (e) {
      this.sendEvent(new OutputEvent(`Going back failed: ${(e as Error).message}\n`, "stderr"));
      this.sendEvent(new TerminatedEvent());
    }
  }

  protected stepBackRequest(response: DebugProtocol.StepBackResponse): Promise<void> {
    return this.goBack(response, false);
  }

  protected reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): Promise<void> {
    return this.goBack(response, true);
  }

  protected threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD, "main")] };
    this.sendResponse(response);
  }

  protected continueRequest(response: DebugProtocol.ContinueResponse): Promise<void> {
    response.body = { allThreadsContinued: true };
    return this.forward(response, "continue");
  }
  protected nextRequest(response: DebugProtocol.NextResponse): Promise<void> {
    return this.forward(response, "next");
  }
  protected stepInRequest(response: DebugProtocol.StepInResponse): Promise<void> {
    return this.forward(response, "stepIn");
  }
  protected stepOutRequest(response: DebugProtocol.StepOutResponse): Promise<void> {
    return this.forward(response, "stepOut");
  }
  protected pauseRequest(response: DebugProtocol.PauseResponse): Promise<void> {
    return this.forward(response, "pause");
  }

  private chunkOf(frame: VmFrame): DebugChunk | undefined {
    return this.info?.chunks.find((c) => c.name === frame.name);
  }

  private async loadFrames(): Promise<VmFrame[]> {
    if (this.frames.length === 0 && this.vm) this.frames = (await this.vm.request<{ frames: VmFrame[] }>("stackTrace")).frames;
    return this.frames;
  }

  protected async stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): Promise<void> {
    try {
      const frames = await this.loadFrames();
      const start = args.startFrame ?? 0;
      const count = args.levels && args.levels > 0 ? args.levels : frames.length;
      const source = new Source(basename(this.program), this.convertDebuggerPathToClient(this.program));
      response.body = {
        totalFrames: frames.length,
        stackFrames: frames.slice(start, start + count).map((f) => {
          const chunk = this.chunkOf(f);
          const name = chunk ? chunk.displayName : `${f.name} (builtin)`;
          return new StackFrame(f.id + 1, name, source, this.convertDebuggerLineToClient(f.line), 1);
        }),
      };
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: 1003, format: (e as Error).message });
    }
  }

  private handle(h: Handle): number {
    this.handles.push(h);
    return this.handles.length;
  }

  protected async scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): Promise<void> {
    const frames = await this.loadFrames().catch(() => []);
    const index = args.frameId - 1;
    const frame = frames[index];
    const scopes: Scope[] = [];
    const isMain = index === frames.length - 1;
    if (frame && !isMain && this.chunkOf(frame)) scopes.push(new Scope("Locals", this.handle({ kind: "scope", frame: index, scope: "locals" }), false));
    // A lambda that captures nothing has no Captured scope (an empty one only looks broken).
    const captures = frame?.closure && (this.chunkOf(frame)?.captured.length ?? 1) > 0;
    if (captures) scopes.push(new Scope("Captured", this.handle({ kind: "scope", frame: index, scope: "captured" }), false));
    scopes.push(new Scope("Globals", this.handle({ kind: "scope", frame: index, scope: "globals" }), true));
    response.body = { scopes };
    this.sendResponse(response);
  }

  /** A scope's variables as the user names them: locals live at the line, captured by name. */
  private async scopeVariables(frame: number, scope: Scoped): Promise<VmVariable[]> {
    const r = await this.vm!.request<{ variables: VmVariable[] }>("variables", { frame, scope });
    const frames = await this.loadFrames();
    const f = frames[frame];
    const chunk = f ? this.chunkOf(f) : undefined;
    if (scope === "locals" && chunk) {
      const live = new Set(liveLocals(chunk, f.line).map((l) => l.name));
      return r.variables.filter((v) => live.has(v.name));
    }
    if (scope === "captured" && chunk) return r.variables.map((v) => ({ ...v, name: chunk.captured[Number(v.name)] ?? v.name, slot: v.name }));
    return r.variables;
  }

  /** `path`: where the value is found again in a re-run (null: it cannot be). */
  private toDap(v: VmVariable, path: VarPath | null): DebugProtocol.Variable {
    const out: DebugProtocol.Variable = { name: v.name, value: v.value, type: v.type, variablesReference: 0 };
    if (v.ref > 0) {
      out.variablesReference = this.handle({ kind: "vm", ref: v.ref, type: v.type, path });
      if (v.type === "array") out.indexedVariables = v.count ?? 0;
      else out.namedVariables = v.count ?? 0;
    }
    return out;
  }

  protected async variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    const h = this.handles[args.variablesReference - 1];
    try {
      if (!h || !this.vm) throw new Error("no such variable reference");
      let variables: DebugProtocol.Variable[];
      if (h.kind === "scope") {
        const vars = await this.scopeVariables(h.frame, h.scope);
        variables = vars.map((v) => this.toDap(v, { frame: h.frame, scope: h.scope, name: (v as { slot?: string }).slot ?? v.name, keys: [] }));
      } else {
        const r = await this.vm.request<{ variables: VmVariable[] }>("variables", { ref: h.ref, start: args.start ?? 0, count: args.count ?? 4096 });
        variables = r.variables.map((v) => {
          const path = h.path && { ...h.path, keys: [...h.path.keys, v.name] };
          return this.toDap(h.type === "array" ? { ...v, name: `[${v.name}]` } : v, path);
        });
      }
      response.body = { variables };
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: 1004, format: (e as Error).message });
    }
  }

  protected async setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): Promise<void> {
    const h = this.handles[args.variablesReference - 1];
    try {
      if (!h || !this.vm) throw new Error("no such variable reference");
      const frameIndex = h.kind === "scope" ? h.frame : 0;
      const v = await evaluate(parseExpression(args.value), this.host(frameIndex));
      if (v.kind === "array" || v.kind === "dict" || v.kind === "function") throw new Error("only a number, a string, true, false or none can be set");
      const value = "value" in v ? v.value : null;
      let r: { variable: VmVariable };
      let edit: Edit;
      if (h.kind === "scope") {
        let name = args.name;
        if (h.scope === "captured") {
          const f = (await this.loadFrames())[h.frame];
          const slot = f ? (this.chunkOf(f)?.captured.indexOf(args.name) ?? -1) : -1;
          if (slot < 0) throw new Error(`no captured variable '${args.name}'`);
          name = String(slot);
        }
        r = await this.vm.request("setVariable", { frame: h.frame, scope: h.scope, name, value });
        edit = { step: this.currentStep, at: { frame: h.frame, scope: h.scope, path: [name] }, value };
      } else {
        const key = args.name.replace(/^\[(\d+)\]$/, "$1");
        r = await this.vm.request("setVariable", { ref: h.ref, name: key, value });
        const p = h.path;
        edit = { step: this.currentStep, at: p && { frame: p.frame, scope: p.scope, path: [p.name, ...p.keys, key] }, value };
      }
      this.edits.push(edit);
      response.body = { value: r.variable.value, type: r.variable.type };
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: 1005, format: (e as Error).message, showUser: true });
    }
  }

  private fromVm(v: VmVariable): EvalValue {
    switch (v.type) {
      case "number":
        return { kind: "number", value: v.number ?? Number(v.value === "inf" ? Infinity : v.value === "-inf" ? -Infinity : NaN) };
      case "string":
        return { kind: "string", value: v.string ?? "" };
      case "bool":
        return { kind: "bool", value: Boolean(v.bool) };
      case "array":
      case "dict":
        return { kind: v.type, ref: v.ref, count: v.count ?? 0, preview: v.value };
      case "function":
        return { kind: "function", ref: 0, count: 0, preview: v.value };
      default:
        return { kind: "none" };
    }
  }

  /** Reads variables of frame `frame` (innermost 0) for the evaluator. */
  private host(frame: number) {
    return {
      variable: async (name: string): Promise<EvalValue | undefined> => {
        const frames = await this.loadFrames();
        const isMain = frame === frames.length - 1;
        for (const scope of (isMain ? ["globals"] : ["locals", "captured", "globals"]) as Scoped[]) {
          if (scope === "captured" && !frames[frame]?.closure) continue;
          const vars = await this.scopeVariables(frame, scope);
          const v = vars.find((x) => x.name === name);
          if (v) return this.fromVm(v);
        }
        return undefined;
      },
      element: async (c: EvalValue, key: EvalValue): Promise<EvalValue | undefined> => {
        if (!("ref" in c) || c.ref === 0) return undefined;
        if (c.kind === "array") {
          if (key.kind !== "number") throw new EvalError(`Type error: expected number, found ${key.kind}`);
          const i = Math.trunc(key.value);
          if (i < 0 || i >= c.count) return undefined;
          const r = await this.vm!.request<{ variables: VmVariable[] }>("variables", { ref: c.ref, start: i, count: 1 });
          return r.variables[0] ? this.fromVm(r.variables[0]) : undefined;
        }
        if (key.kind !== "string") throw new EvalError(`Type error: expected string, found ${key.kind}`);
        for (let start = 0; start < c.count; start += 4096) {
          const r = await this.vm!.request<{ variables: VmVariable[] }>("variables", { ref: c.ref, start, count: 4096 });
          const v = r.variables.find((x) => x.name === key.value);
          if (v) return this.fromVm(v);
        }
        return undefined;
      },
    };
  }

  private eval(expression: string, frame: number): Promise<EvalValue> {
    return evaluate(parseExpression(expression), this.host(frame));
  }

  protected async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    try {
      if (!this.vm) throw new Error("the program is not running");
      const v = await this.eval(args.expression, args.frameId ? args.frameId - 1 : 0);
      const body: DebugProtocol.EvaluateResponse["body"] = { result: display(v), type: v.kind, variablesReference: 0 };
      if ((v.kind === "array" || v.kind === "dict") && v.ref > 0) {
        body.variablesReference = this.handle({ kind: "vm", ref: v.ref, type: v.kind, path: null });
        if (v.kind === "array") body.indexedVariables = v.count;
        else body.namedVariables = v.count;
      }
      response.body = body;
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: 1006, format: (e as Error).message, showUser: args.context === "repl" });
    }
  }

  protected exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    response.body = { exceptionId: "RuntimeError", description: this.exceptionText ?? "", breakMode: "always" };
    this.sendResponse(response);
  }

  protected async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.vm?.request("disconnect").catch(() => undefined);
    this.sendResponse(response);
  }

  protected async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    this.exitSent = true; // nothing more is reported
    await this.endProcesses();
    this.vm?.dispose();
    this.vm = null;
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
    this.tempDir = null;
    this.sendResponse(response);
  }
}

